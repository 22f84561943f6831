"""Nonin OEM III serial data: 5-byte frames ``01 STATUS PLETH DATA CHK`` in 25-frame packets.

Pure. CHK is the sum of the first four bytes; STATUS bit 7 is always set and bit 0 marks the
first frame of a packet. DATA rotates: frame 1 HR high bits, 2 HR low 7 bits, 3 SpO2.
HR 511 and SpO2 127 are the device's "missing" markers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from drivers.framing import garbage, last_reading
from drivers.instrument import FrameError, InstrumentErrorReason
from drivers.types import DeviceInfo, Reading, ReadingKind, Unit

FRAME_LEN = 5
PACKET_FRAMES = 25
START = 0x01
HR_MISSING = 511
SPO2_MISSING = 127
MAX_GARBAGE = 64

SYNC = 0x01
#: STATUS bits relayed as flags (bit 7 is always set, bit 0 is the packet sync).
STATUS_FLAGS = {
    0x40: "sensor_disconnected",
    0x20: "artifact",
    0x10: "out_of_track",
    0x08: "sensor_alarm",
}
PERFUSION = {0x02: "perfusion_red", 0x04: "perfusion_yellow", 0x06: "perfusion_green"}


@dataclass(frozen=True)
class NoninFrame:
    status: int
    pleth: int
    data: int


@dataclass(frozen=True)
class NoninPacket:
    """One 25-frame packet: 4-beat averaged pulse rate and SpO2, and the status seen."""

    pulse: int
    spo2: int
    status: int  # OR of the frames' status bytes

    @property
    def flags(self) -> frozenset[str]:
        found = {name for bit, name in STATUS_FLAGS.items() if self.status & bit}
        perfusion = PERFUSION.get(self.status & 0x06)
        if perfusion:
            found.add(perfusion)
        return frozenset(found)

    def _why_missing(self) -> str:
        if self.status & 0x40:
            return "sensor_disconnected"
        if self.status & 0x10:
            return "out_of_track"
        return "no_value"

    def reading(self, *, device: DeviceInfo, received_at: datetime) -> Reading:
        values: dict[str, float] = {}
        missing: dict[str, str] = {}
        if self.spo2 == SPO2_MISSING:
            missing["spo2"] = self._why_missing()
        elif self.spo2 > 100:
            missing["spo2"] = "out_of_range"
        else:
            values["spo2"] = float(self.spo2)
        if self.pulse == HR_MISSING:
            missing["pulse"] = self._why_missing()
        else:
            values["pulse"] = float(self.pulse)
        return Reading(
            kind=ReadingKind.SPO2,
            unit=Unit.PERCENT,
            values=values,
            missing=missing,
            units={"pulse": Unit.PER_MINUTE},
            device=device,
            received_at=received_at,
            flags=self.flags,
        )


def parse_frame(frame: bytes) -> NoninFrame:
    """One 5-byte frame; raises :class:`FrameError`."""
    if len(frame) != FRAME_LEN or frame[0] != START or not frame[1] & 0x80:
        raise FrameError("not a Nonin OEM III frame", data=frame)
    if sum(frame[:4]) & 0xFF != frame[4]:
        raise FrameError(
            "Nonin checksum mismatch", reason=InstrumentErrorReason.BAD_CHECKSUM, data=frame
        )
    return NoninFrame(frame[1], frame[2], frame[3])


def packet_from_frames(frames: list[NoninFrame]) -> NoninPacket:
    if len(frames) != PACKET_FRAMES or not frames[0].status & SYNC:
        raise FrameError("a Nonin packet is 25 frames starting with the sync frame")
    status = 0
    for f in frames:
        status |= f.status
    pulse = (frames[0].data & 0x03) << 7 | frames[1].data & 0x7F
    return NoninPacket(pulse=pulse, spo2=frames[2].data & 0x7F, status=status & 0x7E)


def encode_frame(status: int, pleth: int, data: int) -> bytes:
    head = bytes([START, 0x80 | status, pleth & 0xFF, data & 0xFF])
    return head + bytes([sum(head) & 0xFF])


def encode_packet(*, pulse: int, spo2: int, status: int = 0, pleth: int = 50) -> bytes:
    """The 125 bytes a module sends for one packet (unknown rotating bytes sent as 0)."""
    out = bytearray()
    rotating = [pulse >> 7 & 0x03, pulse & 0x7F, spo2 & 0x7F] + [0] * (PACKET_FRAMES - 3)
    for i, data in enumerate(rotating):
        out += encode_frame(status | (SYNC if i == 0 else 0), pleth, data)
    return bytes(out)


class NoninDecoder:
    """Frames to packets; resynchronises on the next valid frame after garbage or a bad sum."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._skipped = bytearray()
        self._frames: list[NoninFrame] | None = None

    def reset(self) -> None:
        self._buf.clear()
        self._skipped.clear()
        self._frames = None

    def _flush_garbage(self, out: list[Any]) -> None:
        if self._skipped:
            out.append(garbage(bytes(self._skipped)))
            self._skipped.clear()

    def feed(self, data: bytes) -> list[Any]:
        self._buf += data
        out: list[Any] = []
        while len(self._buf) >= FRAME_LEN:
            chunk = bytes(self._buf[:FRAME_LEN])
            try:
                frame = parse_frame(chunk)
            except FrameError as exc:
                if exc.reason is InstrumentErrorReason.BAD_CHECKSUM:
                    out.append(exc)
                    self._frames = None  # the packet this frame belonged to is lost
                self._skipped.append(self._buf.pop(0))
                if len(self._skipped) >= MAX_GARBAGE:
                    self._flush_garbage(out)
                continue
            self._flush_garbage(out)
            del self._buf[:FRAME_LEN]
            self._add(frame, out)
        return out

    def _add(self, frame: NoninFrame, out: list[Any]) -> None:
        if frame.status & SYNC:
            if self._frames:
                out.append(FrameError(f"Nonin packet cut after {len(self._frames)} frames"))
            self._frames = [frame]
        elif self._frames is not None:
            self._frames.append(frame)
        if self._frames is not None and len(self._frames) == PACKET_FRAMES:
            out.append(packet_from_frames(self._frames))
            self._frames = None


def decode(data: bytes) -> list[Any]:
    return NoninDecoder().feed(data)


def decode_reading(data: bytes, *, device: DeviceInfo, received_at: datetime) -> Reading:
    """The reading in ``data`` (the last one if several); raises :class:`FrameError`."""
    return last_reading(decode(data), device=device, received_at=received_at)
