"""Issue #23: the papers of an assisted consultation (a mallette) name the nurse: name,
profession, RPPS and the place, read back from the PDFs (pdftotext); taken from the session,
never from the doctor's page; absent when nobody assisted."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk import config as config_mod
from kiosk.call import PrescriptionFormReceived
from kiosk.clock import ManualClock
from kiosk.documents.errors import DocumentInputError
from kiosk.documents.gp_report import compose_gp_report
from kiosk.documents.inputs import NurseOnPaper, Prescription, ResultsInput
from kiosk.documents.prescription import compose_prescription
from kiosk.documents.results import compose_results
from kiosk.nurse import Assistance, CarePlace
from kiosk.services.printing import PrintingService, nurse_on_paper, take_prescription
from kiosk.session import (
    BeneficiaryChosen,
    CardInserted,
    CardRead,
    CarePlaceChosen,
    ConsentGiven,
    DoctorJoined,
    NurseDeskOpened,
    NurseSignedIn,
    ReadingReceived,
    Session,
    State,
)
from tests.core.helpers import reading
from tests.documents.conftest import load, pdf_text
from tests.documents.test_gp_report_and_honest_papers import gp_input
from tests.nurse.test_desk_session import NURSE, PATIENT
from tests.nurse.test_rpps import RPPS

NURSE_JSON = {"name": "Claire Dubois", "profession": "infirmier", "rpps": RPPS, "place": "home"}
LINE = f"Avec l'assistance de : Claire Dubois, infirmier(ère), N° RPPS {RPPS}"


def with_nurse(name: str, nurse: Any = NURSE_JSON) -> dict[str, Any]:
    data = load(name)
    data["nurse"] = nurse
    return data


def test_the_results_sheet_names_the_nurse_and_the_place():
    text = pdf_text(compose_results(ResultsInput.from_json(with_nurse("session.json"))).pdf)
    assert LINE in text and "Lieu : domicile du patient" in text
    plain = pdf_text(compose_results(ResultsInput.from_json(load("session.json"))).pdf)
    assert "assistance" not in plain and RPPS not in plain


def test_the_prescription_names_the_nurse_below_the_patient():
    rx = Prescription.from_json(with_nurse("prescription.json", {**NURSE_JSON, "place": "other"}))
    text = pdf_text(compose_prescription(rx).pdf)
    assert LINE in text and "Lieu : autre lieu" in text
    assert text.index("Patient") < text.index("Avec l'assistance")
    assert "assistance" not in pdf_text(
        compose_prescription(Prescription.from_json(load("prescription.json"))).pdf
    )


def test_the_gp_report_names_the_nurse():
    from dataclasses import replace

    nurse = NurseOnPaper.from_json({**NURSE_JSON, "place": "health_centre"})
    text = pdf_text(compose_gp_report(replace(gp_input("ar"), nurse=nurse)).pdf)
    assert LINE in text and "Lieu : centre de santé" in text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rpps": "1234"}, "nurse.rpps"),
        ({"profession": "sorcier"}, "nurse.profession"),
        ({"place": "mars"}, "nurse.place"),
        ({"name": " "}, "nurse.name"),
    ],
)
def test_a_bad_nurse_field_is_named(change: dict[str, str], field: str):
    with pytest.raises(DocumentInputError, match=field):
        ResultsInput.from_json(with_nurse("session.json", {**NURSE_JSON, **change}))
    with pytest.raises(DocumentInputError, match="nurse: must be a JSON object"):
        Prescription.from_json(with_nurse("prescription.json", "Claire"))


def test_nurse_on_paper_of_the_sessions_assistance():
    assert nurse_on_paper(None) is None
    paper = nurse_on_paper(Assistance(NURSE, CarePlace.HOME))
    assert paper == NurseOnPaper(
        name="Claire Dubois", profession="infirmier", rpps=RPPS, place="home"
    )
    assert "Claire" not in repr(paper)


def assisted_call() -> Session:
    session = Session(clock=ManualClock(), require_cleaning=False)
    for event in (
        NurseDeskOpened(),
        NurseSignedIn(NURSE),
        CarePlaceChosen(CarePlace.HOME.value),
        CardInserted(),
        CardRead((PATIENT,)),
        BeneficiaryChosen(1),
        ConsentGiven(),
        DoctorJoined(),
    ):
        session.send(event)
    assert session.state is State.IN_CALL
    return session


@pytest.mark.asyncio
async def test_the_sessions_nurse_heads_both_papers_whatever_the_page_sends():
    session = assisted_call()
    cfg = config_mod.load(config_mod.project_config("demo"))
    session.send(ReadingReceived(reading()))
    form = load("prescription.json")
    del form["id"], form["date"]
    form["nurse"] = {**NURSE_JSON, "name": "Quelqu'un d'autre"}  # the page cannot name one
    await take_prescription(session, PrescriptionFormReceived(form), cabin=cfg.cabin, call=None)
    assert session.data is not None and len(session.data.documents) == 1
    text = pdf_text(session.data.documents[0].pdf)
    assert LINE in text and "domicile du patient" in text and "Quelqu'un" not in text
    printing = PrintingService(session, cfg, printer=None)  # type: ignore[arg-type]
    try:
        results = printing._documents()[0]
        assert results.kind.value == "results"
        assert LINE in pdf_text(results.pdf)
    finally:
        await printing.close()


def test_the_gp_report_taken_from_the_doctor_names_the_session_nurse():
    """The report the doctor's page sends is composed with the session's nurse (the page
    never says who assisted: the cabin does)."""
    import asyncio

    from kiosk.config import CabinConfig
    from kiosk.domain import DocumentKind
    from kiosk.prescriptions import GpReportReceived
    from kiosk.services.gp_report import take_gp_report
    from tests.core.test_session import TIMEOUTS, to
    from tests.documents.test_gp_report_and_honest_papers import FakeCall, report_form

    session = Session(timeouts=TIMEOUTS, clock=ManualClock())
    to(session, State.IN_CALL)
    assert session.data is not None
    session.data.assistance = Assistance(NURSE, CarePlace.HOME)
    call = FakeCall()
    sid = session.session_id
    received = GpReportReceived(
        report_form(), call.gp_reports.admit(sid, {"session_id": sid, "version": 1}), "m1"
    )
    cabin = CabinConfig(id="CAB-1", name="Cabine de test")
    asyncio.run(take_gp_report(session, received, cabin=cabin, call=call))  # type: ignore[arg-type]
    assert call.answers == [(1, "ok")]
    (report,) = [d for d in session.data.documents if d.kind is DocumentKind.GP_REPORT]
    text = pdf_text(report.pdf)
    assert LINE in text and "Lieu : domicile du patient" in text
