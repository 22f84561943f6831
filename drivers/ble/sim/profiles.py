"""What a simulated instrument is: its health profile and GATT layout, its spec, its faults.

A :class:`DeviceSpec` is also the ``[device]`` table of a script; a :class:`Fault` is armed
per device with a count.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from drivers.ble import gatt as g


class Profile(StrEnum):
    BLOOD_PRESSURE = "blood_pressure"
    THERMOMETER = "thermometer"
    WEIGHT = "weight"
    PULSE_OXIMETER = "pulse_oximeter"


class Fault(StrEnum):
    CONNECT_FAIL = "connect_fail"  # Connect/Pair answers org.bluez.Error.Failed
    NEVER_RESOLVE = "never_resolve"  # connected, but ServicesResolved never comes
    LINK_DROP = "link_drop"  # the link drops after subscription, before the indication
    PAIRING_REFUSED = "pairing_refused"  # Pair answers AuthenticationRejected
    BOND_LOST = "bond_lost"  # BlueZ holds a bond the device has forgotten (acts when armed)


#: Per profile: (service, [(characteristic, flags)]), and the characteristic of the result.
LAYOUTS: dict[Profile, list[tuple[int, list[tuple[int, list[str]]]]]] = {
    Profile.BLOOD_PRESSURE: [
        (
            g.BLOOD_PRESSURE_SERVICE,
            [
                (g.BLOOD_PRESSURE_MEASUREMENT, ["indicate"]),
                (g.INTERMEDIATE_CUFF_PRESSURE, ["notify"]),
                (0x2A49, ["read"]),
            ],
        )
    ],
    Profile.THERMOMETER: [
        (
            g.HEALTH_THERMOMETER_SERVICE,
            [(g.TEMPERATURE_MEASUREMENT, ["indicate"]), (g.INTERMEDIATE_TEMPERATURE, ["notify"])],
        )
    ],
    Profile.WEIGHT: [
        (g.WEIGHT_SCALE_SERVICE, [(g.WEIGHT_MEASUREMENT, ["indicate"]), (0x2A9E, ["read"])]),
        (g.BODY_COMPOSITION_SERVICE, [(g.BODY_COMPOSITION_MEASUREMENT, ["indicate"])]),
    ],
    Profile.PULSE_OXIMETER: [
        (
            g.PULSE_OXIMETER_SERVICE,
            [
                (g.PLX_SPOT_CHECK, ["indicate"]),
                (g.PLX_CONTINUOUS, ["notify"]),
                (0x2A60, ["read"]),
            ],
        )
    ],
}
#: The Battery Service and its Battery Level (a percentage, read and notify).
BATTERY_SERVICE = 0x180F
BATTERY_LEVEL = 0x2A19

MAIN_CHARACTERISTIC = {
    Profile.BLOOD_PRESSURE: g.BLOOD_PRESSURE_MEASUREMENT,
    Profile.THERMOMETER: g.TEMPERATURE_MEASUREMENT,
    Profile.WEIGHT: g.WEIGHT_MEASUREMENT,
    Profile.PULSE_OXIMETER: g.PLX_SPOT_CHECK,
}
DEFAULT_NAMES = {
    Profile.BLOOD_PRESSURE: "Sim BP",
    Profile.THERMOMETER: "Sim Thermo",
    Profile.WEIGHT: "Sim Scale",
    Profile.PULSE_OXIMETER: "Sim Oximeter",
}


@dataclass(kw_only=True)
class DeviceSpec:
    """What a simulated instrument is; every field is also a ``[device]`` script key."""

    profile: Profile
    address: str = "C0:FF:EE:00:00:01"
    name: str = ""
    pairing: bool = False  # measurement characteristics need a bond (encrypted link)
    racp: bool = False  # stored records through the Record Access Control Point
    current_time: bool = True  # Current Time Service: a write sets the device clock
    clock_offset: float = 0.0  # device clock minus true time (s), until the host sets it
    resend_stored: int = 0  # each past record re-sent this many times on every connection
    advertising: bool = True  # False: the device is never found
    interval_s: float = 0.0  # pause between the notifications of one measurement
    auto_measure: bool = True  # nothing queued: a default measurement on each connection
    battery: int = 85  # Battery Level (%) of its Battery Service; -1: no Battery Service
    bonded_elsewhere: bool = False  # bonded to another host (a phone): Pair is refused

    def __post_init__(self) -> None:
        self.profile = Profile(self.profile)
        self.address = self.address.upper()
        if not -1 <= self.battery <= 100:
            raise ValueError(f"battery: a percentage from 0 to 100 (or -1), not {self.battery}")
