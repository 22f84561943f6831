"""Printing the results and the prescription."""

from __future__ import annotations

from ui.i18n import translate
from ui.screens.base import Screen


class PrintingScreen(Screen):
    machine_paced = True
    picture_name = "printer"

    def retranslate_screen(self) -> None:
        self.title.setText(translate("Printing", "Printing your documents…"))
        self.body.setText(
            translate(
                "Printing",
                "Your papers come out of the printer below the screen.\n"
                "Please wait until they are all printed.",
            )
        )
