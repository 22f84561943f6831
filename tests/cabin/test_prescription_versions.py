"""The cabin keeps the doctor's latest prescription of the session, and only it: "edit and
resend" replaces, a version composed late never overwrites a later one, and the page hears
how each ended (kept, or refused and why). The papers print at the end of the session."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from kiosk.cabin import Cabin
from kiosk.call import PrescriptionFormReceived
from kiosk.domain import DocumentKind
from kiosk.session import (
    CallEnded,
    State,
)
from tests.cabin.conftest import cabin_config, into_the_call, running
from tests.documents.conftest import load, pdf_text
from tests.helpers.waiting import until
from tests.portal.test_call_unit import StandInChannel, drained, feed, make_call


@pytest_asyncio.fixture
async def cabin(sims: dict[str, Any]) -> AsyncIterator[Cabin]:
    """A cabin in a call, its call a stand-in whose data channel is a list."""
    async with running(Cabin(cabin_config(sims), card=False, tick=False)) as cabin:
        cabin.call, _ = make_call()
        into_the_call(cabin.session)
        cabin.call.session_id = cabin.session.session_id
        yield cabin


def form(medicine: str) -> dict[str, Any]:
    data = load("prescription.json")
    for key in ("id", "date", "patient"):
        data.pop(key, None)
    data["lines"] = [{"medicine": medicine, "dose": "1 comprimé", "duration": "5 jours"}]
    return data


def send(cabin: Cabin, version: int, medicine: str, *, msg_id: str) -> list[Any]:
    """The page sends a version; what the call passed on is handed to the cabin."""
    assert cabin.call is not None
    message = {
        "type": "prescription",
        "id": msg_id,
        "session_id": cabin.session.session_id,
        "rx_id": "rx-1",
        "version": version,
        "form": form(medicine),
    }
    feed(cabin.call, message)
    updates = [u for u in drained(cabin.call) if isinstance(u, PrescriptionFormReceived)]
    for update in updates:
        cabin._on_call(update)
    return updates


def answers(cabin: Cabin) -> list[tuple[str, str]]:
    channel = cabin.call._channel  # type: ignore[union-attr]
    assert isinstance(channel, StandInChannel)
    return [
        (m["id"], "ack") if m["type"] == "ack" else (m["ref"], m["code"])
        for m in channel.sent
        if m["type"] in ("ack", "error")
    ]


def kept(cabin: Cabin) -> list[str]:
    data = cabin.session.data
    assert data is not None
    return [pdf_text(d.pdf) for d in data.documents if d.kind is DocumentKind.PRESCRIPTION]


@pytest.mark.asyncio
async def test_edit_and_resend_replaces_and_a_late_composition_never_overwrites(cabin: Cabin):
    # two versions in a row: the first is still being composed when the second comes
    assert len(send(cabin, 1, "Paracétamol 1 g", msg_id="p1")) == 1
    assert len(send(cabin, 2, "Ibuprofène 400 mg", msg_id="p2")) == 1
    await until(lambda: ("p2", "ack") in answers(cabin), "the second version kept")
    await until(lambda: not cabin.tasks._tasks, "both compositions done")
    assert answers(cabin) == [("p1", "superseded"), ("p2", "ack")]
    (text,) = kept(cabin)
    assert "Ibuprofène" in text and "Paracétamol" not in text

    # a third version, composed: it replaces the second
    send(cabin, 3, "Amoxicilline 1 g", msg_id="p3")
    await until(lambda: ("p3", "ack") in answers(cabin), "the third version kept")
    (text,) = kept(cabin)
    assert "Amoxicilline" in text and "Ibuprofène" not in text

    # once the call is over, a late version is refused: the papers are the ones kept
    cabin.session.send(CallEnded())
    assert cabin.session.state in (State.PRINTING, State.FAULT, State.GOODBYE)
    send(cabin, 4, "Doliprane", msg_id="p4")
    await until(lambda: any(ref == "p4" for ref, _ in answers(cabin)), "the refusal")
    assert answers(cabin)[-1] == ("p4", "wrong_session")


@pytest.mark.asyncio
async def test_a_form_that_cannot_be_composed_is_refused_to_the_page(cabin: Cabin):
    assert cabin.call is not None
    bad = form("Paracétamol 1 g")
    bad["prescriber"] = {**bad["prescriber"], "email": "nowhere"}
    feed(
        cabin.call,
        {
            "type": "prescription",
            "id": "p1",
            "session_id": cabin.session.session_id,
            "rx_id": "rx-1",
            "version": 1,
            "form": bad,
        },
    )
    for update in drained(cabin.call):
        cabin._on_call(update)
    await until(lambda: answers(cabin), "the answer")
    assert answers(cabin) == [("p1", "bad_field")]
    channel = cabin.call._channel
    assert isinstance(channel, StandInChannel)
    (error,) = channel.of_type("error")
    assert error["message"] == "prescription form: prescriber.email"  # the field, no value
    assert kept(cabin) == []
