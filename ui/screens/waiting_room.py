"""The waiting room: place in the queue, expected wait, what to prepare, the sick-note rule."""

from __future__ import annotations

from PyQt6.QtCore import QTimer
from PyQt6.QtGui import QHideEvent, QShowEvent
from PyQt6.QtWidgets import QWidget

from kiosk.session import EndSession
from ui import theme
from ui.i18n import translate
from ui.readings import ltr
from ui.screens.base import Screen
from ui.widgets import text_label

QUEUE_POLL_MS = 1000


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
        self._queue_text()

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
        self.appointment.setVisible(bool(text))

    def _queue_text(self) -> None:
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
        self.queue.setVisible(bool(parts))

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
        self.title.setText(translate("WaitingRoom", "A doctor will see you soon"))
        self.body.setText(
            translate("WaitingRoom", "Please stay seated. The doctor will appear on this screen.")
        )
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
