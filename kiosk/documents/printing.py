"""Printing a session's documents: spooled in the session's tmpfs directory, sent to CUPS,
followed to completion, then deleted; the wipe hook removes whatever a session left behind.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from drivers.printer import retention
from drivers.printer.cups import CupsPrinter, JobResult, PrinterOptions
from drivers.printer.errors import PrinterError
from kiosk.config import Config, PrinterConfig
from kiosk.domain import Document
from kiosk.privacy import Spool

if TYPE_CHECKING:
    from kiosk.selftest import CheckResult

log = logging.getLogger(__name__)


def printer_options(cfg: PrinterConfig, *, server: str = "") -> PrinterOptions:
    """The driver's options from the kiosk's ``[printer]`` table."""
    return PrinterOptions(
        queue=cfg.name, server=server, retries=cfg.retries, job_timeout=cfg.job_timeout
    )


class DocumentPrinter:
    """Prints :class:`Document` objects for one cabin; thread-safe; blocking calls."""

    def __init__(self, spool: Spool, printer: CupsPrinter) -> None:
        self.spool = spool
        self.printer = printer
        self._lock = threading.Lock()
        self._jobs: dict[str, set[int]] = {}

    def spool_file(self, session_id: str, document: Document) -> Path:
        """Write the document to the session's spool (mode 0600); the caller deletes it."""
        self.spool.prepare()
        folder = self.spool.session_dir(session_id)
        path = folder / f"{document.kind.value}-{secrets.token_hex(6)}.pdf"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(document.pdf)
        return path

    def print_document(
        self, session_id: str, document: Document, *, timeout: float | None = None
    ) -> JobResult:
        """Spool, print and follow until CUPS reports the job completed; typed errors else.

        The spool file is deleted when the job ends, whatever the outcome.
        """
        path = self.spool_file(session_id, document)
        mine: list[int] = []

        def submitted(job_id: int) -> None:
            mine.append(job_id)
            with self._lock:
                self._jobs.setdefault(session_id, set()).add(job_id)

        try:
            result = self.printer.print_file(
                path, title=f"cabine-{document.kind.value}", timeout=timeout, on_submit=submitted
            )
        finally:
            path.unlink(missing_ok=True)
            with self._lock:
                jobs = self._jobs.get(session_id, set())
                jobs.difference_update(mine)
                if not jobs:
                    self._jobs.pop(session_id, None)
        log.info(
            "session %s: %s printed (job %d, %.2f s)",
            session_id,
            document.kind.value,
            result.job_id,
            result.seconds,
        )
        return result

    def pending_jobs(self, session_id: str) -> set[int]:
        with self._lock:
            return set(self._jobs.get(session_id, ()))

    def wipe(self, session_id: str) -> None:
        """Wipe hook (``Session(wipe_hooks=(printer.wipe,))``): cancel and purge the session's
        unfinished jobs, then delete its spool directory."""
        with self._lock:
            jobs = self._jobs.pop(session_id, set())
        for job_id in sorted(jobs):
            self.printer.cancel(job_id)
        self.spool.wipe(session_id)


def check_printer(cfg: Config) -> Iterable[CheckResult]:
    """The printer's queue: CUPS answers, the queue exists and can print now."""
    from kiosk.selftest import CheckResult  # selftest lists this check: import it late

    printer = CupsPrinter(printer_options(cfg.printer))
    try:
        status = printer.status()
    except PrinterError as exc:
        yield CheckResult("printer", False, f"{exc} [{exc.reason}]")
        return
    problem = status.problem()
    if problem is not None:
        yield CheckResult("printer", False, f"{problem} [{problem.reason}]")
        return
    accepting = "accepting jobs" if status.accepting else "refusing jobs"
    yield CheckResult(
        "printer", True, f"queue {status.queue} {status.state.name.lower()}, {accepting}"
    )


def check_cups_retention(_cfg: Config) -> Iterable[CheckResult]:
    """CUPS keeps no copy of a printed document: PreserveJobFiles No, spool in memory."""
    from kiosk.selftest import CheckResult

    try:
        kept = retention.read()
    except OSError as exc:
        detail = f"cannot read CUPS's config in {retention.server_root()}: {exc.strerror or exc}"
        yield CheckResult("printer:retention", False, detail)
        return
    problems = kept.problems()
    if problems:
        yield CheckResult("printer:retention", False, "; ".join(problems))
    else:
        yield CheckResult(
            "printer:retention",
            True,
            f"no copy kept after printing; spool {kept.request_root} in memory",
        )
