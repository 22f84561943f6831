"""A mallette's desk (``[cabin] form = "mallette"``): the nurse signs in for the shift (RPPS,
name, profession), then checks each patient in from here, and signs out.

A CPS in the reader is recognised by its chip, but its data needs its PIN and is not read in
this version: the screen says so and asks for the RPPS.
"""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import Qt, QTimer
from PyQt6.QtGui import QHideEvent, QShowEvent
from PyQt6.QtWidgets import QFormLayout, QHBoxLayout, QLayout, QWidget

from kiosk.nurse import CarePlace, PatientError, Profession, SignInError
from kiosk.session import DeskNotice
from ui import theme
from ui.i18n import translate
from ui.readings import ltr
from ui.screens.base import Screen
from ui.screens.nurse_pairing import PairingPanel
from ui.screens.nurse_patient import (
    COMBO_ARROW,
    PatientForm,
    combo,
    field,
    patient_error_text,
    place_name,
    row_label,
)
from ui.widgets import text_label

#: How often the desk checks that the day of the sign-in is not over (midnight, the cabin's
#: time zone).
SHIFT_CHECK_MS = 30_000


def profession_name(profession: str) -> str:
    names = {
        Profession.NURSE: translate("Nurse", "Nurse"),
        Profession.DOCTOR: translate("Nurse", "Doctor"),
        Profession.MIDWIFE: translate("Nurse", "Midwife"),
        Profession.PHARMACIST: translate("Nurse", "Pharmacist"),
        Profession.OTHER: translate("Nurse", "Other health professional"),
    }
    return names.get(Profession(profession), profession) if profession in set(Profession) else ""


