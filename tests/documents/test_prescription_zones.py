"""A line the prescriber marks "non substituable" prints the mention beside it; lines for the
long-term condition (ALD) make the paper an ordonnance bizone: those above the bar, the others
below. The PDF is read back with pypdf, and as a person reads it (pdftotext)."""

from __future__ import annotations

import io

import pypdf
import pytest

from kiosk.documents.errors import DocumentInputError
from kiosk.documents.inputs import Prescription, PrescriptionLine
from kiosk.documents.prescription import (
    ALD_ZONE,
    NON_SUBSTITUTABLE,
    OTHER_ZONE,
    compose_prescription,
)
from tests.documents.conftest import pdf_text
from tests.documents.test_compose import rx_data

LEVOTHYROX = {"medicine": "Lévothyroxine 75 µg", "dose": "1 le matin", "duration": "3 mois"}
INSULIN = {"medicine": "Insuline glargine", "dose": "20 UI le soir", "duration": "3 mois"}
COLD = {"medicine": "Paracétamol 1 g", "dose": "1 comprimé 3 fois par jour", "duration": "5 jours"}


def read_back(rx: Prescription) -> str:
    reader = pypdf.PdfReader(io.BytesIO(compose_prescription(rx).pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_a_line_marked_non_substitutable_prints_the_mention_beside_it() -> None:
    lines = [{**LEVOTHYROX, "non_substitutable": True}, COLD]
    rx = Prescription.from_json(rx_data(lines=lines))
    assert rx.lines[0].non_substitutable and not rx.lines[1].non_substitutable
    text = read_back(rx)
    assert f"1. Lévothyroxine 75 µg — {NON_SUBSTITUTABLE}" in text
    assert text.count(NON_SUBSTITUTABLE) == 1  # only the line marked
    assert "2. Paracétamol 1 g" in text
    # one zone only: no ALD line, no bizone
    assert ALD_ZONE[:40] not in text and "INTERCURRENTES" not in text


def test_ald_lines_print_above_the_bar_and_the_others_below() -> None:
    lines = [COLD, {**INSULIN, "ald": True}, {**LEVOTHYROX, "ald": True, "non_substitutable": True}]
    rx = Prescription.from_json(rx_data(lines=lines))
    assert rx.bizone
    text = read_back(rx)
    people = " ".join(pdf_text(compose_prescription(rx).pdf).split())
    for seen in (text, people):
        upper, lower = seen.index("AFFECTION EXONÉRANTE"), seen.index("MALADIES INTERCURRENTES")
        assert upper < lower
        # the ALD's lines first (numbered on), then the intercurrent one, below the bar
        insulin, levo, cold = (seen.index(m) for m in ("Insuline", "Lévothyroxine", "Paracétamol"))
        assert upper < insulin < levo < lower < cold
    assert "1. Insuline glargine" in text and "3. Paracétamol 1 g" in text
    assert f"2. Lévothyroxine 75 µg — {NON_SUBSTITUTABLE}" in text
    assert "affection de longue durée" in text and OTHER_ZONE.split(" (")[0] in text


def test_only_ald_lines_still_print_both_zones() -> None:
    rx = Prescription.from_json(rx_data(lines=[{**INSULIN, "ald": True}]))
    text = read_back(rx)
    assert "AFFECTION EXONÉRANTE" in text and "MALADIES INTERCURRENTES" in text


@pytest.mark.parametrize("key", ["ald", "non_substitutable"])
@pytest.mark.parametrize("bad", ["yes", 1, [], {}])
def test_a_flag_that_is_not_true_or_false_is_named(key: str, bad: object) -> None:
    with pytest.raises(DocumentInputError, match=rf"^lines\[0\]\.{key}: must be true or false$"):
        Prescription.from_json(rx_data(lines=[{**COLD, key: bad}]))


def test_flags_absent_or_null_are_no() -> None:
    line = PrescriptionLine.from_json({**COLD, "ald": None}, "lines[0]")
    assert (line.ald, line.non_substitutable) == (False, False)
