"""The Masimo Rad-8 oximeter's ASCII 1 serial output (9600 8N1, one line a second)."""

from __future__ import annotations

from drivers.framing import Decoder
from drivers.masimo import protocol as p
from drivers.serialport import SerialSettings, StreamingInstrument
from drivers.types import ReadingKind


class MasimoRad8(StreamingInstrument):
    kind = ReadingKind.SPO2
    default_model = "Masimo Rad-8"
    default_settings = SerialSettings(baudrate=9600, parity="N", bytesize=8, stopbits=1)

    def make_decoder(self) -> Decoder:
        return p.MasimoDecoder()
