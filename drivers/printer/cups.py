"""The cabin printer as a CUPS queue: submit with ``lp``, follow the job, read the queue's state.

Jobs are sent with ``lp`` (the CUPS client path), followed with IPP Get-Job-Attributes until
completed, aborted or cancelled, and a failed or late job is cancelled with its files purged
(``cancel -x``) so no copy of a patient's document waits in the CUPS spool. Queue problems
(stopped, no paper, jam, offline, refusing jobs) become typed errors the screens explain.

CUPS copies each job into its RequestRoot: a cabin's cupsd.conf must say ``PreserveJobFiles
No`` (and keep RequestRoot on tmpfs) so a printed document leaves no copy behind.

Retry policy: a job is tried ``1 + retries`` times when the failure is transient (CUPS not
answering, a job aborted by the system while the queue is ready again). A problem someone must
fix (no paper, offline, stopped queue, unknown queue) is raised at once: retrying cannot help.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from pathlib import Path

from drivers import programs
from drivers.printer import ipp
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
    PrintJobFailedError,
    PrintTimeoutError,
)

log = logging.getLogger(__name__)

_REQUEST_ID = re.compile(r"request id is (?P<queue>\S+)-(?P<job>\d+)")
_QUEUE_NAME = re.compile(r"[A-Za-z0-9_.@-]{1,127}")
_request_ids = itertools.count(1)

PRINTER_ATTRIBUTES = (
    "printer-state",
    "printer-state-reasons",
    "printer-state-message",
    "printer-is-accepting-jobs",
)
JOB_ATTRIBUTES = ("job-state", "job-state-reasons", "job-printer-state-message")


class QueueState(IntEnum):
    """``printer-state`` (RFC 8011)."""

    IDLE = 3
    PROCESSING = 4
    STOPPED = 5


class JobState(IntEnum):
    """``job-state`` (RFC 8011)."""

    PENDING = 3
    HELD = 4
    PROCESSING = 5
    STOPPED = 6
    CANCELED = 7
    ABORTED = 8
    COMPLETED = 9

    @property
    def final(self) -> bool:
        return self >= JobState.CANCELED


class Severity(StrEnum):
    REPORT = "report"
    WARNING = "warning"
    ERROR = "error"


#: printer-state-reasons keywords (without severity suffix) -> the error a patient meets.
REASON_ERRORS: dict[str, type[PrinterStoppedError]] = {
    "media-empty": PaperOutError,
    "media-needed": PaperOutError,
    "input-tray-missing": PaperOutError,
    "media-jam": PaperJamError,
    "offline": PrinterOfflineError,
    "shutdown": PrinterOfflineError,
    "connecting-to-device": PrinterOfflineError,
}


@dataclass(frozen=True, kw_only=True)
class PrinterOptions:
    """The driver's own options (the kiosk converts its ``[printer]`` table to these).

    ``queue`` empty means CUPS's default destination. ``server`` is a ``CUPS_SERVER`` value
    (socket path or ``host:port``); empty means the environment's or the local scheduler.
    """

    queue: str = ""
    server: str = ""
    retries: int = 2
    job_timeout: float = 120.0
    poll_interval: float = 0.02
    retry_delay: float = 1.0
    command_timeout: float = 10.0


@dataclass(frozen=True)
class QueueStatus:
    queue: str
    state: QueueState
    accepting: bool
    reasons: frozenset[str]
    message: str

    def problem(self) -> PrinterError | None:
        """The typed error this state means for a new job, or None when the queue can print.

        Reasons are read only on a stopped queue: CUPS keeps a backend's last reasons until
        its next job, so on a queue staff re-enabled they may be stale.
        """
        if self.state is QueueState.STOPPED:
            for reason in sorted(self.reasons):
                keyword, severity = _split_reason(reason)
                cls = REASON_ERRORS.get(keyword)
                if cls is not None and severity is not Severity.WARNING:
                    return cls(f"printer {self.queue}: {reason}", queue=self.queue)
            return PrinterStoppedError(
                f"printer {self.queue} is stopped" + (f": {self.message}" if self.message else ""),
                queue=self.queue,
            )
        if not self.accepting:
            return PrinterStoppedError(
                f"printer {self.queue} does not accept jobs",
                queue=self.queue,
                reason=PrinterReason.NOT_ACCEPTING,
            )
        return None


def _split_reason(reason: str) -> tuple[str, Severity]:
    for severity in Severity:
        suffix = f"-{severity.value}"
        if reason.endswith(suffix):
            return reason[: -len(suffix)], severity
    return reason, Severity.ERROR


@dataclass(frozen=True)
class JobResult:
    queue: str
    job_id: int
    state: JobState
    seconds: float
    attempts: int = 1


def find_program(program: str) -> str:
    found = programs.which(program)
    if found is None:
        raise CupsUnavailableError(f"{program} not found: install cups-client (make setup)")
    return found


class CupsPrinter:
    """One CUPS queue. Blocking calls; run them off the UI thread."""

    def __init__(self, options: PrinterOptions) -> None:
        if options.queue and not _QUEUE_NAME.fullmatch(options.queue):
            raise NoSuchQueueError(f"{options.queue!r} is not a CUPS queue name")
        self.options = options
        self._queue = options.queue

    # --- plumbing -------------------------------------------------------------------------

    @property
    def server(self) -> str:
        return ipp.server_address(self.options.server)

    def _env(self) -> dict[str, str]:
        return {**os.environ, "CUPS_SERVER": self.server, "LC_ALL": "C"}

    def _run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        command = [find_program(argv[0]), *argv[1:]]
        try:
            return subprocess.run(
                command,
                env=self._env(),
                capture_output=True,
                text=True,
                timeout=self.options.command_timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise CupsUnavailableError(
                f"{argv[0]} did not answer in {self.options.command_timeout} s",
                queue=self._queue,
            ) from exc

    def _ipp(self, path: str, operation: int, **kwargs: object) -> ipp.Response:
        request = ipp.encode_request(operation, next(_request_ids), **kwargs)  # type: ignore[arg-type]
        try:
            return ipp.call(self.server, path, request, timeout=self.options.command_timeout)
        except ipp.IppError as exc:
            raise CupsUnavailableError(str(exc), queue=self._queue) from exc

    @property
    def queue(self) -> str:
        """The queue name; CUPS's default destination when none was configured."""
        if not self._queue:
            done = self._run("lpstat", "-d")
            match = re.search(r"destination:\s*(\S+)", done.stdout)
            if done.returncode != 0 or not match:
                raise NoSuchQueueError("no printer configured and CUPS has no default one")
            self._queue = match.group(1)
        return self._queue

    # --- state ----------------------------------------------------------------------------

    def status(self) -> QueueStatus:
        """The queue's state; raises if CUPS does not answer or the queue does not exist."""
        queue = self.queue
        reply = self._ipp(
            f"/printers/{queue}",
            ipp.GET_PRINTER_ATTRIBUTES,
            printer_uri=f"ipp://localhost/printers/{queue}",
            requested=PRINTER_ATTRIBUTES,
        )
        if reply.status == ipp.STATUS_NOT_FOUND:
            raise NoSuchQueueError(f"printer {queue} does not exist in CUPS", queue=queue)
        if not reply.ok:
            raise CupsUnavailableError(
                f"CUPS refused to describe {queue} (status 0x{reply.status:04x})", queue=queue
            )
        state = reply.first("printer-state")
        message = reply.first("printer-state-message")
        reasons = frozenset(r for r in reply.strings("printer-state-reasons") if r != "none")
        return QueueStatus(
            queue=queue,
            state=QueueState(state) if state in (3, 4, 5) else QueueState.STOPPED,
            accepting=reply.first("printer-is-accepting-jobs") is True,
            reasons=reasons,
            message=message if isinstance(message, str) else "",
        )

    def check_ready(self) -> QueueStatus:
        """The status, or the typed error that keeps a job from printing."""
        status = self.status()
        problem = status.problem()
        if problem is not None:
            raise problem
        return status

    def job_state(self, job_id: int) -> JobState:
        reply = self._ipp(
            f"/jobs/{job_id}",
            ipp.GET_JOB_ATTRIBUTES,
            printer_uri=f"ipp://localhost/jobs/{job_id}",
            job_id=job_id,
            requested=JOB_ATTRIBUTES,
        )
        state = reply.first("job-state")
        if not reply.ok or not isinstance(state, int) or state not in JobState._value2member_map_:
            raise CupsUnavailableError(
                f"CUPS does not know job {job_id} (status 0x{reply.status:04x})", queue=self._queue
            )
        return JobState(state)

    # --- jobs -----------------------------------------------------------------------------

    def submit(self, path: Path, *, title: str) -> int:
        """Queue ``path`` (a PDF) and return the job id. ``title`` never names a patient."""
        if not path.is_file():
            raise PrintFileError(f"{path} is not a file to print", queue=self._queue)
        queue = self.queue
        done = self._run("lp", "-d", queue, "-t", title, "--", str(path))
        match = _REQUEST_ID.search(done.stdout)
        if done.returncode != 0 or not match:
            raise self._lp_error(queue, (done.stderr or done.stdout).strip())
        return int(match.group("job"))

    def _lp_error(self, queue: str, message: str) -> PrinterError:
        lowered = message.lower()
        if "does not exist" in lowered or "invalid destination" in lowered:
            return NoSuchQueueError(f"printer {queue} does not exist in CUPS", queue=queue)
        if "not accepting" in lowered:
            return PrinterStoppedError(
                f"printer {queue} does not accept jobs",
                queue=queue,
                reason=PrinterReason.NOT_ACCEPTING,
            )
        if "scheduler" in lowered or "connect" in lowered or "no such file" in lowered:
            return CupsUnavailableError(f"CUPS does not answer: {message}", queue=queue)
        if "unable to access" in lowered or "permission" in lowered:
            return PrintFileError(f"lp cannot read the file: {message}", queue=queue)
        return CupsUnavailableError(f"lp failed: {message}", queue=queue)

    def cancel(self, job_id: int) -> None:
        """Cancel a job and purge its files from the CUPS spool; a finished job is left as is."""
        done = self._run("cancel", "-x", f"{self.queue}-{job_id}")
        if done.returncode != 0:
            log.info("printer %s: job %d not cancelled (already finished?)", self.queue, job_id)

    def wait(self, job_id: int, *, timeout: float | None = None) -> JobResult:
        """Follow ``job_id`` until it is final; a queue problem met meanwhile is raised.

        On any error the job is cancelled and purged, so it never prints later unseen.
        """
        start = time.monotonic()
        deadline = start + (self.options.job_timeout if timeout is None else timeout)
        try:
            while True:
                state = self.job_state(job_id)
                if state is JobState.COMPLETED:
                    return JobResult(self.queue, job_id, state, time.monotonic() - start)
                if state.final:
                    problem = self.status().problem()
                    if problem is not None:
                        raise problem
                    if state is JobState.CANCELED:
                        raise PrintJobCanceledError(
                            f"job {job_id} on {self.queue} was cancelled", queue=self.queue
                        )
                    raise PrintJobFailedError(
                        f"job {job_id} on {self.queue} was aborted by CUPS", queue=self.queue
                    )
                if state in (JobState.PENDING, JobState.HELD, JobState.STOPPED):
                    # A job waiting on a stopped or failing queue would wait forever.
                    problem = self.status().problem()
                    if problem is not None:
                        raise problem
                    if state is JobState.STOPPED:
                        # Stopped on a queue that is not: CUPS's filters failed on it.
                        raise PrintDocumentError(
                            f"job {job_id} on {self.queue} stopped: the printer system "
                            "could not render the document",
                            queue=self.queue,
                        )
                if time.monotonic() >= deadline:
                    raise PrintTimeoutError(
                        f"job {job_id} on {self.queue} not completed after "
                        f"{time.monotonic() - start:.1f} s",
                        queue=self.queue,
                    )
                time.sleep(self.options.poll_interval)  # polling CUPS within a deadline
        except PrinterError:
            try:
                self.cancel(job_id)
            except PrinterError as exc:  # CUPS itself is gone: the first error tells more
                log.warning("printer %s: job %d not cancelled: %s", self._queue, job_id, exc.reason)
            raise

    def print_file(
        self,
        path: Path,
        *,
        title: str,
        timeout: float | None = None,
        on_submit: Callable[[int], None] | None = None,
    ) -> JobResult:
        """Check the queue, submit, follow to completion; transient failures are retried.

        ``on_submit`` is told each job id as soon as CUPS accepted it (to cancel it at a wipe).
        """
        attempts = 1 + max(0, self.options.retries)
        last: PrinterError | None = None
        for attempt in range(1, attempts + 1):
            try:
                self.check_ready()
                job_id = self.submit(path, title=title)
                log.info("printer %s: job %d submitted", self.queue, job_id)
                if on_submit is not None:
                    on_submit(job_id)
                result = self.wait(job_id, timeout=timeout)
            except PrinterError as exc:
                if not exc.transient or attempt == attempts:
                    raise
                last = exc
                log.warning(
                    "printer %s: attempt %d/%d failed (%s); retrying",
                    self._queue or "-",
                    attempt,
                    attempts,
                    exc.reason,
                )
                time.sleep(self.options.retry_delay)  # back-off between bounded attempts
                continue
            log.info("printer %s: job %d completed", self.queue, job_id)
            return JobResult(result.queue, result.job_id, result.state, result.seconds, attempt)
        raise AssertionError("unreachable") from last  # pragma: no cover
