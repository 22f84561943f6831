"""An A&D scale over a serial port: ask ``Q`` until the weight is stable (2400 7E1 default).

Unstable weights go to the screen as they come (flagged, intermediate); an overload is a
final reading with no value.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

from drivers.and_scale import protocol as p
from drivers.framing import Decoder
from drivers.instrument import (
    DeviceReportedError,
    InstrumentTimeoutError,
    ReadingCallback,
)
from drivers.serialport import SerialInstrument, SerialSettings
from drivers.types import Reading, ReadingKind


class AndWeighing(SerialInstrument):
    kind = ReadingKind.WEIGHT
    default_model = "A&D"
    default_settings = SerialSettings(baudrate=2400, parity="E", bytesize=7, stopbits=1)
    #: Time between two ``Q`` while the weight settles.
    poll_s: ClassVar[float] = 0.2

    def make_decoder(self) -> Decoder:
        return p.AndDecoder()

    async def _measure(self, *, deadline: float, on_reading: ReadingCallback) -> Reading:
        await self.ensure_connected(deadline)
        self.drain()
        while True:
            asked = time.monotonic()
            self.send(p.QUERY)
            item = await self.receive(until=min(deadline, asked + self.options.answer_timeout))
            reading = self._handle(item, on_reading)
            # until the next query, take what a scale in stream mode sends unasked
            while reading is None:
                try:
                    item = await self.receive(until=min(deadline, asked + self.poll_s))
                except InstrumentTimeoutError:
                    break
                reading = self._handle(item, on_reading)
            if reading is not None:
                return reading

    def _handle(self, item: Any, on_reading: ReadingCallback) -> Reading | None:
        """The final reading in ``item``, if it is one; unstable weights go to the screen."""
        if isinstance(item, p.ScaleError):
            raise DeviceReportedError(
                f"{self.id}: scale error {item.code}", code=item.code, device=self.id
            )
        if not isinstance(item, p.Weight):
            return None
        reading = self.make_reading(item)
        if item.header is p.Header.UNSTABLE:
            on_reading(reading)
            return None
        return reading

    async def zero(self) -> None:
        """Set the scale's zero (nobody on it); the scale does not answer this command."""
        await self.open()
        await self.ensure_connected(time.monotonic() + self.options.connect_grace)
        self.send(p.ZERO)

    async def tare(self) -> None:
        await self.open()
        await self.ensure_connected(time.monotonic() + self.options.connect_grace)
        self.send(p.TARE)

    async def _probe(self, *, until: float) -> Any:
        self.send(p.QUERY)
        return await self.receive(until=until)
