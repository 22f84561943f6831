"""Composed PDFs read back as text: every mandatory mention, every line, every reading; names
print as written whatever their characters; the font is embedded."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from kiosk.documents.inputs import Prescription, ResultsInput
from kiosk.documents.prescription import compose_prescription
from kiosk.documents.results import compose_results
from kiosk.documents.testpage import SAMPLES, compose_test_page
from kiosk.domain import DocumentKind
from tests.documents.conftest import fonts_used, load, pdf_fonts, pdf_pages, pdf_text

HOSTILE = "<b>&Co"
ARABIC = ("محمد", "الهاشمي")  # first name, last name
CYRILLIC = ("Ольга", "Щербакова")


def rx_data(**changes: object) -> dict[str, object]:
    data = copy.deepcopy(load("prescription.json"))
    data.update(changes)
    return data


def prescription_mentions(data: dict[str, object]) -> list[str]:
    """Every mention French law requires, as it must read on paper."""
    doc, patient = data["prescriber"], data["patient"]
    assert isinstance(doc, dict) and isinstance(patient, dict)
    y, m, d = str(patient["birth_date"]).replace("-", "")[:4], "", ""
    raw = str(patient["birth_date"]).replace("-", "")
    y, m, d = raw[:4], raw[4:6], raw[6:8]
    return [
        doc["name"],
        doc["specialty"],
        f"RPPS : {doc['rpps']}",
        doc["address"],
        doc["phone"],
        doc["email"],
        "Le 23/11/2026",
        f"{patient['last_name'].upper()} {patient['first_name']}",
        f"Né(e) le {d}/{m}/{y}",
        "Sexe : Féminin",
        f"Ordonnance n° {data['id']}",
        "Signature du prescripteur",
    ]


def test_prescription_carries_every_mention_and_line():
    data = rx_data()
    document = compose_prescription(Prescription.from_json(data))
    assert document.kind is DocumentKind.PRESCRIPTION
    assert document.id == data["id"]
    text = pdf_text(document.pdf)
    for mention in prescription_mentions(data):
        assert mention in text, mention
    assert "Poids : 61,5 kg" in text
    assert "Page 1/1" in text
    for i, line in enumerate(data["lines"], start=1):  # type: ignore[arg-type]
        assert f"{i}. {line['medicine']}" in text
        assert line["dose"] in text
        assert line["duration"] in text
    assert "Quantité : 1 boîte de 8" in text
    assert "Non renouvelable" in text
    assert "À renouveler 2 fois" in text
    assert "Reconsulter si la fièvre persiste au-delà de 3 jours." in text


def test_sixty_lines_span_pages_with_identity_and_numbers_on_each():
    lines = [
        {
            "medicine": f"Médicament numéro {i:02d} 500 mg",
            "dose": f"{i % 3 + 1} prise(s) par jour pendant les repas",
            "duration": f"{i} jours",
            "renewals": i % 4,
        }
        for i in range(1, 61)
    ]
    data = rx_data(lines=lines)
    pages = pdf_pages(compose_prescription(Prescription.from_json(data)).pdf)
    assert len(pages) >= 3
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number}/{total}" in page
        assert "Dr Hélène Lefèvre-D'Arcy" in page  # prescriber's identity on every page
        assert "RPPS : 10101234567" in page
        assert "Ordonnance n° RX-2026-11-23-0001" in page
        assert "DUPRÉ Françoise" in page
    everything = " ".join(pages)
    for i, line in enumerate(lines, start=1):
        assert f"{i}. {line['medicine']}" in everything
        assert f"{line['duration']}" in everything
    # Each line is kept whole on one page.
    for i in range(1, 61):
        holders = [p for p in pages if f"{i}. Médicament numéro {i:02d}" in p]
        assert len(holders) == 1
        assert f"Durée : {i} jours" in holders[0]


@pytest.mark.parametrize(
    ("first", "last"),
    [("Jean", HOSTILE), (HOSTILE, "<i>O'Brien</i> & fils"), ARABIC, CYRILLIC],
)
def test_names_print_as_written(first: str, last: str):
    data = rx_data()
    data["patient"] = {**data["patient"], "first_name": first, "last_name": last}  # type: ignore[dict-item]
    data["prescriber"] = {**data["prescriber"], "name": f"Dr {first} {last}"}  # type: ignore[dict-item]
    data["lines"] = [{"medicine": f"{last} 10 mg", "dose": "1 <br/> 2", "duration": "3 j"}]
    pdf = compose_prescription(Prescription.from_json(data)).pdf
    text = pdf_text(pdf)
    assert f"{last.upper()} {first}" in text or (
        # Arabic reads right to left: pdftotext gives the words in display order.
        last in text and first in text
    )
    assert f"Dr {first} {last}" in text or (first in text and last in text)
    assert "1 <br/> 2" in text
    used = fonts_used(pdf)
    assert used and all("DejaVuSans" in font for font in used), used
    embedded = [row for row in pdf_fonts(pdf).splitlines()[2:] if "DejaVuSans" in row]
    assert embedded and all(" yes " in row for row in embedded), embedded


def test_arabic_is_shaped_not_isolated_letters():
    data = rx_data()
    data["patient"] = {**data["patient"], "first_name": ARABIC[0], "last_name": ARABIC[1]}  # type: ignore[dict-item]
    raw = pdf_text(compose_prescription(Prescription.from_json(data)).pdf)
    # NFKC maps shaped forms back to letters; the words come out whole and in reading order.
    assert ARABIC[0] in raw and ARABIC[1] in raw


def test_results_sheet_lists_every_reading_without_interpretation():
    data = load("session.json")
    inp = ResultsInput.from_json(data)
    printed = datetime(2026, 11, 23, 14, 30, tzinfo=timezone(timedelta(hours=1)))
    document = compose_results(inp, printed_at=printed)
    assert document.kind is DocumentKind.RESULTS
    text = pdf_text(document.pdf)
    for mention in [
        "Relevé de mesures",
        "Cabine CAB-023-GUERET",
        "Maison de santé de Guéret",
        "Imprimé le 23/11/2026 à 14:30",
        "DUPRÉ Françoise",
        "Né(e) le 07/03/1941",
        "Systolique : 138 mmHg",
        "Diastolique : 88 mmHg",
        "Pouls : 72 /min",
        "Température : 37,6 °C",
        "Poids : 61,45 kg",
        "Oxygène : 97 %",
        "Oxygène dans le sang",
        "SunTech Advantage",
        "n° de série ADV-000123",
        "Nonin OEM III",
        "A&D UC-321",
        "14:06",  # the thermometer's own clock
        "Page 1/1",
    ]:
        assert mention in text, mention
    assert text.count("Pas de mesure valide") == 2
    assert "Tension artérielle — 14:05 — Pas de mesure valide : fuite d'air" in text
    assert (
        "Poids — 14:12 — Pas de mesure valide : charge au-delà de la portée de l'appareil" in text
    )
    for word in ("normal", "élevé", "elevé", "hypertension", "fièvre", "anormal", "norme"):
        assert not re.search(rf"\b{word}\b", text, re.IGNORECASE), word


def test_results_sheet_prints_the_cabins_time_not_utc():
    """The kiosk stamps readings and the print in UTC; the paper reads the cabin's time,
    whatever the system's zone (UTC here): 23:30 UTC is 00:30 the next day in Paris."""
    data = load("session.json")
    data["readings"] = data["readings"][:1]
    data["readings"][0]["received_at"] = "2026-11-23T13:02:11+00:00"
    text = pdf_text(
        compose_results(
            ResultsInput.from_json(data),
            printed_at=datetime(2026, 11, 23, 23, 30, tzinfo=UTC),
        ).pdf
    )
    assert "Imprimé le 24/11/2026 à 00:30" in text
    assert "23/11/2026 14:02" in text, text
    data["cabin"]["timezone"] = "America/Cayenne"  # UTC-3
    text = pdf_text(
        compose_results(
            ResultsInput.from_json(data),
            printed_at=datetime(2026, 11, 23, 23, 30, tzinfo=UTC),
        ).pdf
    )
    assert "Imprimé le 23/11/2026 à 20:30" in text and "23/11/2026 10:02" in text


