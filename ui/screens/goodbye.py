"""The end: take your card and your papers (or, with no appointment here, where to book)."""

from __future__ import annotations

from PyQt6.QtWidgets import QWidget

from kiosk.session import EndSession
from ui import theme
from ui.i18n import translate
from ui.screens.base import Screen
from ui.screens.waiting_room import where_to_book
from ui.widgets import text_label


class GoodbyeScreen(Screen):
    picture_name = "goodbye"

    def __init__(self, languages: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(languages, parent)
        self.no_appointment = text_label(theme.BODY_PT, name="noAppointment", bold=True)
        self.no_appointment.hide()
        self.content.addWidget(self.no_appointment)
        self.done_button = self.add_action("done", primary=True)
        self.done_button.clicked.connect(lambda: self.send(EndSession()))
        self._booking_site: str | None = None
        #: What to take back: ``card`` (a card was read), ``papers`` (checked in without a
        #: card) or ``belongings`` (no card read, nothing checked in).
        self._take = "card"
        #: Whether papers were printed (readings or documents), and a doctor seen.
        self._papers = True
        self._consulted = True

    def refresh(self) -> None:
        answer = self.bridge.appointment() if self.bridge is not None else None
        # No appointment at a cabin that sees booked patients only: say where to book.
        if answer and answer.get("booked") is False and answer.get("walk_in") is False:
            self._booking_site = str(answer.get("booking_site") or "")
        else:
            self._booking_site = None
        data = self.bridge.session.data if self.bridge is not None else None
        self._papers = data is None or bool(data.readings or data.documents)
        self._consulted = data is None or data.consulted
        if data is None or (data.beneficiaries and not data.without_card):
            self._take = "card"
        else:
            self._take = "papers" if data.without_card else "belongings"
        self.retranslate_screen()

    def retranslate_screen(self) -> None:
        if self._booking_site is not None:
            self.title.setText(translate("Goodbye", "No consultation without an appointment"))
        elif self._consulted:
            self.title.setText(translate("Goodbye", "The consultation is over"))
        else:  # left before a doctor came (no consent, nobody on the card, time ran out)
            self.title.setText(translate("Goodbye", "Goodbye"))
        # Papers are named only when some were printed.
        if self._take == "papers" and self._papers:
            take = translate("Goodbye", "Take your papers.")
        elif self._take == "card" and self._papers:
            take = translate("Goodbye", "Take your Carte Vitale and your papers.")
        elif self._take == "card":
            take = translate("Goodbye", "Take your Carte Vitale.")
        else:
            take = translate("Goodbye", "Take your belongings.")
        self.body.setText(
            take
            + "\n"
            + translate(
                "Goodbye",
                "Everything about you will now be erased from the cabin.\nTake care!",
            )
        )
        self.body.setVisible(True)
        site = self._booking_site
        text = ""
        if site is not None:
            text = where_to_book(site)
        self.no_appointment.setText(text)
        self.no_appointment.setVisible(bool(text))
        self.done_button.setText("✓  " + translate("Goodbye", "I have taken everything"))

    def spoken_text(self) -> str:
        parts = [super().spoken_text()]
        if self.no_appointment.isVisible():
            parts.append(self.no_appointment.text())
        return "\n".join(parts)
