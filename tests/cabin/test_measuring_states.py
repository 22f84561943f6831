"""What the doctor is told of a measurement: requested, in progress, then done, failed (with
a reason from a closed set) or cancelled; each change once, never a state twice in a row.

Real instrument simulators on ptys and the real cabin; the call's data channel is the
stand-in of ``test_call_unit`` (a list of the messages sent), with the real session binding.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest

from drivers.instrument import InstrumentErrorReason
from kiosk.call import SessionBinding
from kiosk.config import DeviceConfig
from kiosk.domain import ReadingKind
from kiosk.services.measurement import MEASURING_REASONS, MeasurementStatus, measuring_reason
from kiosk.session import Fault, FaultCleared, FaultKind, MeasurementRequested, State
from protocol import MeasuringReason, MeasuringState
from tests.cabin.conftest import cabin_config, in_call_cabin
from tests.helpers.waiting import until
from tests.portal.test_call_unit import StandInChannel, make_call

REQUESTED = ("requested", "")
IN_PROGRESS = ("in_progress", "")
DONE = ("done", "")


def failed(reason: str) -> tuple[str, str]:
    return ("failed", reason)


@contextlib.asynccontextmanager
async def cabin_with_doctor(cfg: Any) -> AsyncIterator[tuple[Any, StandInChannel]]:
    """A cabin in a call (see ``in_call_cabin``) whose doctor's data channel is a stand-in."""
    call, channel = make_call()
    async with in_call_cabin(cfg) as cabin:
        cabin.call = call
        binding = SessionBinding(call, cabin.session)

        def on_status(status: MeasurementStatus) -> None:
            cabin.statuses.append(status)
            cabin._on_measurement(status)

        cabin.measurements.on_status = on_status
        try:
            yield cabin, channel
        finally:
            binding.close()
            cabin.call = None  # the stand-in has no portal link to close


def told(channel: StandInChannel, kind: str) -> list[tuple[str, str]]:
    """The ``measuring`` states (and reasons) the doctor was sent for ``kind``, in order."""
    sent = channel.of_type("measuring")
    assert all(m["kind"] == kind for m in sent), sent
    assert all(("reason" in m) == (m["state"] == "failed") for m in sent), sent
    return [(m["state"], m.get("reason", "")) for m in sent]


@pytest.mark.asyncio
async def test_unplugged_scale_tells_requested_in_progress_failed_once_each(sims):
    async with cabin_with_doctor(cabin_config(sims)) as (cabin, channel):
        s = cabin.session
        sims["scale"].play([{"weight": {"value": 70.0, "stable": False}}] * 40)
        s.send(MeasurementRequested(ReadingKind.WEIGHT))
        await until(lambda: cabin.last_reading is not None, "the scale weighing")
        sims["scale"].unplug()
        await until(lambda: s.state is State.FAULT, "the unplugged fault")
        await until(lambda: cabin.health.device_states()["scale"] == "missing", "scale missing")
        assert told(channel, "weight") == [REQUESTED, IN_PROGRESS, failed("unplugged")]

        # back: the measurement goes on by itself, and says so once
        sims["scale"].play([{"weight": {"value": 72.5, "stable": True}}])
        sims["scale"].replug()
        await until(
            lambda: s.state is State.IN_CALL, "the measurement after the replug", timeout=30
        )
        assert told(channel, "weight") == [
            REQUESTED,
            IN_PROGRESS,
            failed("unplugged"),
            IN_PROGRESS,
            DONE,
        ]
        assert channel.of_type("reading")[-1]["reading"]["values"] == {"weight": 72.5}


