"""The FHIR bundle on the call's data channel: the page asks (``fhir_request``), the cabin
answers with the session's bundle in ``fhir_bundle`` pieces then the request's ack; another
session's request, a session without readings, or one over, get an error and no data."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from typing import Any

import pytest

import protocol
from kiosk.call import CabinCall, SessionBinding
from kiosk.domain import Beneficiary
from kiosk.records.channel import fhir_messages
from kiosk.session import (
    BeneficiaryChosen,
    CallEnded,
    CardInserted,
    CardRead,
    ConsentGiven,
    DoctorJoined,
    EndSession,
    PrintingDone,
    ReadingReceived,
    Session,
    State,
)
from tests.portal.test_call_unit import StandInChannel, feed, make_call
from tests.records.consultation import IDENTITY, NOW, SESSION_ID, readings

pytestmark = pytest.mark.asyncio

JEANNE = Beneficiary(
    last_name="Martin", first_name="Jeanne", birth_date="19850612", nir="285067505607843"
)


async def in_call() -> tuple[CabinCall, StandInChannel, Session, SessionBinding]:
    """A session in a call, with the consultation's readings stored and sent."""
    call, channel = make_call()
    session = Session(require_cleaning=False)
    binding = SessionBinding(call, session)
    for event in (CardInserted(), CardRead((JEANNE,)), BeneficiaryChosen(0), ConsentGiven()):
        session.send(event)
    await asyncio.sleep(0)  # the check-in task
    call._emit(DoctorJoined())
    assert session.state is State.IN_CALL
    for reading in readings():
        session.send(ReadingReceived(reading))
    return call, channel, session, binding


async def answered(channel: StandInChannel, msg_id: str) -> dict[str, Any]:
    """The answer (ack or error) to the page's message ``msg_id``, within 20 s."""
    async with asyncio.timeout(20):
        while True:
            for msg in channel.sent:
                if msg["type"] in ("ack", "error") and msg.get("id", msg.get("ref")) == msg_id:
                    return msg
            await asyncio.sleep(0.01)


async def test_the_page_gets_the_sessions_bundle_in_pieces_then_the_ack() -> None:
    call, channel, _session, binding = await in_call()
    feed(call, {"type": "fhir_request", "id": "f1", "session_id": call.session_id})
    assert (await answered(channel, "f1"))["type"] == "ack"
    pieces = channel.of_type("fhir_bundle")
    assert pieces and [p["index"] for p in pieces] == list(range(pieces[0]["chunks"]))
    assert {p["ref"] for p in pieces} == {"f1"}
    assert {p["session_id"] for p in pieces} == {call.session_id}
    # the ack comes after the last piece: the page has it all when it hears the ack
    assert channel.sent.index(next(m for m in channel.sent if m.get("id") == "f1")) > max(
        channel.sent.index(p) for p in pieces
    )
    bundle = json.loads("".join(p["data"] for p in pieces))
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("Patient") == 1 and kinds.count("Observation") == 10
    assert bundle["entry"][0]["resource"]["name"][0]["family"] == "Martin"
    binding.close()


async def test_a_request_for_another_session_or_without_readings_is_refused() -> None:
    call, channel, session, binding = await in_call()
    feed(call, {"type": "fhir_request", "id": "f2", "session_id": "someone-else"})
    refused = await answered(channel, "f2")
    assert refused["type"] == "error" and refused["code"] == "wrong_session"
    assert session.data is not None
    session.data.readings.clear()
    feed(call, {"type": "fhir_request", "id": "f3", "session_id": call.session_id})
    empty = await answered(channel, "f3")
    assert empty["type"] == "error" and empty["code"] == "not_found"
    assert channel.of_type("fhir_bundle") == []
    binding.close()


async def test_once_the_session_is_wiped_nothing_of_it_goes_out() -> None:
    call, channel, session, binding = await in_call()
    old = call.session_id
    call._emit(CallEnded())
    session.send(PrintingDone())
    session.send(EndSession())
    assert session.state is State.IDLE
    await asyncio.sleep(0)  # the check-out
    call._channel = channel  # type: ignore[assignment]  # a channel still open, say
    feed(call, {"type": "fhir_request", "id": "f4", "session_id": old})
    assert (await answered(channel, "f4"))["type"] == "error"
    assert channel.of_type("fhir_bundle") == []
    binding.close()


async def test_a_long_session_is_cut_in_pieces_that_fit_a_message() -> None:
    many = [replace(r, received_at=NOW) for r in readings() * 30]
    messages = await fhir_messages(SESSION_ID, IDENTITY, many, ref="f5", now=NOW)
    assert len(messages) > 1
    for fields in messages:
        text = protocol.data("fhir_bundle", id="k1", **fields)  # validated, size-checked
        assert len(text.encode()) <= protocol.MAX_DATA_BYTES
    bundle = json.loads("".join(m["data"] for m in messages))
    assert len(bundle["entry"]) == 1 + 4 + 10 * 30


async def test_the_page_may_not_send_a_bundle_to_the_cabin() -> None:
    call, channel = make_call()
    piece = {"type": "fhir_bundle", "id": "x", "session_id": "s", "ref": "r", "index": 0}
    feed(call, {**piece, "chunks": 1, "data": "{}"})
    assert channel.of_type("error")[0]["code"] == "unknown_type"
