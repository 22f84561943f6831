"""The GP report, the results sheet that speaks to the patient, and the form prescription's
plain words about its QR code: composed, read back as text (pdftotext), in French and with
the patient's language below; the report taken from the doctor's message into the session's
papers (sent twice: replaced, printed once) and printed through a real cups-pdf queue."""

from __future__ import annotations

import asyncio
import base64
import io
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from PIL import Image, ImageDraw

from drivers.printer.cups import CupsPrinter
from drivers.printer.sim import PrivateCups
from kiosk.clock import ManualClock
from kiosk.config import CabinConfig
from kiosk.documents.errors import DocumentInputError
from kiosk.documents.gp_report import GpReportInput, compose_gp_report, report_fields
from kiosk.documents.inputs import Prescription, ResultsInput
from kiosk.documents.prescription import NOT_DIGITAL, QR_MEANING, compose_prescription
from kiosk.documents.printing import DocumentPrinter
from kiosk.documents.results import compose_results
from kiosk.domain import DeviceInfo, DocumentKind, Reading, ReadingKind, Unit
from kiosk.prescriptions import FormVersion, GpReportLedger, GpReportReceived
from kiosk.privacy import Spool
from kiosk.services.gp_report import take_gp_report
from kiosk.session import LanguageChosen, ReadingReceived, Session, State
from protocol import ErrorCode, ProtocolError
from tests.core.test_session import TIMEOUTS, to
from tests.documents.conftest import load, pdf_text

PRINTED = datetime(2026, 11, 23, 14, 30, tzinfo=timezone(timedelta(hours=1)))
ARABIC_HEADINGS = ("سبب الاستشارة", "الملاحظات", "النصائح المقدمة", "المتابعة المقترحة")


def signature_b64() -> str:
    image = Image.new("L", (400, 140), 255)
    ImageDraw.Draw(image).line([(20, 100), (120, 30), (200, 110), (380, 40)], fill=0, width=5)
    out = io.BytesIO()
    image.save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


def report_form(**changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "reason": "Toux depuis 5 jours, fièvre modérée.",
        "findings": "Auscultation impossible à distance.\nSpO2 97 %.",
        "advice": "Repos, hydratation.",
        "follow_up": "Consulter sous 48 h si pas d'amélioration.",
        "doctor": {"name": "Dr Camille Démo", "rpps": "10000000000"},
    }
    form.update(changes)
    return form


def gp_input(language: str, form: dict[str, Any] | None = None) -> GpReportInput:
    results = ResultsInput.from_json(load("session.json"))
    fields, name, rpps, signature = report_fields(form or report_form())
    return GpReportInput(
        cabin=results.cabin,
        patient=results.patient,
        doctor_name=name,
        doctor_rpps=rpps,
        fields=fields,
        readings=results.readings,
        language=language,
        signature=signature,
        written_at=PRINTED,
    )


def test_gp_report_in_french_the_doctors_text_as_written_and_the_readings():
    document = compose_gp_report(gp_input("fr"))
    assert document.kind is DocumentKind.GP_REPORT
    text = pdf_text(document.pdf)
    for mention in (
        "Compte rendu pour votre médecin traitant",
        "À remettre à votre médecin traitant.",
        "DUPRÉ Françoise",
        "Né(e) le 07/03/1941",
        "Téléconsultation du 23/11/2026 avec Dr Camille Démo",
        "N° RPPS : 10000000000",
        "Motif de la consultation Toux depuis 5 jours, fièvre modérée.",
        "Constatations Auscultation impossible à distance. SpO2 97 %.",
        "Conseils donnés Repos, hydratation.",
        "Suivi proposé Consulter sous 48 h si pas d'amélioration.",
        "Mesures faites en cabine",
        "Température (14:06) : Température 37,6 °C",  # as a doctor writes it: decimal comma
        "Poids (14:09) : Poids 61,45 kg",
        "Oxygène dans le sang (14:11) : Oxygène 97 %",
        "Tension artérielle — 14:05 — Pas de mesure valide : fuite d'air",
        "Page 1/1",
    ):
        assert mention in text, mention
    for heading in ARABIC_HEADINGS:
        assert heading not in text


