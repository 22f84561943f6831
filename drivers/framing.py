"""Framing shared by the pure instrument parsers: a decoder is fed bytes, returns items.

A decoder never raises: what it cannot use comes back as a :class:`FrameError` item, so a
stream resynchronises after garbage and one bad frame does not stop the next good one.
"""

from __future__ import annotations

import abc
from datetime import datetime
from typing import Any, Protocol

from drivers.instrument import FrameError, InstrumentErrorReason
from drivers.types import DeviceInfo, Reading


class Decoder(Protocol):
    """Bytes in (any split), frames or :class:`FrameError` items out, in order."""

    def feed(self, data: bytes) -> list[Any]: ...

    def reset(self) -> None: ...


def garbage(skipped: bytes) -> FrameError:
    """The item reported for a run of bytes that formed no frame."""
    return FrameError(
        f"{len(skipped)} byte(s) skipped before a frame",
        reason=InstrumentErrorReason.GARBAGE,
        data=bytes(skipped),
    )


class LineDecoder(abc.ABC):
    """Text lines ended by LF (CR optional); one item per line, garbage lines as errors."""

    max_line = 200

    def __init__(self) -> None:
        self._buf = bytearray()
        self._overflow = False

    def reset(self) -> None:
        self._buf.clear()
        self._overflow = False

    def feed(self, data: bytes) -> list[Any]:
        out: list[Any] = []
        for byte in data:
            if byte == 0x0A:
                if self._overflow:
                    out.append(garbage(bytes(self._buf)))
                elif self._buf.strip(b"\r"):
                    out.append(self._line(bytes(self._buf)))
                self.reset()
            elif len(self._buf) >= self.max_line:
                self._overflow = True  # too long to be a frame: reported at its end
            else:
                self._buf.append(byte)
        return out

    def _line(self, raw: bytes) -> Any:
        try:
            text = raw.rstrip(b"\r").decode("ascii")
        except UnicodeDecodeError:
            return FrameError("line is not ASCII", reason=InstrumentErrorReason.GARBAGE, data=raw)
        if not text.isprintable():
            return FrameError(
                "line has control bytes", reason=InstrumentErrorReason.GARBAGE, data=raw
            )
        try:
            return self.parse_line(text)
        except FrameError as exc:
            return exc

    @abc.abstractmethod
    def parse_line(self, text: str) -> Any:
        """One line without its CR LF; raises :class:`FrameError` when unusable."""


def last_reading(items: list[Any], *, device: DeviceInfo, received_at: datetime) -> Reading:
    """The reading of the last complete frame in ``items``; else raise their first error."""
    frames = [item for item in items if hasattr(item, "reading")]
    if frames:
        reading: Reading = frames[-1].reading(device=device, received_at=received_at)
        return reading
    for item in items:
        if isinstance(item, FrameError):
            raise item
    raise FrameError("no reading in these bytes", reason=InstrumentErrorReason.UNUSABLE_FRAME)
