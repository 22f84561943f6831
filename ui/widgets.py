"""The widgets every screen builds the same way: large buttons and wrapped text, in the sizes
of :mod:`ui.theme`, recorded for :mod:`ui.scaling`; and box layouts turned for portrait."""

from __future__ import annotations

from PyQt6.QtWidgets import QBoxLayout, QLabel, QPushButton, QWidget

from ui import scaling, theme
from ui.theme import big_font


def big_button(name: str, *, primary: bool = False, parent: QWidget | None = None) -> QPushButton:
    button = QPushButton(parent, objectName=name)
    button.setProperty("primary", primary)
    scaling.set_font(button, big_font(theme.BUTTON_PT, bold=primary))
    button.setMinimumHeight(theme.MIN_TOUCH_PX)
    button.setMinimumWidth(theme.MIN_TOUCH_PX * 2)
    return button


#: Room beside wrapped text: a glyph may stick out of its advance at a line's end (an
#: Arabic final letter's tail, an italic), and a label cuts what passes its sides.
TEXT_SIDE_PX = 10


def wrap_text(label: QLabel) -> QLabel:
    """Make ``label`` wrap its words, with room at its sides for the glyphs' ink."""
    label.setWordWrap(True)
    label.setContentsMargins(TEXT_SIDE_PX, 0, TEXT_SIDE_PX, 0)
    return label


def text_label(points: int = theme.BODY_PT, *, name: str = "", bold: bool = False) -> QLabel:
    label = QLabel(objectName=name or "text")
    scaling.set_font(label, big_font(points, bold=bold))
    return wrap_text(label)


def set_direction(layout: QBoxLayout, *, horizontal: bool) -> None:
    direction = QBoxLayout.Direction.LeftToRight if horizontal else QBoxLayout.Direction.TopToBottom
    if layout.direction() is not direction:
        layout.setDirection(direction)
