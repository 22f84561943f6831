"""Which prescription form of a session prints: the latest the doctor sent, once.

The doctor's page binds its form to one session, names it (``rx_id``) and numbers each
"edit and resend" (``version``); the ledger admits a form only for the cabin's current
session, replaces the earlier version with a later one, and answers a repeat (the same
version sent again after a reconnection) as the first was answered, never twice composed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from protocol import ErrorCode, ProtocolError

#: Lines a prescription form may hold.
MAX_LINES = 30


class Verdict(StrEnum):
    NEW = "new"  # the session's latest form: compose it, it replaces any earlier one
    REPEAT = "repeat"  # that version again: answer as before (or when it is done)
    STALE = "stale"  # older than one already received: refused
    WRONG_SESSION = "wrong_session"  # written for a session that is not the current one


@dataclass(frozen=True)
class FormVersion:
    """One version of the prescription form of one session."""

    session_id: str
    rx_id: str
    version: int


@dataclass(frozen=True)
class Received:
    """What to do with one ``prescription`` message that was not refused."""

    #: The version to compose (the session's latest now), or None (a repeat).
    version: FormVersion | None = None
    #: Its answer comes once it is composed (else: acknowledged now).
    later: bool = False
    #: Earlier sends to answer ``superseded`` now.
    superseded: tuple[str, ...] = ()


@dataclass(frozen=True)
class Admission:
    verdict: Verdict
    #: Message ids of an earlier version still being composed when a later one came: they
    #: are answered ``superseded`` now (nothing of that version is kept).
    superseded: tuple[str, ...] = ()


@dataclass
class _Latest:
    form: FormVersion
    #: Message ids waiting for the answer (the first send, and repeats while composing).
    waiting: list[str] = field(default_factory=list)
    #: ``None`` while composing; then "" (accepted) or the error code it was refused with.
    outcome: str | None = None
    detail: str = ""


class PrescriptionLedger:
    """The latest prescription form of the current session, and how it was answered."""

    def __init__(self) -> None:
        self._latest: _Latest | None = None

    def reset(self) -> None:
        """A new session (or none): nothing sent before counts any more."""
        self._latest = None

    def admit(self, current_session: str, form: FormVersion, msg_id: str = "") -> Admission:
        """Where ``form`` stands against what the session already received.

        ``NEW`` makes it the latest; a ``REPEAT`` adds ``msg_id`` to those answered when
        the latest is settled (:meth:`answer` says how it was, if it was).
        """
        if not current_session or form.session_id != current_session:
            return Admission(Verdict.WRONG_SESSION)
        latest = self._latest
        superseded: tuple[str, ...] = ()
        if latest is not None and latest.form.session_id == form.session_id:
            same = latest.form.rx_id == form.rx_id
            if same and form.version == latest.form.version:
                if msg_id and msg_id not in latest.waiting and latest.outcome is None:
                    latest.waiting.append(msg_id)
                return Admission(Verdict.REPEAT)
            if same and form.version < latest.form.version:
                return Admission(Verdict.STALE)
            if latest.outcome is None:
                superseded = tuple(latest.waiting)
        # a later version, or a new form of the session (the page was reloaded): the latest
        self._latest = _Latest(form, [msg_id] if msg_id else [])
        return Admission(Verdict.NEW, superseded)

    def receive(self, current_session: str, msg: dict[str, Any]) -> Received:
        """One valid ``prescription`` message of the data channel; raises ``ProtocolError``
        when refused (another session, an older version, a bad form, a refused repeat)."""
        form = msg["form"]
        lines = form.get("lines")
        if not isinstance(lines, list) or not 0 < len(lines) <= MAX_LINES:
            raise ProtocolError(ErrorCode.BAD_FIELD, f"'lines' must list 1 to {MAX_LINES} lines")
        if msg["version"] < 1:
            raise ProtocolError(ErrorCode.BAD_FIELD, "'version' counts from 1")
        version = FormVersion(msg["session_id"], msg["rx_id"], msg["version"])
        msg_id = str(msg.get("id", ""))
        admission = self.admit(current_session, version, msg_id)
        verdict = admission.verdict
        if verdict is Verdict.WRONG_SESSION:
            raise ProtocolError(ErrorCode.WRONG_SESSION, "not the cabin's current session")
        if verdict is Verdict.STALE:
            raise ProtocolError(ErrorCode.SUPERSEDED, "a later version was received")
        if verdict is Verdict.REPEAT:
            answer = self.answer(version)
            if answer is None:
                return Received(later=True)  # answered when it is composed
            code, detail = answer
            if code:
                raise ProtocolError(ErrorCode(code), detail)
            return Received()
        return Received(version, later=True, superseded=admission.superseded)

    def is_latest(self, form: FormVersion) -> bool:
        return self._latest is not None and self._latest.form == form

    def answer(self, form: FormVersion) -> tuple[str, str] | None:
        """How the latest ``form`` was answered: ``("", "")`` accepted, ``(code, detail)``
        refused; ``None`` while it is composed (or when it is not the latest)."""
        latest = self._latest
        if latest is None or latest.form != form or latest.outcome is None:
            return None
        return latest.outcome, latest.detail

    def settle(self, form: FormVersion, code: str = "", detail: str = "") -> list[str]:
        """``form`` was composed and kept (``code`` empty) or refused (``code``, ``detail``);
        returns the message ids to answer so. A version replaced meanwhile has none (they
        were answered ``superseded`` when the later one came)."""
        latest = self._latest
        if latest is None or latest.form != form:
            return []
        latest.outcome, latest.detail = code, detail
        waiting, latest.waiting = latest.waiting, []
        return waiting


@dataclass(frozen=True)
class GpReportReceived:
    """The doctor's report for the GP (the ``gp_report`` message's ``report``); the kiosk
    composes its page, kept only while it is the session's latest ``version``."""

    report: dict[str, Any] = field(repr=False)
    version: FormVersion
    msg_id: str = ""


class GpReportLedger:
    """The session's latest report version: sent twice (edited), the later replaces."""

    def __init__(self) -> None:
        self._latest: FormVersion | None = None

    def reset(self) -> None:
        self._latest = None

    def admit(self, current_session: str, msg: dict[str, Any]) -> FormVersion:
        """The report's version, now the latest; ``ProtocolError`` for another session or
        an older version (a repeat of the latest is composed again: it replaces itself)."""
        if msg["version"] < 1:
            raise ProtocolError(ErrorCode.BAD_FIELD, "'version' counts from 1")
        if not current_session or msg["session_id"] != current_session:
            raise ProtocolError(ErrorCode.WRONG_SESSION, "not the cabin's current session")
        version = FormVersion(msg["session_id"], "gp-report", msg["version"])
        latest = self._latest
        if (
            latest is not None
            and latest.session_id == version.session_id
            and version.version < latest.version
        ):
            raise ProtocolError(ErrorCode.SUPERSEDED, "a later version was received")
        self._latest = version
        return version

    def is_latest(self, version: FormVersion) -> bool:
        return self._latest == version
