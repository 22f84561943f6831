"""The serial transport every serial instrument shares, and their common driver base.

Ports open with ``serial.serial_for_url`` (a path, a pty, or ``spy://`` to debug a cable); the
asyncio loop reads them; a vanished device is reopened with backoff until the driver closes.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import dataclasses
import logging
import termios
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import serial

from drivers.framing import Decoder
from drivers.instrument import (
    FrameError,
    Instrument,
    InstrumentError,
    InstrumentErrorReason,
    InstrumentOptions,
    InstrumentTimeoutError,
    InstrumentUnpluggedError,
    ReadingCallback,
    SelfTestCheck,
)
from drivers.types import Reading

log = logging.getLogger(__name__)

PARITIES = {
    "N": serial.PARITY_NONE,
    "E": serial.PARITY_EVEN,
    "O": serial.PARITY_ODD,
}


@dataclass(frozen=True, kw_only=True)
class SerialSettings:
    baudrate: int = 9600
    parity: str = "N"
    bytesize: int = 8
    stopbits: float = 1

    def merged(self, options: InstrumentOptions) -> SerialSettings:
        """The options' values where set, the device family's defaults elsewhere."""
        parity = options.parity or self.parity
        if parity not in PARITIES:
            raise InstrumentError(
                f"{options.id}: parity must be N, E or O, not {parity!r}",
                device=options.id,
                reason=InstrumentErrorReason.BAD_OPTIONS,
            )
        return SerialSettings(
            baudrate=options.baudrate or self.baudrate,
            parity=parity,
            bytesize=options.bytesize or self.bytesize,
            stopbits=options.stopbits or self.stopbits,
        )


class SerialTransport:
    """One serial port, read by the running asyncio loop, reopened with backoff when lost.

    ``on_data`` gets bytes as they arrive; ``on_state`` gets True when the port opens and
    False when it is lost. Ports without a file descriptor (``loop://``) are read by a named
    thread instead.
    """

    def __init__(
        self,
        url: str,
        settings: SerialSettings,
        *,
        name: str,
        on_data: Callable[[bytes], None],
        on_state: Callable[[bool], None] = lambda connected: None,
        backoff: tuple[float, float] = (0.05, 1.0),
    ) -> None:
        self.url = url
        self.settings = settings
        self.name = name
        self._on_data = on_data
        self._on_state = on_state
        self._backoff = backoff
        self._port: Any = None
        self._fd: int | None = None
        self._thread: threading.Thread | None = None
        self._thread_stop = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._reconnect_task: asyncio.Task[None] | None = None
        self._poke = asyncio.Event()
        self._connected = asyncio.Event()
        self._closed = False
        self.last_error = ""

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    async def start(self) -> None:
        """Open now if the device is there, else keep trying in the background."""
        self._loop = asyncio.get_running_loop()
        if not self._try_open():
            self._start_reconnect()

    def poke(self) -> None:
        """Retry opening now instead of waiting for the backoff."""
        self._poke.set()

    async def wait_connected(self, timeout: float) -> bool:
        if self.connected:
            return True
        self.poke()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._connected.wait(), timeout=max(0.0, timeout))
        return self.connected

    def write(self, data: bytes) -> None:
        if self._port is None:
            raise InstrumentUnpluggedError(f"{self.name}: port not open", device=self.name)
        try:
            self._port.write(data)
        except (serial.SerialException, OSError) as exc:
            self._lost(exc)
            raise InstrumentUnpluggedError(f"{self.name}: write failed", device=self.name) from exc

    def reset_input(self) -> None:
        if self._port is not None:
            with contextlib.suppress(serial.SerialException, OSError):
                self._port.reset_input_buffer()

    async def close(self) -> None:
        self._closed = True
        task = self._reconnect_task
        if task is not None and not task.done():
            task.cancel()
            await asyncio.wait({task}, timeout=1.0)
        self._close_port()

    def _try_open(self) -> bool:
        s = self.settings
        try:
            port = serial.serial_for_url(
                self.url,
                baudrate=s.baudrate,
                parity=PARITIES[s.parity],
                bytesize=s.bytesize,
                stopbits=s.stopbits,
                timeout=0,
                write_timeout=1.0,
            )
        except (serial.SerialException, OSError, ValueError, termios.error) as exc:
            self.last_error = str(exc)
            return False
        with contextlib.suppress(serial.SerialException, OSError, termios.error):
            port.reset_input_buffer()  # what the device said while nobody listened is stale
        self._port = port
        assert self._loop is not None
        try:
            self._fd = port.fileno()
        except (AttributeError, NotImplementedError, serial.SerialException, OSError):
            self._fd = None
        if self._fd is not None:
            self._loop.add_reader(self._fd, self._readable)
        else:
            port.timeout = 0.05
            self._thread_stop.clear()
            self._thread = threading.Thread(
                target=self._thread_reader, args=(port,), name=f"serial-{self.name}", daemon=True
            )
            self._thread.start()
        self._connected.set()
        log.info("instrument %s: port open", self.name)
        self._on_state(True)
        return True

    def _readable(self) -> None:
        port = self._port
        if port is None:  # pragma: no cover - reader removed before the callback ran
            return
        try:
            data = port.read(max(1, port.in_waiting))
        except (serial.SerialException, OSError) as exc:
            self._lost(exc)
            return
        if data:
            self._on_data(data)

    def _thread_reader(self, port: Any) -> None:
        loop = self._loop
        assert loop is not None
        while not self._thread_stop.is_set():
            try:
                data = port.read(max(1, port.in_waiting))
            except (serial.SerialException, OSError) as exc:
                if not self._thread_stop.is_set():
                    loop.call_soon_threadsafe(self._lost, exc)
                return
            if data:
                loop.call_soon_threadsafe(self._on_data, data)

    def _lost(self, exc: BaseException) -> None:
        if self._port is None:
            return
        self.last_error = str(exc)
        log.warning("instrument %s: port lost (%s)", self.name, type(exc).__name__)
        self._close_port()
        self._on_state(False)
        if not self._closed:
            self._start_reconnect()

    def _close_port(self) -> None:
        port, self._port = self._port, None
        self._connected.clear()
        if self._fd is not None and self._loop is not None:
            self._loop.remove_reader(self._fd)
        self._fd = None
        if self._thread is not None:
            self._thread_stop.set()
            self._thread.join(timeout=1.0)
            self._thread = None
        if port is not None:
            with contextlib.suppress(serial.SerialException, OSError):
                port.close()

    def _start_reconnect(self) -> None:
        if self._reconnect_task is None or self._reconnect_task.done():
            self._reconnect_task = asyncio.get_running_loop().create_task(
                self._reconnect(), name=f"reconnect-{self.name}"
            )

    async def _reconnect(self) -> None:
        delay, ceiling = self._backoff
        while not self._closed:
            self._poke.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._poke.wait(), timeout=delay)
            if self._closed or self._try_open():
                return
            delay = min(delay * 2, ceiling)


#: Put in a driver's queue when its port is lost.
UNPLUGGED = object()


class SerialInstrument(Instrument):
    """An instrument on a serial port: transport, decoder and a queue of decoded items.

    A driver sets :attr:`default_settings`, builds its decoder in :meth:`make_decoder` and
    writes ``_measure``; the self-test probes with :meth:`_probe` (by default: wait for any
    frame, as a streaming device sends them unasked).
    """

    default_settings: ClassVar[SerialSettings] = SerialSettings()
    queue_size: ClassVar[int] = 512

    def __init__(self, options: InstrumentOptions) -> None:
        super().__init__(options)
        if not options.port:
            raise InstrumentError(
                f"{options.id}: a serial instrument needs a port",
                device=options.id,
                reason=InstrumentErrorReason.BAD_OPTIONS,
            )
        self.settings = self.default_settings.merged(options)
        self._decoder = self.make_decoder()
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._transport: SerialTransport | None = None
        self.last_item: Any = None

    @abc.abstractmethod
    def make_decoder(self) -> Decoder: ...

    def make_reading(self, frame: Any) -> Reading:
        """The frame's reading, stamped now, with the device clock kept only when plausible."""
        received_at = self.now()
        reading: Reading = frame.reading(device=self.device, received_at=received_at)
        if reading.device_time is not None:
            stamp, flags = self.checked_device_time(reading.device_time, received_at)
            reading = dataclasses.replace(reading, device_time=stamp, flags=reading.flags | flags)
        return reading

    @property
    def transport(self) -> SerialTransport:
        if self._transport is None:
            raise InstrumentError(
                f"{self.id}: not open", device=self.id, reason=InstrumentErrorReason.CLOSED
            )
        return self._transport

    async def _open(self) -> None:
        self._transport = SerialTransport(
            self.options.port,
            self.settings,
            name=self.id,
            on_data=self._on_data,
            on_state=self._on_state,
        )
        await self._transport.start()

    async def _close(self) -> None:
        if self._transport is not None:
            await self._transport.close()

    def _on_data(self, data: bytes) -> None:
        for item in self._decoder.feed(data):
            self.last_item = item
            if isinstance(item, FrameError):
                log.debug("instrument %s: unusable bytes (%s)", self.id, item.reason)
            self._put(item)

    def _on_state(self, connected: bool) -> None:
        self._decoder.reset()
        if not connected:
            self._put(UNPLUGGED)

    def _put(self, item: Any) -> None:
        if self._queue.qsize() >= self.queue_size:
            self._queue.get_nowait()  # nobody is listening: keep the newest
        self._queue.put_nowait(item)

    def drain(self) -> None:
        """Forget what arrived before now (a new command, a new measurement)."""
        while not self._queue.empty():
            self._queue.get_nowait()

    async def ensure_connected(self, deadline: float) -> None:
        grace = min(self.options.connect_grace, deadline - time.monotonic())
        if not await self.transport.wait_connected(grace):
            raise InstrumentUnpluggedError(
                f"{self.id}: instrument not connected ({self.options.port})", device=self.id
            )

    def send(self, data: bytes) -> None:
        self.transport.write(data)

    async def receive(self, *, until: float, what: str = "answer") -> Any:
        """The next decoded item (frame or FrameError) before ``until`` (monotonic)."""
        remaining = until - time.monotonic()
        if remaining <= 0:
            raise InstrumentTimeoutError(self.id, after_s=0.0, what=what)
        try:
            item = await asyncio.wait_for(self._queue.get(), timeout=remaining)
        except TimeoutError as exc:
            raise InstrumentTimeoutError(self.id, after_s=remaining, what=what) from exc
        if item is UNPLUGGED:
            raise InstrumentUnpluggedError(f"{self.id}: instrument unplugged", device=self.id)
        return item

    async def _probe(self, *, until: float) -> Any:
        return await self.receive(until=until, what="frame")

    async def _selftest(self) -> list[SelfTestCheck]:
        checks: list[SelfTestCheck] = []
        connected = await self.transport.wait_connected(self.options.connect_grace)
        detail = "open" if connected else f"absent ({self.transport.last_error or 'not found'})"
        checks.append(SelfTestCheck("port", connected, f"{self.options.port}: {detail}"))
        if not connected:
            return checks
        self.drain()
        try:
            item = await self._probe(until=time.monotonic() + self.options.answer_timeout)
        except InstrumentError as exc:
            checks.append(SelfTestCheck("answers", False, str(exc)))
            return checks
        checks.append(SelfTestCheck("answers", True, "device answered"))
        if isinstance(item, FrameError):
            checks.append(SelfTestCheck("last_frame", False, f"unusable frame: {item.reason}"))
        else:
            checks.append(SelfTestCheck("last_frame", True, "valid"))
        return checks


class StreamingInstrument(SerialInstrument):
    """A device that streams frames unasked (oximeters): the first valid reading is the result.

    Readings before it (finger out, probe error, no value) go to ``on_reading`` as they come,
    so the screen shows them as such; they are intermediate: not the result, so a finger out
    at first is waited out until the time limit instead of ending the measurement.
    """

    async def _measure(self, *, deadline: float, on_reading: ReadingCallback) -> Reading:
        await self.ensure_connected(deadline)
        self.drain()
        while True:
            item = await self.receive(until=deadline, what="valid reading")
            if isinstance(item, FrameError):
                continue
            reading = self.make_reading(item)
            if reading.valid:
                return reading
            on_reading(dataclasses.replace(reading, intermediate=True))