class NurseSignInScreen(Screen):
    """Signed out: the sign-in form. Signed in: who assists, where, and the next patient
    (a Carte Vitale in the reader, or the identity typed)."""

    picture_name = ""

    def __init__(self, languages: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(languages, parent)
        #: The last refusal (a :class:`SignInError` or :class:`PatientError` code).
        self.error = ""
        #: The nurse is typing the identity of a patient without a card.
        self.typing_patient = False
        #: The nurse is on the "Appareils" page (the kit's BLE instruments).
        self.pairing_devices = False
        self.notice = text_label(theme.BODY_PT, name="deskNotice", bold=True)
        self.content.addWidget(self.notice)

        self.form = QWidget(objectName="nurseForm")
        rows = QFormLayout(self.form)
        rows.setHorizontalSpacing(24)
        rows.setVerticalSpacing(8)
        self.rpps = field("rpps", 11 + 3)
        self.rpps.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # digits read left to right
        self.name = field("nurseName", 80)
        self.profession = combo("profession", [code.value for code in Profession])
        self.rpps_label = row_label()
        self.name_label = row_label()
        self.profession_label = row_label()
        rows.addRow(self.rpps_label, self.rpps)
        rows.addRow(self.name_label, self.name)
        rows.addRow(self.profession_label, self.profession)
        self.content.addWidget(self.form)

        # The nurse is the staff here: no "call staff" at the desk.
        self.staff_button.hide()

        # -- signed in: where the patients are seen, and the patient without a card
        self.place_row = QWidget(objectName="placeRow")
        place_layout = QHBoxLayout(self.place_row)
        place_layout.setContentsMargins(0, 0, 0, 0)
        place_layout.setSpacing(24)
        self.place_label = row_label()
        self.place = combo("carePlace", [code.value for code in CarePlace])
        self.place.activated.connect(self.on_place)
        place_layout.addWidget(self.place_label)
        place_layout.addWidget(self.place)
        place_layout.addStretch(1)
        self.content.addWidget(self.place_row)
        self.patient = PatientForm()
        self.content.addWidget(self.patient)
        self.error_label = text_label(theme.BODY_PT, name="signInError", bold=True)
        self.content.addWidget(self.error_label)
        self.pairing = PairingPanel()
        self.pairing.announce.connect(self.announce.emit)
        self.pairing.hide()  # until the nurse opens "Appareils"
        self.content.addWidget(self.pairing)

        self.sign_in_button = self.add_action("signIn", primary=True)
        self.sign_in_button.clicked.connect(self.on_sign_in)
        self.rpps.returnPressed.connect(self.on_sign_in)
        self.name.returnPressed.connect(self.on_sign_in)
        self.no_card_button = self.add_action("noCard", primary=True)
        self.no_card_button.clicked.connect(self.on_no_card)
        self.devices_button = self.add_action("devices")
        self.devices_button.clicked.connect(self.on_devices)
        self.check_in_button = self.add_action("checkIn", primary=True)
        self.check_in_button.clicked.connect(self.on_check_in)
        self.back_button = self.add_action("backToDesk")
        self.back_button.clicked.connect(self.on_back)
        self.sign_out_button = self.add_action("signOut")
        self.sign_out_button.clicked.connect(self.on_sign_out)

        self._shift_timer = QTimer(self)
        self._shift_timer.setObjectName("nurse-shift-check")
        self._shift_timer.setInterval(SHIFT_CHECK_MS)
        self._shift_timer.timeout.connect(self.check_shift)
        self._style_fields()

    # -- wiring --------------------------------------------------------------------------

    def bind(self, bridge: Any) -> None:
        super().bind(bridge)
        bridge.state_changed.connect(self._on_state_changed)

    def _on_state_changed(self, state: str, previous: str) -> None:
        if state == "nurse" and previous != "nurse":
            # Back at the desk after a patient: the form of the last one is gone with them.
            self.typing_patient = False
            self.pairing_devices = False
            self.patient.clear()
            self.error = ""
        if state == "nurse":
            self.refresh()

    def showEvent(self, event: QShowEvent | None) -> None:
        super().showEvent(event)
        self.check_shift()
        self._shift_timer.start()

    def hideEvent(self, event: QHideEvent | None) -> None:
        self._shift_timer.stop()
        super().hideEvent(event)

    def check_shift(self) -> None:
        if self.bridge is not None:
            self.bridge.end_shift_if_over()

    # -- the nurse's actions -------------------------------------------------------------

    def on_sign_in(self) -> None:
        if self.bridge is None or self.signed_in:
            return
        self.error = self.bridge.sign_in_nurse(
            self.rpps.text(), self.name.text(), str(self.profession.currentData())
        )
        if not self.error:
            # Kept by the session for the shift; the form forgets it.
            self.rpps.clear()
            self.name.clear()
        self.refresh()
        if self.error:
            self.announce.emit(self.error_label.text())
            (self.name if self.error.startswith("name") else self.rpps).setFocus()

    def on_sign_out(self) -> None:
        if self.bridge is not None:
            self.bridge.sign_out_nurse()
        self.error = ""
        self.typing_patient = False
        self.refresh()

    def on_place(self, _index: int = 0) -> None:
        if self.bridge is not None:
            self.bridge.choose_care_place(str(self.place.currentData()))

    def on_no_card(self) -> None:
        self.typing_patient = True
        self.error = ""
        self.refresh()
        self.patient.last_name.setFocus()

    def on_devices(self) -> None:
        if self.bridge is None or not self.signed_in:
            return
        self.pairing.service = self.bridge.pairing()
        self.pairing_devices = True
        self.error = ""
        self.refresh()

    def on_back(self) -> None:
        self.pairing_devices = False
        self.typing_patient = False
        self.error = ""
        self.refresh()

    def on_check_in(self) -> None:
        if self.bridge is None or not self.typing_patient:
            return
        self.error = self.bridge.check_in_typed_patient(*self.patient.fields())
        # Checked in: the session moves to the consent (the form clears back at the desk).
        self.refresh()
        if self.error:
            self.announce.emit(self.error_label.text())
            self.patient.focus_on(self.error)

    # -- what the screen shows -----------------------------------------------------------

    @property
    def signed_in(self) -> bool:
        return self.bridge is not None and self.bridge.session.nurse is not None

    def refresh(self) -> None:
        signed = self.signed_in
        typing = signed and self.typing_patient
        devices = signed and self.pairing_devices and not typing
        desk = signed and not typing and not devices
        self.form.setVisible(not signed)
        self.sign_in_button.setVisible(not signed)
        self.place_row.setVisible(desk)
        self.no_card_button.setVisible(desk)
        self.devices_button.setVisible(desk)
        self.sign_out_button.setVisible(desk)
        self.patient.setVisible(typing)
        self.check_in_button.setVisible(typing)
        self.pairing.setVisible(devices)
        if devices:
            self.pairing.refresh()
        self.back_button.setVisible(typing or devices)
        if signed and self.bridge is not None:
            index = self.place.findData(self.bridge.session.care_place.value)
            self.place.setCurrentIndex(max(0, index))
        self.retranslate_screen()
        # the parts just hidden no longer count in the screen's size, now (the layouts
        # cache their sizes until their next pass: the pairing page's would be asked for)
        for layout in self.findChildren(QLayout):
            layout.invalidate()

    def set_high_contrast(self, on: bool) -> None:
        super().set_high_contrast(on)
        self._style_fields()
        self.pairing.set_high_contrast(on)

    def _style_fields(self) -> None:
        c = theme.colours(high_contrast=self.high_contrast)
        background = c.background if self.high_contrast else "#ffffff"
        style = (
            f"background: {background}; color: {c.text}; border: 3px solid {c.accent}; "
            "border-radius: 10px; padding: 4px 12px;"
        )
        for widget in (self.rpps, self.name):
            widget.setStyleSheet(f"QLineEdit {{ {style} }}")
        for box in (self.profession, self.place):
            box.setStyleSheet(f"QComboBox {{ {style} }}{COMBO_ARROW}")
        labels = (self.rpps_label, self.name_label, self.profession_label, self.place_label)
        for label in labels:
            label.setStyleSheet(f"color: {c.text};")
        self.patient.set_style(style, f"color: {c.text};")

    def retranslate_screen(self) -> None:
        for i, code in enumerate(Profession):
            self.profession.setItemText(i, profession_name(code))
        self.rpps_label.setText(translate("Nurse", "RPPS number"))
        self.name_label.setText(translate("Nurse", "First and last name"))
        self.profession_label.setText(translate("Nurse", "Profession"))
        self.rpps.setPlaceholderText(translate("Nurse", "11 digits"))
        self.sign_in_button.setText("✓  " + translate("Nurse", "Sign in for the shift"))
        self.sign_out_button.setText(translate("Nurse", "Sign out"))
        self.no_card_button.setText(translate("Nurse", "Patient without a card"))
        self.devices_button.setText(translate("Nurse", "Devices"))
        self.check_in_button.setText("✓  " + translate("Nurse", "Continue to the consent"))
        self.back_button.setText(translate("Nurse", "Back"))
        self.place_label.setText(translate("Nurse", "Where the patient is seen"))
        for i, code in enumerate(CarePlace):
            self.place.setItemText(i, place_name(code))
        self.patient.retranslate()
        nurse = self.bridge.session.nurse if self.bridge is not None else None
        if nurse is None:
            self.title.setText(translate("Nurse", "Sign in for the shift"))
            self.body.setText(
                translate(
                    "Nurse",
                    "Type your RPPS number, your name and your profession. They are kept "
                    "until you sign out or the day ends.",
                )
            )
        elif self.pairing_devices and not self.typing_patient:
            self.title.setText(translate("Pairing", "The kit's devices"))
            self.body.setText(
                translate(
                    "Pairing",
                    "Switch the device on and put it in pairing mode (see its manual), then "
                    "search.",
                )
            )
            self.pairing.retranslate()
        elif self.typing_patient:
            self.title.setText(translate("Nurse", "Patient without a card"))
            self.body.setText(
                translate(
                    "Nurse",
                    "Type the identity from the patient's ID document, in any alphabet.",
                )
            )
        else:
            self.title.setText(translate("Nurse", "Next patient"))
            who = translate("Nurse", "Assisting: {name}, {profession}, RPPS {rpps}").format(
                name=nurse.name, profession=profession_name(nurse.profession), rpps=ltr(nurse.rpps)
            )
            self.body.setText(
                who + "\n" + translate("Nurse", "Insert the patient's Carte Vitale in the reader.")
            )
        self.body.setVisible(bool(self.body.text()))
        self.error_label.setText(self.error_text(self.error))
        self.error_label.setVisible(bool(self.error))
        notice = self.desk_notice_text()
        self.notice.setText(notice)
        self.notice.setVisible(bool(notice))

    def desk_notice_text(self) -> str:
        notice = self.bridge.session.desk_notice if self.bridge is not None else ""
        if notice == DeskNotice.CPS and not self.signed_in:
            return translate(
                "Nurse",
                "CPS recognised — reading it needs its PIN code: type your RPPS number. This "
                "version does not ask for the PIN, so the card's data is not read.",
            )
        if notice == DeskNotice.CPS_FOR_PATIENT:
            return translate(
                "Nurse",
                "This is a health professional card (CPS), not a Carte Vitale. Remove it and "
                "insert the patient's Carte Vitale.",
            )
        if notice == DeskNotice.VITALE_AT_SIGN_IN and not self.signed_in:
            return translate(
                "Nurse",
                "This is a Carte Vitale: the patient's card comes after you sign in. Remove "
                "it, then sign in with your RPPS number.",
            )
        if notice == DeskNotice.UNKNOWN_CARD:
            return translate(
                "Nurse", "This card is neither a Carte Vitale nor a CPS, or it cannot be read."
            )
        if notice == DeskNotice.END_OF_DAY and not self.signed_in:
            return translate("Nurse", "The day is over: sign in again for today's shift.")
        return ""

    @staticmethod
    def error_text(error: str) -> str:
        if error in set(PatientError):
            return patient_error_text(error)
        if error == SignInError.RPPS_LENGTH:
            return translate("Nurse", "The RPPS number has 11 digits.")
        if error == SignInError.RPPS_CHECK:
            return translate(
                "Nurse", "This RPPS number is not valid (its last digit does not match): check it."
            )
        if error == SignInError.NAME_MISSING:
            return translate("Nurse", "Type your name.")
        if error == SignInError.NAME_INVALID:
            return translate("Nurse", "A name has letters only (and spaces, hyphens, apostrophes).")
        if error:
            return translate("Nurse", "This is not possible now: try again in a moment.")
        return ""

    def spoken_text(self) -> str:
        parts = [self.title.text(), self.notice.text(), self.body.text(), self.error_label.text()]
        if self.pairing_devices:
            parts += [self.pairing.status.text(), self.pairing.error_label.text()]
        return "\n".join(p for p in parts if p)
