"""The parts of a mallette's desk about the patient: where they are seen, and the identity
the nurse types when they have no card (last name, first name, birth date, sex)."""

from __future__ import annotations

from PyQt6.QtCore import QPointF, Qt
from PyQt6.QtGui import QPainter, QPaintEvent, QPalette, QPolygonF
from PyQt6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from kiosk.nurse import CarePlace, PatientError, Sex
from ui import scaling, theme
from ui.i18n import translate
from ui.readings import ltr
from ui.theme import big_font

FIELD_PX = 480
#: A field's height: a form the nurse types in (keyboard), lower than a patient's button.
FIELD_HEIGHT_PX = theme.MIN_TOUCH_PX - 32
#: A framed combo box's drop-down part: Qt's own would be drawn half-framed; the arrow is
#: painted by :class:`Choice` instead.
COMBO_ARROW = (
    " QComboBox::drop-down { border: none; width: 44px; }"
    " QComboBox::down-arrow { image: none; width: 0; height: 0; }"
)


class Choice(QComboBox):
    """A combo box whose arrow is a plain triangle in its text's colour (on the reading
    side's end)."""

    def paintEvent(self, event: QPaintEvent | None) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.palette().color(QPalette.ColorRole.Text))
        x = 28.0 if self.isRightToLeft() else self.width() - 28.0
        y = self.height() / 2
        painter.drawPolygon(
            QPolygonF([QPointF(x - 10, y - 5), QPointF(x + 10, y - 5), QPointF(x, y + 7)])
        )
        painter.end()


def place_name(place: str) -> str:
    names = {
        CarePlace.HEALTH_CENTRE: translate("Nurse", "Health centre"),
        CarePlace.HOME: translate("Nurse", "Patient's home"),
        CarePlace.OTHER: translate("Nurse", "Other place"),
    }
    return names.get(CarePlace(place), "") if place in set(CarePlace) else ""


def patient_error_text(error: str) -> str:
    if error == PatientError.LAST_NAME:
        return translate("Nurse", "Type the patient's last name (letters only).")
    if error == PatientError.FIRST_NAME:
        return translate("Nurse", "Type the patient's first name (letters only).")
    if error == PatientError.BIRTH_DATE:
        return translate(
            "Nurse", "The birth date is a real date, as {pattern} (for example {example})."
        ).format(pattern=ltr(translate("Nurse", "DD/MM/YYYY")), example=ltr("02/03/1950"))
    if error == PatientError.SEX:
        return translate("Nurse", "Choose the patient's sex.")
    return ""


def field(name: str, length: int) -> QLineEdit:
    edit = QLineEdit(objectName=name)
    edit.setMaxLength(length)
    scaling.set_font(edit, big_font(theme.BODY_PT))
    edit.setMinimumHeight(FIELD_HEIGHT_PX)
    edit.setFixedWidth(FIELD_PX)
    return edit


def combo(name: str, codes: list[str]) -> Choice:
    box = Choice(objectName=name)
    scaling.set_font(box, big_font(theme.BODY_PT))
    box.setMinimumHeight(FIELD_HEIGHT_PX)
    box.setFixedWidth(FIELD_PX)
    for code in codes:
        box.addItem("", code)
    return box


def row_label() -> QLabel:
    label = QLabel()
    scaling.set_font(label, big_font(theme.SMALL_PT, bold=True))
    return label


class PatientForm(QWidget):
    """The patient's identity as the nurse types it; nothing is checked here (the bridge
    asks ``kiosk.nurse``), and nothing typed is lost on a refusal."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="patientForm")
        rows = QFormLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setHorizontalSpacing(24)
        rows.setVerticalSpacing(8)
        self.last_name = field("patientLastName", 80)
        self.first_name = field("patientFirstName", 80)
        self.birth_date = field("patientBirthDate", 10)
        self.birth_date.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.sex = combo("patientSex", ["", Sex.FEMALE.value, Sex.MALE.value])
        self.labels = [row_label() for _ in range(4)]
        for label, edit in zip(
            self.labels, (self.last_name, self.first_name, self.birth_date, self.sex), strict=True
        ):
            rows.addRow(label, edit)

    def fields(self) -> tuple[str, str, str, str]:
        return (
            self.last_name.text(),
            self.first_name.text(),
            self.birth_date.text(),
            str(self.sex.currentData() or ""),
        )

    def focus_on(self, error: str) -> None:
        target = {
            PatientError.LAST_NAME: self.last_name,
            PatientError.FIRST_NAME: self.first_name,
            PatientError.BIRTH_DATE: self.birth_date,
            PatientError.SEX: self.sex,
        }.get(PatientError(error) if error in set(PatientError) else None)
        if target is not None:
            target.setFocus()

    def clear(self) -> None:
        for edit in (self.last_name, self.first_name, self.birth_date):
            edit.clear()
        self.sex.setCurrentIndex(0)

    def retranslate(self) -> None:
        texts = (
            translate("Nurse", "Last name"),
            translate("Nurse", "First name"),
            translate("Nurse", "Birth date"),
            translate("Nurse", "Sex"),
        )
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.birth_date.setPlaceholderText(translate("Nurse", "DD/MM/YYYY"))
        self.sex.setItemText(0, translate("Nurse", "Choose…"))
        self.sex.setItemText(1, translate("Nurse", "Female"))
        self.sex.setItemText(2, translate("Nurse", "Male"))

    def set_style(self, field_style: str, label_style: str) -> None:
        for edit in (self.last_name, self.first_name, self.birth_date):
            edit.setStyleSheet(f"QLineEdit {{ {field_style} }}")
        self.sex.setStyleSheet(f"QComboBox {{ {field_style} }}{COMBO_ARROW}")
        for label in self.labels:
            label.setStyleSheet(label_style)
