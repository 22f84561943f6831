"""Sizes and colours of the screens: large, calm, high contrast on demand.

Text is at least 24 pt and touch targets at least 15 mm (about 60 px on a 1080p 21" screen;
we use 96 px). These sizes are the 1920×1080 design's: :mod:`ui.scaling` scales them to the
display, so they keep their physical size on a 1280×800 screen too. Colour never carries
meaning alone: states also have a word or a mark.
"""

from __future__ import annotations

from dataclasses import dataclass

from PyQt6.QtGui import QFont

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


def _px(value: int, scale: float) -> int:
    return max(1, round(value * scale))


NORMAL = """
QWidget#screen {{ background: #f4f7fb; }}
QLabel {{ color: #1b2a3a; }}
QLabel#title {{ color: #0b3c6f; }}
QPushButton {{
    background: #ffffff; color: #0b3c6f; border: {b3}px solid #0b3c6f; border-radius: {r14}px;
    padding: {p10}px {p26}px;
}}
QPushButton:pressed {{ background: #dfe9f5; }}
QPushButton:disabled {{ color: #5b6b7b; border-style: dashed; }}
QPushButton[primary="true"] {{ background: #0b3c6f; color: #ffffff; }}
QPushButton[primary="true"]:pressed {{ background: #072849; }}
QPushButton#staff {{ background: #fff1c9; color: #4a3000; border-color: #8a5a00; }}
QPushButton[selected="true"] {{ background: #0b3c6f; color: #ffffff; }}
QPushButton#toggle[on="true"] {{ background: #0b3c6f; color: #ffffff; }}
QFrame#banner {{ background: #fff1c9; border: {b3}px solid #8a5a00; border-radius: {r14}px; }}
QFrame#banner QLabel {{ color: #4a3000; }}
QFrame#panel {{ background: #ffffff; border: {b2}px solid #9fb4cc; border-radius: {r14}px; }}
QLabel#notice {{ background: #e3f1e6; color: #12351c; border: {b3}px solid #2e6b3c;
    border-radius: {r14}px; padding: {p12}px; }}
QLabel#notice[warning="true"] {{ background: #fff1c9; color: #4a3000; border-color: #8a5a00; }}
QLabel#pinDots {{ background: #ffffff; border: {b3}px solid #0b3c6f; border-radius: {r10}px; }}
QTableWidget {{ background: #ffffff; color: #1b2a3a; gridline-color: #9fb4cc; }}
"""

# The main action is filled (yellow, black words), every other button an outline: in high
# contrast, the one thing to press is never mistaken for "call staff" or a language.
HIGH_CONTRAST = """
QWidget#screen {{ background: #000000; }}
QLabel {{ color: #ffffff; }}
QLabel#title {{ color: #ffff00; }}
QPushButton {{
    background: #000000; color: #ffffff; border: {b4}px solid #ffffff; border-radius: {r14}px;
    padding: {p10}px {p26}px;
}}
QPushButton:pressed {{ background: #333333; }}
QPushButton:disabled {{ color: #aaaaaa; border-style: dashed; }}
QPushButton[primary="true"] {{ background: #ffff00; color: #000000; border: {b6}px solid #ffff00; }}
QPushButton[primary="true"]:pressed {{ background: #cccc00; }}
QPushButton[primary="true"]:disabled {{ background: #000000; color: #aaaaaa;
    border: {b4}px dashed #aaaaaa; }}
QPushButton#staff {{ color: #ffff00; border-color: #ffff00; }}
QPushButton[selected="true"] {{ background: #ffffff; color: #000000; }}
QPushButton#toggle[on="true"] {{ background: #ffffff; color: #000000; }}
QFrame#banner {{ background: #000000; border: {b5}px solid #ffff00; border-radius: {r14}px; }}
QFrame#banner QLabel {{ color: #ffff00; }}
QFrame#panel {{ background: #000000; border: {b3}px solid #ffffff; border-radius: {r14}px; }}
QLabel#notice {{ background: #000000; color: #ffff00; border: none;
    border-{start}: {b12}px solid #ffff00; border-radius: 0; padding: {p12}px; }}
QLabel#notice[warning="true"] {{ color: #ffffff; border-{start}-color: #ffffff; }}
QLabel#pinDots {{ background: #000000; border: {b4}px solid #ffffff; border-radius: {r10}px; }}
QTableWidget {{ background: #000000; color: #ffffff; gridline-color: #ffffff; }}
"""


def stylesheet(*, high_contrast: bool, scale: float = 1.0, rtl: bool = False) -> str:
    """The screens' style at ``scale``; a bar that marks where a line starts is on the
    reading side (the right in Arabic: Qt's style sheets know no "start" side)."""
    template = HIGH_CONTRAST if high_contrast else NORMAL
    sizes = {f"b{n}": _px(n, scale) for n in (2, 3, 4, 5, 6, 12)}
    sizes |= {f"r{n}": _px(n, scale) for n in (10, 14)}
    sizes |= {f"p{n}": _px(n, scale) for n in (10, 12, 26)}
    return template.format(start="right" if rtl else "left", **sizes)


def big_font(points: int, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSize(max(points, SMALL_PT))
    font.setBold(bold)
    return font
