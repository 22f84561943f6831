"""The waiting room of a nurse's patient (a mallette): first "Which doctor do you call?" (the
portal's doctors, available first, and "Join the waiting room"), then "Waiting for Dr X"
with "Join the waiting room instead". Without a nurse it is the cabin's waiting room."""

from __future__ import annotations

import itertools

from PyQt6.QtCore import Qt, QTimer
from PyQt6.QtWidgets import QFrame, QPushButton, QScrollArea, QVBoxLayout, QWidget

from kiosk.services.doctors import CHOOSING, DIRECTED, DoctorChoice
from ui.i18n import translate
from ui.screens.waiting_room import WaitingRoomScreen
from ui.widgets import big_button

#: Doctors shown at once in the list (more scroll): three fit beside the picture on a
#: mallette's 1280x800 laptop with the title, the words and the waiting room's button.
ROWS_SHOWN = 3
#: On a portrait screen (a borne, a tablet upright) the list has the height: six at once.
ROWS_SHOWN_PORTRAIT = 6


def isolated(name: str) -> str:
    """A name in any script, set apart from the words around it (a Latin name in Arabic)."""
    return "\u2068" + name + "\u2069"


def state_words(state: str) -> str:
    """A doctor's state as the list says it."""
    if state == "available":
        return translate("DoctorChoice", "available")
    if state == "busy":
        return translate("DoctorChoice", "in a consultation")
    return translate("DoctorChoice", "not connected")


