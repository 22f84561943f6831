"""The idle screen: "Insert your Carte Vitale", with the language choice and a gentle loop
showing the same words in the other languages; without a card, the booking code of the SMS."""

from __future__ import annotations

from PyQt6.QtCore import QTimer
from PyQt6.QtGui import QHideEvent, QShowEvent
from PyQt6.QtWidgets import QWidget

from ui import theme
from ui.i18n import LANGUAGE_NAMES, RIGHT_TO_LEFT, Translations, translate
from ui.screens.base import Screen
from ui.widgets import text_label

ATTRACT_MS = 4000
#: How often the "no card?" button asks whether the portal takes booking codes.
CODES_POLL_MS = 2000


class IdleScreen(Screen):
    picture_name = "card"

    def __init__(self, languages: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(languages, parent)
        self.translations: Translations | None = None
        self.attract = text_label(theme.BODY_PT, name="attract")
        self.hint = text_label(theme.SMALL_PT, name="hint")
        self.content.addWidget(self.hint)
        self.content.addWidget(self.attract)
        self._attract_index = 0
        self._attract_timer = QTimer(self)
        self._attract_timer.setObjectName("idle-attract")
        self._attract_timer.setInterval(ATTRACT_MS)
        self._attract_timer.timeout.connect(self.next_attract)
        self.code_button = self.add_action("bookingCode")
        self.code_button.clicked.connect(self._ask_for_code)
        self.code_button.hide()
        # Whether the portal takes codes changes with its connection, not with the session.
        self._codes_timer = QTimer(self)
        self._codes_timer.setObjectName("idle-booking-codes")
        self._codes_timer.setInterval(CODES_POLL_MS)
        self._codes_timer.timeout.connect(self.refresh)

    def refresh(self) -> None:
        takes = self.bridge is not None and self.bridge.takes_booking_codes()
        self.code_button.setVisible(takes)

    def _ask_for_code(self) -> None:
        # The session machine loads after the first paint: this screen must not wait for it.
        from kiosk.session import BookingCodeRequested

        self.send(BookingCodeRequested())

    def retranslate_screen(self) -> None:
        self.title.setText(translate("Idle", "Insert your Carte Vitale"))
        self.body.setText(
            translate(
                "Idle",
                "Chip facing down, into the slot below the screen.\n"
                "A doctor will see you by video.",
            )
        )
        self.hint.setText(translate("Idle", "To change the language, touch it at the top."))
        self.code_button.setText(translate("Idle", "No Carte Vitale? Enter your booking code"))
        self._show_attract()

    def next_attract(self) -> None:
        self._attract_index += 1
        self._show_attract()

    def _show_attract(self) -> None:
        others = [code for code in self.languages if code != self.language]
        if not others or self.translations is None:
            self.attract.setText("")
            self.attract.hide()
            return
        code = others[self._attract_index % len(others)]
        text = self.translations.text(code, "Idle", "Insert your Carte Vitale")
        # The line stands where this screen's lines start (the right in Arabic), its words
        # in their own direction (an isolate): a French line on the Arabic screen included.
        mark = "\u200f" if self.language in RIGHT_TO_LEFT else "\u200e"
        self.attract.setText(f"{mark}\u2068{LANGUAGE_NAMES[code]} — {text}\u2069")
        self.attract.show()

    def showEvent(self, event: QShowEvent | None) -> None:
        super().showEvent(event)
        self._attract_timer.start()
        self._codes_timer.start()
        self.refresh()

    def hideEvent(self, event: QHideEvent | None) -> None:
        self._attract_timer.stop()
        self._codes_timer.stop()
        super().hideEvent(event)
