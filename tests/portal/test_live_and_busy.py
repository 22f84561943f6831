"""A measurement asked while another runs is answered "busy", never acknowledged for nothing
done; what an instrument shows while it measures (the cuff inflating) reaches the doctor live.

The data channel is the stand-in of ``test_call_unit``; the session and binding are real.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from kiosk.domain import Beneficiary, DeviceInfo, Reading, ReadingKind, Unit
from kiosk.live import MAX_RATE, LiveFeed
from kiosk.session import (
    BeneficiaryChosen,
    CardInserted,
    CardRead,
    ConsentGiven,
    DoctorJoined,
    ReadingReceived,
    Session,
    State,
)
from tests.portal.test_call_unit import drained, feed, make_call

CUFF = Reading(
    kind=ReadingKind.CUFF_PRESSURE,
    unit=Unit.MM_HG,
    values={"cuff": 40.0},
    device=DeviceInfo(id="tensiometer"),
    received_at=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
    intermediate=True,
)
RESULT = Reading(
    kind=ReadingKind.BLOOD_PRESSURE,
    unit=Unit.MM_HG,
    values={"systolic": 142.0, "diastolic": 88.0, "pulse": 81.0},
    units={"pulse": Unit.PER_MINUTE},
    device=DeviceInfo(id="tensiometer"),
    received_at=datetime(2026, 11, 23, 9, 31, tzinfo=UTC),
)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def in_call(session: Session) -> None:
    patient = Beneficiary(
        last_name="Martin", first_name="Paul", birth_date="19500101", nir="150017512345603"
    )
    for event in (CardInserted(), CardRead((patient,)), BeneficiaryChosen(0), ConsentGiven()):
        session.send(event)
    session.send(DoctorJoined())
    assert session.state is State.IN_CALL


def test_the_live_feed_sends_each_new_intermediate_reading_at_a_bounded_rate() -> None:
    latest: list[Reading | None] = [None]
    sent: list[Reading] = []
    clock = Clock()
    feed_ = LiveFeed(lambda: latest[0], sent.append, clock=clock)
    assert not feed_.poll()  # nothing measured yet
    latest[0] = CUFF
    assert feed_.poll() and sent == [CUFF]
    assert not feed_.poll()  # the same reading goes once
    clock.now += 0.2 / MAX_RATE
    latest[0] = replace(CUFF, values={"cuff": 60.0})
    assert not feed_.poll()  # too soon after the last one: dropped, the next one will do
    clock.now += 1 / MAX_RATE
    latest[0] = replace(CUFF, values={"cuff": 80.0})
    assert feed_.poll()
    latest[0] = RESULT  # a result is no live reading
    clock.now += 1
    assert not feed_.poll()
    assert [r.values["cuff"] for r in sent] == [40.0, 80.0]


@pytest.mark.asyncio
async def test_a_request_while_a_measurement_runs_is_busy_then_taken_once_it_is_over() -> None:
    from kiosk.call import SessionBinding
    from kiosk.session import MeasurementRequested

    call, channel = make_call()
    session = Session(require_cleaning=False)
    latest: list[Reading | None] = [None]
    binding = SessionBinding(call, session, live=lambda: latest[0])
    in_call(session)

    feed(call, {"type": "measure", "id": "m1", "kind": "blood_pressure"})
    (asked,) = drained(call)
    assert isinstance(asked, MeasurementRequested)
    assert session.state is State.MEASURING
    assert [m["id"] for m in channel.of_type("ack")] == ["m1"]

    # the cuff inflates: each pressure goes live, none is kept or numbered
    for pressure in (40.0, 80.0):
        latest[0] = replace(CUFF, values={"cuff": pressure})
        session.send(ReadingReceived(latest[0]))
        binding._live._sent_at.clear()  # type: ignore[union-attr]  # no rate limit here
    live = channel.of_type("live")
    assert [m["reading"]["values"]["cuff"] for m in live] == [40.0, 80.0]
    assert all("id" not in m for m in live) and channel.of_type("reading") == []

    # the doctor asks for the SpO2 meanwhile: "busy", no ack, nothing asked of the session
    feed(call, {"type": "measure", "id": "m2", "kind": "spo2"})
    (refused,) = channel.of_type("error")
    assert refused["code"] == "busy" and refused["ref"] == "m2"
    assert [m["id"] for m in channel.of_type("ack")] == ["m1"]
    assert not any(isinstance(u, MeasurementRequested) for u in drained(call))
    assert session.state is State.MEASURING and session.requested is not None
    assert session.requested.kind is ReadingKind.BLOOD_PRESSURE

    # the result comes: the same request again is taken and acknowledged
    latest[0] = None
    session.send(ReadingReceived(RESULT))
    assert session.state is State.IN_CALL
    feed(call, {"type": "measure", "id": "m3", "kind": "spo2"})
    assert [m["id"] for m in channel.of_type("ack")] == ["m1", "m3"]
    assert [u.kind for u in drained(call) if isinstance(u, MeasurementRequested)] == [
        ReadingKind.SPO2
    ]
    binding.close()
    assert not call.measuring()


def test_live_readings_are_not_queued_while_the_link_is_down() -> None:
    call, channel = make_call()
    channel.readyState = "closed"
    assert not call.send_live(CUFF)
    assert not call.send_reading(RESULT)
    channel.readyState = "open"
    call._on_channel_open(channel)  # type: ignore[arg-type]
    # the reading waited for the link; the live one, out of date, did not
    assert [m["type"] for m in channel.sent] == ["reading"]
