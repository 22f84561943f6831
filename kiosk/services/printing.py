"""The papers: the doctor's prescription form composed into a document of the session, the
results sheet composed at the end, each paper printed once (and the technician's test page).

:class:`PrintingService` prints on ``printing`` and puts a printer problem on the fault
screen with CUPS's reason; :func:`take_prescription` completes and composes a form.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drivers.types import Beneficiary
from kiosk.config import CabinConfig, Config
from kiosk.domain import Document, DocumentKind
from kiosk.health import PrinterState
from kiosk.session import (
    DocumentReceived,
    Fault,
    FaultKind,
    Notice,
    PrintingDone,
    Session,
    State,
    Update,
    send_quietly,
)
from kiosk.tasks import Tasks

if TYPE_CHECKING:
    from kiosk.call import CabinCall, PrescriptionFormReceived
    from kiosk.documents.inputs import NurseOnPaper, PatientOnPaper
    from kiosk.documents.printing import DocumentPrinter
    from kiosk.nurse import Assistance

log = logging.getLogger(__name__)


#: The NIR's first digit gives the sex (1, 3, 7 men; 2, 4, 8 women; 3-4 and 7-8 are
#: provisional numbers).
SEX_OF_NIR = {"1": "M", "3": "M", "7": "M", "2": "F", "4": "F", "8": "F"}


def prescription_input(
    form: dict[str, Any], person: Beneficiary | None, *, cabin_id: str, zone: str = "Europe/Paris"
) -> dict[str, Any]:
    """The doctor's form completed with what the cabin knows: the patient (from the card,
    never from the page), a unique prescription id, and its date as a day at the cabin
    (time zone ``zone``): the page sends the moment it was written, in UTC, and a
    prescription written at 00:30 in Paris is not dated the day before.

    ``person=None``: no card was read (booking code, walk-in): the identity is the one the
    doctor typed after checking an ID document on camera.
    """
    import re
    import secrets
    import zoneinfo

    typed = form.get("patient")
    typed = typed if isinstance(typed, dict) else {}
    weight = typed.get("weight_kg")
    patient: dict[str, Any]
    if person is None:
        patient = {
            key: typed[key]
            for key in ("last_name", "first_name", "sex", "birth_date")
            if key in typed
        }
    else:
        patient = {
            "last_name": person.last_name,
            "first_name": person.first_name,
            "sex": SEX_OF_NIR.get(person.nir[:1], ""),
            "birth_date": person.birth_date,
        }
    if weight not in (None, ""):
        patient["weight_kg"] = weight
    tz = zoneinfo.ZoneInfo(zone)
    today = datetime.now(tz).date()
    # The id's letters are few (a cabin called "SAS Nord 01" made every id invalid, and
    # with it every prescription of that cabin refused).
    stamp = re.sub(r"[^A-Za-z0-9._-]", "-", cabin_id)[:40]
    day = form.get("date")
    if isinstance(day, str) and len(day) > 10:
        with contextlib.suppress(ValueError):  # not a moment: the document checks it
            moment = datetime.fromisoformat(day)
            if moment.tzinfo is not None:
                day = moment.astimezone(tz).date().isoformat()
    return {
        **form,
        "id": form.get("id") or f"RX-{stamp}-{today:%Y%m%d}-{secrets.token_hex(4)}",
        "date": day or today.isoformat(),
        "patient": patient,
    }


def patient_of(person: Beneficiary | None) -> PatientOnPaper:
    """The documents' patient from the card's beneficiary (birth date as the card has it);
    without one, a blank identity the patient fills in by hand."""
    from kiosk.documents.inputs import PatientOnPaper

    if person is None:
        return PatientOnPaper(last_name="", first_name="", birth_date="")
    raw = person.birth_date
    birth = f"{raw[6:8]}/{raw[4:6]}/{raw[0:4]}" if len(raw) == 8 else raw
    sex = SEX_OF_NIR.get(person.nir[:1], "")
    return PatientOnPaper(
        last_name=person.last_name, first_name=person.first_name, sex=sex, birth_date=birth
    )


def nurse_on_paper(assistance: Assistance | None) -> NurseOnPaper | None:
    """The professional who assisted the session (a mallette) as the papers name them."""
    from kiosk.documents.inputs import NurseOnPaper
    from kiosk.nurse import assistance_fields

    return NurseOnPaper.from_json(assistance_fields(assistance))


def printer_health(exc: Any) -> tuple[PrinterState, str]:
    """The printer's state for the fleet after a :class:`~drivers.printer.errors.PrinterError`,
    and CUPS's reason as its detail."""
    reason = str(exc.reason)
    if reason == "no_such_queue":
        return PrinterState.MISSING, reason
    if reason == "cups_unavailable":
        return PrinterState.UNKNOWN, reason
    if reason in ("document_rejected", "bad_file", "job_canceled"):
        return PrinterState.IDLE, reason  # that document's problem, not the printer's
    return PrinterState.STOPPED, reason


