"""The end: take your card and your papers."""

from __future__ import annotations

from PyQt6.QtWidgets import QWidget

from kiosk.session import EndSession
from ui.i18n import translate
from ui.screens.base import Screen


class GoodbyeScreen(Screen):
    picture_name = "goodbye"

    def __init__(self, languages: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(languages, parent)
        self.done_button = self.add_action("done", primary=True)
        self.done_button.clicked.connect(lambda: self.send(EndSession()))

    def retranslate_screen(self) -> None:
        self.title.setText(translate("Goodbye", "The consultation is over"))
        self.body.setText(
            translate(
                "Goodbye",
                "Take your Carte Vitale and your papers.\n"
                "Everything about you will now be erased from the cabin.\nTake care!",
            )
        )
        self.done_button.setText("✓  " + translate("Goodbye", "I have taken everything"))
