"""The mallette's BLE instruments, as the nurse pairs them from the desk: scan (bounded), each
device's kind from the health services it advertises, pair, forget, its battery.

:class:`PairingService` runs bleak on its own loop in the named thread ``ble-pairing`` (the
screens submit an action and are told its outcome; every wait is bounded); a refused pairing
is a :class:`PairingError` with its :class:`PairingFailure`, never a silent failure.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from kiosk.session import Notice, Session, Update

log = logging.getLogger(__name__)
T = TypeVar("T")

BATTERY_LEVEL = 0x2A19


class DeviceKind(StrEnum):
    """What an instrument measures, by the GATT health service it advertises."""

    BLOOD_PRESSURE = "blood_pressure"
    THERMOMETER = "thermometer"
    WEIGHT = "weight"
    PULSE_OXIMETER = "pulse_oximeter"
    UNKNOWN = "unknown"


#: The health services (16-bit UUIDs) and the kind of instrument each says.
KIND_OF_SERVICE = {
    0x1810: DeviceKind.BLOOD_PRESSURE,
    0x1809: DeviceKind.THERMOMETER,
    0x181D: DeviceKind.WEIGHT,
    0x1822: DeviceKind.PULSE_OXIMETER,
}
#: The reading kinds (``kiosk.domain.ReadingKind`` values) each instrument gives.
READINGS_OF_KIND = {
    DeviceKind.BLOOD_PRESSURE: ("blood_pressure",),
    DeviceKind.THERMOMETER: ("temperature",),
    DeviceKind.WEIGHT: ("weight",),
    DeviceKind.PULSE_OXIMETER: ("spo2",),
}


def uuid16(uuid: str) -> int | None:
    """The 16-bit number of a Bluetooth base UUID (``0000xxxx-0000-1000-8000-00805f9b34fb``)."""
    uuid = uuid.lower()
    if (
        len(uuid) == 36
        and uuid.startswith("0000")
        and uuid.endswith("-0000-1000-8000-00805f9b34fb")
    ):
        with contextlib.suppress(ValueError):
            return int(uuid[4:8], 16)
    return None


def kind_of(service_uuids: list[str]) -> DeviceKind:
    for uuid in service_uuids:
        kind = KIND_OF_SERVICE.get(uuid16(uuid) or -1)
        if kind is not None:
            return kind
    return DeviceKind.UNKNOWN


class PairingFailure(StrEnum):
    """Why pairing or forgetting did not happen (each a message on the nurse's screen)."""

    BONDED_ELSEWHERE = "bonded_elsewhere"  # BlueZ: authentication refused by the device
    NOT_FOUND = "not_found"  # gone out of range, or switched off
    TIMEOUT = "timeout"  # no answer in time
    FAILED = "failed"  # any other refusal of BlueZ


#: BlueZ's answers to Pair when the device will not authenticate with us: its keys belong
#: to another host (a phone it was paired with).
AUTHENTICATION_ERRORS = frozenset(
    {
        "org.bluez.Error.AuthenticationFailed",
        "org.bluez.Error.AuthenticationRejected",
        "org.bluez.Error.AuthenticationCanceled",
        "org.bluez.Error.AuthenticationTimeout",
    }
)


class PairingError(Exception):
    """A pairing action that did not happen, with its :attr:`reason`."""

    def __init__(self, reason: PairingFailure, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason


@dataclass(frozen=True, kw_only=True)
class FoundDevice:
    """An instrument seen advertising (not patient data)."""

    address: str
    name: str
    kind: DeviceKind
    paired: bool = False


class PairingService:
    """Scan, pair, forget, battery; each action a bounded coroutine on the ``ble-pairing``
    thread's loop, submitted with :meth:`submit` (a concurrent future).

    ``session``: the readings it delivers give each kind's last reading time (only the time:
    the desk sits between patients, it shows no value).
    """

    def __init__(
        self,
        session: Session | None = None,
        *,
        scan_s: float = 4.0,
        timeout_s: float = 20.0,
    ) -> None:
        self.scan_s = scan_s
        self.timeout_s = timeout_s
        #: The devices of the last scan, by address.
        self.found: dict[str, FoundDevice] = {}
        #: The battery level read at the last pairing or check, by address.
        self.battery: dict[str, int] = {}
        #: When the last reading of each kind came (local time), for the desk.
        self.last_reading: dict[DeviceKind, datetime] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._unsubscribe = session.subscribe(self._on_update) if session is not None else None

    def _on_update(self, update: Update) -> None:
        reading = update.reading
        if update.notice is not Notice.READING or reading is None or reading.intermediate:
            return
        for kind, readings in READINGS_OF_KIND.items():
            if reading.kind.value in readings:
                self.last_reading[kind] = datetime.now().astimezone()

    # -- the worker thread ---------------------------------------------------------------

    def _worker(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                self._thread = threading.Thread(
                    target=loop.run_forever, name="ble-pairing", daemon=True
                )
                self._thread.start()
                self._loop = loop
            return self._loop

    def submit(self, action: Callable[[], Coroutine[Any, Any, T]]) -> concurrent.futures.Future[T]:
        """Run ``action()`` (one of the coroutines below) on the ``ble-pairing`` loop."""
        return asyncio.run_coroutine_threadsafe(action(), self._worker())

    def close(self, *, timeout: float = 5.0) -> None:
        """Stop the thread (its bleak connection closed first); idempotent."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is None or thread is None:
            return
        with contextlib.suppress(concurrent.futures.TimeoutError, RuntimeError):
            asyncio.run_coroutine_threadsafe(_release_bleak_bus(), loop).result(timeout)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        if not thread.is_alive():
            loop.close()

    # -- the actions (on the worker loop) ------------------------------------------------

    async def scan(self) -> list[FoundDevice]:
        """Listen for :attr:`scan_s` seconds; the instruments seen, health ones first."""
        from bleak import BleakScanner
        from bleak.exc import BleakError

        try:
            async with asyncio.timeout(self.scan_s + self.timeout_s):
                seen = await BleakScanner.discover(timeout=self.scan_s, return_adv=True)
        except TimeoutError as exc:
            raise PairingError(PairingFailure.TIMEOUT, "scan") from exc
        except BleakError as exc:
            raise PairingError(PairingFailure.FAILED, f"scan: {exc}") from exc
        found = [
            FoundDevice(
                address=device.address.upper(),
                name=adv.local_name or device.name or device.address,
                kind=kind_of(list(adv.service_uuids)),
                paired=_paired(device),
            )
            for device, adv in seen.values()
        ]
        found.sort(key=lambda d: (d.kind is DeviceKind.UNKNOWN, d.kind.value, d.name))
        self.found = {d.address: d for d in found}
        log.info("pairing: %d device(s) found", len(found))
        return found

    async def pair(self, address: str) -> int | None:
        """Connect, pair (BlueZ bonds), read the battery, disconnect; the battery level."""
        from bleak import BleakClient
        from bleak.exc import BleakDBusError, BleakDeviceNotFoundError, BleakError

        deadline = time.monotonic() + self.timeout_s
        client = BleakClient(address, timeout=self.timeout_s)
        try:
            async with asyncio.timeout(self.timeout_s + 1):
                await client.connect()
                await client.pair()
                level = await _battery(client)
        except TimeoutError as exc:
            raise PairingError(PairingFailure.TIMEOUT, "pair") from exc
        except BleakDBusError as exc:
            if exc.dbus_error in AUTHENTICATION_ERRORS:
                log.warning("pairing %s: refused by the device (bonded elsewhere?)", address)
                raise PairingError(PairingFailure.BONDED_ELSEWHERE, exc.dbus_error) from exc
            raise PairingError(PairingFailure.FAILED, exc.dbus_error) from exc
        except BleakDeviceNotFoundError as exc:
            raise PairingError(PairingFailure.NOT_FOUND, address) from exc
        except BleakError as exc:
            raise PairingError(PairingFailure.FAILED, str(exc)) from exc
        finally:
            with contextlib.suppress(BleakError, TimeoutError, EOFError, OSError):
                async with asyncio.timeout(max(1.0, deadline - time.monotonic())):
                    await client.disconnect()
        self._mark(address, paired=True)
        if level is not None:
            self.battery[address.upper()] = level
        log.info("pairing %s: paired", address)
        return level

    async def forget(self, address: str) -> None:
        """Remove the bond (BlueZ's Adapter1.RemoveDevice, through bleak's unpair)."""
        from bleak import BleakClient
        from bleak.exc import BleakDBusError, BleakDeviceNotFoundError, BleakError

        client = BleakClient(address, timeout=self.timeout_s)
        try:
            async with asyncio.timeout(self.timeout_s):
                await client.unpair()
        except TimeoutError as exc:
            raise PairingError(PairingFailure.TIMEOUT, "forget") from exc
        except BleakDeviceNotFoundError as exc:
            raise PairingError(PairingFailure.NOT_FOUND, address) from exc
        except (BleakDBusError, BleakError) as exc:
            raise PairingError(PairingFailure.FAILED, str(exc)) from exc
        self._mark(address, paired=False)
        self.battery.pop(address.upper(), None)
        log.info("pairing %s: forgotten", address)

    def _mark(self, address: str, *, paired: bool) -> None:
        device = self.found.get(address.upper())
        if device is not None:
            self.found[device.address] = FoundDevice(
                address=device.address, name=device.name, kind=device.kind, paired=paired
            )


def _paired(device: Any) -> bool:
    details = device.details if isinstance(device.details, dict) else {}
    props = details.get("props") or {}
    return bool(props.get("Paired", False))


async def _battery(client: Any) -> int | None:
    """The Battery Level (0x2A19) in %, or None when the device has no Battery Service."""
    from bleak.exc import BleakError

    char = client.services.get_characteristic(
        f"0000{BATTERY_LEVEL:04x}-0000-1000-8000-00805f9b34fb"
    )
    if char is None:
        return None
    try:
        value = bytes(await client.read_gatt_char(char))
    except BleakError:
        return None
    return value[0] if value and value[0] <= 100 else None


async def _release_bleak_bus() -> None:
    """Close bleak's D-Bus connection of this loop (bleak keeps one per loop)."""
    from bleak.backends.bluezdbus import manager as bluez_manager

    manager = bluez_manager._global_instances.pop(asyncio.get_running_loop(), None)
    bus = getattr(manager, "_bus", None)
    if bus is not None:
        bus.disconnect()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(bus.wait_for_disconnect(), 2.0)
