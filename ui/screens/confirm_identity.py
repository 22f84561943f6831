"""Who consults today: one large button per person on the card (a family card has several)."""

from __future__ import annotations

from PyQt6.QtCore import QLocale
from PyQt6.QtWidgets import QPushButton, QWidget

from kiosk.domain import Beneficiary
from kiosk.session import BeneficiaryChosen, EndSession
from ui import scaling, theme
from ui.i18n import translate
from ui.readings import ltr
from ui.screens.base import Screen
from ui.widgets import big_button


def birth_text(card_date: str, language: str = "fr") -> str:
    """The card's AAAAMMJJ birth date in words: "born on 12/03/1944", "born in November
    1941" (no day: the month in words), "born in 1943" (lunar dates: month 00)."""
    text = card_date.strip()
    if len(text) != 8 or not text.isdigit():
        return ""
    year, month, day = text[:4], text[4:6], text[6:]
    # Digits stay day/month/year, left to right, in Arabic too (ltr isolates them).
    if month == "00" or not 1 <= int(month) <= 12:  # a lunar date: only the year is known
        return translate("ConfirmIdentity", "born in {date}").format(date=ltr(year))
    if day == "00":
        name = QLocale(language).standaloneMonthName(int(month))
        when = translate("ConfirmIdentity", "{month} {year}").format(month=name, year=ltr(year))
        return translate("ConfirmIdentity", "born in {date}").format(date=when)
    return translate("ConfirmIdentity", "born on {date}").format(date=ltr(f"{day}/{month}/{year}"))


def person_text(person: Beneficiary, language: str = "fr") -> str:
    name = " ".join(p for p in (person.first_name, person.last_name) if p).strip()
    born = birth_text(person.birth_date, language)
    # The birth line keeps its own language's direction (first-strong isolate): after a name
    # in Latin letters, the Arabic words would otherwise be laid out left to right.
    return f"{name}\n\u2068{born}\u2069" if born else name


class ConfirmIdentityScreen(Screen):
    picture_name = "family"

    def __init__(self, languages: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(languages, parent)
        self.people: dict[int, QPushButton] = {}
        self.none_button = self.add_action("none")
        self.none_button.clicked.connect(lambda: self.send(EndSession()))

    def retranslate_screen(self) -> None:
        self.title.setText(translate("ConfirmIdentity", "Who is seeing the doctor today?"))
        self.body.setText(translate("ConfirmIdentity", "Touch your name."))
        self.none_button.setText(translate("ConfirmIdentity", "None of these people"))
        self._fill()

    def refresh(self) -> None:
        self._fill()

    def _fill(self) -> None:
        for button in self.people.values():
            self.content.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.people = {}
        session = self.bridge.session if self.bridge is not None else None
        data = session.data if session is not None else None
        if data is None:
            return
        for person in data.beneficiaries:
            button = big_button(f"person_{person.rank}")
            button.setText(person_text(person, self.language))
            button.setMinimumHeight(theme.MIN_TOUCH_PX + 40)
            button.clicked.connect(lambda _=False, r=person.rank: self.send(BeneficiaryChosen(r)))
            scaling.apply_scale(button, self.scale)
            self.content.addWidget(button)
            self.people[person.rank] = button
