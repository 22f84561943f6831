"""Masimo Rad-8 serial output "ASCII 1": one text line a second, ``KEY=VALUE`` fields.

Pure. ``MM/DD/YY HH:MM:SS SN=... SPO2=098% BPM=097 PI=03.60% ... ALARM=0000 EXC=000800``;
a value made of dashes means "no value". ALARM and EXC codes are relayed as flags, unread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from drivers.framing import LineDecoder, last_reading
from drivers.instrument import FrameError
from drivers.types import DeviceInfo, Reading, ReadingKind, Unit

#: field name in the line -> (value name in the reading, unit)
FIELDS: dict[str, tuple[str, Unit]] = {
    "SPO2": ("spo2", Unit.PERCENT),
    "BPM": ("pulse", Unit.PER_MINUTE),
    "PI": ("pi", Unit.PERCENT),
}
REQUIRED = ("SPO2", "BPM")

_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")
_NO_VALUE = re.compile(r"-[-.]*")
_HEX = re.compile(r"[0-9A-Fa-f]+")


@dataclass(frozen=True)
class MasimoLine:
    values: dict[str, float] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)
    device_time: datetime | None = None
    alarm: str = ""
    exception: str = ""

    @property
    def flags(self) -> frozenset[str]:
        found = set()
        if self.alarm.strip("0"):
            found.add(f"alarm:{self.alarm}")
        if self.exception.strip("0"):
            found.add(f"exception:{self.exception}")
        return frozenset(found)

    def reading(self, *, device: DeviceInfo, received_at: datetime) -> Reading:
        return Reading(
            kind=ReadingKind.SPO2,
            unit=Unit.PERCENT,
            values=self.values,
            missing=self.missing,
            units={"pulse": Unit.PER_MINUTE},
            device=device,
            received_at=received_at,
            device_time=self.device_time,
            flags=self.flags,
        )


def _value(key: str, raw: str, line: str) -> float | None:
    number = raw.removesuffix("%")
    if _NO_VALUE.fullmatch(number):
        return None
    if not _NUMBER.fullmatch(number):
        raise FrameError(f"Masimo field {key} is not a number", data=line.encode())
    return float(number)


def parse_line(text: str) -> MasimoLine:
    """One ASCII 1 line without CR LF; raises :class:`FrameError`."""
    tokens = text.split()
    device_time = None
    if len(tokens) >= 2 and "=" not in tokens[0] and "=" not in tokens[1]:
        try:
            device_time = datetime.strptime(f"{tokens[0]} {tokens[1]}", "%m/%d/%y %H:%M:%S")
        except ValueError:
            raise FrameError("Masimo line has a bad date", data=text.encode()) from None
        tokens = tokens[2:]
    fields: dict[str, str] = {}
    for token in tokens:
        key, sep, raw = token.partition("=")
        if not sep or not key:
            raise FrameError("not a Masimo ASCII 1 line", data=text.encode())
        fields[key] = raw
    for key in REQUIRED:
        if key not in fields:
            raise FrameError(f"Masimo line has no {key}", data=text.encode())
    values: dict[str, float] = {}
    missing: dict[str, str] = {}
    for key, (name, _unit) in FIELDS.items():
        if key in fields:
            number = _value(key, fields[key], text)
            if number is None:
                missing[name] = "no_value"
            else:
                values[name] = number
    codes = {}
    for key in ("ALARM", "EXC"):
        code = fields.get(key, "")
        if code and not _HEX.fullmatch(code):
            raise FrameError(f"Masimo {key} is not hexadecimal", data=text.encode())
        codes[key] = code
    return MasimoLine(
        values=values,
        missing=missing,
        device_time=device_time,
        alarm=codes["ALARM"],
        exception=codes["EXC"],
    )


def encode(
    *,
    spo2: int | None,
    pulse: int | None,
    pi: float | None = 3.6,
    when: datetime | None = None,
    serial: str = "0000000000",
    exception: str = "000000",
) -> bytes:
    """The line a Rad-8 sends, CR LF included; None values are sent as dashes."""
    stamp = (when or datetime(2026, 1, 1)).strftime("%m/%d/%y %H:%M:%S")
    s = "---" if spo2 is None else f"{spo2:03d}"
    b = "---" if pulse is None else f"{pulse:03d}"
    p = "--.--" if pi is None else f"{pi:05.2f}"
    return (
        f"{stamp} SN={serial} SPO2={s}% BPM={b} PI={p}% SPCO=--.-% SPMET=--.-% "
        f"DESAT=-- PIDELTA=+-- PVI=-- ALARM=0000 EXC={exception}\r\n"
    ).encode()


class MasimoDecoder(LineDecoder):
    def parse_line(self, text: str) -> MasimoLine:
        return parse_line(text)


def decode(data: bytes) -> list[object]:
    return MasimoDecoder().feed(data)


def decode_reading(data: bytes, *, device: DeviceInfo, received_at: datetime) -> Reading:
    """The reading in ``data`` (the last one if several); raises :class:`FrameError`."""
    if not data.endswith(b"\n"):
        data += b"\r\n"  # a line typed without its end
    return last_reading(decode(data), device=device, received_at=received_at)
