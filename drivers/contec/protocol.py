"""Contec CMS50D+ live data (legacy firmware, 19200 8O1): 5-byte packets, sync on bit 7.

Pure. Only byte 0 has bit 7 set. Byte 0: signal strength (low nibble), 0x10 finger out;
byte 1: pleth; byte 2: bar graph, 0x10 probe error, 0x20 searching, 0x40 pulse bit 7;
byte 3: pulse low 7 bits; byte 4: SpO2. Pulse 255 and SpO2 127 mean "no value".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from drivers.framing import garbage, last_reading
from drivers.instrument import FrameError
from drivers.types import DeviceInfo, Reading, ReadingKind, Unit

PACKET_LEN = 5
PULSE_MISSING = 255
SPO2_MISSING = 127
MAX_GARBAGE = 64


@dataclass(frozen=True)
class ContecPacket:
    signal: int
    finger_out: bool
    probe_error: bool
    searching: bool
    pleth: int
    pulse: int
    spo2: int

    def reading(self, *, device: DeviceInfo, received_at: datetime) -> Reading:
        values: dict[str, float] = {}
        missing: dict[str, str] = {}
        flags = set()
        if self.searching:
            flags.add("searching")
        if self.finger_out or self.probe_error:
            reason = "finger_out" if self.finger_out else "probe_error"
            flags.add(reason)
            missing = {"spo2": reason, "pulse": reason}
        else:
            if self.spo2 == SPO2_MISSING:
                missing["spo2"] = "no_value"
            elif self.spo2 > 100:
                missing["spo2"] = "out_of_range"
            else:
                values["spo2"] = float(self.spo2)
            if self.pulse == PULSE_MISSING:
                missing["pulse"] = "no_value"
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
            flags=frozenset(flags),
        )


def parse_packet(packet: bytes) -> ContecPacket:
    """One 5-byte live packet; raises :class:`FrameError`."""
    if len(packet) != PACKET_LEN or not packet[0] & 0x80 or any(b & 0x80 for b in packet[1:]):
        raise FrameError("not a CMS50D+ live packet", data=packet)
    return ContecPacket(
        signal=packet[0] & 0x0F,
        finger_out=bool(packet[0] & 0x10),
        probe_error=bool(packet[2] & 0x10),
        searching=bool(packet[2] & 0x20),
        pleth=packet[1],
        pulse=(packet[2] & 0x40) << 1 | packet[3],
        spo2=packet[4],
    )


def encode(
    *,
    spo2: int,
    pulse: int,
    finger_out: bool = False,
    probe_error: bool = False,
    signal: int = 8,
    pleth: int = 60,
) -> bytes:
    return bytes(
        [
            0x80 | (0x10 if finger_out else 0) | signal & 0x0F,
            pleth & 0x7F,
            (0x10 if probe_error else 0) | (0x40 if pulse & 0x80 else 0) | 0x05,
            pulse & 0x7F,
            spo2 & 0x7F,
        ]
    )


class ContecDecoder:
    """Packets out; a byte with bit 7 set inside a packet restarts it (resynchronisation)."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._skipped = bytearray()

    def reset(self) -> None:
        self._buf.clear()
        self._skipped.clear()

    def feed(self, data: bytes) -> list[Any]:
        out: list[Any] = []
        for byte in data:
            if byte & 0x80:
                self._skipped += self._buf
                self._buf = bytearray([byte])
            elif self._buf:
                self._buf.append(byte)
            else:
                self._skipped.append(byte)
            if len(self._skipped) >= MAX_GARBAGE:
                out.append(garbage(bytes(self._skipped)))
                self._skipped.clear()
            if len(self._buf) == PACKET_LEN:
                if self._skipped:
                    out.append(garbage(bytes(self._skipped)))
                    self._skipped.clear()
                out.append(parse_packet(bytes(self._buf)))
                self._buf.clear()
        return out


def decode(data: bytes) -> list[Any]:
    return ContecDecoder().feed(data)


def decode_reading(data: bytes, *, device: DeviceInfo, received_at: datetime) -> Reading:
    """The reading in ``data`` (the last one if several); raises :class:`FrameError`."""
    return last_reading(decode(data), device=device, received_at=received_at)
