"""Shared helpers of the UI tests: what a screen shows, and a fictitious patient's data."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from PyQt6.QtCore import QPoint, QRect, Qt
from PyQt6.QtGui import QColor, QTextDocument
from PyQt6.QtWidgets import (
    QAbstractScrollArea,
    QLabel,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from kiosk.domain import Beneficiary, DeviceInfo, Reading, ReadingKind, Unit
from ui import scaling, theme


def visible_texts(widget: QWidget) -> list[str]:
    out = []
    for child in widget.findChildren(QLabel) + widget.findChildren(QPushButton):
        if child.isVisibleTo(widget) and child.text():
            out.append(child.text())
    return out


def all_text(widget: QWidget) -> str:
    return "\n".join(visible_texts(widget))


def touch_px(widget: QWidget) -> int:
    """The smallest touch target on ``widget``'s screen, at the scale it is shown at (96 px
    at 1920×1080: the same physical size on a 1280×800 screen of the same diagonal)."""
    return scaling.px(theme.MIN_TOUCH_PX, scaling.scale_of(widget))


def smallest_pt(widget: QWidget) -> float:
    """The smallest text size on ``widget``'s screen, at its scale (24 pt at 1920×1080)."""
    return theme.SMALL_PT * scaling.scale_of(widget) - 0.01


def click(qtbot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


FAMILY = (
    Beneficiary(
        last_name="DUPONT", first_name="Anne", birth_date="19450704", nir="245077512345612", rank=1
    ),
    Beneficiary(
        last_name="DUPONT", first_name="Marc", birth_date="19430000", nir="143007512345612", rank=2
    ),
)


def reading(kind: str, values: dict, *, missing=None, units=None, unit=Unit.MM_HG, **kw) -> Reading:
    return Reading(
        kind=ReadingKind(kind),
        unit=unit,
        values=values,
        missing=missing or {},
        units=units or {},
        device=DeviceInfo(id="tensio-1", model="SunTech Advantage"),
        received_at=datetime(2026, 1, 1, tzinfo=UTC),
        **kw,
    )


def _text_size_needed(widget: QWidget, room: QRect) -> tuple[int, int]:
    """The width and height the widget's text takes when laid out in ``room``'s width."""
    metrics = widget.fontMetrics()
    if isinstance(widget, QPushButton):
        size = metrics.size(Qt.TextFlag.TextShowMnemonic, widget.text())
        return size.width(), size.height()
    assert isinstance(widget, QLabel)
    text = widget.text()
    rich = widget.textFormat() is Qt.TextFormat.RichText or (
        widget.textFormat() is Qt.TextFormat.AutoText and Qt.mightBeRichText(text)
    )
    if rich:
        doc = QTextDocument()
        doc.setDefaultFont(widget.font())
        doc.setDocumentMargin(0)
        doc.setHtml(text)
        if widget.wordWrap():
            doc.setTextWidth(room.width())
        return math.ceil(doc.idealWidth()), math.ceil(doc.size().height())
    flags = int(widget.alignment().value)
    if widget.wordWrap():
        flags |= Qt.TextFlag.TextWordWrap.value
    box = metrics.boundingRect(QRect(0, 0, room.width(), 10**6), flags, text)
    return box.width(), box.height()


def _text_room(widget: QWidget) -> QRect:
    """Where the widget draws its text: a button's box less its border and padding."""
    if isinstance(widget, QPushButton):
        option = QStyleOptionButton()
        widget.initStyleOption(option)
        style = widget.style()
        assert style is not None
        return style.subElementRect(QStyle.SubElement.SE_PushButtonContents, option, widget)
    return widget.contentsRect()


def ink_at_the_sides(label: QLabel) -> bool:
    """Whether the word-wrapped ``label``'s drawing reaches its left or right edge: a glyph
    sticking out of its advance (an Arabic final letter's tail, an italic) is cut there even
    when the advances fit. (A border drawn along a whole side is no ink.)"""
    if label.frameWidth() > 0:
        return False  # a box (border, padding) keeps its text off the sides
    image = label.grab().toImage()
    if image.width() < 3 or image.height() < 3:
        return False
    for x in (0, image.width() - 1):
        column = [QColor(image.pixel(x, y)) for y in range(image.height())]
        names = [c.name() for c in column]
        background = QColor(max(set(names), key=names.count))
        if any(abs(c.lightness() - background.lightness()) > 60 for c in column):
            return True
    return False


def _in_scroll_area(widget: QWidget, root: QWidget) -> bool:
    # A table's own parts (viewport, headers, scroll bars) are the table's business.
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def layout_problems(root: QWidget) -> list[str]:
    """What a patient would see cut or overlapping on ``root`` as laid out now: a label's or
    a button's text larger than the room it has (measured with its font's metrics), a
    widget reaching out of the screen, two widgets over each other."""
    problems = []
    frame = root.rect()
    shown: list[tuple[QWidget, QRect]] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.width() <= 0 or _in_scroll_area(widget, root):
            continue
        where = QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())
        name = widget.objectName() or type(widget).__name__
        if isinstance(widget, QLabel | QPushButton) and widget.text():
            room = _text_room(widget)
            width, height = _text_size_needed(widget, room)
            if width > room.width() + 1 or height > room.height() + 1:
                problems.append(
                    f"{name} cut: {widget.text()!r} needs {width}x{height}, "
                    f"has {room.width()}x{room.height()}"
                )
            elif isinstance(widget, QLabel) and widget.wordWrap() and ink_at_the_sides(widget):
                problems.append(f"{name} cut at a side: {widget.text()!r}")
        if not frame.contains(where):
            problems.append(f"{name} out of the screen: {where} not in {frame}")
        if isinstance(widget, QLabel | QPushButton) or not widget.findChildren(QWidget):
            shown.append((widget, where))
    for i, (one, one_at) in enumerate(shown):
        for other, other_at in shown[i + 1 :]:
            if one.isAncestorOf(other) or other.isAncestorOf(one):
                continue
            if one_at.intersects(other_at):
                problems.append(
                    f"{one.objectName() or type(one).__name__} over "
                    f"{other.objectName() or type(other).__name__}: {one_at} {other_at}"
                )
    return problems
