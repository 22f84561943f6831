"""The SunTech Advantage tensiometer over a serial port: the whole measurement exchange.

Start, poll the cuff pressure (streamed as intermediate readings), notice the unasked ``K``,
fetch the result; on abort, cancellation or deadline the module is told to deflate.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any, ClassVar, TypeVar

from drivers.framing import Decoder
from drivers.instrument import (
    DeviceReportedError,
    FrameError,
    InstrumentError,
    InstrumentErrorReason,
    InstrumentOptions,
    InstrumentTimeoutError,
    ReadingCallback,
)
from drivers.serialport import SerialInstrument, SerialSettings
from drivers.suntech import protocol as p
from drivers.types import Reading, ReadingKind

log = logging.getLogger(__name__)

F = TypeVar("F")


class SunTechAdvantage(SerialInstrument):
    kind = ReadingKind.BLOOD_PRESSURE
    default_model = "SunTech Advantage"
    default_settings = SerialSettings(baudrate=9600, parity="N", bytesize=8, stopbits=1)
    #: How often the cuff pressure is asked while the cuff works.
    poll_s: ClassVar[float] = 0.2

    def __init__(self, options: InstrumentOptions) -> None:
        super().__init__(options)
        self._done = False

    def make_decoder(self) -> Decoder:
        return p.SunTechDecoder()

    async def _exchange(self, command: bytes, expect: type[F], *, until: float) -> F:
        """Send ``command`` and return the first reply of type ``expect``."""
        self.send(command)
        while True:
            item = await self.receive(until=until)
            if isinstance(item, expect):
                return item
            if isinstance(item, p.Ack) and item.code is p.AckCode.DONE:
                self._done = True
            elif isinstance(item, p.Ack) and item.code in p.REFUSALS:
                raise DeviceReportedError(
                    f"{self.id}: module refused the command ({item.code.value})",
                    code=item.code.value,
                    device=self.id,
                    reason=InstrumentErrorReason.BUSY
                    if item.code is p.AckCode.BUSY
                    else InstrumentErrorReason.DEVICE_ERROR,
                )

    def _until(self, deadline: float) -> float:
        return min(deadline, time.monotonic() + self.options.answer_timeout)

    async def _measure(self, *, deadline: float, on_reading: ReadingCallback) -> Reading:
        await self.ensure_connected(deadline)
        self.drain()
        self._done = False
        ack = await self._exchange(p.START_ADULT, p.Ack, until=self._until(deadline))
        if ack.code is not p.AckCode.RECEIVED:
            raise DeviceReportedError(
                f"{self.id}: unexpected answer to start ({ack.code.value})",
                code=ack.code.value,
                device=self.id,
            )
        try:
            while not self._done:
                cuff = await self._exchange(
                    p.GET_CUFF_PRESSURE, p.CuffPressure, until=self._until(deadline)
                )
                on_reading(self.make_reading(cuff))
                await self._absorb(until=min(deadline, time.monotonic() + self.poll_s))
            data = await self._exchange(p.GET_BP_DATA, p.BPData, until=self._until(deadline))
        except asyncio.CancelledError:
            await self._abort_module()
            raise
        except InstrumentError as exc:
            if exc.reason is not InstrumentErrorReason.UNPLUGGED:
                await self._abort_module()
            raise
        return self.make_reading(data)

    async def _absorb(self, *, until: float) -> None:
        """Take what arrives before ``until``, noticing the unasked ``K``."""
        while not self._done:
            try:
                item = await self.receive(until=until)
            except InstrumentTimeoutError:
                return
            if isinstance(item, p.Ack) and item.code is p.AckCode.DONE:
                self._done = True

    async def _abort_module(self) -> None:
        """Deflate: tell the module to abort and wait briefly for its ``A``."""
        log.info("instrument %s: aborting the measurement", self.id)
        with contextlib.suppress(InstrumentError, FrameError):
            until = time.monotonic() + self.options.answer_timeout
            while True:
                ack = await self._exchange(p.ABORT, p.Ack, until=until)
                if ack.code is p.AckCode.ABORTED:
                    return

    async def _probe(self, *, until: float) -> Any:
        self.send(p.GET_CUFF_PRESSURE)
        return await self.receive(until=until)
