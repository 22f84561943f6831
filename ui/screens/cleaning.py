"""Cleaning between patients; staff confirms when the cabin is ready."""

from __future__ import annotations

from PyQt6.QtWidgets import QWidget

from kiosk.session import CleaningConfirmed
from ui.i18n import translate
from ui.screens.base import Screen


class CleaningScreen(Screen):
    picture_name = "cleaning"

    def __init__(self, languages: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(languages, parent)
        self.confirm_button = self.add_action("cleaned")
        self.confirm_button.clicked.connect(lambda: self.send(CleaningConfirmed()))

    def retranslate_screen(self) -> None:
        self.title.setText(translate("Cleaning", "The cabin is being cleaned"))
        self.body.setText(
            translate("Cleaning", "Please wait a moment.\nThe next person can come in soon.")
        )
        self.confirm_button.setText(translate("Cleaning", "Staff only: cleaning done"))
