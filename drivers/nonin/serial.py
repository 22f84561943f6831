"""The Nonin OEM III oximeter module over a serial port (9600 8N1, streams unasked)."""

from __future__ import annotations

from drivers.framing import Decoder
from drivers.nonin import protocol as p
from drivers.serialport import SerialSettings, StreamingInstrument
from drivers.types import ReadingKind


class NoninOem3(StreamingInstrument):
    kind = ReadingKind.SPO2
    default_model = "Nonin OEM III"
    default_settings = SerialSettings(baudrate=9600, parity="N", bytesize=8, stopbits=1)

    def make_decoder(self) -> Decoder:
        return p.NoninDecoder()
