"""What the health-profile characteristics share: the little-endian field reader, SFLOAT
fields, flag sets from status bits, the device's time stamp, units and ``decode_reading``.

Each characteristic module builds on these; none of them talks to bleak or BlueZ.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Protocol

from drivers.errors import FrameError, InstrumentErrorReason
from drivers.ieee11073 import DateTime, Number, Special, decode_float, decode_sfloat, encode_sfloat
from drivers.registry import DecodeReading
from drivers.types import DeviceInfo, Reading


class Record(Protocol):
    """A decoded characteristic value: it tells its reading."""

    def reading(self, *, device: DeviceInfo, received_at: datetime) -> Reading: ...


#: bytes -> the characteristic's record (raises :class:`FrameError`).
Decoder = Callable[[bytes | bytearray], Record]


def reading_decoder(decode: Decoder) -> DecodeReading:
    """``decode_reading`` for one characteristic: its record as a reading (FrameError else)."""

    def decode_reading(data: bytes, *, device: DeviceInfo, received_at: datetime) -> Reading:
        return decode(data).reading(device=device, received_at=received_at)

    return decode_reading


# -- Reading fields ----------------------------------------------------------------------------


def short_payload(what: str, need: int, data: bytes) -> FrameError:
    """The error for a payload shorter than its flags announce."""
    return FrameError(
        f"{what}: payload of {len(data)} byte(s), its flags need {need}",
        reason=InstrumentErrorReason.UNUSABLE_FRAME,
        data=bytes(data),
    )


class Reader:
    """Little-endian fields in order; running past the end raises the typed error."""

    def __init__(self, what: str, data: bytes | bytearray, need: int) -> None:
        self.what = what
        self.data = bytes(data)
        self.at = 0
        if len(self.data) < need:
            raise short_payload(what, need, self.data)

    def _take(self, n: int) -> bytes:
        if self.at + n > len(self.data):
            raise short_payload(self.what, self.at + n, self.data)
        chunk = self.data[self.at : self.at + n]
        self.at += n
        return chunk

    def u8(self) -> int:
        return self._take(1)[0]

    def u16(self) -> int:
        return int.from_bytes(self._take(2), "little")

    def u24(self) -> int:
        return int.from_bytes(self._take(3), "little")

    def sfloat(self) -> Number:
        return decode_sfloat(self.u16())

    def float32(self) -> Number:
        return decode_float(int.from_bytes(self._take(4), "little"))

    def date_time(self) -> DateTime:
        return DateTime.decode(self._take(DateTime.SIZE))


# -- Writing fields ----------------------------------------------------------------------------


def le16(value: int) -> bytes:
    return value.to_bytes(2, "little")


def sfloat_bytes(value: Number, exponent: int = 0) -> bytes:
    return le16(encode_sfloat(value, exponent=exponent))


# -- Values, flags and time of a reading -------------------------------------------------------

#: A user index of 0xFF: the device does not know who measured.
UNKNOWN_USER = 0xFF


def split(named: Mapping[str, Number | None]) -> tuple[dict[str, float], dict[str, str]]:
    """Real numbers in ``values``, specials in ``missing`` with their reason; None is absent."""
    values: dict[str, float] = {}
    missing: dict[str, str] = {}
    for name, number in named.items():
        if isinstance(number, Special):
            missing[name] = number.value
        elif number is not None:
            values[name] = number
    return values, missing


def bit_flags(value: int | None, names: Mapping[int, str]) -> frozenset[str]:
    """The names of the bits set in a status field (none when the field is absent)."""
    if value is None:
        return frozenset()
    return frozenset(name for bit, name in names.items() if value & bit)


def time_flags(stamp: DateTime | None) -> frozenset[str]:
    """Why the device's time stamp is unusable, as a flag; none for a good or absent one."""
    if stamp is None or stamp.problem is None:
        return frozenset()
    return frozenset({stamp.problem.value})


def user_flags(user: int | None) -> frozenset[str]:
    """``user:N`` for a known user index; none when absent or unknown."""
    if user is None or user == UNKNOWN_USER:
        return frozenset()
    return frozenset({f"user:{user}"})


def device_time(stamp: DateTime | None) -> datetime | None:
    return None if stamp is None else stamp.to_datetime()


# -- Weight-scale units (weight and body composition) ------------------------------------------

#: A weight (or body fat) of 0xFFFF: the scale could not measure.
UNSUCCESSFUL = 0xFFFF
UNSUCCESSFUL_REASON = "measurement_unsuccessful"


def mass(raw: int, imperial: bool) -> float:
    # SI 0.005 kg, imperial 0.01 lb; rounded to the resolution so 70.5 stays 70.5
    return round(raw * 0.01, 2) if imperial else round(raw * 0.005, 3)


def mass_raw(value: float, imperial: bool) -> int:
    return round(value / 0.01) if imperial else round(value / 0.005)


def height(raw: int, imperial: bool) -> float:
    return round(raw * 0.1, 1) if imperial else round(raw * 0.001, 3)


def height_raw(value: float, imperial: bool) -> int:
    return round(value / 0.1) if imperial else round(value / 0.001)


def tenths(raw: int) -> float:
    """A field in tenths (BMI, body fat, muscle percentage, impedance)."""
    return round(raw * 0.1, 1)


def tenths_raw(value: float) -> int:
    return round(value / 0.1)


# -- Pulse-oximeter status bits (spot-check and continuous) ------------------------------------

PLX_MEASUREMENT_STATUS = {
    1 << 5: "measurement_ongoing",
    1 << 6: "early_estimated_data",
    1 << 7: "validated_data",
    1 << 8: "fully_qualified_data",
    1 << 9: "data_from_storage",
    1 << 10: "demonstration_data",
    1 << 11: "testing_data",
    1 << 12: "calibration_ongoing",
    1 << 13: "measurement_unavailable",
    1 << 14: "questionable_measurement",
    1 << 15: "invalid_measurement",
}
PLX_DEVICE_STATUS = {
    1 << 0: "extended_display_update",
    1 << 1: "equipment_malfunction",
    1 << 2: "signal_processing_irregularity",
    1 << 3: "inadequate_signal",
    1 << 4: "poor_signal",
    1 << 5: "low_perfusion",
    1 << 6: "erratic_signal",
    1 << 7: "nonpulsatile_signal",
    1 << 8: "questionable_pulse",
    1 << 9: "signal_analysis_ongoing",
    1 << 10: "sensor_interference",
    1 << 11: "sensor_unconnected",
    1 << 12: "unknown_sensor",
    1 << 13: "sensor_displaced",
    1 << 14: "sensor_malfunction",
    1 << 15: "sensor_disconnected",
}


def plx_status_bytes(
    measurement_status: int | None, device_status: int | None, pai: Number | None
) -> bytes:
    """The optional fields both PLX records end with: measurement status, device status, PAI."""
    out = b""
    if measurement_status is not None:
        out += le16(measurement_status)
    if device_status is not None:
        out += device_status.to_bytes(3, "little")
    if pai is not None:
        out += sfloat_bytes(pai, -2)
    return out
