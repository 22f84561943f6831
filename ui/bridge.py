"""SessionBridge: the session's notices as documented Qt signals, and its events as slots.

It also reads, defensively, what the screens show that the session does not hold yet
(waiting-room place, who is speaking, the reading being measured, where a call for the staff
stands): the runtime may offer it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PyQt6.QtCore import QObject, QTimer, pyqtSignal

from kiosk.domain import Reading
from kiosk.errors import SessionError
from kiosk.session import (
    CallStaff,
    EndSession,
    Event,
    ExtendTime,
    LanguageChosen,
    Notice,
    Session,
    State,
    Update,
)
from kiosk.states import STAFF_CALL_MAX_S, STAFF_CALL_STATES

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

    def __init__(
        self,
        session: Session,
        *,
        runtime: Any = None,
        tick_ms: int = 500,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.session = session
        self.runtime = runtime
        #: When "call staff" was pressed in this session (or since the last one; monotonic),
        #: for a bridge with no cabin behind it: nothing carries that call.
        self._staff_pressed_at: float | None = None
        self._unsubscribe = session.subscribe(self._on_update)
        self._timer = QTimer(self)
        self._timer.setObjectName("session-tick")
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.on_tick)
        self._timer.start()

    def _on_update(self, update: Update) -> None:
        notice = update.notice
        if notice is Notice.TRANSITION:
            if update.state is State.IDLE:
                self._staff_pressed_at = None  # the call ends with the session
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
            self._staff_pressed_at = time.monotonic()
            self.staff_called.emit()
        elif notice is Notice.LANGUAGE:
            self.language_changed.emit(self.session.language)

    # -- what the screens read -----------------------------------------------------------

    def _optional(self, name: str) -> Any:
        for owner in (self.session, self.runtime):
            value = getattr(owner, name, None)
            if value is not None:
                return value() if callable(value) else value
        return None

    def appointment(self) -> dict[str, object] | None:
        """The portal's answer to the check-in (booked and when, or where to book), if any."""
        answer = self._optional("checkin_answer")
        return answer if isinstance(answer, dict) else None

    def takes_booking_codes(self) -> bool:
        """Whether a patient without a card may type a booking code here and now."""
        return self._optional("takes_booking_codes") is True

    def takes_walk_ins(self) -> bool:
        """Whether a patient without card nor code may wait without an appointment here."""
        return self._optional("takes_walk_ins") is True

    def booking_code_status(self) -> dict[str, Any] | None:
        """The portal's answer to the typed code: ``state`` ``checking``, ``accepted`` or
        ``refused`` (with ``reason``, ``walk_in``, ``booking_site``); None before any."""
        status = self._optional("booking_code_status")
        if not isinstance(status, dict) or status.get("state") not in (
            "checking",
            "accepted",
            "refused",
        ):
            return None
        return status

    def submit_booking_code(self, code: str) -> bool:
        """Have the cabin check ``code`` (in the background); False if it cannot."""
        submit = getattr(self.runtime, "submit_booking_code", None)
        return bool(submit(code)) if callable(submit) else False

    def continue_without_card(self) -> bool:
        """After a refused code, where walk-ins are seen: wait without an appointment."""
        go_on = getattr(self.runtime, "continue_without_card", None)
        return bool(go_on()) if callable(go_on) else False

    def staff_call(self) -> str:
        """Where the patient's call for the staff stands: ``calling`` (the staff's pages show
        it), ``coming`` (someone answered), ``unreachable`` (no portal to carry it) or ``""``
        (no call). Anything unexpected reads as ``""``; with no cabin behind the screens a
        pressed call is ``unreachable``: nothing carries it, so nobody is promised."""
        state = self._optional("staff_call")
        if state is None:
            pressed = self._staff_pressed_at
            # pressed on the idle screen, no session end takes it away (as at a cabin)
            if (
                pressed is not None
                and self.session.state is State.IDLE
                and time.monotonic() - pressed > STAFF_CALL_MAX_S
            ):
                self._staff_pressed_at = pressed = None
            return "unreachable" if pressed is not None else ""
        return state if isinstance(state, str) and state in STAFF_CALL_STATES else ""

    def queue(self) -> tuple[int | None, float | None]:
        """The waiting-room place (1 = next) and expected wait in seconds, when known."""
        position = self._optional("queue_position")
        estimate = self._optional("queue_estimate_s")
        return (
            int(position) if isinstance(position, int | float) else None,
            float(estimate) if isinstance(estimate, int | float) else None,
        )

    def speaking(self) -> str:
        """Who is speaking in the call: ``doctor``, ``patient`` or ``""``."""
        who = self._optional("speaking")
        return who if who in ("doctor", "patient") else ""

    def readings(self) -> list[Reading]:
        data = self.session.data
        return list(data.readings) if data is not None else []

    def live_reading(self) -> Reading | None:
        """The last intermediate reading (cuff pressure while inflating), when kept."""
        last = self._optional("last_reading")
        return last if isinstance(last, Reading) and last.intermediate else None

    def device_kind(self, device_id: str) -> str:
        """What the configured instrument ``device_id`` measures ("" when unknown)."""
        config = getattr(self.runtime, "config", None)
        device = getattr(config, "devices", {}).get(device_id)
        kind = getattr(device, "kind", "")
        return kind if isinstance(kind, str) else ""

    def test_print_hook(self) -> Callable[[], str] | None:
        hook = getattr(self.runtime, "print_test_page", None)
        return hook if callable(hook) else None

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
