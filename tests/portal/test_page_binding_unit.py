"""The cabin's side of the doctor page's safety rules, without a browser: a prescription is
bound to its session and versioned, a request sent again after a drop is applied once, a
new data channel gets what the page lacks, and a session that ends leaves the room at once.

The browser side is in ``tests/e2e/test_doctor_page_safety.py``.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import pytest

from kiosk.call import (
    CabinCall,
    CallStatus,
    PrescriptionFormReceived,
    ResumeRequested,
    SessionBinding,
)
from kiosk.domain import Beneficiary, ReadingKind
from kiosk.prescriptions import FormVersion, PrescriptionLedger, Verdict
from kiosk.session import (
    BeneficiaryChosen,
    CardInserted,
    CardRead,
    ConsentGiven,
    DoctorJoined,
    EndSession,
    MeasurementRequested,
    ReadingReceived,
    Session,
    State,
)
from protocol import ErrorCode, MeasuringReason, MeasuringState, ProtocolError
from tests.core.helpers import reading
from tests.portal.test_call_unit import drained, feed, make_call

FORM = {"lines": [{"medicine": "Amoxicilline", "dose": "1 g", "duration": "6 j"}]}


def rx(session_id: str, version: int, *, msg_id: str, rx_id: str = "rx1") -> dict[str, Any]:
    return {
        "type": "prescription",
        "id": msg_id,
        "session_id": session_id,
        "rx_id": rx_id,
        "version": version,
        "form": FORM,
    }


def answers(channel: Any) -> list[tuple[str, str]]:
    """(message id, "ack" or the error code) of each answer, in order."""
    return [
        (m["id"], "ack") if m["type"] == "ack" else (m["ref"], m["code"])
        for m in channel.sent
        if m["type"] in ("ack", "error")
    ]


def test_a_prescription_for_another_session_is_refused_and_nothing_is_composed() -> None:
    call, channel = make_call()
    call.session_id = "s2"
    feed(call, rx("s1", 1, msg_id="p1"))
    assert answers(channel) == [("p1", "wrong_session")]
    assert drained(call) == []
    # without a session (between patients) neither
    call.session_id = ""
    feed(call, rx("s1", 1, msg_id="p2"))
    assert answers(channel)[-1] == ("p2", "wrong_session")
    assert drained(call) == []


def test_the_latest_version_is_kept_and_each_send_answered_once() -> None:
    call, channel = make_call()
    call.session_id = "s1"
    feed(call, rx("s1", 1, msg_id="p1"))
    (first,) = drained(call)
    assert isinstance(first, PrescriptionFormReceived)
    assert first.version == FormVersion("s1", "rx1", 1) and first.msg_id == "p1"
    # sent again before it is composed (a drop): answered with the first, composed once
    feed(call, rx("s1", 1, msg_id="p1"))
    assert drained(call) == [] and answers(channel) == []
    # "edit and resend" before the first is done: the first is superseded, the second kept
    feed(call, rx("s1", 2, msg_id="p2"))
    (second,) = drained(call)
    assert second.version.version == 2
    assert answers(channel) == [("p1", "superseded")]
    call.prescription_settled(first)  # the first's composition ends late: nothing sent
    assert answers(channel) == [("p1", "superseded")]
    assert not call.prescriptions.is_latest(first.version)
    call.prescription_settled(second)
    assert answers(channel)[-1] == ("p2", "ack")
    # the second again: acknowledged at once, not composed; the first again: refused
    feed(call, rx("s1", 2, msg_id="p2"))
    feed(call, rx("s1", 1, msg_id="p1"))
    assert drained(call) == []
    assert answers(channel)[-2:] == [("p2", "ack"), ("p1", "superseded")]
    # a new form of the session (the page was reloaded) replaces it too
    feed(call, rx("s1", 1, msg_id="q1", rx_id="rx2"))
    (third,) = drained(call)
    assert third.version == FormVersion("s1", "rx2", 1)


def test_a_refused_form_is_refused_again_when_sent_again() -> None:
    call, channel = make_call()
    call.session_id = "s1"
    feed(call, rx("s1", 1, msg_id="p1"))
    (update,) = drained(call)
    call.prescription_settled(update, ProtocolError(ErrorCode.BAD_FIELD, "prescriber.email"))
    feed(call, rx("s1", 1, msg_id="p1"))
    assert answers(channel) == [("p1", "bad_field"), ("p1", "bad_field")]
    feed(call, {**rx("s1", 0, msg_id="p0")})
    assert answers(channel)[-1] == ("p0", "bad_field")  # versions count from 1


def test_the_ledger_alone() -> None:
    ledger = PrescriptionLedger()
    one, two = FormVersion("s", "a", 1), FormVersion("s", "a", 2)
    assert ledger.admit("s", one, "m1").verdict is Verdict.NEW
    assert ledger.answer(one) is None
    assert ledger.admit("s", one, "m1b").verdict is Verdict.REPEAT
    assert ledger.admit("s", two, "m2").superseded == ("m1", "m1b")
    assert ledger.admit("s", one, "m1").verdict is Verdict.STALE
    assert ledger.settle(one) == []  # no longer the latest
    assert ledger.settle(two) == ["m2"] and ledger.answer(two) == ("", "")
    assert ledger.admit("other", two).verdict is Verdict.WRONG_SESSION
    ledger.reset()
    assert not ledger.is_latest(two)
    assert ledger.admit("s", one).verdict is Verdict.NEW


def test_a_measure_sent_again_after_a_drop_is_acknowledged_not_measured_twice() -> None:
    call, channel = make_call()
    call.session_id = "s1"
    for _ in range(2):
        feed(call, {"type": "measure", "id": "dpage-7", "kind": "spo2"})
    assert [u.kind for u in drained(call)] == [ReadingKind.SPO2]
    assert answers(channel) == [("dpage-7", "ack"), ("dpage-7", "ack")]
    feed(call, {"type": "measure", "id": "dpage-8", "kind": "spo2"})  # a new request
    assert len(drained(call)) == 1


def test_resume_sends_where_measurements_stand_and_asks_for_the_missing_readings() -> None:
    call, channel = make_call()
    call.session_id = "s1"
    call.send_measuring(ReadingKind.WEIGHT, MeasuringState.FAILED, MeasuringReason.TIMEOUT)
    call.send_measuring(ReadingKind.SPO2, MeasuringState.DONE)
    channel.sent.clear()
    feed(call, {"type": "resume", "id": "r1", "session_id": "s1", "readings": [1, 3]})
    assert [(m["kind"], m["state"], m.get("reason")) for m in channel.of_type("measuring")] == [
        ("weight", "failed", "timeout"),
        ("spo2", "done", None),
    ]
    assert drained(call) == [ResumeRequested(frozenset({1, 3}))]
    feed(call, {"type": "resume", "id": "r2", "session_id": "s0", "readings": []})
    feed(call, {"type": "resume", "id": "r3", "session_id": "s1", "readings": [True]})
    assert answers(channel)[-2:] == [("r2", "wrong_session"), ("r3", "bad_field")]


PATIENT = Beneficiary(
    last_name="Martin", first_name="Paul", birth_date="19500101", nir="150017512345603", rank=0
)


def portal_spy(call: CabinCall) -> list[tuple[str, dict[str, Any]]]:
    sent: list[tuple[str, dict[str, Any]]] = []

    async def send(msg_type: str, **fields: Any) -> bool:
        sent.append((msg_type, fields))
        return True

    call.link.send = send  # type: ignore[method-assign]
    return sent


async def settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


def waiting_patient(call: CabinCall) -> tuple[Session, SessionBinding]:
    session = Session(require_cleaning=False)
    binding = SessionBinding(call, session)
    for event in (CardInserted(), CardRead((PATIENT,)), BeneficiaryChosen(0), ConsentGiven()):
        session.send(event)
    return session, binding


@pytest.mark.asyncio
async def test_a_patient_who_leaves_the_waiting_room_is_checked_out_at_once() -> None:
    call, _ = make_call()
    sent = portal_spy(call)
    session, binding = waiting_patient(call)
    await settle()
    sid = session.session_id
    assert [t for t, _ in sent] == ["checkin"]
    session.send(EndSession())  # the patient leaves: the goodbye screen, a minute to the wipe
    assert session.state is State.GOODBYE
    await settle()
    assert sent[-1] == ("checkout", {"session_id": sid})
    # a doctor taking them now is refused: no call to the goodbye screen
    await call._on_signal({"type": "call", "call_id": "c9", "session_id": sid})
    assert sent[-1] == ("hangup", {"call_id": "c9", "reason": "gone"})
    assert call.stats.peer_connections == 0
    # the portal back meanwhile: the patient does not go back to the room
    await call._on_portal()
    assert [t for t, _ in sent].count("checkin") == 1
    # a prescription for the session that left is refused
    feed(call, rx(sid, 1, msg_id="late"))
    assert drained(call) == []
    session.send(EndSession())  # the wipe: checked out once only
    await settle()
    assert [t for t, _ in sent].count("checkout") == 1
    assert call.session_id == "" and call.status is CallStatus.IDLE
    binding.close()


@pytest.mark.asyncio
async def test_a_patient_who_leaves_while_the_portal_is_away_is_checked_out_on_its_return():
    call, _ = make_call()
    sent = portal_spy(call)
    session, binding = waiting_patient(call)
    await settle()
    portal_up = False

    async def send(msg_type: str, **fields: Any) -> bool:
        if portal_up:
            sent.append((msg_type, fields))
        return portal_up

    call.link.send = send  # type: ignore[method-assign]
    session.send(EndSession())
    await settle()
    assert [t for t, _ in sent] == ["checkin"]
    portal_up = True
    await call._on_portal()
    assert sent[-1] == ("checkout", {"session_id": session.session_id})
    assert [t for t, _ in sent].count("checkin") == 1
    session.send(EndSession())
    await settle()
    assert [t for t, _ in sent].count("checkout") == 1
    binding.close()


@pytest.mark.asyncio
async def test_a_call_starting_when_the_patient_leaves_is_let_go() -> None:
    call, channel = make_call()
    sent = portal_spy(call)
    session, binding = waiting_patient(call)
    await settle()
    call.call_id = "c1"  # the doctor took the patient; the offer is on its way
    call._set_status(CallStatus.CONNECTING)
    session.send(EndSession())
    await settle()
    assert [t for t, _ in sent][-2:] == ["hangup", "checkout"]
    assert call.status is CallStatus.ENDED
    assert [e["reason"] for e in channel.of_type("end")] == ["cabin"]
    binding.close()


@pytest.mark.asyncio
async def test_the_binding_numbers_readings_and_sends_the_missing_ones_again() -> None:
    call, channel = make_call()
    portal_spy(call)
    session, binding = waiting_patient(call)
    await settle()
    call._emit(DoctorJoined())
    for value in (120.0, 130.0, 140.0):
        bp = reading()
        session.send(ReadingReceived(replace(bp, values={"systolic": value, "diastolic": 80.0})))
    assert [m["seq"] for m in channel.of_type("reading")] == [1, 2, 3]
    channel.sent.clear()
    feed(call, {"type": "resume", "id": "r1", "session_id": session.session_id, "readings": [2]})
    again = channel.of_type("reading")
    assert [(m["seq"], m["reading"]["values"]["systolic"]) for m in again] == [
        (1, 120.0),
        (3, 140.0),
    ]
    call._emit(MeasurementRequested(ReadingKind.SPO2))
    assert session.state is State.MEASURING
    binding.close()
