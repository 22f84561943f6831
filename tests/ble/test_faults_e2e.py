"""Each scripted fault, end to end: driver -> bleak's BlueZ backend -> private bus -> sim."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest

from drivers.ble import gatt as g
from drivers.ble.sim import BlueZSimulator, Fault, Profile
from drivers.ble.transport import STORED_FLAG
from drivers.instrument import (
    DeviceReportedError,
    InstrumentTimeoutError,
    InstrumentUnpluggedError,
)
from drivers.types import Reading, ReadingKind
from tests.ble.conftest import DeviceFactory, make_driver

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

BP = Profile.BLOOD_PRESSURE


def calls(bluez: BlueZSimulator, member: str, address: str) -> int:
    path = "dev_" + address.replace(":", "_") if address else ""
    return sum(1 for c in list(bluez.calls) if c.split()[0].endswith(member) and path in c)


async def test_device_not_found(bluez: BlueZSimulator, ble_device: DeviceFactory) -> None:
    address = ble_device(BP, advertising=False)
    async with make_driver(BP, address, connect_grace=0.3, answer_timeout=0.3) as drv:
        started = time.monotonic()
        with pytest.raises(InstrumentUnpluggedError, match="not found"):
            await drv.measure(timeout=5)
        assert time.monotonic() - started < 2
        report = await drv.selftest()
    assert not report.ok
    assert report.checks[0].name == "advertising"


async def test_connect_failures_are_retried_with_backoff(
    bluez: BlueZSimulator, ble_device: DeviceFactory
) -> None:
    address = ble_device(BP)
    bluez.arm(address, Fault.CONNECT_FAIL, 2)
    async with make_driver(BP, address) as drv:
        reading = await drv.measure(timeout=10)
    assert reading.values["systolic"] == 120
    assert calls(bluez, "Device1.Connect", address) == 3


async def test_link_drop_before_the_indication(
    bluez: BlueZSimulator, ble_device: DeviceFactory
) -> None:
    address = ble_device(BP)
    bluez.arm(address, Fault.LINK_DROP)
    bluez.measure(address, systolic=142, diastolic=91, map=108, pulse=77)
    seen: list[Reading] = []
    async with make_driver(BP, address) as drv:
        reading = await drv.measure(timeout=10, on_reading=seen.append)
    assert dict(reading.values) == {"systolic": 142, "diastolic": 91, "map": 108, "pulse": 77}
    cuffs = [r for r in seen if r.kind is ReadingKind.CUFF_PRESSURE]
    assert len(cuffs) == 6  # the first try's inflation, then the second's
    assert not bluez.state(address)["connected"]  # disconnected after the measurement


async def test_pairing_when_the_device_asks(
    bluez: BlueZSimulator, ble_device: DeviceFactory
) -> None:
    address = ble_device(BP, pairing=True)
    async with make_driver(BP, address) as drv:
        reading = await drv.measure(timeout=10)
    assert reading.valid
    state = bluez.state(address)
    assert state["host_paired"] and state["bonded"]
    assert calls(bluez, "Device1.Pair", address) == 1


async def test_pairing_refused(bluez: BlueZSimulator, ble_device: DeviceFactory) -> None:
    address = ble_device(BP, pairing=True)
    bluez.arm(address, Fault.PAIRING_REFUSED)
    async with make_driver(BP, address) as drv:
        with pytest.raises(DeviceReportedError) as info:
            await drv.measure(timeout=10)
    assert info.value.code == "pairing_refused"


async def test_bond_lost_before_the_first_connection(
    bluez: BlueZSimulator, ble_device: DeviceFactory
) -> None:
    address = ble_device(BP, pairing=True)
    bluez.arm(address, Fault.BOND_LOST)  # BlueZ lists it paired from a previous install
    async with make_driver(BP, address) as drv:
        assert (await drv.measure(timeout=10)).valid
    assert bluez.state(address)["bonded"]


async def test_bond_lost_is_repaired(bluez: BlueZSimulator, ble_device: DeviceFactory) -> None:
    address = ble_device(BP, pairing=True)
    async with make_driver(BP, address) as drv:
        assert (await drv.measure(timeout=10)).valid
        # the cuff forgets its keys (reset, or paired with a phone): BlueZ still has ours
        bluez.arm(address, Fault.BOND_LOST)
        reading = await drv.measure(timeout=10)
    assert reading.valid
    assert calls(bluez, "Adapter1.RemoveDevice", "") >= 1
    assert calls(bluez, "Device1.Pair", address) == 2
    assert bluez.state(address)["bonded"]


async def test_services_that_never_resolve(
    bluez: BlueZSimulator, ble_device: DeviceFactory
) -> None:
    address = ble_device(BP)
    bluez.arm(address, Fault.NEVER_RESOLVE)
    async with make_driver(BP, address, answer_timeout=0.2) as drv:
        reading = await drv.measure(timeout=10)  # own deadline, then a new connection
    assert reading.valid
    bluez.arm(address, Fault.NEVER_RESOLVE, 100)
    async with make_driver(BP, address, answer_timeout=0.2) as drv:
        started = time.monotonic()
        with pytest.raises(InstrumentTimeoutError):
            await drv.measure(timeout=2.0)
        assert time.monotonic() - started < 4


async def test_stored_record_sent_three_times_is_delivered_once(
    bluez: BlueZSimulator, ble_device: DeviceFactory
) -> None:
    address = ble_device(BP, resend_stored=3)
    bluez.measure(address, systolic=111)
    async with make_driver(BP, address) as drv:
        first = await drv.measure(timeout=10)
        bluez.measure(address, systolic=133)
        seen: list[Reading] = []
        second = await drv.measure(timeout=10, on_reading=seen.append)
    assert first.values["systolic"] == 111
    assert second.values["systolic"] == 133
    finals = [r for r in seen if r.kind is ReadingKind.BLOOD_PRESSURE]
    assert [r.values["systolic"] for r in finals] == [133]
    sent = [s for s in bluez.state(address)["sent"] if s[0] == g.BLOOD_PRESSURE_MEASUREMENT]
    assert len(sent) == 1 + 3 + 1  # the old record really went out three more times


async def test_racp_stored_records(bluez: BlueZSimulator, ble_device: DeviceFactory) -> None:
    address = ble_device(Profile.THERMOMETER, racp=True)
    bluez.measure(address, temperature=36.6)
    bluez.measure(address, temperature=36.8)
    async with make_driver(Profile.THERMOMETER, address) as drv:
        await drv.measure(timeout=10)
        await drv.measure(timeout=10)
    # a new driver (the kiosk restarted) fetches both as stored, then takes the new one
    bluez.measure(address, temperature=38.1)
    seen: list[Reading] = []
    async with make_driver(Profile.THERMOMETER, address) as drv:
        reading = await drv.measure(timeout=10, on_reading=seen.append)
    assert reading.values["temperature"] == 38.1 and STORED_FLAG not in reading.flags
    stored = [r.values["temperature"] for r in seen if STORED_FLAG in r.flags]
    assert stored == [36.6, 36.8]
    assert (g.RECORD_ACCESS_CONTROL_POINT, b"\x01\x01") in bluez.state(address)["writes"]


async def test_wrong_device_clock_without_current_time(
    bluez: BlueZSimulator, ble_device: DeviceFactory
) -> None:
    address = ble_device(Profile.WEIGHT, current_time=False, clock_offset=-2 * 86400)
    async with make_driver(Profile.WEIGHT, address, clock_window=300) as drv:
        reading = await drv.measure(timeout=10)
    assert reading.device_time is None
    assert "device_clock_off" in reading.flags
    assert reading.values["weight"] == 70.5


async def test_current_time_is_written_and_fixes_the_clock(
    bluez: BlueZSimulator, ble_device: DeviceFactory
) -> None:
    address = ble_device(Profile.WEIGHT, clock_offset=-2 * 86400)
    async with make_driver(Profile.WEIGHT, address, clock_window=300) as drv:
        reading = await drv.measure(timeout=10)
    assert reading.device_time is not None and "device_clock_off" not in reading.flags
    assert abs(reading.device_time - reading.received_at) < timedelta(seconds=5)
    written = [w for w in bluez.state(address)["writes"] if w[0] == g.CURRENT_TIME]
    assert len(written) == 1


async def test_timestamp_year_zero_and_future(
    bluez: BlueZSimulator, ble_device: DeviceFactory
) -> None:
    address = ble_device(Profile.THERMOMETER)
    bluez.measure(address, time="unknown")
    future = (datetime.now() + timedelta(days=400)).replace(microsecond=0).isoformat()
    bluez.measure(address, time=future)
    async with make_driver(Profile.THERMOMETER, address) as drv:
        unknown = await drv.measure(timeout=10)
        ahead = await drv.measure(timeout=10)
    assert unknown.device_time is None and "device_time_unknown" in unknown.flags
    assert ahead.device_time is None and "device_clock_off" in ahead.flags


async def test_malformed_payload_then_a_good_one(
    bluez: BlueZSimulator, ble_device: DeviceFactory
) -> None:
    address = ble_device(BP)
    bluez.send_raw(address, b"\x1e\x8a")
    bluez.measure(address, systolic=125)
    async with make_driver(BP, address) as drv:
        reading = await drv.measure(timeout=10)
        assert reading.values["systolic"] == 125
        bluez._call(lambda: setattr(bluez.devices[address].spec, "auto_measure", False))
        bluez.send_raw(address, b"\x00\x01")
        with pytest.raises(InstrumentTimeoutError):
            await drv.measure(timeout=1.0)
        assert "payload of 2 byte(s)" in drv.last_error


async def test_err_reading_is_relayed_as_missing(
    bluez: BlueZSimulator, ble_device: DeviceFactory
) -> None:
    address = ble_device(BP)
    bluez.measure(address, nan=True)
    async with make_driver(BP, address) as drv:
        reading = await drv.measure(timeout=10)
    assert not reading.valid
    assert set(reading.missing) == {"systolic", "diastolic", "map", "pulse"}
    assert set(reading.missing.values()) == {"not_a_number"}


async def test_scale_with_body_composition(
    bluez: BlueZSimulator, ble_device: DeviceFactory
) -> None:
    address = ble_device(Profile.WEIGHT)
    bluez.measure(address, weight=82.35, body_fat=24.5, bmi=26.9, height=1.75)
    seen: list[Reading] = []
    async with make_driver(Profile.WEIGHT, address) as drv:
        reading = await drv.measure(timeout=10, on_reading=seen.append)
    assert dict(reading.values) == {"weight": 82.35, "bmi": 26.9, "height": 1.75}
    composition = [r for r in seen if r.kind is ReadingKind.BODY_COMPOSITION]
    assert composition[0].values["body_fat"] == 24.5


async def test_oximeter_valid_continuous_reading_ends_the_measurement(
    bluez: BlueZSimulator, ble_device: DeviceFactory
) -> None:
    address = ble_device(Profile.PULSE_OXIMETER)
    bluez.measure(address, search=3, spo2=95, pulse=81)
    seen: list[Reading] = []
    async with make_driver(Profile.PULSE_OXIMETER, address) as drv:
        reading = await drv.measure(timeout=10, on_reading=seen.append)
        continuous = bluez.notify(address, g.PLX_CONTINUOUS, b"\x00" + bytes.fromhex("6000"))
        assert continuous > 0
    assert dict(reading.values) == {"spo2": 95, "pulse": 81}
    assert sum(1 for r in seen if not r.valid) == 3


async def test_selftest_reports_a_device_that_will_not_connect(
    bluez: BlueZSimulator, ble_device: DeviceFactory
) -> None:
    address = ble_device(Profile.THERMOMETER)
    bluez.arm(address, Fault.CONNECT_FAIL, 1)
    async with make_driver(Profile.THERMOMETER, address, answer_timeout=0.3) as drv:
        failed = await drv.selftest()
        passed = await drv.selftest()
    assert not failed.ok
    assert [c.name for c in failed.checks] == ["advertising", "connects"]
    assert "connect failed" in failed.checks[1].detail
    assert passed.ok and [c.name for c in passed.checks][-1] == "answers"


async def test_vendor_quirks(bluez: BlueZSimulator, ble_device: DeviceFactory) -> None:
    from typing import ClassVar

    from drivers.ble.drivers import BleWeight
    from drivers.ble.transport import Quirks
    from drivers.instrument import InstrumentOptions

    class QuirkyScale(BleWeight):
        # a vendor that prefixes each record with a sequence byte and wants a bond up front
        quirks_by_model: ClassVar[dict[str, Quirks]] = {
            "Acme S1": Quirks(
                pair_first=True,
                write_time=False,
                use_racp=False,
                fix_payload=lambda uuid, data: data[1:],
            )
        }

    address = ble_device(Profile.WEIGHT, racp=True, auto_measure=False)
    record = g.encode_weight(g.Weight(False, 64.2))
    bluez.send_raw(address, b"\x07" + record)
    bluez.measure(address, weight=99.0)  # what an unfixed driver would end up taking
    options = InstrumentOptions(id="dev", address=address, model="Acme S1")
    async with QuirkyScale(options) as drv:
        reading = await drv.measure(timeout=10)
    assert reading.values["weight"] == 64.2
    assert reading.device.model == "Acme S1"
    state = bluez.state(address)
    assert state["host_paired"]  # paired although the scale did not ask
    assert state["writes"] == []  # neither the time nor RACP