class AssistedWaitingRoomScreen(WaitingRoomScreen):
    def __init__(self, languages: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(languages, parent)
        self.choice_panel = QWidget(objectName="doctorChoice")
        column = QVBoxLayout(self.choice_panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(12)
        self.scroll = QScrollArea(objectName="doctorList")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget(objectName="doctorRows")
        self.rows = QVBoxLayout(inner)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setSpacing(10)
        self.rows.addStretch(1)
        self.scroll.setWidget(inner)
        # the screen's own background behind the rows (white gaps in high contrast else)
        self.scroll.setStyleSheet(
            "QScrollArea#doctorList, QWidget#doctorRows { background: transparent; }"
        )
        self.scroll.viewport().setAutoFillBackground(False)
        column.addWidget(self.scroll, 1)
        self.retry_button = big_button("retryDoctors")
        self.join_button = big_button("joinRoom", primary=True)
        column.addWidget(self.retry_button)
        column.addWidget(self.join_button)
        self.choice_panel.hide()
        self.content.addWidget(self.choice_panel, 1)
        self.instead_button = big_button("joinInstead")
        self.instead_button.hide()
        self.content.addWidget(self.instead_button)
        #: The doctor buttons by doctor id, and the list they show.
        self.doctor_buttons: dict[str, QPushButton] = {}
        self._shown: list[dict[str, str]] = []
        self.retry_button.clicked.connect(self.retry)
        self.join_button.clicked.connect(self.join_room)
        self.instead_button.clicked.connect(self.join_room)

    def refresh(self) -> None:
        super().refresh()
        # the choice hears of the consent after the screens (it subscribed later): read it
        # once more when this round of notices is over
        QTimer.singleShot(0, self._queue_text)

    # -- the nurse's choice --------------------------------------------------------------

    def choice(self) -> DoctorChoice | None:
        return self.bridge.doctor_choice() if self.bridge is not None else None

    def phase(self) -> str:
        choice = self.choice()
        return choice.phase if choice is not None else ""

    def call_doctor(self, doctor_id: str) -> None:
        choice = self.choice()
        if choice is not None and choice.call_doctor(doctor_id):
            self._queue_text()
            self.announce.emit(self.spoken_text())

    def join_room(self) -> None:
        choice = self.choice()
        if choice is not None and choice.join_room():
            self._apply_reason()
            self._queue_text()

    def retry(self) -> None:
        choice = self.choice()
        if choice is not None:
            choice.refresh()
            self._queue_text()

    def _nobody_comes(self) -> str:
        # while choosing, or waiting for one doctor, the words say where that doctor is
        return "" if self.phase() in (CHOOSING, DIRECTED) else super()._nobody_comes()

    def _apply_reason(self) -> None:
        super()._apply_reason()
        if hasattr(self, "instead_button"):
            self._apply_choice()

    def _queue_text(self) -> None:
        super()._queue_text()
        if hasattr(self, "instead_button"):
            self._apply_choice()

    def _apply_choice(self) -> None:
        choice = self.choice()
        phase = choice.phase if choice is not None else ""
        self.choice_panel.setVisible(phase == CHOOSING)
        self.instead_button.setVisible(phase == DIRECTED)
        if choice is None or phase not in (CHOOSING, DIRECTED):
            return
        for widget in (self.queue, self.prepare, self.sick_note, self.appointment, self.apology):
            widget.hide()
        if phase == CHOOSING:
            self._choosing(choice)
        else:
            self._waiting_for(choice)
        self.body.setVisible(bool(self.body.text()))

    def _choosing(self, choice: DoctorChoice) -> None:
        choice.refresh(quiet=True)
        listing = choice.listing()
        self.title.setText(translate("DoctorChoice", "Which doctor do you call?"))
        if choice.notice == "unknown":
            said = translate(
                "DoctorChoice",
                "This doctor cannot be called (no longer registered). Choose another one, "
                "or join the waiting room.",
            )
        elif listing == "failed":
            said = translate(
                "DoctorChoice",
                "The list of doctors could not be loaded. Try again, or join the waiting room.",
            )
        elif listing == "asking" and not choice.doctors():
            said = translate("DoctorChoice", "Loading the list of doctors…")
        else:
            said = translate(
                "DoctorChoice",
                "Choose the doctor to call, or join the waiting room: the first doctor free "
                "will see the patient.",
            )
        self.body.setText(said)
        self.retry_button.setVisible(listing == "failed")
        self._fill(choice.doctors())

    def _fill(self, doctors: list[dict[str, str]]) -> None:
        """One big button per doctor (rebuilt only when the list changed: focus stays)."""
        if doctors == self._shown:
            return
        self._shown = doctors
        for button in self.doctor_buttons.values():
            self.rows.removeWidget(button)
            button.deleteLater()
        self.doctor_buttons = {}
        for index, doctor in enumerate(doctors):
            button = big_button(f"doctor-{doctor['id']}", primary=False)
            button.setProperty("doctorState", doctor["state"])
            button.setText(f"{isolated(doctor['name'])}  ·  {state_words(doctor['state'])}")
            button.setAccessibleName(button.text())
            button.clicked.connect(lambda _=False, ident=doctor["id"]: self.call_doctor(ident))
            self.rows.insertWidget(index, button)
            button.show()  # now, not at the layout's next round (Tab would skip it)
            self.doctor_buttons[doctor["id"]] = button
        self._fit_list()
        # Tab goes down the list, then to "Try again" and "Join the waiting room"
        chain = [*self.doctor_buttons.values(), self.retry_button, self.join_button]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _fit_list(self) -> None:
        """The list shows up to :data:`ROWS_SHOWN` doctors at once (portrait:
        :data:`ROWS_SHOWN_PORTRAIT`); more scroll."""
        shown = ROWS_SHOWN_PORTRAIT if self.portrait else ROWS_SHOWN
        buttons = list(self.doctor_buttons.values())[:shown]
        gap = self.rows.spacing()
        for button in buttons:
            button.ensurePolished()  # the style sheet's padding counts in its height
        height = sum(max(b.sizeHint().height(), b.minimumHeight()) + gap for b in buttons)
        self.scroll.setMinimumHeight(max(0, height - gap))

    def _reflow(self) -> None:
        super()._reflow()
        if hasattr(self, "doctor_buttons"):
            self._fit_list()  # the buttons' size follows the screen's scale

    def _waiting_for(self, choice: DoctorChoice) -> None:
        name = isolated(choice.doctor["name"]) if choice.doctor else ""
        self.title.setText(translate("DoctorChoice", "Waiting for {name}").format(name=name))
        state = choice.doctor_state()
        # the doctor gone: the waiting room is the way forward, shown as the first choice
        self._set_flag(self.instead_button, "primary", state == "offline")
        if state == "offline":
            said = translate(
                "DoctorChoice",
                "{name} is not connected right now. You can keep waiting, or join the "
                "waiting room: any doctor on duty can then see the patient.",
            )
        elif state == "busy":
            said = translate(
                "DoctorChoice",
                "{name} is in a consultation and will see the patient after it. Please "
                "stay seated.",
            )
        else:
            said = translate(
                "DoctorChoice",
                "{name} sees the patient first in their list. Please stay seated: they will "
                "appear on this screen.",
            )
        self.body.setText(said.format(name=name))

    def retranslate_screen(self) -> None:
        if not hasattr(self, "instead_button"):  # the base screen translates before it is built
            super().retranslate_screen()
            return
        self.retry_button.setText(translate("DoctorChoice", "Try again"))
        self.join_button.setText(translate("DoctorChoice", "Join the waiting room"))
        self.instead_button.setText(translate("DoctorChoice", "Join the waiting room instead"))
        self._shown = []  # the states' words in the new language
        super().retranslate_screen()
