"""Serial instruments: a frame written on the pty -> the Reading handed to the session.

Kiosk path: the Contec driver measuring (transport, decoder, Reading, the session relay);
bare path: an asyncio reader on the same kind of pty, no decoding. 1,000 frames each.
"""

from __future__ import annotations

import asyncio
import os
import time
import tty
from typing import Any

from bench.common import entry, stats

ENTRIES = ("reading_to_screen",)
FRAMES = 1000
WARMUP = 50
BUDGET = "median <= 20 ms (frame written on the pty -> Reading delivered to the session)"


def _p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))], 4)


async def _kiosk_path() -> list[float]:
    from drivers.contec import protocol as p
    from drivers.contec.serial import ContecCms50d
    from drivers.instrument import InstrumentOptions
    from kiosk.instruments import relay_to

    master, slave = os.openpty()
    tty.setraw(slave)
    name = os.ttyname(slave)
    arrived = asyncio.Event()
    events: list[Any] = []
    relay = relay_to(events.append)

    def on_reading(reading: Any) -> None:
        relay(reading)
        arrived.set()

    finger_out = p.encode(spo2=127, pulse=255, finger_out=True, signal=0)
    samples: list[float] = []
    drv = ContecCms50d(InstrumentOptions(id="bench", port=name))
    try:
        async with drv:
            task = asyncio.create_task(drv.measure(timeout=120, on_reading=on_reading))
            # until the measurement listens, frames are dropped: resend until one arrives
            for _ in range(50):
                os.write(master, finger_out)
                try:
                    await asyncio.wait_for(arrived.wait(), timeout=0.1)
                    break
                except TimeoutError:
                    continue
            else:
                raise RuntimeError("the driver never delivered a reading")
            for i in range(WARMUP + FRAMES):
                arrived.clear()
                t0 = time.perf_counter()
                os.write(master, finger_out)
                await asyncio.wait_for(arrived.wait(), timeout=5)
                if i >= WARMUP:
                    samples.append((time.perf_counter() - t0) * 1000)
            os.write(master, p.encode(spo2=97, pulse=70))
            await asyncio.wait_for(task, timeout=5)
    finally:
        os.close(master)
        os.close(slave)
    return samples


async def _bare_path() -> list[float]:
    master, slave = os.openpty()
    tty.setraw(slave)
    os.set_blocking(slave, False)
    loop = asyncio.get_running_loop()
    arrived = asyncio.Event()

    def readable() -> None:
        if os.read(slave, 4096):
            arrived.set()

    loop.add_reader(slave, readable)
    samples: list[float] = []
    try:
        for i in range(WARMUP + FRAMES):
            arrived.clear()
            t0 = time.perf_counter()
            os.write(master, b"\x90\x3c\x45\x7f\x7f")
            await asyncio.wait_for(arrived.wait(), timeout=5)
            if i >= WARMUP:
                samples.append((time.perf_counter() - t0) * 1000)
    finally:
        loop.remove_reader(slave)
        os.close(master)
        os.close(slave)
    return samples


def run() -> dict[str, Any]:
    bare = asyncio.run(_bare_path())
    kiosk = asyncio.run(_kiosk_path())
    kiosk_stats = {**stats(kiosk, "ms"), "p99": _p99(kiosk)}
    bare_stats = {**stats(bare, "ms"), "p99": _p99(bare)}
    return {
        "reading_to_screen": entry(
            kiosk_stats, bare_stats, budget=BUDGET, met=kiosk_stats["median"] <= 20.0
        )
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
