"""Typed printer errors, each with a :class:`PrinterReason` the screens turn into a calm message.

DriverError
└── PrinterError            anything about the cabin printer (``reason`` says what)
    ├── CupsUnavailableError    the CUPS scheduler does not answer
    ├── NoSuchQueueError        the configured queue does not exist
    ├── PrinterStoppedError     the queue is stopped or refuses jobs (staff must restart it)
    ├── PaperOutError           the printer reports no paper
    ├── PaperJamError           the printer reports a paper jam
    ├── PrinterOfflineError     the printer is unplugged or unreachable
    ├── PrintJobFailedError     CUPS aborted or cancelled the job
    │   ├── PrintJobCanceledError  someone (or the session's wipe) cancelled the job
    │   └── PrintDocumentError  CUPS's filters could not render the document
    ├── PrintTimeoutError       the job did not complete within its deadline
    └── PrintFileError          the file given to print is missing or unreadable
"""

from __future__ import annotations

from enum import StrEnum

from drivers.errors import DriverError


class PrinterReason(StrEnum):
    CUPS_UNAVAILABLE = "cups_unavailable"
    NO_SUCH_QUEUE = "no_such_queue"
    STOPPED = "stopped"
    NOT_ACCEPTING = "not_accepting"
    PAPER_OUT = "paper_out"
    PAPER_JAM = "paper_jam"
    OFFLINE = "offline"
    JOB_ABORTED = "job_aborted"
    JOB_CANCELED = "job_canceled"
    DOCUMENT_REJECTED = "document_rejected"
    TIMEOUT = "timeout"
    BAD_FILE = "bad_file"


class PrinterError(DriverError):
    """A printer failure; ``queue`` names the CUPS queue, ``reason`` what went wrong."""

    default_reason = PrinterReason.STOPPED
    #: True when trying again later may succeed without anyone touching the printer.
    transient = False

    def __init__(self, message: str, *, queue: str = "", reason: PrinterReason | None = None):
        super().__init__(message, device=queue or "printer", reason=reason or self.default_reason)
        self.queue = queue


class CupsUnavailableError(PrinterError):
    default_reason = PrinterReason.CUPS_UNAVAILABLE
    transient = True


class NoSuchQueueError(PrinterError):
    default_reason = PrinterReason.NO_SUCH_QUEUE


class PrinterStoppedError(PrinterError):
    default_reason = PrinterReason.STOPPED


class PaperOutError(PrinterStoppedError):
    default_reason = PrinterReason.PAPER_OUT


class PaperJamError(PrinterStoppedError):
    default_reason = PrinterReason.PAPER_JAM


class PrinterOfflineError(PrinterStoppedError):
    default_reason = PrinterReason.OFFLINE


class PrintJobFailedError(PrinterError):
    default_reason = PrinterReason.JOB_ABORTED
    transient = True


class PrintJobCanceledError(PrintJobFailedError):
    default_reason = PrinterReason.JOB_CANCELED
    transient = False


class PrintDocumentError(PrintJobFailedError):
    default_reason = PrinterReason.DOCUMENT_REJECTED
    transient = False


class PrintTimeoutError(PrinterError):
    default_reason = PrinterReason.TIMEOUT


class PrintFileError(PrinterError):
    default_reason = PrinterReason.BAD_FILE