@pytest.mark.asyncio
async def test_silent_scale_fails_on_its_timeout_then_is_asked_again(sims):
    cfg = cabin_config(
        sims,
        scale=DeviceConfig(
            driver="and-weight",
            kind="weight",
            port=str(sims["dir"] / "scale"),
            measure_timeout=1.0,
        ),
    )
    async with cabin_with_doctor(cfg) as (cabin, channel):
        s = cabin.session
        sims["scale"].silence(1.5)  # a hung scale, for longer than its time limit
        s.send(MeasurementRequested(ReadingKind.WEIGHT))
        await until(lambda: s.state is State.IN_CALL, "the time-out")
        await until(lambda: len(told(channel, "weight")) == 3, "the failure told")
        assert told(channel, "weight") == [REQUESTED, IN_PROGRESS, failed("timeout")]
        assert cabin.health.device_states()["scale"] == "fault"

        # the scale answers again; the doctor asks again: told from the start again
        await until(lambda: not sims["scale"].silent, "the scale answering")
        sims["scale"].play([{"weight": {"value": 71.0, "stable": True}}])
        s.send(MeasurementRequested(ReadingKind.WEIGHT))
        await until(lambda: s.state is State.IN_CALL, "the second weighing")
        await until(lambda: told(channel, "weight")[-1] == DONE, "done told")
        assert told(channel, "weight")[3:] == [REQUESTED, IN_PROGRESS, DONE]


@pytest.mark.asyncio
async def test_loose_cuff_fails_with_no_valid_value_after_its_reading(sims):
    """The cuff reports error 87 (air leak or loose cuff): its reading, every value missing
    with the device's reason, goes first; then the failure, once."""
    async with cabin_with_doctor(cabin_config(sims)) as (cabin, channel):
        sims["bp"].play([{"measure": {"error": 87}}])
        cabin.session.send(MeasurementRequested(ReadingKind.BLOOD_PRESSURE))
        await until(lambda: cabin.session.state is State.IN_CALL, "the measurement")
        await until(lambda: len(told(channel, "blood_pressure")) == 3, "the failure told")
        assert told(channel, "blood_pressure") == [
            REQUESTED,
            IN_PROGRESS,
            failed("no_valid_value"),
        ]
        reading = channel.of_type("reading")[-1]["reading"]
        assert reading["values"] == {}
        assert set(reading["missing"].values()) == {"air_leak_or_loose_cuff"}
        order = [m["type"] for m in channel.sent if m["type"] in ("reading", "measuring")]
        assert order[-2:] == ["reading", "measuring"]
        # the tensiometer itself works: the fleet is not told otherwise
        assert cabin.health.device_states()["tensiometer"] == "ok"


@pytest.mark.asyncio
async def test_scale_error_is_a_device_error(sims):
    async with cabin_with_doctor(cabin_config(sims)) as (cabin, channel):
        sims["scale"].play([{"error": "E01"}])
        cabin.session.send(MeasurementRequested(ReadingKind.WEIGHT))
        await until(lambda: cabin.session.state is State.IN_CALL, "the failure")
        assert told(channel, "weight") == [REQUESTED, IN_PROGRESS, failed("device_error")]


@pytest.mark.asyncio
async def test_no_instrument_of_that_kind_fails_at_once(sims):
    async with cabin_with_doctor(cabin_config(sims)) as (cabin, channel):
        cabin.session.send(MeasurementRequested(ReadingKind.TEMPERATURE))
        assert cabin.session.state is State.IN_CALL
        assert told(channel, "temperature") == [REQUESTED, failed("no_device")]


@pytest.mark.asyncio
async def test_unknown_driver_is_unavailable(sims):
    cfg = cabin_config(
        sims, scale=DeviceConfig(driver="no-such-driver", kind="weight", port="/dev/null")
    )
    async with cabin_with_doctor(cfg) as (cabin, channel):
        cabin.session.send(MeasurementRequested(ReadingKind.WEIGHT))
        await until(lambda: cabin.session.state is State.IN_CALL, "the measurement given up")
        assert told(channel, "weight") == [REQUESTED, failed("unavailable")]
        assert cabin.statuses[-1].reason == "unknown_driver"  # the fleet keeps the driver's


