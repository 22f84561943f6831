"""Sizes and colours of the screens: large, calm, high contrast on demand.

Text is at least 24 pt and touch targets at least 15 mm (about 60 px on a 1080p 21" screen;
we use 96 px). Colour never carries meaning alone: states also have a word or a mark.
"""

from __future__ import annotations

from dataclasses import dataclass

TITLE_PT = 40
BODY_PT = 28
BUTTON_PT = 26
SMALL_PT = 24  # the smallest text anywhere on a patient screen
MIN_TOUCH_PX = 96


@dataclass(frozen=True)
class Colours:
    background: str
    text: str
    title: str
    accent: str  # lines of the drawings, primary buttons
    soft: str  # fills of the drawings, panels
    warn: str  # warning banner background
    warn_text: str


NORMAL_COLOURS = Colours(
    background="#f4f7fb",
    text="#1b2a3a",
    title="#0b3c6f",
    accent="#0b3c6f",
    soft="#dce7f3",
    warn="#fff1c9",
    warn_text="#4a3000",
)
HIGH_CONTRAST_COLOURS = Colours(
    background="#000000",
    text="#ffffff",
    title="#ffff00",
    accent="#ffff00",
    soft="#000000",
    warn="#000000",
    warn_text="#ffff00",
)


def colours(*, high_contrast: bool) -> Colours:
    return HIGH_CONTRAST_COLOURS if high_contrast else NORMAL_COLOURS


NORMAL = """
QWidget#screen { background: #f4f7fb; }
QLabel { color: #1b2a3a; }
QLabel#title { color: #0b3c6f; }
QPushButton {
    background: #ffffff; color: #0b3c6f; border: 3px solid #0b3c6f; border-radius: 14px;
    padding: 10px 26px;
}
QPushButton:pressed { background: #dfe9f5; }
QPushButton:disabled { color: #5b6b7b; border-style: dashed; }
QPushButton[primary="true"] { background: #0b3c6f; color: #ffffff; }
QPushButton[primary="true"]:pressed { background: #072849; }
QPushButton#staff { background: #fff1c9; color: #4a3000; border-color: #8a5a00; }
QPushButton[selected="true"] { background: #0b3c6f; color: #ffffff; }
QPushButton#toggle[on="true"] { background: #0b3c6f; color: #ffffff; }
QFrame#banner { background: #fff1c9; border: 3px solid #8a5a00; border-radius: 14px; }
QFrame#banner QLabel { color: #4a3000; }
QFrame#panel { background: #ffffff; border: 2px solid #9fb4cc; border-radius: 14px; }
QLabel#notice { background: #e3f1e6; color: #12351c; border: 3px solid #2e6b3c;
    border-radius: 14px; padding: 12px; }
QLabel#notice[warning="true"] { background: #fff1c9; color: #4a3000; border-color: #8a5a00; }
QLabel#pinDots { background: #ffffff; border: 3px solid #0b3c6f; border-radius: 10px; }
QTableWidget { background: #ffffff; color: #1b2a3a; gridline-color: #9fb4cc; }
"""

HIGH_CONTRAST = """
QWidget#screen { background: #000000; }
QLabel { color: #ffffff; }
QLabel#title { color: #ffff00; }
QPushButton {
    background: #000000; color: #ffffff; border: 4px solid #ffffff; border-radius: 14px;
    padding: 10px 26px;
}
QPushButton:pressed { background: #333333; }
QPushButton:disabled { color: #aaaaaa; border-style: dashed; }
QPushButton[primary="true"] { color: #ffff00; border-color: #ffff00; border-width: 6px; }
QPushButton#staff { color: #ffff00; border-color: #ffff00; }
QPushButton[selected="true"] { background: #ffffff; color: #000000; }
QPushButton#toggle[on="true"] { background: #ffffff; color: #000000; }
QFrame#banner { background: #000000; border: 5px solid #ffff00; border-radius: 14px; }
QFrame#banner QLabel { color: #ffff00; }
QFrame#panel { background: #000000; border: 3px solid #ffffff; border-radius: 14px; }
QLabel#notice { background: #000000; color: #ffff00; border: none;
    border-left: 12px solid #ffff00; border-radius: 0; padding: 12px; }
QLabel#notice[warning="true"] { color: #ffffff; border-left-color: #ffffff; }
QLabel#pinDots { background: #000000; border: 4px solid #ffffff; border-radius: 10px; }
QTableWidget { background: #000000; color: #ffffff; gridline-color: #ffffff; }
"""


def stylesheet(*, high_contrast: bool) -> str:
    return HIGH_CONTRAST if high_contrast else NORMAL
