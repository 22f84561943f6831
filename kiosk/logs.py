"""Logging for the kiosk: a session id on every line, and no patient data ever.

``setup()`` is called once by the CLI; library modules only use ``logging.getLogger``.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Iterable
from typing import IO

#: A NIR: sex digit, year, month, department (2A/2B for Corsica), commune, order, key.
NIR_PATTERN = re.compile(
    r"(?<![0-9])[1-478]\s?\d{2}\s?\d{2}\s?(?:\d{2}|2[AB])\s?\d{3}\s?\d{3}(?:\s?\d{2})?(?![0-9])"
)
WITHHELD = "[log line withheld: it would have carried patient data]"
FORMAT = "%(asctime)s %(levelname)s %(name)s [session %(session_id)s] %(message)s"

SessionIdProvider = Callable[[], str]
SensitiveProvider = Callable[[], Iterable[str]]


def _no_session() -> str:
    return "-"


def _nothing() -> Iterable[str]:
    return ()


class SessionIdFilter(logging.Filter):
    """Stamps each record with the current session id."""

    def __init__(self, provider: SessionIdProvider = _no_session) -> None:
        super().__init__()
        self.provider = provider

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            record.session_id = self.provider() or "-"
        except Exception:  # a logging filter must never raise
            record.session_id = "?"
        return True


def _patient_types() -> tuple[type, ...]:
    """The classes that hold patient data, once loaded: before ``drivers.types`` is imported
    no instance of them can exist, and the first screen need not wait for that import."""
    types = sys.modules.get("drivers.types")
    if types is None:
        return ()
    return (types.Beneficiary, types.Reading)


class PatientDataFilter(logging.Filter):
    """Withholds any record that would carry a name, a NIR or a reading.

    A record is withheld (its text replaced, never dropped silently) when one of its
    arguments is a patient object, when its text holds a string the current session marks
    as sensitive, or when it holds something shaped like a NIR.
    """

    def __init__(self, sensitive: SensitiveProvider = _nothing) -> None:
        super().__init__()
        self.sensitive = sensitive

    def _leaks(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else (record.args,)
        patient_types = _patient_types()
        if patient_types and any(isinstance(a, patient_types) for a in args):
            return True
        try:
            text = record.getMessage()
        except Exception:
            return True
        if record.exc_info and record.exc_info[1] is not None:
            text += " " + str(record.exc_info[1])
        if NIR_PATTERN.search(text):
            return True
        try:
            secrets = [s for s in self.sensitive() if len(s) >= 2]
        except Exception:
            return True
        lowered = text.casefold()
        return any(s.casefold() in lowered for s in secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        if self._leaks(record):
            record.msg = WITHHELD
            record.args = ()
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True


def setup(
    *,
    level: str = "INFO",
    session_id: SessionIdProvider = _no_session,
    sensitive: SensitiveProvider = _nothing,
    stream: IO[str] | None = None,
) -> logging.Handler:
    """Configure the root logger with one stream handler carrying both filters."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(SessionIdFilter(session_id))
    handler.addFilter(PatientDataFilter(sensitive))
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_cabine", False):
            root.removeHandler(old)
    handler._cabine = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return handler
