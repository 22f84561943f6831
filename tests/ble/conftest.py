"""BLE rigs: bleak's real BlueZ backend against the simulated BlueZ on a private D-Bus bus.

One dbus-daemon and one simulated BlueZ serve each test module (stopped by PID at its end,
so DBUS_SYSTEM_BUS_ADDRESS never outlives it); each test gets its own simulated device.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
import pytest_asyncio
from bleak.backends.bluezdbus import manager as bluez_manager

from drivers.ble.drivers import BleBloodPressure, BlePulseOximeter, BleThermometer, BleWeight
from drivers.ble.sim import BlueZSimulator, DeviceSpec, Profile, SimulatorError
from drivers.ble.transport import BleInstrument
from drivers.instrument import InstrumentOptions
from tests.instruments.contract import Rig, options

_addresses = itertools.count(1)

DRIVERS: dict[Profile, type[BleInstrument]] = {
    Profile.BLOOD_PRESSURE: BleBloodPressure,
    Profile.THERMOMETER: BleThermometer,
    Profile.WEIGHT: BleWeight,
    Profile.PULSE_OXIMETER: BlePulseOximeter,
}
EXPECT: dict[Profile, dict[str, float]] = {
    Profile.BLOOD_PRESSURE: {"systolic": 120, "diastolic": 80, "map": 93, "pulse": 72},
    Profile.THERMOMETER: {"temperature": 37.2},
    Profile.WEIGHT: {"weight": 70.5},
    Profile.PULSE_OXIMETER: {"spo2": 97, "pulse": 64},
}


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="module")
def bluez() -> Iterator[BlueZSimulator]:
    sim = BlueZSimulator()
    try:
        address = sim.start()
    except SimulatorError as exc:
        pytest.fail(f"the simulated BlueZ (private dbus-daemon) cannot start: {exc}")
    assert sim.daemon is not None and sim.daemon.pid is not None
    pid = sim.daemon.pid
    saved = os.environ.get("DBUS_SYSTEM_BUS_ADDRESS")
    os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = address
    try:
        yield sim
    finally:
        if saved is None:
            os.environ.pop("DBUS_SYSTEM_BUS_ADDRESS", None)
        else:
            os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = saved
        sim.stop()
        assert not _pid_alive(pid), f"dbus-daemon {pid} still running"


@pytest_asyncio.fixture(autouse=True)
async def _release_bleak_bus() -> AsyncIterator[None]:
    """Close bleak's BlueZ connection of this test's loop when the test ends.

    bleak keeps one manager (and one D-Bus socket) per event loop for the life of the process,
    which suits the kiosk's single loop; each test has its own loop, so it closes its own.
    """
    yield
    instances = bluez_manager._global_instances
    manager = instances.pop(asyncio.get_running_loop(), None)
    bus = getattr(manager, "_bus", None)
    if bus is not None:
        bus.disconnect()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(bus.wait_for_disconnect(), 2.0)


DeviceFactory = Callable[..., str]


@pytest.fixture
def ble_device(bluez: BlueZSimulator) -> Iterator[DeviceFactory]:
    """``ble_device(profile, **spec)`` adds a simulated device; returns its address."""
    added: list[str] = []

    def add(profile: Profile, **spec: Any) -> str:
        n = next(_addresses)
        address = spec.pop("address", f"C0:FF:EE:00:{n >> 8:02X}:{n & 0xFF:02X}")
        bluez.add_device(DeviceSpec(profile=profile, address=address, **spec))
        added.append(address)
        return address

    yield add
    for address in added:
        bluez.remove_device(address)


def make_driver(profile: Profile, address: str, **overrides: Any) -> BleInstrument:
    return DRIVERS[profile](InstrumentOptions(**options(address=address, **overrides)))


def ble_rig(bluez: BlueZSimulator, ble_device: DeviceFactory, profile: Profile) -> Rig:
    address = ble_device(profile)
    return Rig(
        make=lambda **overrides: make_driver(profile, address, **overrides),
        unplug=lambda: bluez.unplug(address),
        replug=lambda: bluez.replug(address),
        garbage=lambda: bluez.set_noise(address),
        silence=lambda seconds: bluez.silence(address, seconds),
        slow=lambda: bluez.measure(address, steps=40, every=0.1),
        expect=EXPECT[profile],
    )
