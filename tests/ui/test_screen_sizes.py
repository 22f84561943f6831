"""Every screen fits every display a cabin or a borne has: landscape 1280×800 and
1920×1080, portrait 1080×1920; in every language, normal and high contrast, no text is cut
(measured with the font's metrics against the room its widget has), nothing overlaps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtWidgets import QApplication

from harness.screenshots import Shooter
from kiosk.config import LANGUAGES
from tests.ui.helpers import layout_problems

SIZES = ((1280, 800), (1920, 1080), (1080, 1920))


class Checker(Shooter):
    """The screenshots' whole session, checking each screen instead of saving it."""

    def __init__(self, out: Path, *, size: tuple[int, int]) -> None:
        super().__init__(out, size=size, languages=LANGUAGES)
        self.problems: list[str] = []
        self.checked: list[str] = []

    def _save(self, app: Any, kiosk: Any, name: str) -> None:
        app.processEvents()
        app.processEvents()  # a row that stacked asks for a second layout pass
        screen = kiosk.window.stack.currentWidget()
        assert screen.size() == kiosk.window.size(), name
        self.checked.append(name)
        self.problems += [f"{name}: {problem}" for problem in layout_problems(screen)]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_no_text_is_cut_and_nothing_overlaps(qapp, tmp_path, size):
    checker = Checker(tmp_path, size=size)
    checker.run()
    assert len(checker.checked) >= 30 * 2 * len(LANGUAGES)
    assert not checker.problems, "\n".join(checker.problems[:40])


def test_the_checker_sees_a_cut_button(qtbot):
    from PyQt6.QtWidgets import QPushButton, QVBoxLayout, QWidget

    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    button = QPushButton("Appeler le personnel, s'il vous plaît, maintenant")
    button.setFixedWidth(120)
    layout.addWidget(button)
    root.resize(400, 200)
    root.show()
    QApplication.processEvents()
    assert any("cut" in p for p in layout_problems(root))