def test_results_with_no_reading_and_hostile_cabin():
    data = load("session.json")
    data["readings"] = []
    data["cabin"] = {"id": "C<1>&", "name": "<script>"}
    text = pdf_text(compose_results(ResultsInput.from_json(data)).pdf)
    assert "Aucune mesure" in text
    assert "Cabine C<1>& — <script>" in text


def test_many_readings_repeat_header_and_number_pages():
    data = load("session.json")
    data["readings"] = data["readings"] * 12
    pages = pdf_pages(compose_results(ResultsInput.from_json(data)).pdf)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number}/{len(pages)}" in page
        assert "DUPRÉ Françoise" in page
        assert "Mesure Valeur Heure" in page  # the header row repeated


def test_test_page_has_cabin_and_every_script():
    text = pdf_text(compose_test_page("CAB-7").pdf)
    assert "Cabine CAB-7" in text
    assert "Русский" in text
    assert "مرحبا" in text
    assert SAMPLES[0] in text


def test_extreme_input_still_composes():
    """Words longer than a line, control characters, a bidi override, a long address."""
    data = rx_data()
    data["lines"] = [
        {"medicine": "X" * 2000, "dose": "mot " * 499, "duration": "1 j"},
        {"medicine": "Y", "dose": "1", "quantity": "2"},
    ]
    data["notes"] = "\x00\x1b[31m<script>alert(1)</script>\u202e" + "ligne\n" * 300
    data["prescriber"] = {**data["prescriber"], "address": "A" * 300 + " rue" * 100}  # type: ignore[dict-item]
    pages = pdf_pages(compose_prescription(Prescription.from_json(data)).pdf)
    assert len(pages) > 2
    assert all(f"Page {i}/{len(pages)}" in page for i, page in enumerate(pages, start=1))
    text = " ".join(pages)
    assert "<script>alert(1)</script>" in text
    assert "\x1b" not in text and "\x00" not in text
