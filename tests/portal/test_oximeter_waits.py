"""An oximeter waits for a valid value until its time limit: a finger out of the probe at the
start is shown as it comes (live, to the doctor too), never taken for the result.

Real parts: the cabin (session, measurement service) with a Nonin OEM III simulator on a pty;
the call's data channel is the stand-in of ``test_call_unit``, with the real session binding.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from drivers.nonin.sim import NoninSimulator
from kiosk.call import SessionBinding
from kiosk.config import DeviceConfig
from kiosk.domain import ReadingKind
from kiosk.session import MeasurementRequested, State
from tests.cabin.conftest import (
    cabin_config,
    in_call_cabin,
    sims,  # noqa: F401 - the fixture
)
from tests.helpers.waiting import until
from tests.portal.test_call_unit import make_call

pytestmark = pytest.mark.asyncio


@pytest.fixture
def oximeter(sims: dict[str, Any]) -> Any:  # noqa: F811
    sim = NoninSimulator(name="t-spo2", link=sims["dir"] / "spo2", period=0.1)
    sim.start()
    yield sim
    sim.stop()


async def test_a_finger_out_at_first_is_waited_out_then_the_value_is_the_result(
    sims: dict[str, Any],  # noqa: F811
    oximeter: NoninSimulator,
) -> None:
    cfg = cabin_config(
        sims,
        oximeter=DeviceConfig(
            driver="nonin-oem3", kind="spo2", port=str(sims["dir"] / "spo2"), measure_timeout=10
        ),
    )
    call, channel = make_call()
    async with in_call_cabin(cfg) as cabin:
        cabin.call = call
        binding = SessionBinding(call, cabin.session, live=lambda: cabin.measurements.last_reading)
        cabin.measurements.on_status = cabin._on_measurement
        try:
            oximeter.play(
                [{"sample": {"finger_out": True, "seconds": 1.5}}, {"sample": {"spo2": 96}}]
            )
            session = cabin.session
            session.send(MeasurementRequested(ReadingKind.SPO2))
            # while the finger is out the measurement goes on (the screen shows why)
            await until(lambda: cabin.last_reading is not None, "a finger-out reading")
            assert not cabin.last_reading.valid
            await asyncio.sleep(0.5)
            assert session.state is State.MEASURING
            assert [m["state"] for m in channel.of_type("measuring")] == [
                "requested",
                "in_progress",
            ]
            # the doctor sees why it takes time, live: not kept, not numbered, not acked
            live = channel.of_type("live")
            assert live and all("id" not in m and "seq" not in m for m in live)
            assert {why for m in live for why in m["reading"]["missing"].values()} == {
                "out_of_track"
            }
            assert channel.of_type("reading") == []
            await until(lambda: session.state is State.IN_CALL, "the valid value")
            await until(lambda: channel.of_type("measuring")[-1]["state"] == "done", "done")
            # the result is the one reading kept and sent; the finger-out ones went live only
            assert session.data is not None
            assert [r.values.get("spo2") for r in session.data.readings] == [96.0]
            (sent,) = channel.of_type("reading")
            assert sent["reading"]["values"]["spo2"] == 96.0
            assert [m["state"] for m in channel.of_type("measuring")] == [
                "requested",
                "in_progress",
                "done",
            ]
        finally:
            binding.close()
            cabin.call = None
