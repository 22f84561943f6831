"""SessionBridge: the session's notices as documented Qt signals, and its events as slots."""

from __future__ import annotations

import logging

from PyQt6.QtCore import QObject, QTimer, pyqtSignal

from kiosk.errors import SessionError
from kiosk.session import (
    CallStaff,
    EndSession,
    Event,
    ExtendTime,
    LanguageChosen,
    Notice,
    Session,
    Update,
)

log = logging.getLogger(__name__)


class SessionBridge(QObject):
    """Owns the tick timer and relays the session to the screens (one bridge per window)."""

    #: The session moved: (new state, previous state).
    state_changed = pyqtSignal(str, str)
    #: The current screen's time limit is near: seconds left.
    warning = pyqtSignal(float)
    #: The patient got more time on the current screen.
    extended = pyqtSignal()
    #: A reading arrived (read it from ``session.data.readings``).
    reading_arrived = pyqtSignal()
    #: A document arrived for printing.
    document_arrived = pyqtSignal()
    #: The doctor asked for a measurement (kind).
    measurement_requested = pyqtSignal(str)
    #: Someone pressed "call staff".
    staff_called = pyqtSignal()
    #: The screen language changed (code).
    language_changed = pyqtSignal(str)
    #: An event was refused by the session (its error text, for the technician log).
    refused = pyqtSignal(str)

    def __init__(self, session: Session, *, tick_ms: int = 500, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self._unsubscribe = session.subscribe(self._on_update)
        self._timer = QTimer(self)
        self._timer.setObjectName("session-tick")
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.on_tick)
        self._timer.start()

    def _on_update(self, update: Update) -> None:
        notice = update.notice
        if notice is Notice.TRANSITION:
            previous = update.previous.value if update.previous else ""
            self.state_changed.emit(update.state.value, previous)
        elif notice is Notice.WARNING:
            self.warning.emit(self.session.time_left() or 0.0)
        elif notice is Notice.EXTENDED:
            self.extended.emit()
        elif notice is Notice.READING:
            self.reading_arrived.emit()
        elif notice is Notice.DOCUMENT:
            self.document_arrived.emit()
        elif notice is Notice.MEASUREMENT_REQUESTED:
            requested = self.session.requested
            self.measurement_requested.emit(requested.kind.value if requested else "")
        elif notice is Notice.STAFF_CALLED:
            self.staff_called.emit()
        elif notice is Notice.LANGUAGE:
            self.language_changed.emit(self.session.language)

    def send(self, event: Event) -> bool:
        """Send ``event`` to the session; a refused event is reported, never raised into Qt."""
        try:
            self.session.send(event)
        except SessionError as exc:
            log.info("session %s: %s refused: %s", self.session.log_id, event.name, exc)
            self.refused.emit(str(exc))
            return False
        return True

    def on_tick(self) -> None:
        self.session.tick()

    def on_call_staff(self) -> None:
        self.send(CallStaff())

    def on_language(self, language: str) -> None:
        self.send(LanguageChosen(language))

    def on_extend(self) -> None:
        self.send(ExtendTime())

    def on_end(self) -> None:
        self.send(EndSession())

    def close(self) -> None:
        self._timer.stop()
        self._unsubscribe()
