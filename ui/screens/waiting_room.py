"""The waiting room: place in the queue, expected wait, what to prepare, the sick-note rule;
and when nobody comes (no doctor on duty, the cabin closed, a long wait), an apology with
"keep waiting", "call staff" and "how to book"."""

from __future__ import annotations

from PyQt6.QtCore import QTimer
from PyQt6.QtGui import QHideEvent, QShowEvent
from PyQt6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from kiosk.session import EndSession, ExtendTime
from kiosk.states import State
from ui import theme
from ui.i18n import translate
from ui.readings import ltr
from ui.screens.base import Screen
from ui.widgets import big_button, set_direction, text_label

QUEUE_POLL_MS = 1000

#: Why nobody comes: the portal says no doctor is logged in, the cabin is out of its
#: opening hours, or the wait passed ``[timeouts] nobody_comes``.
NO_DOCTOR, CLOSED, LATE = "no_doctor", "closed", "late"


def booking_words(site: str) -> str:
    """How to book instead of waiting: the staff, and the booking site when one is known."""
    if site:
        return translate(
            "WaitingRoom", "Ask the staff at the desk, or book a consultation at {site}."
        ).format(site=ltr(site))
    return translate("WaitingRoom", "Ask the staff at the desk to book a consultation.")


def where_to_book(site: object) -> str:
    """At a cabin that sees booked patients only: where to book (the portal's booking site,
    or plain words when it named none)."""
    return translate(
        "WaitingRoom",
        "This cabin sees patients with an appointment only. Book at {site} or ask "
        "the staff at the desk.",
    ).format(site=ltr(str(site)) if site else translate("WaitingRoom", "the booking site"))