def test_gp_report_in_arabic_fixed_texts_below_the_french_doctor_text_unchanged():
    text = pdf_text(compose_gp_report(gp_input("ar")).pdf)
    assert "Compte rendu pour votre médecin traitant" in text
    assert "تقرير لطبيبك المعالج" in text
    for heading in ARABIC_HEADINGS:
        assert heading in text, heading
    assert "Toux depuis 5 jours, fièvre modérée." in text  # the doctor's words, as written
    assert "Page 1/1" in text


def test_gp_report_carries_the_signature_image():
    bare = compose_gp_report(gp_input("fr")).pdf
    form = report_form(doctor={"name": "Dr A", "rpps": "", "signature": signature_b64()})
    signed = compose_gp_report(gp_input("fr", form)).pdf
    assert b"/Subtype /Image" in signed and b"/Subtype /Image" not in bare


@pytest.mark.parametrize(
    ("form", "problem"),
    [
        (report_form(reason="", findings="", advice="", follow_up=""), "report: empty"),
        (report_form(reason=12), "report.reason: must be text"),
        (report_form(advice="x" * 2001), "report.advice: longer than 2000"),
        (report_form(doctor={}), "report.doctor.name: missing"),
        ("not a form", "report: must be a JSON object"),
        (report_form(doctor={"name": "Dr A", "signature": "aGVsbG8="}), "report.doctor.signature"),
    ],
)
def test_a_bad_report_is_named_by_field(form: Any, problem: str):
    with pytest.raises(DocumentInputError, match=problem):
        report_fields(form)


def test_a_malformed_rpps_is_not_printed_as_one():
    _, _, rpps, _ = report_fields(report_form(doctor={"name": "Dr A", "rpps": "12-34"}))
    assert rpps == ""


# -- the results sheet speaks to the patient ------------------------------------------------


def failed_bp(code: str) -> Reading:
    return Reading(
        kind=ReadingKind.BLOOD_PRESSURE,
        unit=Unit.MM_HG,
        values={},
        missing={"systolic": code, "diastolic": code},
        flags=frozenset({code, "device_error:5", "user:1"}),
        device=DeviceInfo(id="bp", model="SunTech Advantage", serial="ADV-000123"),
        received_at=datetime(2026, 11, 23, 13, 20, tzinfo=UTC),
    )


def test_results_sheet_words_not_codes_one_line_per_failure_names_of_the_screens():
    data = load("session.json")
    data["readings"].append(failed_bp("e99_strange_code").to_json())
    data["doctor"] = "Dr Camille Démo"
    text = pdf_text(compose_results(ResultsInput.from_json(data), printed_at=PRINTED).pdf)
    assert "Médecin : Dr Camille Démo" in text
    assert "Oxygène dans le sang" in text and "Oxymétrie" not in text
    # a failed attempt: one short line, its device not listed as for a reading
    assert "Tension artérielle — 14:20 — Pas de mesure valide : problème de l'appareil" in text
    for code in ("e99", "strange", "device_error", "user:1", "_"):
        assert code not in text, code
    assert text.count("ADV-000123") == 1  # the good reading's row only


def test_results_sheet_in_arabic_below_the_french():
    data = load("session.json")
    data["language"] = "ar"
    text = pdf_text(compose_results(ResultsInput.from_json(data), printed_at=PRINTED).pdf)
    assert "Relevé de mesures" in text and "نتائج القياسات" in text
    assert "الأكسجين في الدم" in text and "Oxygène dans le sang" in text
    assert "لا يوجد قياس صالح" in text  # no valid measurement, in the patient's words
    assert "Systolique : 138 mmHg" in text


def test_results_sheet_for_a_french_patient_has_no_second_language():
    text = pdf_text(compose_results(ResultsInput.from_json(load("session.json"))).pdf)
    assert "نتائج" not in text and "Measurement" not in text


def test_form_prescription_says_what_its_qr_code_is_and_carries_the_signature():
    data = load("prescription.json")
    data["prescriber"]["signature"] = signature_b64()
    pdf = compose_prescription(Prescription.from_json(data)).pdf
    text = pdf_text(pdf)
    assert QR_MEANING == (
        "QR code : référence de ce document, pas un numéro d'ordonnance numérique"
    )
    assert QR_MEANING in text and NOT_DIGITAL in text
    assert "Ce document n'est pas une ordonnance numérique." in text
    assert b"/Subtype /Image" in pdf