@pytest.mark.asyncio
async def test_a_network_blip_mid_measurement_tells_nothing_twice(sims):
    async with cabin_with_doctor(cabin_config(sims)) as (cabin, channel):
        s = cabin.session
        sims["bp"].inflate_s = 1.0
        s.send(MeasurementRequested(ReadingKind.BLOOD_PRESSURE))
        await until(lambda: told(channel, "blood_pressure")[-1:] == [IN_PROGRESS], "start")
        s.send(Fault(FaultKind.NETWORK_LOST, "blip"))
        s.send(FaultCleared())
        assert s.state is State.MEASURING
        await until(lambda: s.state is State.IN_CALL, "the measurement", timeout=20)
        await until(lambda: told(channel, "blood_pressure")[-1:] == [DONE], "done told")
        assert told(channel, "blood_pressure") == [REQUESTED, IN_PROGRESS, DONE]


@pytest.mark.asyncio
async def test_call_ended_mid_measurement_is_cancelled(sims):
    from kiosk.session import CallEnded

    async with cabin_with_doctor(cabin_config(sims)) as (cabin, channel):
        s = cabin.session
        sims["bp"].inflate_s = 5.0
        s.send(MeasurementRequested(ReadingKind.BLOOD_PRESSURE))
        await until(lambda: told(channel, "blood_pressure")[-1:] == [IN_PROGRESS], "start")
        s.send(CallEnded())
        await until(lambda: told(channel, "blood_pressure")[-1:] == [("cancelled", "")], "stop")
        assert told(channel, "blood_pressure") == [REQUESTED, IN_PROGRESS, ("cancelled", "")]


def test_send_measuring_sends_each_change_once_and_pairs_reason_with_failed() -> None:
    call, channel = make_call()
    kind = ReadingKind.SPO2
    assert call.send_measuring(kind, MeasuringState.REQUESTED)
    assert not call.send_measuring(kind, MeasuringState.REQUESTED)
    assert call.send_measuring(ReadingKind.WEIGHT, MeasuringState.REQUESTED)  # another kind
    assert call.send_measuring(kind, MeasuringState.FAILED, MeasuringReason.TIMEOUT)
    assert not call.send_measuring(kind, MeasuringState.FAILED, MeasuringReason.TIMEOUT)
    assert call.send_measuring(kind, MeasuringState.FAILED, MeasuringReason.UNPLUGGED)
    assert [(m["kind"], m["state"], m.get("reason")) for m in channel.of_type("measuring")] == [
        ("spo2", "requested", None),
        ("weight", "requested", None),
        ("spo2", "failed", "timeout"),
        ("spo2", "failed", "unplugged"),
    ]
    with pytest.raises(ValueError):
        call.send_measuring(kind, MeasuringState.FAILED)
    with pytest.raises(ValueError):
        call.send_measuring(kind, MeasuringState.DONE, MeasuringReason.TIMEOUT)
    assert len(channel.of_type("measuring")) == 4


@pytest.mark.asyncio
async def test_a_new_session_starts_the_states_afresh() -> None:
    call, channel = make_call()
    call.send_measuring(ReadingKind.SPO2, MeasuringState.REQUESTED)
    await call.check_out()
    call._channel = channel  # type: ignore[assignment]  # the next patient's call
    assert call.send_measuring(ReadingKind.SPO2, MeasuringState.REQUESTED)
    assert len(channel.of_type("measuring")) == 2


def test_every_reason_the_kiosk_knows_has_a_word_for_the_doctor() -> None:
    for code in InstrumentErrorReason:
        assert isinstance(measuring_reason(code), MeasuringReason)
    assert measuring_reason(InstrumentErrorReason.UNPLUGGED) is MeasuringReason.UNPLUGGED
    assert measuring_reason(InstrumentErrorReason.TIMEOUT) is MeasuringReason.TIMEOUT
    assert measuring_reason(InstrumentErrorReason.BAD_CHECKSUM) is MeasuringReason.BAD_DATA
    assert measuring_reason("something_new") is MeasuringReason.DEVICE_ERROR
    # every closed reason but the default is reachable from one of the kiosk's own codes
    assert set(MEASURING_REASONS.values()) == set(MeasuringReason)
