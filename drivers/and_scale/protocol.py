"""A&D weighing instruments, "standard format": ``ST,+00070.50 kg`` lines and host commands.

Pure: a line is a 2-letter header (ST stable, US unstable, OL overload), a comma, a 9-char
signed zero-padded number and a 3-char unit, ended by CR LF. ``EC,Exx`` is the scale's error.
A real overload line has no unit: ``OL,+9999999E+19`` (``OL,-9999999E+19`` below zero).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from drivers.framing import LineDecoder, last_reading
from drivers.instrument import FrameError
from drivers.types import DeviceInfo, Reading, ReadingKind, Unit

QUERY = b"Q\r\n"  # send the weight now
STABLE = b"S\r\n"  # send the weight once stable
ZERO = b"Z\r\n"
TARE = b"T\r\n"

COMMANDS = {b"Q": "query", b"S": "stable", b"Z": "zero", b"T": "tare"}


class Header(StrEnum):
    STABLE = "ST"
    UNSTABLE = "US"
    OVERLOAD = "OL"


UNITS: dict[str, Unit] = {" kg": Unit.KG, "  g": Unit.GRAM, " lb": Unit.POUND}
UNIT_TEXT = {unit: text for text, unit in UNITS.items()}

_NUMBER = re.compile(r"[+-](?=[0-9.]{8}$)[0-9]*\.?[0-9]*")
_ERROR = re.compile(r"EC,E[0-9]{2}")
#: What A&D balances print after ``OL,``, as in their manuals: the number fills the unit field.
_OVERLOAD = re.compile(r"[+-]9999999E\+19")
#: The unit of a reading whose line names none (an overload: no number for it to label).
OVERLOAD_UNIT = Unit.KG


@dataclass(frozen=True)
class Weight:
    header: Header
    value: float | None  # None for an overload: its digits are not a weight
    unit: Unit | None  # None when the line has no unit field (a real overload line)

    def reading(self, *, device: DeviceInfo, received_at: datetime) -> Reading:
        if self.value is None:
            values: dict[str, float] = {}
            missing = {"weight": "overload"}
            flags = frozenset({"overload"})
        else:
            values, missing = {"weight": self.value}, {}
            flags = frozenset({"unstable"}) if self.header is Header.UNSTABLE else frozenset()
        return Reading(
            kind=ReadingKind.WEIGHT,
            unit=OVERLOAD_UNIT if self.unit is None else self.unit,
            values=values,
            missing=missing,
            device=device,
            received_at=received_at,
            flags=flags,
            intermediate=self.header is Header.UNSTABLE,
        )


@dataclass(frozen=True)
class ScaleError:
    """``EC,Exx``: the scale refused a command; the code is relayed, not interpreted."""

    code: str


Frame = Weight | ScaleError


def parse_line(text: str) -> Frame:
    """One line without CR LF; raises :class:`FrameError` when it is not a usable weight."""
    if _ERROR.fullmatch(text):
        return ScaleError(text[3:])
    if len(text) != 15 or text[2] != ",":
        raise FrameError("not an A&D standard-format line", data=text.encode())
    try:
        header = Header(text[:2])
    except ValueError:
        raise FrameError(f"unknown A&D header {text[:2]!r}", data=text.encode()) from None
    if header is Header.OVERLOAD and _OVERLOAD.fullmatch(text[3:]):
        return Weight(header, None, None)
    unit = UNITS.get(text[12:])
    if unit is None:
        raise FrameError(f"unsupported A&D unit {text[12:]!r}", data=text.encode())
    if header is Header.OVERLOAD:
        return Weight(header, None, unit)
    number = text[3:12]
    if not _NUMBER.fullmatch(number) or not any(c.isdigit() for c in number):
        raise FrameError("A&D weight field is not a number", data=text.encode())
    return Weight(header, float(number), unit)


def encode(header: Header, value: float, unit: Unit = Unit.KG, *, decimals: int = 2) -> bytes:
    """The line a scale sends, CR LF included; an overload is the real one, signed as
    ``value`` and without unit (``OL,+9999999E+19``)."""
    sign = "-" if value < 0 else "+"
    if header is Header.OVERLOAD:
        return f"{header.value},{sign}9999999E+19\r\n".encode()
    digits = f"{abs(value):0{8}.{decimals}f}"
    return f"{header.value},{sign}{digits}{UNIT_TEXT[unit]}\r\n".encode()


class AndDecoder(LineDecoder):
    def parse_line(self, text: str) -> Frame:
        return parse_line(text)


def decode(data: bytes) -> list[object]:
    return AndDecoder().feed(data)


def decode_reading(data: bytes, *, device: DeviceInfo, received_at: datetime) -> Reading:
    """The reading in ``data`` (the last one if several); raises :class:`FrameError`."""
    if not data.endswith(b"\n"):
        data += b"\r\n"  # a line typed without its end
    return last_reading(decode(data), device=device, received_at=received_at)
