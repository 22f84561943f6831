"""The contract every instrument driver keeps, whatever its transport (serial, BLE).

A driver is built from its own :class:`InstrumentOptions` (kiosk converts its config to them),
measures with :meth:`Instrument.measure`, tests itself with :meth:`Instrument.selftest` and is
closed with :meth:`Instrument.close`. The errors it raises (``InstrumentError`` and its
subclasses, ``FrameError`` among them) live in :mod:`drivers.errors` and are re-exported here.
"""

from __future__ import annotations

import abc
import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import ClassVar, Self

from drivers.errors import (
    DeviceReportedError,
    FrameError,
    InstrumentError,
    InstrumentErrorReason,
    InstrumentTimeoutError,
    InstrumentUnpluggedError,
    MeasurementAbortedError,
)
from drivers.types import DeviceInfo, Reading, ReadingKind

__all__ = [
    "DeviceReportedError",
    "FrameError",
    "Instrument",
    "InstrumentError",
    "InstrumentErrorReason",
    "InstrumentOptions",
    "InstrumentTimeoutError",
    "InstrumentUnpluggedError",
    "MeasurementAbortedError",
    "SelfTestCheck",
    "SelfTestReport",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class InstrumentOptions:
    """What a driver needs to reach its device. Zero or empty means "the driver's default"."""

    id: str
    port: str = ""  # serial path or pyserial URL
    address: str = ""  # BLE address
    baudrate: int = 0
    parity: str = ""  # "", "N", "E" or "O"
    bytesize: int = 0
    stopbits: float = 0
    model: str = ""
    serial: str = ""
    measure_timeout: float = 120.0
    clock_window: float = 300.0
    answer_timeout: float = 2.0  # one command -> reply, and the self-test's wait for a frame
    connect_grace: float = 2.0  # how long measure() waits for an unplugged device to return


@dataclass(frozen=True)
class SelfTestCheck:
    name: str
    ok: bool
    detail: str = ""


@dataclass(frozen=True)
class SelfTestReport:
    """The self-test of one instrument: port present, device answers, last frame valid."""

    device: str
    checks: tuple[SelfTestCheck, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)


#: Receives every reading as it arrives (intermediate, unstable, invalid included).
ReadingCallback = Callable[[Reading], None]


class Instrument(abc.ABC):
    """Base of every instrument driver.

    The public methods do the shared work (deadline, abort, clock window, errors) and call the
    small ``_open``/``_close``/``_measure``/``_selftest`` a driver overrides. ``measure``
    returns the final reading; a reading the device flags invalid comes back with its values
    in ``missing``, never as numbers.
    """

    #: What this driver measures; the contract suite of that kind applies to it.
    kind: ClassVar[ReadingKind]
    #: Shown on the results sheet when the config names no model.
    default_model: ClassVar[str] = ""
    #: How long a device that is not there may take to appear, unless configured: a cable
    #: is there or not; a BLE cuff advertises only after the patient pressed its button.
    default_connect_grace: ClassVar[float] = 2.0

    def __init__(self, options: InstrumentOptions) -> None:
        if not options.id:
            raise InstrumentError(
                "instrument options need an id", reason=InstrumentErrorReason.BAD_OPTIONS
            )
        self.options = options
        self.device = DeviceInfo(
            id=options.id, model=options.model or self.default_model, serial=options.serial
        )
        self._task: asyncio.Task[Reading] | None = None
        self._abort_requested = False
        self._opened = False
        self._closed = False

    @property
    def id(self) -> str:
        return self.options.id

    async def open(self) -> None:
        """Open the transport; an absent device is not an error here (it may be plugged later)."""
        if self._closed:
            raise InstrumentError(
                f"{self.id}: closed", device=self.id, reason=InstrumentErrorReason.CLOSED
            )
        if not self._opened:
            await self._open()
            self._opened = True

    async def close(self) -> None:
        """Stop the transport and any measurement; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.wait({self._task}, timeout=self.options.answer_timeout + 1.0)
        if self._opened:
            await self._close()

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def measure(
        self, *, timeout: float | None = None, on_reading: ReadingCallback | None = None
    ) -> Reading:
        """One measurement, within ``timeout`` (default: the options' ``measure_timeout``).

        ``on_reading`` gets every reading as it arrives, the final one included. Cancelling
        the calling task stops the device (a cuff deflates) before the cancellation proceeds.
        """
        await self.open()
        if self._task is not None and not self._task.done():
            raise InstrumentError(
                f"{self.id}: a measurement is already running",
                device=self.id,
                reason=InstrumentErrorReason.BUSY,
            )
        limit = self.options.measure_timeout if timeout is None else timeout
        callback = on_reading or (lambda reading: None)
        self._abort_requested = False
        self._task = asyncio.create_task(
            self._measure(deadline=time.monotonic() + limit, on_reading=callback),
            name=f"measure-{self.id}",
        )
        try:
            reading = await asyncio.wait_for(asyncio.shield(self._task), timeout=limit)
        except TimeoutError as exc:
            await self._stop_task()
            raise InstrumentTimeoutError(self.id, after_s=limit) from exc
        except asyncio.CancelledError:
            await self._stop_task()
            if self._abort_requested:
                raise MeasurementAbortedError(self.id) from None
            raise
        callback(reading)
        return reading

    async def abort(self) -> None:
        """Stop a running measurement (the doctor or the patient cancelled); no-op when idle."""
        task = self._task
        if task is None or task.done():
            return
        self._abort_requested = True
        task.cancel()
        await asyncio.wait({task}, timeout=self.options.answer_timeout + 1.0)

    async def _stop_task(self) -> None:
        task = self._task
        if task is not None and not task.done():
            task.cancel()
            # the driver's own clean-up (abort command) is bounded by answer_timeout
            await asyncio.wait({task}, timeout=self.options.answer_timeout + 1.0)

    async def selftest(self) -> SelfTestReport:
        """Port present, device answers, last frame valid; never raises an InstrumentError."""
        try:
            await self.open()
            checks = await asyncio.wait_for(
                self._selftest(), timeout=self.options.answer_timeout * 3 + 1.0
            )
        except TimeoutError:
            checks = [SelfTestCheck("answers", False, "no answer in time")]
        except InstrumentError as exc:
            checks = [SelfTestCheck(str(exc.reason), False, str(exc))]
        return SelfTestReport(self.id, tuple(checks))

    def checked_device_time(
        self, device_time: datetime | None, received_at: datetime
    ) -> tuple[datetime | None, frozenset[str]]:
        """Accept a device clock only within ``clock_window`` of the kiosk's; else flag it."""
        if device_time is None:
            return None, frozenset()
        stamp = device_time if device_time.tzinfo else device_time.astimezone()
        if abs(stamp - received_at) > timedelta(seconds=self.options.clock_window):
            return None, frozenset({"device_clock_off"})
        return stamp, frozenset()

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)

    @abc.abstractmethod
    async def _open(self) -> None: ...

    @abc.abstractmethod
    async def _close(self) -> None: ...

    @abc.abstractmethod
    async def _measure(self, *, deadline: float, on_reading: ReadingCallback) -> Reading:
        """The measurement itself; cancelled on deadline or abort (clean up, then re-raise)."""

    @abc.abstractmethod
    async def _selftest(self) -> list[SelfTestCheck]: ...
