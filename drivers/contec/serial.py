"""The Contec CMS50D+ oximeter over a serial port (19200 8O1, streams unasked)."""

from __future__ import annotations

from drivers.contec import protocol as p
from drivers.framing import Decoder
from drivers.serialport import SerialSettings, StreamingInstrument
from drivers.types import ReadingKind


class ContecCms50d(StreamingInstrument):
    kind = ReadingKind.SPO2
    default_model = "Contec CMS50D+"
    default_settings = SerialSettings(baudrate=19200, parity="O", bytesize=8, stopbits=1)

    def make_decoder(self) -> Decoder:
        return p.ContecDecoder()
