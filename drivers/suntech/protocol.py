"""SunTech Advantage OEM NIBP module: commands, acks, cuff pressure and the 24-byte result.

Pure: bytes in, typed frames out. Host -> module is ``3A cmd.. cs``; module -> host is
``3E LEN data.. cs`` (LEN counts the whole packet); cs makes the packet sum to 0 mod 256.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from drivers.framing import garbage, last_reading
from drivers.instrument import FrameError, InstrumentErrorReason
from drivers.types import DeviceInfo, Reading, ReadingKind, Unit

HOST_START = 0x3A
MODULE_START = 0x3E
#: Every packet length the module sends: ack, cuff pressure, BP data.
LENGTHS = (4, 5, 24)
MAX_GARBAGE = 64


def checksum(data: bytes) -> int:
    """The byte that makes ``data`` + it sum to zero modulo 256."""
    return (0x100 - sum(data)) & 0xFF


def command(*body: int) -> bytes:
    packet = bytes([HOST_START, *body])
    return packet + bytes([checksum(packet)])


START_ADULT = command(0x20)
ABORT = command(0x79, 0x01, 0x00)
GET_CUFF_PRESSURE = command(0x79, 0x05, 0x00)
GET_BP_DATA = command(0x79, 0x03, 0x00)

#: Name of each host command, for the simulator and logs.
COMMANDS = {
    START_ADULT: "start",
    ABORT: "abort",
    GET_CUFF_PRESSURE: "cuff_pressure",
    GET_BP_DATA: "bp_data",
}


class AckCode(StrEnum):
    RECEIVED = "O"
    DONE = "K"  # sent unasked when a measurement ends
    ABORTED = "A"
    BUSY = "B"
    ERROR_E = "E"
    ERROR_N = "N"
    ERROR_D = "D"
    ERROR_T = "T"


#: Acks that say the module refused the command.
REFUSALS = frozenset(
    {AckCode.BUSY, AckCode.ERROR_E, AckCode.ERROR_N, AckCode.ERROR_D, AckCode.ERROR_T}
)


class SunTechError(StrEnum):
    """The module's result error codes, as reasons (byte 20 of the BP data)."""

    WEAK_SIGNAL = "weak_signal"
    ARTIFACT = "artifact"
    OUT_OF_RANGE = "out_of_range"
    TIME_LIMIT = "time_limit_exceeded"
    BLOCKAGE = "blockage"
    ABORTED = "aborted"
    AIR_LEAK = "air_leak_or_loose_cuff"
    SAFETY_TIMEOUT = "safety_timeout"
    OVERPRESSURE = "overpressure"
    HARDWARE = "hardware_error"
    SAFETY_OVERRIDE = "safety_override"
    TRANSDUCER = "transducer_error"
    CALIBRATION = "calibration_error"
    UNKNOWN = "unknown_error"


ERROR_CODES: dict[int, SunTechError] = {
    1: SunTechError.WEAK_SIGNAL,
    2: SunTechError.ARTIFACT,
    3: SunTechError.OUT_OF_RANGE,
    4: SunTechError.TIME_LIMIT,
    85: SunTechError.BLOCKAGE,
    86: SunTechError.ABORTED,
    87: SunTechError.AIR_LEAK,
    88: SunTechError.SAFETY_TIMEOUT,
    89: SunTechError.OVERPRESSURE,
    90: SunTechError.HARDWARE,
    91: SunTechError.SAFETY_OVERRIDE,
    97: SunTechError.TRANSDUCER,
    99: SunTechError.CALIBRATION,
}

BP_VALUES = ("systolic", "diastolic", "map", "pulse")


@dataclass(frozen=True)
class Ack:
    code: AckCode


@dataclass(frozen=True)
class CuffPressure:
    mmhg: int

    def reading(self, *, device: DeviceInfo, received_at: datetime) -> Reading:
        return Reading(
            kind=ReadingKind.CUFF_PRESSURE,
            unit=Unit.MM_HG,
            values={"cuff": float(self.mmhg)},
            device=device,
            received_at=received_at,
            intermediate=True,
        )


