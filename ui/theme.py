"""Sizes and colours of the screens: large, calm, high contrast on demand.

Text is at least 24 pt and touch targets at least 15 mm (about 90 px on a 1080p 24" screen).
"""

from __future__ import annotations

TITLE_PT = 40
BODY_PT = 28
BUTTON_PT = 26
MIN_TOUCH_PX = 96

NORMAL = """
QWidget#screen { background: #f4f7fb; }
QLabel { color: #1b2a3a; }
QLabel#title { color: #0b3c6f; }
QPushButton {
    background: #ffffff; color: #0b3c6f; border: 3px solid #0b3c6f; border-radius: 14px;
    padding: 12px 28px;
}
QPushButton:pressed { background: #dfe9f5; }
QPushButton#staff { background: #fff4d6; color: #5a3b00; border-color: #8a5a00; }
QPushButton[selected="true"] { background: #0b3c6f; color: #ffffff; }
"""

HIGH_CONTRAST = """
QWidget#screen { background: #000000; }
QLabel { color: #ffffff; }
QLabel#title { color: #ffff00; }
QPushButton {
    background: #000000; color: #ffffff; border: 4px solid #ffffff; border-radius: 14px;
    padding: 12px 28px;
}
QPushButton:pressed { background: #333333; }
QPushButton#staff { color: #ffff00; border-color: #ffff00; }
QPushButton[selected="true"] { background: #ffffff; color: #000000; }
"""


def stylesheet(*, high_contrast: bool) -> str:
    return HIGH_CONTRAST if high_contrast else NORMAL
