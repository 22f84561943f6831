"""The consent screen, which in a mallette also says the nurse is there: the patient's
consent is recorded with them present (the same screen as a cabin's otherwise)."""

from __future__ import annotations

from ui.i18n import translate
from ui.screens.consent import ConsentScreen
from ui.screens.nurse_signin import profession_name


class AssistedConsentScreen(ConsentScreen):
    def refresh(self) -> None:
        self.retranslate()

    def retranslate_screen(self) -> None:
        super().retranslate_screen()
        data = self.bridge.session.data if self.bridge is not None else None
        assistance = data.assistance if data is not None else None
        if assistance is None:
            return
        nurse = assistance.nurse
        present = translate(
            "Nurse", "Your answer is recorded with {name} ({profession}) present."
        ).format(name=nurse.name, profession=profession_name(nurse.profession))
        self.body.setText(self.body.text() + "\n• " + present)