@dataclass(frozen=True)
class BPData:
    systolic: int
    diastolic: int
    map: int
    pulse: int
    beats: int
    status: int
    error: int

    @property
    def error_reason(self) -> SunTechError | None:
        if self.error == 0:
            return None
        return ERROR_CODES.get(self.error, SunTechError.UNKNOWN)

    def reading(self, *, device: DeviceInfo, received_at: datetime) -> Reading:
        reason = self.error_reason
        if reason is None:
            values = {name: float(getattr(self, name)) for name in BP_VALUES}
            missing: dict[str, str] = {}
            flags: frozenset[str] = frozenset()
        else:
            values = {}
            missing = dict.fromkeys(BP_VALUES, reason.value)
            flags = frozenset({reason.value, f"device_error:{self.error}"})
        return Reading(
            kind=ReadingKind.BLOOD_PRESSURE,
            unit=Unit.MM_HG,
            values=values,
            missing=missing,
            units={"pulse": Unit.PER_MINUTE},
            device=device,
            received_at=received_at,
            flags=flags,
        )


Frame = Ack | CuffPressure | BPData


def _u16(data: bytes, at: int) -> int:
    return data[at] | data[at + 1] << 8


def encode_ack(code: AckCode) -> bytes:
    packet = bytes([MODULE_START, 4, ord(code.value)])
    return packet + bytes([checksum(packet)])


def encode_cuff(mmhg: int) -> bytes:
    packet = bytes([MODULE_START, 5, mmhg & 0xFF, mmhg >> 8 & 0xFF])
    return packet + bytes([checksum(packet)])


def encode_bp(
    *, systolic: int, diastolic: int, map: int, pulse: int, error: int = 0, beats: int = 30
) -> bytes:
    body = bytearray(23)
    body[0], body[1] = MODULE_START, 24
    body[2:4] = systolic.to_bytes(2, "little")
    body[4:6] = diastolic.to_bytes(2, "little")
    body[6], body[7] = beats, 1
    body[16:18] = pulse.to_bytes(2, "little")
    body[18:20] = map.to_bytes(2, "little")
    body[20] = error
    return bytes(body) + bytes([checksum(bytes(body))])


def parse_packet(packet: bytes) -> Frame:
    """One whole module packet; raises :class:`FrameError` when it is not usable."""
    if len(packet) < 4 or packet[0] != MODULE_START:
        raise FrameError("not a SunTech module packet", data=packet)
    if packet[1] != len(packet) or packet[1] not in LENGTHS:
        raise FrameError(f"SunTech packet length {packet[1]} is not usable", data=packet)
    if sum(packet) & 0xFF:
        raise FrameError(
            "SunTech checksum mismatch", reason=InstrumentErrorReason.BAD_CHECKSUM, data=packet
        )
    if packet[1] == 4:
        try:
            return Ack(AckCode(chr(packet[2])))
        except ValueError:
            raise FrameError(f"unknown SunTech ack 0x{packet[2]:02X}", data=packet) from None
    if packet[1] == 5:
        return CuffPressure(_u16(packet, 2))
    return BPData(
        systolic=_u16(packet, 2),
        diastolic=_u16(packet, 4),
        beats=packet[6],
        status=packet[7],
        pulse=_u16(packet, 16),
        map=_u16(packet, 18),
        error=packet[20],
    )


class SunTechDecoder:
    """Module -> host stream to frames; resynchronises on the start byte after garbage."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._skipped = bytearray()

    def reset(self) -> None:
        self._buf.clear()
        self._skipped.clear()

    def _skip(self, out: list[Any], count: int) -> None:
        self._skipped += self._buf[:count]
        del self._buf[:count]
        if len(self._skipped) >= MAX_GARBAGE:
            out.append(garbage(bytes(self._skipped)))
            self._skipped.clear()

    def feed(self, data: bytes) -> list[Any]:
        self._buf += data
        out: list[Any] = []
        while self._buf:
            start = self._buf.find(MODULE_START)
            if start != 0:
                self._skip(out, len(self._buf) if start < 0 else start)
                continue
            if len(self._buf) < 2:
                break
            length = self._buf[1]
            if length not in LENGTHS:
                self._skip(out, 1)
                continue
            if len(self._buf) < length:
                break
            packet = bytes(self._buf[:length])
            try:
                frame = parse_packet(packet)
            except FrameError as exc:
                out.append(exc)
                self._skip(out, 1)
                continue
            if self._skipped:
                out.append(garbage(bytes(self._skipped)))
                self._skipped.clear()
            del self._buf[:length]
            out.append(frame)
        return out


def decode(data: bytes) -> list[Any]:
    """All frames and errors in ``data``, as a fresh decoder sees them."""
    return SunTechDecoder().feed(data)


def decode_reading(data: bytes, *, device: DeviceInfo, received_at: datetime) -> Reading:
    """The reading in ``data`` (the last one if several); raises :class:`FrameError`."""
    return last_reading(decode(data), device=device, received_at=received_at)
