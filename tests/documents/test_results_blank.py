"""The results sheet of a session without a card: no identity was read, so the patient gets a
line to fill in by hand and a note saying so, never an empty name."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

from kiosk.documents.inputs import PatientOnPaper, ResultsInput
from kiosk.documents.results import compose_results
from tests.documents.conftest import load, pdf_pages, pdf_text

PRINTED = datetime(2026, 11, 23, 14, 30, tzinfo=timezone(timedelta(hours=1)))
BLANK = PatientOnPaper(last_name="", first_name="", birth_date="")


def blank_input(**changes: object) -> ResultsInput:
    return dataclasses.replace(
        ResultsInput.from_json(load("session.json")), patient=BLANK, **changes
    )


def test_blank_patient_gets_a_line_to_fill_in_and_a_note():
    text = pdf_text(compose_results(blank_input(), printed_at=PRINTED).pdf)
    assert "Nom, prénom : ____" in text
    assert "Né(e) le : ____" in text
    assert "Identité non lue sur une carte Vitale" in text
    assert "None" not in text
    # the readings are all there, as with a card
    for mention in ("Systolique : 138 mmHg", "Oxygène : 97 %", "Page 1/1"):
        assert mention in text, mention
    assert "DUPRÉ" not in text


def test_a_card_identity_prints_without_the_fill_in_line():
    text = pdf_text(compose_results(ResultsInput.from_json(load("session.json"))).pdf)
    assert "DUPRÉ Françoise" in text and "Né(e) le 07/03/1941" in text
    assert "Nom, prénom" not in text and "non lue" not in text


def test_blank_patient_line_on_every_page():
    data = blank_input()
    pages = pdf_pages(compose_results(blank_input(readings=data.readings * 8)).pdf)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "Nom, prénom : ____" in page and "Identité non lue" in page
        assert f"Page {number}/{len(pages)}" in page
