"""Consent, in plain words, before any video: yes goes on, no ends the session."""

from __future__ import annotations

from PyQt6.QtWidgets import QWidget

from kiosk.session import ConsentGiven, ConsentRefused
from ui.i18n import translate
from ui.screens.base import Screen


class ConsentScreen(Screen):
    picture_name = "consent"

    def __init__(self, languages: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(languages, parent)
        self.agree_button = self.add_action("agree", primary=True)
        self.refuse_button = self.add_action("refuse")
        self.agree_button.clicked.connect(lambda: self.send(ConsentGiven()))
        self.refuse_button.clicked.connect(lambda: self.send(ConsentRefused()))

    def retranslate_screen(self) -> None:
        self.title.setText(translate("Consent", "Before the video consultation"))
        self.body.setText(
            "\n".join(
                (
                    "• " + translate("Consent", "You will talk with a doctor by video."),
                    "• "
                    + translate(
                        "Consent",
                        "The doctor sees your name, your date of birth, your social security "
                        "number and your measurements.",
                    ),
                    "• "
                    + translate("Consent", "Nothing about you stays in the cabin after you leave."),
                    "• " + translate("Consent", "You can stop at any time."),
                )
            )
        )
        self.agree_button.setText("✓  " + translate("Consent", "Yes, I agree"))
        self.refuse_button.setText("✗  " + translate("Consent", "No, stop here"))
