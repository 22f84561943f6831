"""Printing through a real private CUPS with a cups-pdf queue: the paper read back, queue
problems as typed errors, and nothing of the session left once it is wiped."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from drivers.printer.cups import CupsPrinter, JobState, PrinterOptions, QueueState
from drivers.printer.errors import (
    CupsUnavailableError,
    NoSuchQueueError,
    PaperJamError,
    PaperOutError,
    PrintDocumentError,
    PrinterError,
    PrinterOfflineError,
    PrinterReason,
    PrinterStoppedError,
    PrintFileError,
    PrintJobCanceledError,
)
from drivers.printer.sim import DEFAULT_QUEUE, PrivateCups
from kiosk.clock import ManualClock
from kiosk.documents.inputs import Prescription, ResultsInput
from kiosk.documents.prescription import compose_prescription
from kiosk.documents.printing import DocumentPrinter
from kiosk.documents.results import compose_results
from kiosk.documents.testpage import compose_test_page
from kiosk.documents.upload import validate_upload
from kiosk.privacy import Spool
from kiosk.session import CallEnded, EndSession, Session, State
from tests.core.test_session import to
from tests.documents.conftest import load, pdf_pages, pdf_text, qr_codes
from tests.documents.test_compose import prescription_mentions

pytestmark = pytest.mark.slow


def test_prescription_printed_and_read_back(cups: PrivateCups, printer: CupsPrinter, spool: Spool):
    lines = [
        {
            "medicine": f"Médicament {i:02d} 250 mg",
            "dose": f"{i} fois par jour",
            "duration": "7 jours",
        }
        for i in range(1, 61)
    ]
    data = load("prescription.json")
    data["lines"] = lines
    data["patient"]["last_name"] = "<b>&Co"
    document = compose_prescription(Prescription.from_json(data))
    result = DocumentPrinter(spool, printer).print_document("s1", document)
    assert result.state is JobState.COMPLETED
    (paper,) = cups.wait_printed(1)
    pages = pdf_pages(paper)
    assert len(pages) >= 3
    text = pdf_text(paper)
    for mention in prescription_mentions(data):
        assert mention in text, mention
    for i, line in enumerate(lines, start=1):
        assert f"{i}. {line['medicine']}" in text
        assert f"Posologie : {line['dose']}" in text
    for number in range(1, len(pages) + 1):
        assert f"Page {number}/{len(pages)}" in pages[number - 1]
        assert "RPPS : 10101234567" in pages[number - 1]
    assert "<B>&CO Françoise" in text
    # The id as a QR code, readable by a scanner on the first and the last sheet.
    assert qr_codes(paper, 1) == [data["id"]]
    assert qr_codes(paper, len(pages)) == [data["id"]]
    assert spool.files() == []  # the spool file went with the completed job
    assert cups.job_files() == []


def test_results_with_arabic_and_cyrillic_names_printed(
    cups: PrivateCups, printer: CupsPrinter, spool: Spool
):
    printer_ = DocumentPrinter(spool, printer)
    for first, last in (("محمد", "الهاشمي"), ("Ольга", "Щербакова")):
        data = load("session.json")
        data["patient"].update(first_name=first, last_name=last)
        printer_.print_document("s2", compose_results(ResultsInput.from_json(data)))
    first_paper, second_paper = cups.wait_printed(2)
    arabic, cyrillic = pdf_text(first_paper), pdf_text(second_paper)
    assert "محمد" in arabic and "الهاشمي" in arabic
    assert "ЩЕРБАКОВА Ольга" in cyrillic
    for text in (arabic, cyrillic):
        assert "Systolique : 138 mmHg" in text
        assert "Pas de mesure valide" in text


def test_stopped_queue_is_a_typed_error(cups: PrivateCups, printer: CupsPrinter, spool: Spool):
    cups.stop_queue(DEFAULT_QUEUE)
    status = printer.status()
    assert status.state is QueueState.STOPPED
    document = compose_results(ResultsInput.from_json(load("session.json")))
    with pytest.raises(PrinterStoppedError) as caught:
        DocumentPrinter(spool, printer).print_document("s3", document)
    assert caught.value.reason is PrinterReason.STOPPED
    assert caught.value.queue == DEFAULT_QUEUE
    assert spool.files() == []
    cups.resume_queue(DEFAULT_QUEUE)
    assert printer.check_ready().state is QueueState.IDLE


def test_refusing_queue_is_a_typed_error(cups: PrivateCups, printer: CupsPrinter):
    cups.reject_jobs(DEFAULT_QUEUE)
    with pytest.raises(PrinterStoppedError) as caught:
        printer.check_ready()
    assert caught.value.reason is PrinterReason.NOT_ACCEPTING


@pytest.mark.parametrize(
    ("fault", "error", "reason"),
    [
        ("paper-out", PaperOutError, PrinterReason.PAPER_OUT),
        ("offline", PrinterOfflineError, PrinterReason.OFFLINE),
        ("jam", PaperJamError, PrinterReason.PAPER_JAM),
    ],
)
def test_printer_fault_met_by_a_job_is_typed_and_job_purged(  # noqa: PLR0917
    cups: PrivateCups,
    printer: CupsPrinter,
    spool: Spool,
    fault: str,
    error: type[PrinterError],
    reason: PrinterReason,
):
    cups.set_fault(DEFAULT_QUEUE, fault)
    document = compose_results(ResultsInput.from_json(load("session.json")))
    with pytest.raises(error) as caught:
        DocumentPrinter(spool, printer).print_document("s4", document)
    assert caught.value.reason is reason
    assert not caught.value.transient
    assert cups.printed() == []
    assert cups.job_files() == []  # the failed job was cancelled and purged
    assert spool.files() == []
    # Staff fixed it: the next job prints.
    cups.resume_queue(DEFAULT_QUEUE)
    DocumentPrinter(spool, printer).print_document("s4", document)
    assert len(cups.wait_printed(1)) == 1


def test_unknown_queue_and_absent_cups(cups: PrivateCups, tmp_path: Path):
    default = CupsPrinter(PrinterOptions(server=cups.server))  # no name: CUPS's default queue
    assert default.queue == DEFAULT_QUEUE
    assert default.check_ready().state is QueueState.IDLE
    with pytest.raises(NoSuchQueueError):
        CupsPrinter(PrinterOptions(queue="no-such-queue", server=cups.server)).status()
    with pytest.raises(NoSuchQueueError):
        CupsPrinter(PrinterOptions(queue="bad name/../x", server=cups.server))
    gone = CupsPrinter(
        PrinterOptions(queue=DEFAULT_QUEUE, server=str(tmp_path / "none.sock"), retries=0)
    )
    with pytest.raises(CupsUnavailableError) as caught:
        gone.print_file(tmp_path / "x.pdf", title="t")
    assert caught.value.transient


def test_transient_failure_is_retried_then_raised(tmp_path: Path):
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    gone = CupsPrinter(
        PrinterOptions(
            queue=DEFAULT_QUEUE, server=str(tmp_path / "none.sock"), retries=2, retry_delay=0.01
        )
    )
    with pytest.raises(CupsUnavailableError):
        gone.print_file(pdf, title="t")


def test_missing_file_and_unrenderable_document(cups: PrivateCups, printer: CupsPrinter, tmp_path):
    with pytest.raises(PrintFileError):
        printer.submit(tmp_path / "absent.pdf", title="t")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot a pdf at all\n%%EOF\n")
    with pytest.raises(PrintDocumentError) as caught:
        printer.print_file(broken, title="t")
    assert not caught.value.transient
    assert cups.job_files() == []


def test_no_pdf_of_the_session_remains_after_the_wipe(
    cups: PrivateCups, printer: CupsPrinter, spool: Spool
):
    """A job still held by CUPS when the session ends is cancelled and purged by the wipe hook;
    the spool, the CUPS job files and cups-pdf's temp files hold nothing of the session."""
    documents = DocumentPrinter(spool, printer)
    session = to(Session(clock=ManualClock(), wipe_hooks=(documents.wipe,)), State.IN_CALL)
    sid = session.session_id
    # First a document that prints normally.
    documents.print_document(sid, compose_results(ResultsInput.from_json(load("session.json"))))
    # Then one CUPS holds (as a printer waiting for staff would): the wipe must cancel it.
    cups.admin("lpadmin", "-p", DEFAULT_QUEUE, "-o", "job-hold-until-default=indefinite")
    failure: list[BaseException] = []

    def print_held() -> None:
        try:
            documents.print_document(
                sid, compose_prescription(Prescription.from_json(load("prescription.json")))
            )
        except BaseException as exc:
            failure.append(exc)

    worker = threading.Thread(target=print_held, name="print-held")
    worker.start()
    try:
        end = time.monotonic() + 20.0
        while not documents.pending_jobs(sid) or not cups.job_files():
            assert time.monotonic() < end, "the held job never reached CUPS"
            time.sleep(0.02)
        assert any(p.suffix == ".pdf" for p in spool.files())  # spooled while it waits
        session.send(CallEnded())
        for _ in range(3):  # printing (abandoned), goodbye: then wiping, then cleaning
            if session.state is State.CLEANING:
                break
            session.send(EndSession())
        assert session.state is State.CLEANING
    finally:
        worker.join(30)
    assert not worker.is_alive()
    assert len(failure) == 1 and isinstance(failure[0], PrintJobCanceledError)
    assert spool.files() == []
    assert not (spool.root / sid).exists()
    assert cups.job_files() == []
    done = subprocess.run(
        ["lpstat", "-o", DEFAULT_QUEUE],
        env=cups.env(),
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    assert done.stdout.strip() == ""  # no job of the session left pending
    assert len(cups.printed()) == 1  # only the first document reached paper


def test_uploaded_prescription_printed_unaltered(
    cups: PrivateCups, printer: CupsPrinter, spool: Spool
):
    """A PDF from the doctor's software: validated, then printed as it came."""
    source = compose_prescription(Prescription.from_json(load("prescription.json"))).pdf
    document = validate_upload(
        source, sha256=hashlib.sha256(source).hexdigest(), document_id="upload-1"
    )
    DocumentPrinter(spool, printer).print_document("s5", document)
    (paper,) = cups.wait_printed(1)
    assert pdf_pages(paper) == pdf_pages(source)
    assert spool.files() == []


def test_sim_printer_command_runs_in_the_foreground(tmp_path: Path):
    """``kiosk sim printer`` serves until interrupted; a job sent through it comes out."""
    workdir = Path("/dev/shm") / f"cabine-simcmd-{os.getpid()}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sim", "printer", "--dir", str(workdir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(3)]
        server = lines[1].split("CUPS_SERVER=", 1)[1].split()[0]
        assert server == str(workdir / "cups.sock")
        pdf = tmp_path / "t.pdf"
        pdf.write_bytes(compose_test_page("CAB-SIM").pdf)
        CupsPrinter(PrinterOptions(queue=DEFAULT_QUEUE, server=server)).print_file(pdf, title="t")
        assert "CAB-SIM" in pdf_text(next((workdir / "out").glob("*.pdf")))
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()
        shutil.rmtree(workdir, ignore_errors=True)
    assert proc.returncode == 0
    assert not list(Path("/etc/cups").glob(f"cups-pdf-cabine-{proc.pid}-*.conf"))
