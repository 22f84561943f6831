"""Blood Pressure Measurement 0x2A35: the cuff's result (systolic, diastolic, mean, pulse).

The same record shape carries the Intermediate Cuff Pressure 0x2A36 (see ``cuff_pressure``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from drivers.ble.gatt.common import (
    Reader,
    device_time,
    le16,
    reading_decoder,
    sfloat_bytes,
    split,
    time_flags,
    user_flags,
)
from drivers.ieee11073 import DateTime, Number
from drivers.types import DeviceInfo, Reading, ReadingKind, Unit

BP_KPA = 0x01
BP_TIME = 0x02
BP_PULSE = 0x04
BP_USER = 0x08
BP_STATUS = 0x10

#: Measurement status bits relayed as flags (bits 3-4 are the pulse-rate range, below).
BP_STATUS_FLAGS = {
    0x0001: "body_movement",
    0x0002: "cuff_loose",
    0x0004: "irregular_pulse",
    0x0020: "improper_position",
}
PULSE_RANGE = {1: "pulse_rate_high", 2: "pulse_rate_low", 3: "pulse_rate_range_reserved"}


@dataclass(frozen=True)
class BloodPressure:
    """0x2A35 (or 0x2A36, where ``systolic`` is the current cuff pressure)."""

    unit: Unit
    systolic: Number
    diastolic: Number
    map: Number
    time: DateTime | None = None
    pulse: Number | None = None
    user: int | None = None
    status: int | None = None
    intermediate: bool = False

    @property
    def status_flags(self) -> frozenset[str]:
        if self.status is None:
            return frozenset()
        flags = {name for bit, name in BP_STATUS_FLAGS.items() if self.status & bit}
        pulse_range = self.status >> 3 & 0x03
        if pulse_range:
            flags.add(PULSE_RANGE[pulse_range])
        return frozenset(flags)

    def reading(self, *, device: DeviceInfo, received_at: datetime) -> Reading:
        flags = self.status_flags | time_flags(self.time) | user_flags(self.user)
        if self.intermediate:
            values, missing = split({"cuff": self.systolic})
            kind = ReadingKind.CUFF_PRESSURE
            units: dict[str, Unit] = {}
        else:
            values, missing = split(
                {
                    "systolic": self.systolic,
                    "diastolic": self.diastolic,
                    "map": self.map,
                    "pulse": self.pulse,
                }
            )
            kind = ReadingKind.BLOOD_PRESSURE
            units = {"pulse": Unit.PER_MINUTE}
        return Reading(
            kind=kind,
            unit=self.unit,
            values=values,
            missing=missing,
            units=units,
            device=device,
            received_at=received_at,
            device_time=device_time(self.time),
            flags=flags,
            intermediate=self.intermediate,
        )


def decode_blood_pressure(data: bytes | bytearray, *, intermediate: bool = False) -> BloodPressure:
    what = "intermediate cuff pressure" if intermediate else "blood pressure measurement"
    r = Reader(what, data, 7)
    flags = r.u8()
    unit = Unit.KPA if flags & BP_KPA else Unit.MM_HG
    systolic, diastolic, mean = r.sfloat(), r.sfloat(), r.sfloat()
    stamp = r.date_time() if flags & BP_TIME else None
    pulse = r.sfloat() if flags & BP_PULSE else None
    user = r.u8() if flags & BP_USER else None
    status = r.u16() if flags & BP_STATUS else None
    return BloodPressure(unit, systolic, diastolic, mean, stamp, pulse, user, status, intermediate)


def encode_blood_pressure(m: BloodPressure, *, exponent: int = 0) -> bytes:
    flags = (
        (BP_KPA if m.unit is Unit.KPA else 0)
        | (BP_TIME if m.time is not None else 0)
        | (BP_PULSE if m.pulse is not None else 0)
        | (BP_USER if m.user is not None else 0)
        | (BP_STATUS if m.status is not None else 0)
    )
    out = bytearray([flags])
    out += (
        sfloat_bytes(m.systolic, exponent)
        + sfloat_bytes(m.diastolic, exponent)
        + sfloat_bytes(m.map, exponent)
    )
    if m.time is not None:
        out += m.time.encode()
    if m.pulse is not None:
        out += sfloat_bytes(m.pulse)
    if m.user is not None:
        out.append(m.user)
    if m.status is not None:
        out += le16(m.status)
    return bytes(out)


#: ``kiosk decode gatt-blood-pressure``
decode_reading = reading_decoder(decode_blood_pressure)