class WaitingRoomScreen(Screen):
    picture_name = "waiting"

    def __init__(self, languages: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(languages, parent)
        self.queue = text_label(theme.BODY_PT, name="queue", bold=True)
        self.prepare = text_label(theme.SMALL_PT, name="prepare")
        self.sick_note = text_label(theme.SMALL_PT, name="sickNote")
        self.appointment = text_label(theme.BODY_PT, name="appointment", bold=True)
        self.content.addWidget(self.appointment)
        self.content.addWidget(self.queue)
        self.content.addWidget(self.prepare)
        self.content.addWidget(self.sick_note)
        # -- when nobody comes: three big buttons, "keep waiting" over the other two (side
        # by side when they fit: with the time banner and a staff notice, three rows do not)
        self.keep_button = big_button("keepWaiting", primary=True)
        self.staff_big_button = big_button("callStaff")
        self.book_button = big_button("howToBook")
        self.apology = QWidget(objectName="apology")
        column = QVBoxLayout(self.apology)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(14)
        column.addWidget(self.keep_button)
        self._others = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._others.setSpacing(14)
        self._others.addWidget(self.staff_big_button, 1)
        self._others.addWidget(self.book_button, 1)
        column.addLayout(self._others)
        #: "How to book" was pressed: the body says how, instead of the choices.
        self.booking_shown = False
        self.apology.hide()
        self.content.addWidget(self.apology)
        self.keep_button.clicked.connect(self.keep_waiting)
        self.staff_big_button.clicked.connect(self.staff_pressed)
        self.book_button.clicked.connect(self.show_booking)
        #: Why nobody comes, as shown ("" for the usual waiting room).
        self.reason = ""
        #: The session whose wait is timed, and when (session clock) the apology is due;
        #: before ``_quiet_until`` ("keep waiting" was pressed) no apology shows.
        self._timed_session = ""
        self._apology_at: float | None = None
        self._quiet_until = 0.0
        # Five blocks of words, the time banner and the staff notice on one screen: tighter
        # than the others, or the last line of "get ready" is cut.
        self.content.setSpacing(10)
        self.leave_button = self.add_action("leave")
        self.leave_button.clicked.connect(lambda: self.send(EndSession()))
        # The place in the queue comes from the portal, not from session events.
        self._queue_timer = QTimer(self)
        self._queue_timer.setObjectName("waiting-room-queue")
        self._queue_timer.setInterval(QUEUE_POLL_MS)
        self._queue_timer.timeout.connect(self._queue_text)

    def showEvent(self, event: QShowEvent | None) -> None:
        super().showEvent(event)
        self._queue_timer.start()

    def hideEvent(self, event: QHideEvent | None) -> None:
        self._queue_timer.stop()
        super().hideEvent(event)

    def refresh(self) -> None:
        self._start_timing()
        self._queue_text()

    # -- nobody comes ------------------------------------------------------------------

    def _wait_s(self) -> float:
        """``[timeouts] nobody_comes`` (0: never apologise)."""
        if self.bridge is None:
            return 0.0
        return float(self.bridge.session.timeouts.nobody_comes)

    def _now(self) -> float:
        return self.bridge.session.clock.monotonic() if self.bridge is not None else 0.0

    def _start_timing(self) -> None:
        """A new patient in the waiting room: the wait before the apology starts (a fault
        screen left and come back to keeps it)."""
        if self.bridge is None:
            return
        session = self.bridge.session
        if session.state is not State.WAITING_ROOM or session.session_id == self._timed_session:
            return
        self._timed_session = session.session_id
        self._restart_wait(quiet=False)

    def _restart_wait(self, *, quiet: bool) -> None:
        """Time the wait again; ``quiet``: no apology at all before it ends (the patient
        chose to keep waiting), else at once when no doctor is on duty or it is closed."""
        wait = self._wait_s()
        now = self._now()
        self._apology_at = now + wait if wait > 0 else None
        self._quiet_until = now + wait if quiet else now
        self.booking_shown = False

    def _nobody_comes(self) -> str:
        if self.bridge is None or self._apology_at is None or self._now() < self._quiet_until:
            return ""
        doctors, is_open, _site = self.bridge.waiting_room_news()
        if is_open is False:
            return CLOSED
        if doctors == 0:
            return NO_DOCTOR
        return LATE if self._now() >= self._apology_at else ""

    def keep_waiting(self) -> None:
        """The patient stays in the queue: the apology goes, its wait starts again, and the
        session's own time limit too (the patient is there)."""
        if self.bridge is not None and self.bridge.session.can_extend:
            self.send(ExtendTime())
        self._restart_wait(quiet=True)
        self._queue_text()

    def show_booking(self) -> None:
        self.booking_shown = True
        self._apply_reason()
        self.announce.emit(self.booking_text())

    def booking_text(self) -> str:
        """How to book here (shown once "How to book" is pressed)."""
        site = self.bridge.waiting_room_news()[2] if self.bridge is not None else ""
        return booking_words(site)

    def _reflow(self) -> None:
        super()._reflow()
        if not hasattr(self, "_others"):
            return  # the base screen lays out before this one is built
        gap = self._others.spacing()
        # Side by side, each has half the row.
        needed = 2 * max(
            max(b.sizeHint().width(), b.minimumWidth())
            for b in (self.staff_big_button, self.book_button)
        )
        # The words' column: beside the picture (5 parts of 7) on a landscape screen.
        room = self.room()
        width = room if self.portrait else (room - self._middle.spacing()) * 5 // 7
        set_direction(self._others, horizontal=room <= 0 or needed + gap <= width)

    def _set_reason(self, reason: str) -> None:
        if reason == self.reason:
            return
        self.reason = reason
        self._apply_reason()
        if reason:
            self.announce.emit(self.spoken_text())

    def _apply_reason(self) -> None:
        sorry = bool(self.reason)
        for widget in (self.prepare, self.sick_note):
            widget.setVisible(not sorry)
        self.apology.setVisible(sorry)
        if not sorry:
            self.booking_shown = False
            self.title.setText(translate("WaitingRoom", "A doctor will see you soon"))
            self.body.setText(
                translate(
                    "WaitingRoom", "Please stay seated. The doctor will appear on this screen."
                )
            )
            return
        self.title.setText(translate("WaitingRoom", "We are sorry"))
        if self.reason == CLOSED:
            said = translate(
                "WaitingRoom", "The cabin is closed at this hour: no doctor can see you now."
            )
        elif self.reason == NO_DOCTOR:
            said = translate("WaitingRoom", "No doctor is on duty right now.")
        else:
            said = translate(
                "WaitingRoom", "The doctor has not come yet: the wait is longer than expected."
            )
        choices = translate(
            "WaitingRoom",
            "You can keep waiting: you keep your place in the queue. "
            "You can also call the staff, or book a consultation.",
        )
        self.body.setText(said + "\n" + (self.booking_text() if self.booking_shown else choices))
        self.body.show()

    def _appointment_text(self) -> None:
        answer = self.bridge.appointment() if self.bridge is not None else None
        text = ""
        if answer and answer.get("booked"):
            text = translate(
                "WaitingRoom",
                "Your appointment is at {time}. Patients with an appointment are seen first.",
            ).format(time=answer.get("slot_start", ""))
        elif answer and answer.get("walk_in") is False:
            text = where_to_book(answer.get("booking_site"))
        self.appointment.setText(text)
        self.appointment.setVisible(bool(text) and not self.reason)

    def _queue_text(self) -> None:
        self._set_reason(self._nobody_comes())
        self._appointment_text()
        position, estimate_s = (None, None)
        if self.bridge is not None:
            position, estimate_s = self.bridge.queue()
        parts = []
        if position is not None:
            if position <= 1:
                parts.append(translate("WaitingRoom", "You are next."))
            else:
                parts.append(
                    translate("WaitingRoom", "Your place in the queue: {n}.").format(n=position)
                )
        if estimate_s is not None:
            minutes = max(1, round(estimate_s / 60))
            parts.append(
                translate("WaitingRoom", "Expected wait: about %n minutes.", None, minutes)
            )
        self.queue.setText("\n".join(parts))
        self.queue.setVisible(bool(parts) and not self.reason)

    def extend_question(self) -> str:
        return translate("WaitingRoom", "Are you still there?")

    def closing_text(self, seconds: int) -> str:
        # The time running out here takes the patient out of the queue.
        return translate(
            "WaitingRoom",
            "Without an answer, you will leave the queue in %n seconds.",
            None,
            seconds,
        )

    def retranslate_screen(self) -> None:
        # The answer to "Are you still there?" (other screens ask for "More time").
        self.extend_button.setText(translate("WaitingRoom", "Yes, I'm here"))
        self.keep_button.setText(translate("WaitingRoom", "Keep waiting"))
        self.staff_big_button.setText("☎  " + translate("Screen", "Call staff"))
        self.book_button.setText(translate("WaitingRoom", "How to book a consultation"))
        self._apply_reason()
        self.prepare.setText(
            "\n".join(
                (
                    translate("WaitingRoom", "While you wait, please get ready:"),
                    "• " + translate("WaitingRoom", "an identity document (ID card, passport)"),
                    "• " + translate("WaitingRoom", "your medicines or your last prescription"),
                    "• " + translate("WaitingRoom", "your glasses, if you need them"),
                )
            )
        )
        self.sick_note.setText(
            translate(
                "WaitingRoom",
                "Sick note: after a video consultation, time off work is limited to 3 days, "
                "unless the doctor is your declared GP (médecin traitant).",
            )
        )
        self.leave_button.setText(translate("WaitingRoom", "Leave without a consultation"))
        self._queue_text()
