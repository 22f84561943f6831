"""The BLE transport every health-profile driver shares, over bleak, and their driver base.

One measurement = find the device by its profile service (and address when configured),
connect, pair when it asks, set its clock, subscribe, fetch stored records (RACP), take the
first new record, disconnect. A lost link or failed connect is retried with backoff until the
measurement deadline. Every bleak call runs under our own deadline: BlueZ may never answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, ClassVar

from bleak import BleakClient, BleakScanner
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData
from bleak.exc import (
    BleakDBusError,
    BleakError,
    BleakGATTProtocolError,
    BleakGATTProtocolErrorCode,
)

from drivers.ble import gatt as g
from drivers.ieee11073 import DateTime
from drivers.instrument import (
    DeviceReportedError,
    FrameError,
    Instrument,
    InstrumentOptions,
    InstrumentTimeoutError,
    InstrumentUnpluggedError,
    ReadingCallback,
    SelfTestCheck,
)
from drivers.types import Reading

log = logging.getLogger(__name__)

#: GATT errors that mean "this link is not encrypted with a bond the device accepts".
AUTH_ERRORS = {
    BleakGATTProtocolErrorCode.INSUFFICIENT_AUTHENTICATION,
    BleakGATTProtocolErrorCode.INSUFFICIENT_AUTHORIZATION,
    BleakGATTProtocolErrorCode.INSUFFICIENT_ENCRYPTION,
    BleakGATTProtocolErrorCode.INSUFFICIENT_ENCRYPTION_KEY_SIZE,
}
#: BlueZ answers to Pair that mean the device (or its user) said no.
PAIRING_REFUSALS = {
    "org.bluez.Error.AuthenticationRejected",
    "org.bluez.Error.AuthenticationFailed",
    "org.bluez.Error.AuthenticationCanceled",
}
STORED_FLAG = "stored_record"


class LinkLostError(InstrumentUnpluggedError):
    """The link failed or dropped; the measurement retries with backoff until its deadline."""


@dataclass(frozen=True)
class Quirks:
    """What a vendor does differently; chosen by the options' ``model`` in the driver's table.

    ``fix_payload(uuid, data)`` may repair a record before it is decoded (a vendor that pads
    or mislabels a field).
    """

    pair_first: bool = False  # pair before subscribing instead of when the device asks
    write_time: bool = True  # write Current Time when the device has it
    use_racp: bool = True  # fetch stored records through RACP when present
    fix_payload: Callable[[int, bytes], bytes] | None = None


@dataclass(frozen=True)
class Notification:
    uuid: int
    data: bytes
    at: float  # time.monotonic() when bleak handed it over


_LOST = object()


def _short_uuid(uuid: str) -> int:
    return int(uuid[4:8], 16) if uuid.endswith(g.BASE_UUID) else -1


class BleInstrument(Instrument):
    """A health-profile instrument over BLE.

    A driver names its profile :attr:`service`, the characteristic whose record ends the
    measurement (:attr:`result`), and the others to listen to (:attr:`also`: intermediate
    cuff pressure, continuous oximetry, body composition). Records before the result go to
    ``on_reading``; stored records (RACP) go there flagged ``stored_record``; a record already
    delivered (same device time and bytes) is dropped.
    """

    service: ClassVar[int]
    result: ClassVar[int]
    also: ClassVar[tuple[int, ...]] = ()
    default_connect_grace: ClassVar[float] = 60.0
    #: Vendor quirks by model name (options.model); the default is the standard behaviour.
    quirks_by_model: ClassVar[dict[str, Quirks]] = {}
    #: Retry delays after a failed connection: first, ceiling (doubling in between).
    backoff: ClassVar[tuple[float, float]] = (0.1, 2.0)
    dedupe_size: ClassVar[int] = 512

    def __init__(self, options: InstrumentOptions) -> None:
        super().__init__(options)
        self.quirks = self.quirks_by_model.get(options.model, Quirks())
        self.address = options.address.upper()
        self._client: BleakClient | None = None
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._seen: OrderedDict[tuple[int, bytes], None] = OrderedDict()
        self._must_pair = self.quirks.pair_first
        self.last_error = ""

    @property
    def connect_timeout(self) -> float:
        """Connect + service discovery; BlueZ may never resolve services."""
        return self.options.answer_timeout * 5

    # -- Instrument --------------------------------------------------------------------

    async def _open(self) -> None:
        """Nothing to hold open: a BLE instrument is reached per measurement."""

    async def _close(self) -> None:
        await self._disconnect()

    async def _measure(self, *, deadline: float, on_reading: ReadingCallback) -> Reading:
        delay, ceiling = self.backoff
        while True:
            try:
                return await self._session(deadline, on_reading)
            except LinkLostError as exc:
                self.last_error = str(exc)
                log.info("instrument %s: link lost (%s), retrying", self.id, exc)
            finally:
                await self._disconnect()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise InstrumentTimeoutError(self.id, after_s=0.0)
            await asyncio.sleep(min(delay, remaining))  # backoff before the next attempt
            delay = min(delay * 2, ceiling)

    async def _selftest(self) -> list[SelfTestCheck]:
        checks: list[SelfTestCheck] = []
        answer = self.options.answer_timeout
        try:
            device = await self._find(time.monotonic() + answer + 1.0, grace=answer)
        except InstrumentUnpluggedError:
            device = None
        if device is None:
            checks.append(SelfTestCheck("advertising", False, f"not seen in {answer:.1f} s"))
            return checks
        checks.append(SelfTestCheck("advertising", True, device.address))
        try:
            # within the self-test's own bound (3 answers + 1 s): scan, connect, read
            client = await self._connect(device, time.monotonic() + answer * 1.5)
        except LinkLostError as exc:
            checks.append(SelfTestCheck("connects", False, str(exc)))
            return checks
        try:
            checks.append(SelfTestCheck("connects", True, "services resolved"))
            has_service = client.services.get_service(g.uuid16(self.service)) is not None
            checks.append(SelfTestCheck("profile", has_service, f"service {self.service:#06x}"))
            if self._char(g.MANUFACTURER_NAME) is not None:
                name = await self._call(client.read_gatt_char(g.uuid16(g.MANUFACTURER_NAME)))
                checks.append(SelfTestCheck("answers", True, bytes(name).decode(errors="replace")))
        except (BleakError, TimeoutError) as exc:
            checks.append(SelfTestCheck("answers", False, type(exc).__name__))
        finally:
            await self._disconnect()
        return checks

    # -- one connection ----------------------------------------------------------------

    async def _session(self, deadline: float, on_reading: ReadingCallback) -> Reading:
        device = await self._find(deadline)
        if device is None:
            raise InstrumentTimeoutError(self.id, after_s=0.0, what="advertisement")
        # bleak's connect must end by itself before the deadline: cancelled half-way, it
        # leaves its D-Bus connection behind
        margin = min(1.0, self.options.answer_timeout) + 0.1
        until = min(deadline - margin, time.monotonic() + self.connect_timeout)
        if until - time.monotonic() < 0.1:
            raise InstrumentTimeoutError(self.id, after_s=0.0, what="connection in time")
        client = await self._connect(device, until)
        if self._must_pair:
            await self._pair(client)
        await self._write_time(client)
        for uuid in (*self.also, g.RECORD_ACCESS_CONTROL_POINT, self.result):
            if uuid == g.RECORD_ACCESS_CONTROL_POINT and not self.quirks.use_racp:
                continue
            if self._char(uuid) is not None:
                await self._subscribe(client, uuid)
        if self.quirks.use_racp and self._char(g.RECORD_ACCESS_CONTROL_POINT) is not None:
            await self._fetch_stored(client, deadline, on_reading)
        while True:
            item = await self._next(deadline)
            reading = self._reading(item)
            if reading is None:
                continue
            if self.is_result(item.uuid, reading):
                return reading
            on_reading(reading)

    def is_result(self, uuid: int, reading: Reading) -> bool:
        """Whether this record ends the measurement (the oximeter overrides it)."""
        return uuid == self.result

    async def _call(self, awaitable: Any, timeout: float | None = None) -> Any:
        """A bleak call under our deadline (``answer_timeout`` unless given)."""
        async with asyncio.timeout(self.options.answer_timeout if timeout is None else timeout):
            return await awaitable

    async def _find(self, deadline: float, *, grace: float | None = None) -> BLEDevice | None:
        """The first advertisement of our service (and address, when configured).

        Not seen within ``grace`` (default: the options' ``connect_grace``): the device is
        away, :class:`InstrumentUnpluggedError`; None when the deadline comes first.
        """
        found: asyncio.Future[BLEDevice] = asyncio.get_running_loop().create_future()

        def seen(device: BLEDevice, adv: AdvertisementData) -> None:
            if self.address and device.address.upper() != self.address:
                return
            if not found.done():
                found.set_result(device)

        scanner = BleakScanner(detection_callback=seen, service_uuids=[g.uuid16(self.service)])
        try:
            await self._call(scanner.start())
        except (BleakError, TimeoutError) as exc:
            raise LinkLostError(f"{self.id}: cannot scan ({exc!r})", device=self.id) from exc
        window = self.options.connect_grace if grace is None else grace
        until = min(deadline, time.monotonic() + window)
        try:
            async with asyncio.timeout(max(0.0, until - time.monotonic())):
                return await found
        except TimeoutError as exc:
            self.last_error = f"not seen advertising in {window:.1f} s"
            if until >= deadline:
                return None
            raise InstrumentUnpluggedError(
                f"{self.id}: device not found ({self.last_error})", device=self.id
            ) from exc
        finally:
            with contextlib.suppress(BleakError, TimeoutError):
                await self._call(scanner.stop())

    async def _connect(self, device: BLEDevice, until: float) -> BleakClient:
        self._queue = asyncio.Queue()
        queue = self._queue

        def lost(client: BleakClient) -> None:
            queue.put_nowait(_LOST)

        window = max(0.1, until - time.monotonic())
        # bleak's own timeout fires first and cleans up after itself; ours is the backstop
        client = BleakClient(device, disconnected_callback=lost, timeout=window)
        try:
            await self._call(client.connect(), window + self.options.answer_timeout)
            self._client = client
        except TimeoutError as exc:
            await self._release(client)
            raise LinkLostError(
                f"{self.id}: no connection with resolved services in time", device=self.id
            ) from exc
        except BleakError as exc:
            await self._release(client)
            raise LinkLostError(f"{self.id}: connect failed ({exc})", device=self.id) from exc
        except BaseException:
            await self._release(client)
            raise
        log.info("instrument %s: connected", self.id)
        return client

    async def _release(self, client: BleakClient) -> None:
        """After a failed or cancelled connect: let bleak close its D-Bus connection.

        Given less than a second, bleak drops its bus before the socket is closed.
        """
        with contextlib.suppress(BleakError, TimeoutError, EOFError, OSError):
            await self._call(client.disconnect(), max(1.0, self.options.answer_timeout))

    def _char(self, uuid: int) -> BleakGATTCharacteristic | None:
        client = self._client
        if client is None or not client.is_connected:
            return None
        return client.services.get_characteristic(g.uuid16(uuid))

    async def _pair(self, client: BleakClient) -> None:
        try:
            await self._call(client.pair(), self.connect_timeout)
        except BleakDBusError as exc:
            if exc.dbus_error in PAIRING_REFUSALS:
                raise DeviceReportedError(
                    f"{self.id}: the device refused pairing ({exc.dbus_error})",
                    code="pairing_refused",
                    device=self.id,
                ) from exc
            raise LinkLostError(f"{self.id}: pairing failed ({exc})", device=self.id) from exc
        except (BleakError, TimeoutError) as exc:
            raise LinkLostError(f"{self.id}: pairing failed ({exc!r})", device=self.id) from exc
        self._must_pair = False
        log.info("instrument %s: paired", self.id)

    async def _write_time(self, client: BleakClient) -> None:
        char = self._char(g.CURRENT_TIME)
        if not self.quirks.write_time or char is None or "write" not in char.properties:
            return
        value = g.encode_current_time(g.CurrentTime.of(datetime.now()))
        try:
            await self._call(client.write_gatt_char(char, value, response=True))
        except (BleakError, TimeoutError) as exc:
            # not fatal: the clock policy still guards the readings
            log.info("instrument %s: current time not written (%s)", self.id, type(exc).__name__)

    async def _subscribe(self, client: BleakClient, uuid: int) -> None:
        queue = self._queue

        def on_value(char: BleakGATTCharacteristic, data: bytearray) -> None:
            queue.put_nowait(Notification(_short_uuid(char.uuid), bytes(data), time.monotonic()))

        for attempt in range(2):
            try:
                await self._call(client.start_notify(g.uuid16(uuid), on_value))
                return
            except BleakGATTProtocolError as exc:
                if exc.code not in AUTH_ERRORS:
                    raise LinkLostError(f"{self.id}: subscribe failed ({exc})") from exc
                if attempt == 0 and not self._must_pair:
                    log.info("instrument %s: the device asks for pairing", self.id)
                    await self._pair(client)
                    continue
                await self._bond_lost(client)
            except (BleakError, TimeoutError) as exc:
                raise LinkLostError(f"{self.id}: subscribe failed ({exc!r})") from exc

    async def _bond_lost(self, client: BleakClient) -> None:
        """BlueZ holds a bond the device forgot: drop ours, pair anew on the next attempt."""
        log.warning("instrument %s: bond lost, pairing again", self.id)
        self._must_pair = True
        with contextlib.suppress(BleakError, TimeoutError):
            await self._call(client.unpair())
        await self._release(client)  # unpair() leaves bleak's own bus open
        self._client = None
        raise LinkLostError(f"{self.id}: bond lost", device=self.id)

    async def _fetch_stored(
        self, client: BleakClient, deadline: float, on_reading: ReadingCallback
    ) -> None:
        """Ask for every stored record; deliver the new ones flagged, until the RACP answer."""
        request = g.Racp(g.RacpOp.REPORT_STORED_RECORDS, g.RacpOperator.ALL)
        try:
            await self._call(
                client.write_gatt_char(
                    g.uuid16(g.RECORD_ACCESS_CONTROL_POINT), g.encode_racp(request), response=True
                )
            )
        except (BleakError, TimeoutError) as exc:
            log.info("instrument %s: stored records not asked (%s)", self.id, type(exc).__name__)
            return
        until = min(deadline, time.monotonic() + self.options.answer_timeout * 2)
        while True:
            try:
                item = await self._next(until)
            except InstrumentTimeoutError:
                log.info("instrument %s: no end to the stored records", self.id)
                return
            if item.uuid == g.RECORD_ACCESS_CONTROL_POINT:
                with contextlib.suppress(FrameError, IndexError):
                    answer = g.decode_racp(item.data)
                    if answer.op is g.RacpOp.RESPONSE_CODE:
                        return
                continue
            reading = self._reading(item)
            if reading is not None:
                on_reading(replace(reading, flags=reading.flags | {STORED_FLAG}))

    async def _next(self, until: float) -> Notification:
        remaining = until - time.monotonic()
        try:
            async with asyncio.timeout(max(0.0, remaining)):
                item = await self._queue.get()
        except TimeoutError as exc:
            raise InstrumentTimeoutError(self.id, after_s=max(0.0, remaining)) from exc
        if item is _LOST:
            raise LinkLostError(f"{self.id}: link dropped", device=self.id)
        assert isinstance(item, Notification)
        return item

    def _reading(self, item: Notification) -> Reading | None:
        """The record as a reading; None for an unusable payload or a duplicate."""
        decoder = g.MEASUREMENT_DECODERS.get(item.uuid)
        if decoder is None:
            return None
        data = (
            self.quirks.fix_payload(item.uuid, item.data) if self.quirks.fix_payload else item.data
        )
        try:
            record = decoder(data)
        except FrameError as exc:
            self.last_error = str(exc)
            log.info("instrument %s: unusable record (%s)", self.id, exc.reason)
            return None
        stamp: DateTime | None = getattr(record, "time", None)
        if stamp is not None and stamp.problem is None:
            key = (item.uuid, bytes(data))
            if key in self._seen:
                log.debug("instrument %s: duplicate record dropped", self.id)
                return None
            self._seen[key] = None
            if len(self._seen) > self.dedupe_size:
                self._seen.popitem(last=False)
        received_at = self.now()
        reading: Reading = record.reading(device=self.device, received_at=received_at)
        if reading.device_time is not None:
            stamp_ok, flags = self.checked_device_time(reading.device_time, received_at)
            reading = replace(reading, device_time=stamp_ok, flags=reading.flags | flags)
        return reading

    async def _disconnect(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        with contextlib.suppress(BleakError, TimeoutError, EOFError, OSError):
            await self._call(client.disconnect())
        log.info("instrument %s: disconnected", self.id)
