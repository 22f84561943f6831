"""BLE instruments through bleak's real BlueZ backend and the simulated BlueZ.

``reading_to_screen_ble``: a notification written by the simulated device -> the Reading
delivered to the session (kiosk: the tensiometer driver and the session relay; bare: a bleak
notification callback on the same link). ``ble_connect``: measure() called -> the record
characteristic subscribed (scan, connect, discover, write the time, subscribe), against a bare
bleak scan + connect + subscribe.
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

from bench.common import entry, stats, until

ENTRIES = ("reading_to_screen_ble", "ble_connect")
NOTIFICATIONS = 500
WARMUP = 30
CONNECTS = 20
BUDGET = "median <= 20 ms (notification sent by the device -> Reading delivered to the session)"
CONNECT_BUDGET = "median <= 1.5x bare bleak scan + connect + discover + subscribe"


def _cuff(mmhg: int) -> bytes:
    from drivers.ble import gatt as g
    from drivers.ieee11073 import Special
    from drivers.types import Unit

    return g.encode_blood_pressure(
        g.BloodPressure(Unit.MM_HG, float(mmhg), Special.NAN, Special.NAN)
    )


async def _stream(sim: Any, address: str, arrived: asyncio.Event, got: list[float]) -> list[float]:
    """Send notifications one at a time; latency = arrival - the simulator's send time."""
    from drivers.ble import gatt as g

    loop = asyncio.get_running_loop()
    samples: list[float] = []
    for i in range(WARMUP + NOTIFICATIONS):
        arrived.clear()
        sent = await loop.run_in_executor(
            None, sim.notify, address, g.INTERMEDIATE_CUFF_PRESSURE, _cuff(20 + i % 200)
        )
        await asyncio.wait_for(arrived.wait(), timeout=5)
        if i >= WARMUP:
            samples.append((got[-1] - sent) * 1000)
    return samples


async def _kiosk_stream(sim: Any, address: str) -> list[float]:
    from drivers.ble import gatt as g
    from drivers.ble.drivers import BleBloodPressure
    from drivers.instrument import InstrumentOptions
    from kiosk.instruments import relay_to

    arrived = asyncio.Event()
    got: list[float] = []
    events: list[Any] = []
    relay = relay_to(events.append)

    def on_reading(reading: Any) -> None:
        relay(reading)
        got.append(time.monotonic())
        arrived.set()

    drv = BleBloodPressure(InstrumentOptions(id="bench", address=address))
    async with drv:
        task = asyncio.create_task(drv.measure(timeout=120, on_reading=on_reading))
        await until(
            lambda: g.BLOOD_PRESSURE_MEASUREMENT in sim.state(address)["notifying"],
            "the driver's subscription",
            timeout=10,
            every=0.005,
        )
        samples = await _stream(sim, address, arrived, got)
        final = g.encode_blood_pressure(g.BloodPressure(drv_unit(), 120.0, 80.0, 93.0))
        sim.notify(address, g.BLOOD_PRESSURE_MEASUREMENT, final)
        await asyncio.wait_for(task, timeout=10)
    return samples


def drv_unit() -> Any:
    from drivers.types import Unit

    return Unit.MM_HG


async def _bare_stream(sim: Any, address: str) -> list[float]:
    from bleak import BleakClient, BleakScanner

    from drivers.ble import gatt as g

    arrived = asyncio.Event()
    got: list[float] = []

    def on_value(char: Any, data: bytearray) -> None:
        got.append(time.monotonic())
        arrived.set()

    device = await BleakScanner.find_device_by_address(address, timeout=10)
    if device is None:
        raise RuntimeError("bare bleak did not find the simulated device")
    async with BleakClient(device, timeout=10) as client:
        await client.start_notify(g.uuid16(g.INTERMEDIATE_CUFF_PRESSURE), on_value)
        return await _stream(sim, address, arrived, got)


async def _kiosk_connect(sim: Any, address: str) -> list[float]:
    from drivers.ble.drivers import BleBloodPressure
    from drivers.instrument import InstrumentOptions

    samples: list[float] = []
    drv = BleBloodPressure(InstrumentOptions(id="bench", address=address))
    async with drv:
        for _ in range(CONNECTS):
            started = time.monotonic()
            await drv.measure(timeout=30)
            samples.append((sim.state(address)["subscribed_at"] - started) * 1000)
    return samples


def _seen(address: str, found: asyncio.Future[Any]) -> Any:
    def seen(device: Any, adv: Any) -> None:
        if device.address == address and not found.done():
            found.set_result(device)

    return seen


async def _bare_connect(sim: Any, address: str) -> list[float]:
    from bleak import BleakClient, BleakScanner

    from drivers.ble import gatt as g

    samples: list[float] = []
    loop = asyncio.get_running_loop()
    for _ in range(CONNECTS):
        started = time.monotonic()
        found: asyncio.Future[Any] = loop.create_future()

        # the callback is in place before the scan starts, as in the driver
        scanner = BleakScanner(
            _seen(address, found), service_uuids=[g.uuid16(g.BLOOD_PRESSURE_SERVICE)]
        )
        await scanner.start()
        try:
            device = await asyncio.wait_for(found, timeout=10)
        finally:
            await scanner.stop()
        async with BleakClient(device, timeout=10) as client:
            await client.start_notify(g.uuid16(g.BLOOD_PRESSURE_MEASUREMENT), lambda c, d: None)
            samples.append((sim.state(address)["subscribed_at"] - started) * 1000)
    return samples


async def _all(sim: Any) -> dict[str, list[float]]:
    from drivers.ble.sim import DeviceSpec, Profile

    stream, connect = "C0:FF:EE:BE:00:01", "C0:FF:EE:BE:00:02"
    sim.add_device(DeviceSpec(profile=Profile.BLOOD_PRESSURE, address=stream, auto_measure=False))
    sim.add_device(DeviceSpec(profile=Profile.BLOOD_PRESSURE, address=connect))
    return {
        "bare": await _bare_stream(sim, stream),
        "kiosk": await _kiosk_stream(sim, stream),
        "bare_connect": await _bare_connect(sim, connect),
        "kiosk_connect": await _kiosk_connect(sim, connect),
    }


def run() -> dict[str, Any]:
    from drivers.ble.sim import BlueZSimulator

    sim = BlueZSimulator()
    saved = os.environ.get("DBUS_SYSTEM_BUS_ADDRESS")
    os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = sim.start()
    try:
        runs = asyncio.run(_all(sim))
    finally:
        sim.stop()
        if saved is None:
            os.environ.pop("DBUS_SYSTEM_BUS_ADDRESS", None)
        else:
            os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = saved
    kiosk, bare = stats(runs["kiosk"], "ms"), stats(runs["bare"], "ms")
    kiosk_c, bare_c = stats(runs["kiosk_connect"], "ms"), stats(runs["bare_connect"], "ms")
    return {
        "reading_to_screen_ble": entry(kiosk, bare, budget=BUDGET, met=kiosk["median"] <= 20.0),
        "ble_connect": entry(
            kiosk_c,
            bare_c,
            budget=CONNECT_BUDGET,
            met=kiosk_c["median"] <= 1.5 * bare_c["median"],
        ),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
