"""Issue #20 item 5: the papers a printer fault kept from the patient wait in the tmpfs
spool for the staff's reprint (printed once, read back from cups-pdf), and are wiped when
``[printer] hold_minutes`` passes (an injected clock)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from drivers.printer.cups import CupsPrinter
from drivers.printer.sim import DEFAULT_QUEUE, PrivateCups
from kiosk import config as config_mod
from kiosk.documents.inputs import Prescription
from kiosk.documents.prescription import compose_prescription
from kiosk.documents.printing import DocumentPrinter
from kiosk.domain import Document, DocumentKind
from kiosk.privacy import Spool
from kiosk.services.printing import PrintingService
from kiosk.session import (
    BeneficiaryChosen,
    CallEnded,
    CardInserted,
    CardRead,
    ConsentGiven,
    DoctorJoined,
    DocumentReceived,
    EndSession,
    FaultCleared,
    FaultKind,
    ReadingReceived,
    Session,
    State,
)
from tests.core.helpers import beneficiary, reading
from tests.documents.conftest import load, pdf_text
from tests.helpers.waiting import until


def config(minutes: int = 30):
    cfg = config_mod.load(config_mod.project_config("demo"))
    return replace(cfg, printer=replace(cfg.printer, hold_minutes=minutes))


def test_the_hold_key_is_in_the_default_config_and_checked():
    assert config_mod.load(config_mod.project_config("default")).printer.hold_minutes == 30
    with pytest.raises(config_mod.ConfigError, match="hold_minutes"):
        text = config_mod.project_config("default").read_text(encoding="utf-8")
        config_mod.parse(text.replace("hold_minutes = 30", "hold_minutes = -1"))


def test_held_papers_are_wiped_when_the_limit_passes(spool: Spool):
    now = [1000.0]
    documents = DocumentPrinter(spool, None)  # type: ignore[arg-type]  # no CUPS: not printing
    service = PrintingService(Session(), config(30), documents, clock=lambda: now[0])
    papers = [
        Document(kind=DocumentKind.RESULTS, id="r", pdf=b"%PDF-results"),
        Document(kind=DocumentKind.PRESCRIPTION, id="p", pdf=b"%PDF-rx"),
    ]
    held = service.hold("held-s1", papers)
    assert [kind for kind, _ in held.files] == [DocumentKind.RESULTS, DocumentKind.PRESCRIPTION]
    files = spool.files()
    assert sorted(p.read_bytes() for p in files) == [b"%PDF-results", b"%PDF-rx"]
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in files)
    now[0] += 29 * 60 + 59
    assert service.expire_held() == 0
    assert len(spool.files()) == 2  # still waiting for the staff
    now[0] += 1
    assert service.expire_held() == 1
    assert spool.files() == [] and not (spool.root / "held-s1").exists()
    assert service.held == {}
    assert service.reprint_held() == "nothing"


@pytest.mark.slow
@pytest.mark.asyncio
async def test_printer_fault_holds_the_papers_and_the_staff_reprint_prints_them_once(
    cups: PrivateCups, printer: CupsPrinter, spool: Spool
):
    documents = DocumentPrinter(spool, printer)
    session = Session(require_cleaning=False, wipe_hooks=(documents.wipe,))
    service = PrintingService(session, config(30), documents)
    data = load("prescription.json")
    prescription = compose_prescription(Prescription.from_json(data))
    cups.stop_queue(DEFAULT_QUEUE)
    try:
        for event in (
            CardInserted(),
            CardRead((beneficiary(0),)),
            BeneficiaryChosen(0),
            ConsentGiven(),
            DoctorJoined(),
            ReadingReceived(reading()),
            DocumentReceived(prescription),
            CallEnded(),
        ):
            session.send(event)
        sid = session.session_id
        await until(lambda: session.state is State.FAULT, "the printer fault")
        assert session.fault_kind is FaultKind.PRINTER_PROBLEM
        await until(lambda: f"held-{sid}" in service.held, "the papers held")
        assert len(service.held[f"held-{sid}"].files) == 2  # the results sheet and the prescription
        session.send(EndSession())  # the patient leaves: the session's own spool goes
        assert session.state is State.IDLE
        assert not (spool.root / sid).exists()
        assert len(list((spool.root / f"held-{sid}").glob("*.pdf"))) == 2
        cups.resume_queue(DEFAULT_QUEUE)
        assert service.reprint_held() == "printed"
        results, paper = cups.wait_printed(2)
        assert "Systolique" in pdf_text(results)
        assert data["lines"][0]["medicine"] in pdf_text(paper)
        assert spool.files() == [] and service.held == {}
        assert service.reprint_held() == "nothing"  # printed once
        assert len(cups.printed()) == 2
    finally:
        await service.close()


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_cleared_fault_prints_the_papers_and_releases_the_held_copy(
    cups: PrivateCups, printer: CupsPrinter, spool: Spool
):
    documents = DocumentPrinter(spool, printer)
    session = Session(require_cleaning=False, wipe_hooks=(documents.wipe,))
    service = PrintingService(session, config(30), documents)
    cups.stop_queue(DEFAULT_QUEUE)
    try:
        for event in (
            CardInserted(),
            CardRead((beneficiary(0),)),
            BeneficiaryChosen(0),
            ConsentGiven(),
            DoctorJoined(),
            ReadingReceived(reading()),
            CallEnded(),
        ):
            session.send(event)
        key = f"held-{session.session_id}"
        await until(lambda: key in service.held, "the papers held")
        assert service.held_fields()["papers_held"] == 1
        cups.resume_queue(DEFAULT_QUEUE)
        session.send(FaultCleared())  # the printer is back: the session prints them itself
        await until(lambda: session.state is State.IDLE or key not in service.held, "release")
        await until(lambda: session.state is not State.PRINTING, "the session printed")
        assert service.held == {} and service.held_fields() == {"papers_held": 0}
        assert service.reprint_held() == "nothing"  # no second copy for the staff to print
        assert len(cups.wait_printed(1)) == 1
    finally:
        await service.close()
    assert spool.files() == []
