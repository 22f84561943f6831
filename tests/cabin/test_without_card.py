"""A consultation without a card (booking code, or a walk-in without card): the identity
on the papers is the one the doctor checked on camera and typed, never one the page forges
in a card session."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from kiosk.cabin import Cabin
from kiosk.call import PrescriptionFormReceived
from kiosk.services.printing import PrintingService, prescription_input
from kiosk.session import (
    BookingCodeRequested,
    ConsentGiven,
    ContinueWithoutCard,
    DoctorJoined,
    ReadingReceived,
    State,
)
from tests.cabin.conftest import cabin_config, running
from tests.core.helpers import reading
from tests.documents.conftest import load, pdf_text
from tests.helpers.waiting import until


@pytest_asyncio.fixture
async def cabin(sims: dict[str, Any]) -> AsyncIterator[Cabin]:
    """A cabin whose patient checked in with a booking code and is in the call."""
    async with running(Cabin(cabin_config(sims), card=False, tick=False)) as cabin:
        for event in (
            BookingCodeRequested(),
            ContinueWithoutCard("ACD346"),
            ConsentGiven(),
            DoctorJoined(),
        ):
            cabin.session.send(event)
        yield cabin


def doctor_form(**patient: Any) -> dict[str, Any]:
    form = load("prescription.json")
    del form["id"], form["date"]
    form["patient"] = patient
    return form


@pytest.mark.asyncio
async def test_the_doctor_typed_identity_heads_the_prescription_and_results(cabin: Cabin):
    session = cabin.session
    assert session.state is State.IN_CALL and session.data is not None
    session.send(ReadingReceived(reading()))
    typed = {"last_name": "Martin", "first_name": "Odile", "sex": "F", "birth_date": "1950-02-03"}
    cabin._on_call(PrescriptionFormReceived(doctor_form(**typed, weight_kg=60)))
    await until(lambda: bool(session.data and session.data.documents), "the prescription")
    text = pdf_text(session.data.documents[0].pdf)
    assert "MARTIN" in text.upper() and "Odile" in text and "03/02/1950" in text
    # The same identity heads the results sheet, and the log filter knows the names.
    assert session.data.chosen is not None and session.data.chosen.last_name == "Martin"
    assert "Martin" in session.data.sensitive_strings()
    printing = PrintingService(session, cabin.config, printer=None)  # type: ignore[arg-type]
    try:
        results = printing._documents()[0]
        assert results.kind.value == "results"
        assert "MARTIN" in pdf_text(results.pdf).upper()
    finally:
        await printing.close()


@pytest.mark.asyncio
async def test_a_form_without_identity_is_refused_without_a_card(
    cabin: Cabin, caplog: pytest.LogCaptureFixture
):
    cabin._on_call(PrescriptionFormReceived(doctor_form(weight_kg=60)))
    await until(lambda: "prescription form refused" in caplog.text, "the refusal")
    assert cabin.session.data is not None and not cabin.session.data.documents
    assert cabin.session.state is State.IN_CALL


@pytest.mark.asyncio
async def test_results_without_any_identity_leave_a_line_to_fill(cabin: Cabin):
    session = cabin.session
    session.send(ReadingReceived(reading()))
    printing = PrintingService(session, cabin.config, printer=None)  # type: ignore[arg-type]
    try:
        documents = printing._documents()
        assert [d.kind.value for d in documents] == ["results"]
        text = pdf_text(documents[0].pdf)
        assert "None" not in text
        assert "Nom, prénom" in text and "Identité non lue sur une carte Vitale" in text
    finally:
        await printing.close()


def test_prescription_input_without_card_keeps_the_doctor_typed_identity() -> None:
    typed = {"last_name": "Martin", "first_name": "Odile", "sex": "F", "birth_date": "1950-02-03"}
    merged = prescription_input(doctor_form(**typed, extra="x"), None, cabin_id="cab-1")
    assert merged["patient"] == typed
    assert prescription_input({"patient": "nope"}, None, cabin_id="c")["patient"] == {}
