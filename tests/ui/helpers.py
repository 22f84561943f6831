"""Shared helpers of the UI tests: what a screen shows, and a fictitious patient's data."""

from __future__ import annotations

from datetime import UTC, datetime

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QLabel, QPushButton, QWidget

from kiosk.domain import Beneficiary, DeviceInfo, Reading, ReadingKind, Unit


def visible_texts(widget: QWidget) -> list[str]:
    out = []
    for child in widget.findChildren(QLabel) + widget.findChildren(QPushButton):
        if child.isVisibleTo(widget) and child.text():
            out.append(child.text())
    return out


def all_text(widget: QWidget) -> str:
    return "\n".join(visible_texts(widget))


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
