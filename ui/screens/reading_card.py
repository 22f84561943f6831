"""Reading the card: keep it in, it takes a few seconds."""

from __future__ import annotations

from ui.i18n import translate
from ui.screens.base import Screen


class ReadingCardScreen(Screen):
    machine_paced = True
    picture_name = "reading"

    def retranslate_screen(self) -> None:
        self.title.setText(translate("ReadingCard", "Reading your card…"))
        self.body.setText(
            translate(
                "ReadingCard", "Please leave the card in the slot.\nThis takes a few seconds."
            )
        )