def declared_person(patient: dict[str, Any]) -> Beneficiary:
    """The identity the doctor typed (no card): a beneficiary without NIR."""
    return Beneficiary(
        last_name=str(patient.get("last_name", "")),
        first_name=str(patient.get("first_name", "")),
        birth_date=str(patient.get("birth_date", "")).replace("-", ""),
        nir="",
    )


@dataclass(frozen=True, kw_only=True)
class HeldPapers:
    """A session's papers the printer could not print, kept for the staff in the spool
    folder ``key`` (tmpfs, mode 0700) until they reprint them or ``until`` passes."""

    key: str
    #: Each paper's kind and held copy, in the order the session prints them.
    files: tuple[tuple[DocumentKind, Path], ...]
    #: When they were held (UTC; the staff page shows it) and the service clock's deadline.
    since: datetime
    until: float


class PrintingService:
    """On ``printing``: compose the results sheet, print it and the doctor's documents.

    Each document is printed once; after a printer fault is cleared, what is left prints.
    A printer problem puts the session on the printer fault screen with CUPS's reason, and
    what was not printed is held for the staff (``[printer] hold_minutes``): the session's
    end does not wipe it; a reprint or the limit does.
    """

    def __init__(
        self,
        session: Session,
        config: Config,
        printer: DocumentPrinter,
        *,
        on_printer: Callable[[PrinterState, str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session = session
        self.config = config
        self.printer = printer
        #: Told the printer's state word and CUPS's reason after each attempt (fleet health).
        self.on_printer = on_printer or (lambda state, detail: None)
        self.clock = clock
        self.tasks = Tasks()
        self._printed: set[str] = set()
        self._results_id = ""
        self._unprinted: list[Document] = []
        #: The papers waiting for the staff, by spool key.
        self.held: dict[str, HeldPapers] = {}
        # hold, expiry, reprint and release run in worker threads: one at a time
        self._held_lock = threading.Lock()
        self.printed_count = 0
        #: The doctor of a session, for its results sheet ("" unknown): set by the cabin.
        self.doctor: Callable[[str], str] = lambda session_id: ""
        self._unsubscribe = session.subscribe(self._on_update)

    def _on_update(self, update: Update) -> None:
        if update.notice is Notice.TRANSITION:
            if update.state is State.PRINTING:
                # printing again (the fault cleared): the session prints what was held
                key = f"held-{self.session.session_id}"
                if key in self.held:
                    self.tasks.spawn(asyncio.to_thread(self._release, key), "release-papers")
                self.tasks.spawn(self._print_all(), "print-session")
            elif (
                update.state is State.FAULT and self.session.fault_kind is FaultKind.PRINTER_PROBLEM
            ):
                documents, self._unprinted = self._unprinted, []
                if documents and self.config.printer.hold_minutes > 0:
                    key = f"held-{self.session.session_id}"
                    self.tasks.spawn(self._hold(key, documents), "hold-papers")
            elif update.state in (State.IDLE, State.CLEANING):
                self._printed.clear()
                self._results_id = ""
                self._unprinted = []

    # -- the papers held for the staff ----------------------------------------------------------

    async def _hold(self, key: str, documents: list[Document]) -> None:
        await asyncio.to_thread(self.hold, key, documents)
        await asyncio.sleep(self.config.printer.hold_minutes * 60)
        await asyncio.to_thread(self.expire_held)

    def hold(self, key: str, documents: list[Document]) -> HeldPapers:
        """Keep ``documents`` in the spool folder ``key`` for the staff (blocking)."""
        files = tuple((d.kind, self.printer.spool_file(key, d)) for d in documents)
        held = HeldPapers(
            key=key,
            files=files,
            since=datetime.now(UTC),
            until=self.clock() + self.config.printer.hold_minutes * 60,
        )
        with self._held_lock:
            self.held[key] = held
        log.info("%s: %d paper(s) held for the staff", key, len(files))
        return held

    def held_fields(self) -> dict[str, Any]:
        """For the portal's heartbeats: how many papers wait for the staff and since when
        (no patient data: a count and a time)."""
        held = list(self.held.values())
        if not held:
            return {"papers_held": 0}
        since = min(h.since for h in held)
        return {
            "papers_held": sum(len(h.files) for h in held),
            "papers_since": since.isoformat(timespec="seconds"),
        }

    def _release(self, key: str) -> None:
        with self._held_lock:
            if self.held.pop(key, None) is not None:
                self.printer.spool.wipe(key)

    def expire_held(self) -> int:
        """Wipe the held papers whose time has passed (blocking); returns how many sets."""
        with self._held_lock:
            now = self.clock()
            gone = [held for held in list(self.held.values()) if now >= held.until]
            for held in gone:
                self.held.pop(held.key, None)
                self.printer.spool.wipe(held.key)
                log.warning("%s: held papers wiped, nobody reprinted them in time", held.key)
            return len(gone)

    def reprint_held(self) -> str:
        """The staff's "Reprint now" (blocking): print every held paper once, from its held
        copy; ``"printed"``, ``"nothing"`` or ``"failed: <reason>"`` (what failed stays held)."""
        with self._held_lock:
            return self._reprint_held()

    def _reprint_held(self) -> str:
        from drivers.printer.errors import PrinterError

        if not self.held:
            return "nothing"
        for held in list(self.held.values()):
            for kind, path in held.files:
                if not path.exists():
                    continue  # printed by an earlier reprint that stopped after it
                document = Document(kind=kind, id=path.stem, pdf=path.read_bytes())
                try:
                    self.printer.print_document(f"{held.key}-print", document)
                except PrinterError as exc:
                    self.on_printer(*printer_health(exc))
                    return f"failed: {exc.reason}"
                finally:
                    self.printer.spool.wipe(f"{held.key}-print")
                path.unlink()
                self.printed_count += 1
            self.held.pop(held.key, None)
            self.printer.spool.wipe(held.key)
            log.info("%s: held papers reprinted", held.key)
        self.on_printer(PrinterState.IDLE, "")
        return "printed"

    def _documents(self) -> list[Any]:
        from kiosk.documents.inputs import CabinOnPaper, ResultsInput
        from kiosk.documents.results import compose_results

        data = self.session.data
        if data is None:
            return []
        documents = list(data.documents)
        if data.readings and (data.chosen is not None or data.without_card):
            cabin = self.config.cabin
            results = compose_results(
                ResultsInput(
                    cabin=CabinOnPaper(
                        id=cabin.id,
                        name=cabin.name,
                        site=cabin.site,
                        address=cabin.address,
                        timezone=cabin.timezone,
                    ),
                    patient=patient_of(data.chosen),
                    readings=tuple(data.readings),
                    printed_at=datetime.now(UTC),
                    language=self.session.language,
                    doctor=self.doctor(data.session_id),
                    nurse=nurse_on_paper(data.assistance),
                )
            )
            if not self._results_id:
                self._results_id = results.id
            documents.insert(0, results)
        return documents

    async def _print_all(self) -> None:
        from drivers.printer.errors import PrinterError

        sid = self.session.session_id
        try:
            documents = await asyncio.to_thread(self._documents)
            self._unprinted = [
                d
                for d in documents
                if ("results" if d.kind.value == "results" else d.sha256) not in self._printed
            ]
            for document in documents:
                key = "results" if document.kind.value == "results" else document.sha256
                if key in self._printed:
                    continue
                if not self._still_printing(sid):
                    # The session ended between two papers (its printing time ran out): the
                    # rest must not land in the tray for the next patient.
                    log.warning("session %s: ended before all papers printed", sid)
                    await asyncio.to_thread(self.printer.spool.wipe, sid)
                    return
                await asyncio.to_thread(self.printer.print_document, sid, document)
                self._printed.add(key)
                self._unprinted = [d for d in self._unprinted if d is not document]
                self.printed_count += 1
        except PrinterError as exc:
            log.warning("session %s: printer problem: %s", self.session.log_id, exc.reason)
            self.on_printer(*printer_health(exc))
            if self.session.state is State.PRINTING:
                send_quietly(self.session, Fault(FaultKind.PRINTER_PROBLEM, str(exc.reason)))
            return
        self.on_printer(PrinterState.IDLE, "")
        if self.session.state is State.PRINTING and self.session.session_id == sid:
            send_quietly(self.session, PrintingDone())

    def _still_printing(self, session_id: str) -> bool:
        return self.session.session_id == session_id and self.session.state is State.PRINTING

    def print_test_page(self) -> str:
        """The technician's test print (blocking): a line saying how it went."""
        import secrets

        from drivers.printer.errors import PrinterError
        from kiosk.documents.testpage import compose_test_page

        session = f"technician-{secrets.token_hex(4)}"
        try:
            result = self.printer.print_document(session, compose_test_page(self.config.cabin.id))
        except PrinterError as exc:
            self.on_printer(*printer_health(exc))
            return f"test page not printed: {exc.reason}"
        finally:
            self.printer.spool.wipe(session)
        self.on_printer(PrinterState.IDLE, "")
        return f"test page printed (job {result.job_id}, {result.seconds:.1f} s)"

    async def close(self) -> None:
        self._unsubscribe()
        await self.tasks.close()
        for key in list(self.held):  # health data does not outlive the cabin's run
            await asyncio.to_thread(self._release, key)


async def take_prescription(
    session: Session,
    received: PrescriptionFormReceived,
    *,
    cabin: CabinConfig,
    call: CabinCall | None,
) -> None:
    """Compose the doctor's form; kept for printing only if it is still the session's
    latest version, replacing the earlier one (the papers print once, at the end). The
    page is told either way (:meth:`~kiosk.call.CabinCall.prescription_settled`)."""
    from kiosk.documents.errors import DocumentInputError
    from kiosk.documents.inputs import Prescription
    from kiosk.documents.prescription import compose_prescription
    from kiosk.nurse import assistance_fields
    from protocol import ErrorCode, ProtocolError

    def refuse(code: ErrorCode, detail: str) -> None:
        if call is not None:
            call.prescription_settled(received, ProtocolError(code, detail))

    data = session.data
    version = received.version
    if data is None or (version is not None and version.session_id != data.session_id):
        refuse(ErrorCode.WRONG_SESSION, "not the cabin's current session")
        return
    if data.chosen is None and not data.without_card:
        refuse(ErrorCode.NOT_FOUND, "no patient identity")
        return
    person = None if data.without_card else data.chosen
    merged = prescription_input(received.form, person, cabin_id=cabin.id, zone=cabin.timezone)
    # The assisting nurse is the session's, never what the page says.
    merged["nurse"] = assistance_fields(data.assistance)
    try:
        document = await asyncio.to_thread(
            lambda: compose_prescription(Prescription.from_json(merged))
        )
    except DocumentInputError as exc:
        # The form's problem is named by field, never by value.
        field_name = str(exc).split(":", 1)[0]
        log.warning("session %s: prescription form refused: %s", session.log_id, field_name)
        refuse(ErrorCode.BAD_FIELD, f"prescription form: {field_name}"[:120])
        return
    if call is not None and version is not None and not call.prescriptions.is_latest(version):
        return  # a later version came meanwhile: it replaces this one
    if session.data is not data or session.state not in (State.IN_CALL, State.MEASURING):
        refuse(ErrorCode.WRONG_SESSION, "the consultation is over")
        return
    if data.without_card and data.chosen is None:
        # The identity the doctor checked also heads the results sheet.
        data.chosen = declared_person(merged["patient"])
        data.beneficiaries.append(data.chosen)
    # "Edit and resend" replaces: only the latest form of the session prints.
    replaced = [d for d in data.documents if d.kind is DocumentKind.PRESCRIPTION]
    for earlier in replaced:
        data.documents.remove(earlier)
    if send_quietly(session, DocumentReceived(document)):
        if replaced:
            log.info("session %s: prescription replaced", session.log_id)
        if call is not None:
            call.prescription_settled(received)
    else:
        data.documents.extend(replaced)
        refuse(ErrorCode.WRONG_SESSION, "the consultation is over")
