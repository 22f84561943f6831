"""The nurse's screens fit every display (landscape 1280×800 and 1920×1080, portrait
1080×1920) in every language, normal and high contrast: no text cut, nothing overlapping."""

from __future__ import annotations

from typing import Any

import pytest

from harness import screenshot_states
from kiosk.config import LANGUAGES
from tests.ui.test_screen_sizes import SIZES, Checker


class NurseChecker(Checker):
    """Only the mallette's part of the screenshots' session."""

    def _scenario(self, kiosk: Any, language: str):
        kiosk.bridge.on_language(language)
        yield from screenshot_states.mallette(kiosk, language)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_nurses_screens_fit(qapp, tmp_path, size):
    checker = NurseChecker(tmp_path, size=size)
    checker.run()
    assert len(checker.checked) == 6 * 2 * len(LANGUAGES)
    assert not checker.problems, "\n".join(checker.problems[:40])
