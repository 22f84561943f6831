"""The contract every instrument driver keeps, one suite per kind, run on its simulator.

Reusable by any transport: a test module subclasses the kind's suite (``BloodPressureContract``,
``WeightContract``, ``SpO2Contract``, ``TemperatureContract``) as ``Test...`` and provides a
``rig`` fixture returning a :class:`Rig`: how to build the driver and how to make its
simulated device unplug, come back, send garbage, fall silent or measure slowly.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest

from drivers.instrument import (
    Instrument,
    InstrumentTimeoutError,
    InstrumentUnpluggedError,
    MeasurementAbortedError,
)
from drivers.types import Reading, ReadingKind, Unit


@dataclass
class Rig:
    """A driver and the device it talks to; each handle acts on the simulated device."""

    #: A new, unopened driver; keyword arguments override its options.
    make: Callable[..., Instrument]
    unplug: Callable[[], None]
    replug: Callable[[], None]
    #: From now on the device's line carries noise between its frames.
    garbage: Callable[[], None]
    #: The device answers nothing for this many seconds.
    silence: Callable[[float], None]
    #: The next measurement sends readings on the way for several seconds before its result.
    slow: Callable[[], None]
    #: Values of the device's default measurement.
    expect: Mapping[str, float]


async def _wait_for(event: asyncio.Event, timeout: float, what: str) -> None:
    try:
        await asyncio.wait_for(event.wait(), timeout=timeout)
    except TimeoutError:
        pytest.fail(f"{what} did not happen within {timeout} s")


class InstrumentContract:
    """Measure, self-test, unplug, replug, garbage, timeout, abort."""

    kind: ClassVar[ReadingKind]
    #: Names every valid final reading of this kind carries.
    value_names: ClassVar[frozenset[str]]
    #: Units the main value may be in.
    units: ClassVar[frozenset[Unit]]
    #: Kinds a reading on the way may have (cuff pressure for a tensiometer).
    on_the_way: ClassVar[frozenset[ReadingKind]] = frozenset()

    def check_final(self, reading: Reading, rig: Rig) -> None:
        assert reading.kind is self.kind
        assert not reading.intermediate
        assert reading.valid, f"missing: {dict(reading.missing)}"
        assert set(reading.values) >= self.value_names
        assert reading.unit in self.units
        assert reading.device.id == "dev"
        assert reading.device.model  # the results sheet names the instrument
        for name, value in rig.expect.items():
            assert reading.values[name] == pytest.approx(value)

    @pytest.mark.asyncio
    async def test_measure(self, rig: Rig) -> None:
        seen: list[Reading] = []
        async with rig.make() as drv:
            reading = await drv.measure(timeout=15, on_reading=seen.append)
        self.check_final(reading, rig)
        assert seen[-1] is reading
        for earlier in seen[:-1]:
            assert earlier.kind in self.on_the_way | {self.kind}
            assert earlier.intermediate or not earlier.valid

    @pytest.mark.asyncio
    async def test_measure_twice(self, rig: Rig) -> None:
        async with rig.make() as drv:
            self.check_final(await drv.measure(timeout=15), rig)
            self.check_final(await drv.measure(timeout=15), rig)

    @pytest.mark.asyncio
    async def test_selftest(self, rig: Rig) -> None:
        async with rig.make() as drv:
            report = await drv.selftest()
        assert report.ok, report
        assert report.device == "dev"

    @pytest.mark.asyncio
    async def test_unplugged_device_fails_fast(self, rig: Rig) -> None:
        rig.unplug()
        async with rig.make(connect_grace=0.3) as drv:
            started = time.monotonic()
            with pytest.raises(InstrumentUnpluggedError) as info:
                await drv.measure(timeout=10)
            assert time.monotonic() - started < 3
            assert info.value.reason == "unplugged"
            report = await drv.selftest()
        assert not report.ok

    @pytest.mark.asyncio
    async def test_unplug_during_measurement(self, rig: Rig) -> None:
        rig.slow()
        first = asyncio.Event()
        async with rig.make() as drv:
            task = asyncio.create_task(drv.measure(timeout=20, on_reading=lambda r: first.set()))
            await _wait_for(first, 10, "a reading on the way")
            rig.unplug()
            started = time.monotonic()
            with pytest.raises(InstrumentUnpluggedError):
                await asyncio.wait_for(task, timeout=5)
            assert time.monotonic() - started < 3

    @pytest.mark.asyncio
    async def test_replug(self, rig: Rig) -> None:
        async with rig.make(connect_grace=0.3) as drv:
            self.check_final(await drv.measure(timeout=15), rig)
            rig.unplug()
            with pytest.raises(InstrumentUnpluggedError):
                await drv.measure(timeout=10)
            rig.replug()
            # the same driver, not reopened: the transport finds the device again
            self.check_final(await drv.measure(timeout=15), rig)

    @pytest.mark.asyncio
    async def test_garbage_on_the_line(self, rig: Rig) -> None:
        rig.garbage()
        async with rig.make() as drv:
            self.check_final(await drv.measure(timeout=15), rig)

    @pytest.mark.asyncio
    async def test_timeout(self, rig: Rig) -> None:
        rig.silence(30)  # before opening: what the device sent earlier is flushed at open
        async with rig.make(answer_timeout=0.5) as drv:
            started = time.monotonic()
            with pytest.raises(InstrumentTimeoutError) as info:
                await drv.measure(timeout=1.0)
            elapsed = time.monotonic() - started
        assert info.value.reason == "timeout"
        assert 0.4 <= elapsed < 4, elapsed

    @pytest.mark.asyncio
    async def test_abort(self, rig: Rig) -> None:
        rig.slow()
        first = asyncio.Event()
        async with rig.make() as drv:
            task = asyncio.create_task(drv.measure(timeout=20, on_reading=lambda r: first.set()))
            await _wait_for(first, 10, "a reading on the way")
            await drv.abort()
            with pytest.raises(MeasurementAbortedError):
                await asyncio.wait_for(task, timeout=5)

    @pytest.mark.asyncio
    async def test_close_twice_and_no_measure_after_close(self, rig: Rig) -> None:
        drv = rig.make()
        await drv.open()
        await drv.close()
        await drv.close()
        with pytest.raises(Exception) as info:
            await drv.measure(timeout=1)
        assert getattr(info.value, "reason", None) == "closed"


class BloodPressureContract(InstrumentContract):
    kind = ReadingKind.BLOOD_PRESSURE
    value_names = frozenset({"systolic", "diastolic"})
    units = frozenset({Unit.MM_HG, Unit.KPA})
    on_the_way = frozenset({ReadingKind.CUFF_PRESSURE})


class WeightContract(InstrumentContract):
    kind = ReadingKind.WEIGHT
    value_names = frozenset({"weight"})
    units = frozenset({Unit.KG, Unit.POUND, Unit.GRAM})


class SpO2Contract(InstrumentContract):
    kind = ReadingKind.SPO2
    value_names = frozenset({"spo2", "pulse"})
    units = frozenset({Unit.PERCENT})

    def check_final(self, reading: Reading, rig: Rig) -> None:
        super().check_final(reading, rig)
        assert reading.unit_of("pulse") is Unit.PER_MINUTE


class TemperatureContract(InstrumentContract):
    kind = ReadingKind.TEMPERATURE
    value_names = frozenset({"temperature"})
    units = frozenset({Unit.CELSIUS, Unit.FAHRENHEIT})


CONTRACTS: dict[ReadingKind, type[InstrumentContract]] = {
    c.kind: c for c in (BloodPressureContract, WeightContract, SpO2Contract, TemperatureContract)
}


def options(**overrides: Any) -> dict[str, Any]:
    """Options every rig uses unless a test overrides them."""
    return {"id": "dev", "answer_timeout": 1.0, "connect_grace": 2.0, **overrides}
