"""What each serial family does beyond the shared contract, and the transport's seams."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from drivers.and_scale.serial import AndWeighing
from drivers.and_scale.sim import AndScaleSimulator
from drivers.contec.serial import ContecCms50d
from drivers.contec.sim import ContecSimulator
from drivers.instrument import (
    DeviceReportedError,
    InstrumentError,
    InstrumentOptions,
    InstrumentTimeoutError,
)
from drivers.masimo.serial import MasimoRad8
from drivers.masimo.sim import MasimoSimulator
from drivers.nonin.serial import NoninOem3
from drivers.nonin.sim import NoninSimulator
from drivers.ptysim import ScriptError
from drivers.serialport import SerialSettings, SerialTransport
from drivers.suntech import protocol as st
from drivers.suntech.serial import SunTechAdvantage
from drivers.suntech.sim import SunTechSimulator
from drivers.types import DeviceInfo, Reading, ReadingKind, Unit
from tests.helpers.waiting import wait_until
from tests.instruments.contract import options


def opts(sim_path: str, **overrides: object) -> InstrumentOptions:
    return InstrumentOptions(**options(port=sim_path, **overrides))


# -- SunTech ---------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_suntech_streams_cuff_pressure_then_the_result(suntech_sim: SunTechSimulator) -> None:
    suntech_sim.play(
        [
            {
                "measure": {
                    "inflate_s": 0.4,
                    "deflate_s": 0.4,
                    "peak": 150,
                    "systolic": 131,
                    "diastolic": 87,
                    "map": 102,
                    "pulse": 58,
                }
            }
        ]
    )
    seen: list[Reading] = []
    async with SunTechAdvantage(opts(suntech_sim.path)) as drv:
        reading = await drv.measure(timeout=10, on_reading=seen.append)
    cuffs = [r for r in seen if r.kind is ReadingKind.CUFF_PRESSURE]
    assert len(cuffs) >= 3 and all(r.intermediate for r in cuffs)
    assert max(r.values["cuff"] for r in cuffs) > 60
    assert dict(reading.values) == {"systolic": 131, "diastolic": 87, "map": 102, "pulse": 58}
    # the exchange on the wire: start, polls, then the fetch after the unasked K
    sent = bytes(suntech_sim.received)
    assert sent.startswith(st.START_ADULT + st.GET_CUFF_PRESSURE)
    assert sent.endswith(st.GET_BP_DATA)


@pytest.mark.asyncio
async def test_suntech_loose_cuff_is_no_value(suntech_sim: SunTechSimulator) -> None:
    suntech_sim.play([{"measure": {"error": 87, "inflate_s": 0.2}}])
    async with SunTechAdvantage(opts(suntech_sim.path)) as drv:
        reading = await drv.measure(timeout=10)
    assert not reading.valid
    assert reading.values == {}
    assert set(reading.missing.values()) == {"air_leak_or_loose_cuff"}
    assert "air_leak_or_loose_cuff" in reading.flags


@pytest.mark.asyncio
async def test_suntech_abort_deflates_the_cuff(suntech_sim: SunTechSimulator) -> None:
    suntech_sim.play([{"measure": {"inflate_s": 5, "deflate_s": 5}}])
    async with SunTechAdvantage(opts(suntech_sim.path)) as drv:
        first = asyncio.Event()
        task = asyncio.create_task(drv.measure(timeout=20, on_reading=lambda r: first.set()))
        await asyncio.wait_for(first.wait(), timeout=5)
        task.cancel()  # the patient cancels: the task is cancelled, the module aborts
        with pytest.raises(asyncio.CancelledError):
            await task
    assert st.ABORT in bytes(suntech_sim.received)


@pytest.mark.asyncio
async def test_suntech_deadline_aborts_too(suntech_sim: SunTechSimulator) -> None:
    suntech_sim.play([{"measure": {"inflate_s": 5, "deflate_s": 5}}])
    async with SunTechAdvantage(opts(suntech_sim.path)) as drv:
        with pytest.raises(InstrumentTimeoutError):
            await drv.measure(timeout=0.5)
    assert st.ABORT in bytes(suntech_sim.received)


@pytest.mark.asyncio
async def test_suntech_busy_module_is_a_typed_error(suntech_sim: SunTechSimulator) -> None:
    suntech_sim.play([{"measure": {"inflate_s": 5, "deflate_s": 5}}])
    async with SunTechAdvantage(opts(suntech_sim.path)) as drv:
        drv.send(st.START_ADULT)  # someone else started the cuff
        wait_until(
            lambda: st.START_ADULT in bytes(suntech_sim.received),
            "the start at the simulator",
            timeout=3,
        )
        with pytest.raises(DeviceReportedError) as info:
            await drv.measure(timeout=5)
    assert info.value.reason == "busy"
    assert info.value.code == "B"


def test_suntech_sim_answers_unknown_commands_with_an_error(suntech_sim: SunTechSimulator) -> None:
    import serial

    with serial.serial_for_url(suntech_sim.path, timeout=2) as port:
        port.write(b"\x3a\x55\x00")
        assert port.read(4) == st.encode_ack(st.AckCode.ERROR_E)


# -- A&D -------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_scale_three_unstable_then_stable(scale_sim: AndScaleSimulator) -> None:
    seen: list[Reading] = []
    async with AndWeighing(opts(scale_sim.path)) as drv:
        reading = await drv.measure(timeout=10, on_reading=seen.append)
    unstable = seen[:-1]
    assert [r.values["weight"] for r in unstable] == [70.3, 70.65, 70.45]
    assert all(r.intermediate and "unstable" in r.flags for r in unstable)
    assert reading.values == {"weight": 70.5} and not reading.flags


@pytest.mark.asyncio
async def test_scale_overload_and_error(scale_sim: AndScaleSimulator) -> None:
    scale_sim.play([{"weight": {"overload": True}}, {"error": "E01"}])
    async with AndWeighing(opts(scale_sim.path)) as drv:
        reading = await drv.measure(timeout=5)
        assert reading.values == {} and reading.missing == {"weight": "overload"}
        with pytest.raises(DeviceReportedError) as info:
            await drv.measure(timeout=5)
    assert info.value.code == "E01"


@pytest.mark.parametrize(
    ("value", "line"), [(0.0, b"OL,+9999999E+19\r\n"), (-1.0, b"OL,-9999999E+19\r\n")]
)
def test_scale_sim_sends_the_real_overload_line(
    scale_sim: AndScaleSimulator, value: float, line: bytes
) -> None:
    import serial

    scale_sim.play([{"weight": {"overload": True, "value": value}}] * 2)
    with serial.serial_for_url(scale_sim.path, timeout=2) as port:
        port.write(b"Q\r\n")
        assert port.readline() == line
        port.write(b"S\r\n")  # "once stable": an overload is answered all the same
        assert port.readline() == line


@pytest.mark.parametrize("value", [0.0, -1.0], ids=["OL+", "OL-"])
@pytest.mark.asyncio
async def test_scale_real_overload_is_a_final_reading_without_value(
    scale_sim: AndScaleSimulator, value: float
) -> None:
    scale_sim.play(
        [
            {"weight": {"value": 180.2, "stable": False}},
            {"weight": {"overload": True, "value": value}},
        ]
    )
    seen: list[Reading] = []
    async with AndWeighing(opts(scale_sim.path)) as drv:
        reading = await drv.measure(timeout=5, on_reading=seen.append)
    assert [r.values for r in seen] == [{"weight": 180.2}, {}]  # the screen saw both
    assert seen[-1] is reading
    assert reading == Reading(
        kind=ReadingKind.WEIGHT,
        unit=Unit.KG,
        values={},
        missing={"weight": "overload"},
        device=DeviceInfo(id="dev", model="A&D"),
        received_at=reading.received_at,
        flags=frozenset({"overload"}),
        intermediate=False,
    )
    assert not reading.valid


def test_scale_sim_commands(scale_sim: AndScaleSimulator) -> None:
    import serial

    scale_sim.play(
        [{"weight": {"value": 1.5, "stable": False}}, {"weight": {"value": 1250, "unit": "g"}}]
    )
    with serial.serial_for_url(scale_sim.path, timeout=2) as port:
        port.write(b"Z\r\nS\r\n")
        assert port.readline() == b"ST,+01250.00  g\r\n"
        port.write(b"X\r\n")
        assert port.readline() == b"EC,E01\r\n"


# -- oximeters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sim_cls", "driver", "reason"),
    [
        (NoninSimulator, NoninOem3, "out_of_track"),
        (ContecSimulator, ContecCms50d, "finger_out"),
        (MasimoSimulator, MasimoRad8, "no_value"),
    ],
)
@pytest.mark.asyncio
async def test_oximeter_finger_out_then_in(
    tmp_path: Path, sim_cls: type, driver: type, reason: str
) -> None:
    sim = sim_cls(link=tmp_path / "tty", period=0.1)
    sim.start()
    try:
        sim.play(
            [
                {"sample": {"finger_out": True, "seconds": 0.6}},
                {"sample": {"spo2": 95, "pulse": 66}},
            ]
        )
        seen: list[Reading] = []
        async with driver(opts(sim.path)) as drv:
            reading = await drv.measure(timeout=10, on_reading=seen.append)
    finally:
        sim.stop()
    invalid = seen[:-1]
    assert invalid and all(not r.valid for r in invalid)
    assert {why for r in invalid for why in r.missing.values()} == {reason}
    assert reading.values["spo2"] == 95 and reading.values["pulse"] == 66


@pytest.mark.asyncio
async def test_masimo_device_clock_is_kept_only_within_the_window(
    masimo_sim: MasimoSimulator,
) -> None:
    async with MasimoRad8(opts(masimo_sim.path)) as drv:
        kept = await drv.measure(timeout=5)
    assert kept.device_time is not None and "device_clock_off" not in kept.flags
    async with MasimoRad8(opts(masimo_sim.path, clock_window=0.0)) as drv:
        dropped = await drv.measure(timeout=5)
    assert dropped.device_time is None and "device_clock_off" in dropped.flags


# -- transport and options -------------------------------------------------------------------


@pytest.mark.asyncio
async def test_spy_url_works_for_a_technician(
    nonin_sim: NoninSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    # spy:// hexdumps to stderr (its file= option leaves the file open: pyserial 3.5)
    async with NoninOem3(opts(f"spy://{nonin_sim.path}")) as drv:
        reading = await drv.measure(timeout=5)
    assert reading.valid
    assert " RX " in capsys.readouterr().err


@pytest.mark.asyncio
async def test_loop_url_is_read_by_a_named_thread() -> None:
    got = bytearray()
    states: list[bool] = []
    transport = SerialTransport(
        "loop://", SerialSettings(), name="loop", on_data=got.extend, on_state=states.append
    )
    await transport.start()
    try:
        assert transport.connected and states == [True]
        transport.write(b"hello")
        deadline = time.monotonic() + 3
        while bytes(got) != b"hello":
            assert time.monotonic() < deadline
            await asyncio.sleep(0.01)  # polling a condition within a deadline
        transport.reset_input()
    finally:
        await transport.close()
    assert not transport.connected


@pytest.mark.asyncio
async def test_missing_port_then_plugged(tmp_path: Path) -> None:
    link = tmp_path / "later"
    drv = NoninOem3(opts(str(link), connect_grace=0.2))
    async with drv:
        report = await drv.selftest()
        assert not report.ok and report.checks[0].name == "port"
        sim = NoninSimulator(link=link)
        sim.start()
        try:
            assert (await drv.measure(timeout=5)).valid
        finally:
            sim.stop()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [({"port": ""}, "needs a port"), ({"parity": "X"}, "parity"), ({"id": ""}, "need an id")],
)
def test_bad_options_are_typed(overrides: dict[str, str], message: str) -> None:
    with pytest.raises(InstrumentError, match=message) as info:
        NoninOem3(InstrumentOptions(**{**options(port="/dev/null"), **overrides}))
    assert info.value.reason == "bad_options"


def test_options_merge_with_family_defaults() -> None:
    drv = ContecCms50d(InstrumentOptions(**options(port="/dev/null", baudrate=4800)))
    assert drv.settings == SerialSettings(baudrate=4800, parity="O", bytesize=8, stopbits=1)


def test_sim_rejects_bad_script_steps(tmp_path: Path) -> None:
    sim = SunTechSimulator(link=tmp_path / "x")
    for step in ({"measure": {"colour": 1}}, {"garbage": "zz"}, {"unplug": -1}, {"a": 1, "b": 2}):
        with pytest.raises(ScriptError):
            sim.play([step])


@pytest.mark.asyncio
async def test_scale_zero_and_tare_reach_the_scale(scale_sim: AndScaleSimulator) -> None:
    async with AndWeighing(opts(scale_sim.path)) as drv:
        await drv.zero()
        await drv.tare()
        wait_until(lambda: scale_sim.zeroed == 2, "the zero and the tare at the scale", timeout=3)
    assert bytes(scale_sim.received) == b"Z\r\nT\r\n"