# -- from the doctor's message to the paper ---------------------------------------------------


def test_the_ledger_keeps_the_latest_version_of_the_session():
    ledger = GpReportLedger()
    msg = {"session_id": "s1", "version": 1}
    first = ledger.admit("s1", msg)
    second = ledger.admit("s1", {**msg, "version": 2})
    assert ledger.is_latest(second) and not ledger.is_latest(first)
    with pytest.raises(ProtocolError) as old:
        ledger.admit("s1", msg)
    assert old.value.code is ErrorCode.SUPERSEDED
    with pytest.raises(ProtocolError) as other:
        ledger.admit("s2", msg)
    assert other.value.code is ErrorCode.WRONG_SESSION


class FakeCall:
    """What take_gp_report asks of the call: its ledger and the page's answer."""

    def __init__(self) -> None:
        self.gp_reports = GpReportLedger()
        self.answers: list[tuple[int, str]] = []

    def gp_report_settled(self, received: GpReportReceived, error: ProtocolError | None) -> None:
        self.answers.append((received.version.version, error.code.value if error else "ok"))


@pytest.mark.slow
def test_report_sent_twice_replaces_and_prints_once_read_back_from_cups(
    cups: PrivateCups, printer: CupsPrinter, spool: Spool
):
    session = Session(timeouts=TIMEOUTS, clock=ManualClock())
    to(session, State.IN_CALL)
    session.send(LanguageChosen("ar"))
    session.send(
        ReadingReceived(
            Reading(
                kind=ReadingKind.TEMPERATURE,
                unit=Unit.CELSIUS,
                values={"temperature": 38.25},
                device=DeviceInfo(id="thermo", model="Thermomètre BLE"),
                received_at=datetime(2026, 11, 23, 13, 2, tzinfo=UTC),
            )
        )
    )
    assert session.data is not None
    sid = session.session_id
    call = FakeCall()
    cabin = CabinConfig(id="CAB-1", name="Cabine de test")

    async def send(version: int, advice: str) -> None:
        msg = {"session_id": sid, "version": version}
        received = GpReportReceived(
            report_form(advice=advice), call.gp_reports.admit(sid, msg), f"m{version}"
        )
        await take_gp_report(session, received, cabin=cabin, call=call)  # type: ignore[arg-type]

    asyncio.run(send(1, "Première version."))
    asyncio.run(send(2, "Repos, hydratation."))
    asyncio.run(
        take_gp_report(
            session,
            GpReportReceived({"reason": ""}, FormVersion(sid, "gp-report", 3), "m3"),
            cabin=cabin,
            call=None,
        )
    )
    assert call.answers == [(1, "ok"), (2, "ok")]
    reports = [d for d in session.data.documents if d.kind is DocumentKind.GP_REPORT]
    assert len(reports) == 1  # the second replaced the first
    DocumentPrinter(spool, printer).print_document(sid, reports[0])
    (paper,) = cups.wait_printed(1)
    text = pdf_text(paper)
    assert "Compte rendu pour votre médecin traitant" in text
    assert "تقرير لطبيبك المعالج" in text  # the patient chose Arabic at the cabin
    assert "Repos, hydratation." in text and "Première version." not in text
    assert "Température (14:02) : Température 38,25 °C" in text
    assert "Dr Camille Démo" in text and "N° RPPS : 10000000000" in text


def test_the_waiting_room_keeps_the_three_day_sick_note_rule():
    """The cabin cannot print a sick note (secured Cerfa form since July 2025); the waiting
    room still tells the patient the 3-day limit after a video consultation, in every
    language of the screens."""
    import xml.etree.ElementTree as ET
    from pathlib import Path

    ui = Path(__file__).resolve().parents[2] / "ui"
    screen = (ui / "screens" / "waiting_room.py").read_text(encoding="utf-8")
    assert "time off work is limited to 3 days" in screen  # English: the source text
    folder = ui / "i18n"
    for language in ("fr", "es", "ar"):
        root = ET.parse(folder / f"cabine_{language}.ts").getroot()
        found = [
            m.findtext("translation") or m.findtext("source") or ""
            for m in root.iter("message")
            if (m.findtext("source") or "").startswith("Sick note: after a video consultation")
        ]
        assert found and ("3" in found[0] or "٣" in found[0]), (language, found)
