"""The simulated BlueZ: ``org.bluez`` on a private bus, served from the named thread
``ble-sim`` with its own event loop; the thread-safe methods tests and ``kiosk sim ble`` use.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from dbus_fast import BusType, Message, MessageType
from dbus_fast.aio import MessageBus

from drivers.ble.sim.adapter import Adapter
from drivers.ble.sim.dbus import DBusDaemon
from drivers.ble.sim.device import Pending, SimDevice
from drivers.ble.sim.errors import SimulatorError
from drivers.ble.sim.gatt_server import GattServer
from drivers.ble.sim.profiles import BATTERY_LEVEL, DeviceSpec, Fault
from drivers.ble.sim.script import check_step
from drivers.ble.sim.tree import BLUEZ, CHARACTERISTIC, Handler, ObjectTree
from drivers.ptysim import Step

T = TypeVar("T")


class BlueZSimulator:
    """``org.bluez`` on a private bus, served from the named thread ``ble-sim``.

    ``start()`` starts the daemon (unless given an address) and returns the bus address to put
    in ``DBUS_SYSTEM_BUS_ADDRESS``; ``stop()`` stops both. Every public method is thread-safe.
    """

    def __init__(self, *, address: str = "", directory: Path | None = None) -> None:
        self.address = address
        self._directory = directory
        self.daemon: DBusDaemon | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self.tree = ObjectTree()
        self.adapter = Adapter(self.tree)
        self.gatt = GattServer(self.tree, self.adapter)
        self._handlers: dict[str, Handler] = {
            **self.tree.handlers(),
            **self.adapter.handlers(),
            **self.gatt.handlers(),
        }
        self.calls: list[str] = []  # "Interface.Member path" of every call, for tests

    @property
    def devices(self) -> dict[str, SimDevice]:
        """The simulated devices by address (touch them on the simulator's loop only)."""
        return self.adapter.devices

    # -- life cycle --------------------------------------------------------------------

    def start(self, *, timeout: float = 5.0) -> str:
        if not self.address:
            self.daemon = DBusDaemon(self._directory)
            self.address = self.daemon.start(timeout=timeout)
        started = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self._connect())
            except BaseException as exc:  # reported to start() below
                failure.append(exc)
                started.set()
                loop.close()
                return
            started.set()
            loop.run_forever()
            loop.run_until_complete(self._disconnect())
            loop.close()

        self._thread = threading.Thread(target=run, name="ble-sim", daemon=True)
        self._thread.start()
        if not started.wait(timeout) or failure:
            self.stop()
            why = repr(failure[0]) if failure else "no answer"
            raise SimulatorError(f"simulated BlueZ could not own org.bluez: {why}")
        return self.address

    def stop(self, *, timeout: float = 5.0) -> None:
        loop, thread = self._loop, self._thread
        if loop is not None and thread is not None and thread.is_alive():
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout)
        self._thread = None
        self._loop = None
        if self.daemon is not None:
            self.daemon.stop(timeout=timeout)
            self.daemon.cleanup()  # its own directory, when it made one
            self.daemon = None
            self.address = ""

    def __enter__(self) -> BlueZSimulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def env(self) -> dict[str, str]:
        """What a client process needs in its environment to find this BlueZ."""
        return {"DBUS_SYSTEM_BUS_ADDRESS": self.address}

    async def _connect(self) -> None:
        bus = MessageBus(bus_address=self.address, bus_type=BusType.SYSTEM)
        await bus.connect()
        bus.add_message_handler(self._on_message)
        await bus.request_name(BLUEZ)
        self.tree.bus = bus
        self.adapter.export()

    async def _disconnect(self) -> None:
        for device in self.devices.values():
            if device.session is not None:
                device.session.cancel()
        bus = self.tree.bus
        if bus is not None:
            bus.disconnect()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(bus.wait_for_disconnect(), 2.0)  # type: ignore[no-untyped-call]

    def _on_message(self, msg: Message) -> Message | bool | None:
        if msg.message_type is not MessageType.METHOD_CALL:
            return None
        key = f"{msg.interface}.{msg.member}"
        self.calls.append(f"{key} {msg.path}")
        handler = self._handlers.get(key)
        if handler is None:
            return None
        return handler(msg)

    def _call(self, fn: Callable[[], T], *, timeout: float = 5.0) -> T:
        loop = self._loop
        if loop is None:
            raise SimulatorError("the simulated BlueZ is not running")

        async def run() -> T:
            return fn()

        return asyncio.run_coroutine_threadsafe(run(), loop).result(timeout)

    # -- public, thread-safe -----------------------------------------------------------

    def add_device(self, spec: DeviceSpec) -> None:
        self._call(lambda: self.adapter.add_device(spec))

    def remove_device(self, address: str) -> None:
        self._call(lambda: self.adapter.forget(self.devices.pop(address.upper())))

    def measure(self, address: str, **values: Any) -> None:
        """Queue a measurement; it is indicated when the host next subscribes."""
        self._call(lambda: self.adapter.device(address).pending.append(Pending(values=values)))

    def send_raw(self, address: str, payload: bytes) -> None:
        """Queue raw bytes as the next measurement record (a malformed payload)."""
        self._call(lambda: self.adapter.device(address).pending.append(Pending(raw=payload)))

    def arm(self, address: str, fault: Fault | str, count: int = 1) -> None:
        """Arm ``fault`` for its next ``count`` occasions (bond_lost acts at once)."""
        self._call(lambda: self.adapter.arm(self.adapter.device(address), Fault(fault), count))

    def unplug(self, address: str) -> None:
        """The device goes away: link dropped, no more advertisements."""

        def gone() -> None:
            device = self.adapter.device(address)
            device.spec.advertising = False
            if device.connected:
                self.adapter.drop(device)

        self._call(gone)

    def replug(self, address: str) -> None:
        """The device is back in range and advertises again."""

        def back() -> None:
            device = self.adapter.device(address)
            device.spec.advertising = True
            if self.adapter.discovering:
                self.adapter.advertise(device)

        self._call(back)

    def bond_elsewhere(self, address: str, bonded: bool = True) -> None:
        """The device is bonded to another host (a phone), or its bond erased (its notice's
        reset): while bonded elsewhere, Pair is refused with AuthenticationFailed."""
        self._call(lambda: setattr(self.adapter.device(address).spec, "bonded_elsewhere", bonded))

    def set_battery(self, address: str, percent: int) -> None:
        """The Battery Level the device reports from now on (read, and notified if listened)."""

        def level() -> None:
            device = self.adapter.device(address)
            device.spec.battery = percent
            char = device.chars[BATTERY_LEVEL]
            char.value = bytes([percent])
            if device.resolved:
                self.tree.set(char.path, CHARACTERISTIC, Value=char.value)

        self._call(level)

    def silence(self, address: str, seconds: float) -> None:
        """The device connects but sends nothing for ``seconds``."""
        until = time.monotonic() + seconds
        self._call(lambda: setattr(self.adapter.device(address), "silent_until", until))

    def set_noise(self, address: str, noise: bool = True) -> None:
        """From now on a truncated record precedes each record."""
        self._call(lambda: setattr(self.adapter.device(address), "noise", noise))

    def notify(self, address: str, uuid: int, payload: bytes) -> float:
        """Send one notification now if the host listens; returns its monotonic send time."""
        return self._call(lambda: self.gatt.notify(self.adapter.device(address), uuid, payload))

    def state(self, address: str) -> dict[str, Any]:
        """A snapshot for tests: connected, paired, writes, sent records, clock offset."""

        def snap() -> dict[str, Any]:
            d = self.adapter.device(address)
            return {
                "connected": d.connected,
                "resolved": d.resolved,
                "host_paired": d.host_paired,
                "bonded": d.bonded,
                "clock_offset": d.clock_offset,
                "writes": list(d.writes),
                "sent": list(d.sent),
                "pending": len(d.pending),
                "notifying": sorted(u for u, c in d.chars.items() if c.notifying),
                "subscribed_at": d.subscribed_at,
            }

        return self._call(snap)

    def play(self, spec: DeviceSpec, steps: Iterable[Step]) -> None:
        """Add ``spec``'s device and apply script steps: measure, raw, fault (+ count)."""
        checked = [check_step(spec.profile, step) for step in steps]
        self.add_device(spec)
        for step in checked:
            if "measure" in step:
                self.measure(spec.address, **step["measure"])
            elif "raw" in step:
                self.send_raw(spec.address, bytes.fromhex(step["raw"]))
            else:
                self.arm(spec.address, step["fault"], int(step.get("count", 1)))
