"""IEEE 11073-20601 numbers and the date-time field, as the Bluetooth health profiles carry them.

Pure: a special value (NaN, NRes, +/-INF, reserved) decodes to a :class:`Special`, never to a
number; a date-time that is unknown or impossible says so instead of inventing a date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from drivers.instrument import FrameError, InstrumentErrorReason


class Special(StrEnum):
    """Why a field carries no valid value; relayed as the reading's ``missing`` reason."""

    NAN = "not_a_number"
    NRES = "not_at_this_resolution"
    PLUS_INFINITY = "plus_infinity"
    MINUS_INFINITY = "minus_infinity"
    RESERVED = "reserved_value"


#: A decoded field: a real number, or the reason there is none.
Number = float | Special

SFLOAT_SPECIALS: dict[int, Special] = {
    0x07FF: Special.NAN,
    0x0800: Special.NRES,
    0x07FE: Special.PLUS_INFINITY,
    0x0802: Special.MINUS_INFINITY,
    0x0801: Special.RESERVED,
}
FLOAT_SPECIALS: dict[int, Special] = {
    0x007FFFFF: Special.NAN,
    0x00800000: Special.NRES,
    0x007FFFFE: Special.PLUS_INFINITY,
    0x00800002: Special.MINUS_INFINITY,
    0x00800001: Special.RESERVED,
}
_SFLOAT_CODES = {special: raw for raw, special in SFLOAT_SPECIALS.items()}
_FLOAT_CODES = {special: raw for raw, special in FLOAT_SPECIALS.items()}

#: Signed mantissa ranges (with exponent 0, the top and bottom codes are the specials).
SFLOAT_MANTISSA = (-2048, 2047)
FLOAT_MANTISSA = (-8388608, 8388607)
SFLOAT_EXPONENT = (-8, 7)
FLOAT_EXPONENT = (-128, 127)


def _signed(raw: int, bits: int) -> int:
    return raw - (1 << bits) if raw >= 1 << (bits - 1) else raw


def _scale(mantissa: int, exponent: int) -> float:
    # dividing by an exact power of ten rounds once, so 3760e-2 is the float nearest 37.6
    if exponent >= 0:
        return float(mantissa * 10**exponent)
    divisor: int = 10**-exponent
    return mantissa / divisor


def decode_sfloat(raw: int) -> Number:
    """A 16-bit SFLOAT (4-bit exponent, 12-bit mantissa, both signed) as read little-endian."""
    if not 0 <= raw <= 0xFFFF:
        raise ValueError(f"SFLOAT is 16 bits, not {raw:#x}")
    special = SFLOAT_SPECIALS.get(raw)
    if special is not None:
        return special
    return _scale(_signed(raw & 0x0FFF, 12), _signed(raw >> 12, 4))


def decode_float(raw: int) -> Number:
    """A 32-bit FLOAT (8-bit exponent, 24-bit mantissa, both signed)."""
    if not 0 <= raw <= 0xFFFFFFFF:
        raise ValueError(f"FLOAT is 32 bits, not {raw:#x}")
    special = FLOAT_SPECIALS.get(raw)
    if special is not None:
        return special
    return _scale(_signed(raw & 0x00FFFFFF, 24), _signed(raw >> 24, 8))


def _encode(
    value: Number,
    exponent: int,
    *,
    codes: dict[Special, int],
    mantissa_range: tuple[int, int],
    exponent_range: tuple[int, int],
    mantissa_bits: int,
) -> int:
    if isinstance(value, Special):
        return codes[value]
    if not exponent_range[0] <= exponent <= exponent_range[1]:
        raise ValueError(f"exponent {exponent} out of range {exponent_range}")
    scale: int = 10 ** abs(exponent)
    mantissa = round(value * scale) if exponent < 0 else round(value / scale)
    if not mantissa_range[0] <= mantissa <= mantissa_range[1]:
        raise ValueError(f"{value} does not fit with exponent {exponent}")
    exponent_mask = 0x0F if mantissa_bits == 12 else 0xFF
    raw = (exponent & exponent_mask) << mantissa_bits | mantissa & ((1 << mantissa_bits) - 1)
    if raw in codes.values():
        raise ValueError(f"{value} with exponent {exponent} would read as a special value")
    return raw


def encode_sfloat(value: Number, *, exponent: int = 0) -> int:
    """The SFLOAT of ``value`` written with ``exponent`` (a special keeps its own code)."""
    return _encode(
        value,
        exponent,
        codes=_SFLOAT_CODES,
        mantissa_range=SFLOAT_MANTISSA,
        exponent_range=SFLOAT_EXPONENT,
        mantissa_bits=12,
    )


def encode_float(value: Number, *, exponent: int = 0) -> int:
    """The FLOAT of ``value`` written with ``exponent`` (a special keeps its own code)."""
    return _encode(
        value,
        exponent,
        codes=_FLOAT_CODES,
        mantissa_range=FLOAT_MANTISSA,
        exponent_range=FLOAT_EXPONENT,
        mantissa_bits=24,
    )


class TimeProblem(StrEnum):
    """Why a date-time field gives no usable date."""

    UNKNOWN = "device_time_unknown"  # year, month or day 0: the device does not know
    INVALID = "device_time_invalid"  # a field out of its range (month 13, hour 24...)


@dataclass(frozen=True)
class DateTime:
    """The 7-byte date-time field: year u16 (0 unknown), month, day (0 unknown), h, min, s."""

    year: int
    month: int
    day: int
    hours: int
    minutes: int
    seconds: int

    SIZE = 7

    @classmethod
    def decode(cls, data: bytes) -> DateTime:
        if len(data) < cls.SIZE:
            raise FrameError(
                f"date-time needs {cls.SIZE} bytes, got {len(data)}",
                reason=InstrumentErrorReason.UNUSABLE_FRAME,
                data=bytes(data),
            )
        return cls(data[0] | data[1] << 8, data[2], data[3], data[4], data[5], data[6])

    @classmethod
    def from_datetime(cls, stamp: datetime) -> DateTime:
        return cls(stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)

    def encode(self) -> bytes:
        return bytes(
            [
                self.year & 0xFF,
                self.year >> 8 & 0xFF,
                self.month,
                self.day,
                self.hours,
                self.minutes,
                self.seconds,
            ]
        )

    @property
    def problem(self) -> TimeProblem | None:
        """None for a usable date; else why it is not one."""
        if self.year == 0 or self.month == 0 or self.day == 0:
            return TimeProblem.UNKNOWN
        if not (
            1582 <= self.year <= 9999
            and self.month <= 12
            and self.hours <= 23
            and self.minutes <= 59
            and self.seconds <= 59
        ):
            return TimeProblem.INVALID
        try:
            datetime(self.year, self.month, self.day)
        except ValueError:
            return TimeProblem.INVALID  # 31 February
        return None

    def to_datetime(self) -> datetime | None:
        """The device's local time (naive), or None when :attr:`problem` is set."""
        if self.problem is not None:
            return None
        return datetime(self.year, self.month, self.day, self.hours, self.minutes, self.seconds)
