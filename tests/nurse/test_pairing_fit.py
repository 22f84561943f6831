"""The nurse's "Appareils" page (the list, a device paired, a cuff bonded to a phone) fits
every display in every language, normal and high contrast: no text cut, nothing overlapping."""

from __future__ import annotations

from typing import Any

import pytest

from harness import screenshot_states
from kiosk.config import LANGUAGES
from tests.ui.test_screen_sizes import SIZES, Checker


class PairingChecker(Checker):
    """The mallette's sign-in then its devices page, checked for the devices page only."""

    def _scenario(self, kiosk: Any, language: str):
        kiosk.bridge.on_language(language)
        for _ in screenshot_states.mallette(kiosk, language):
            pass  # signs the nurse in
        yield from screenshot_states.nurse_devices(kiosk, language)


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_devices_page_fits(qapp, tmp_path, size):
    checker = PairingChecker(tmp_path, size=size)
    checker.run()
    assert len(checker.checked) == 3 * 2 * len(LANGUAGES)
    assert not checker.problems, "\n".join(checker.problems[:40])
