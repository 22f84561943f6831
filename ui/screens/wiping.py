"""The session's data being erased (a moment, between goodbye and cleaning)."""

from __future__ import annotations

from ui.i18n import translate
from ui.screens.base import Screen


class WipingScreen(Screen):
    machine_paced = True
    picture_name = "wiping"

    def retranslate_screen(self) -> None:
        self.title.setText(translate("Wiping", "Erasing the consultation's data…"))
        self.body.setText(translate("Wiping", "Nothing about you stays in the cabin."))
