"""The live readings panel, and how a reading is written for the patient.

A value the device could not measure is never shown as a number: it reads "no valid
measurement" with the device's reason in plain words.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QPaintEvent
from PyQt6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from kiosk.domain import Reading, ReadingKind, Unit
from ui import scaling, theme
from ui.i18n import translate
from ui.theme import big_font
from ui.widgets import wrap_text

UNIT_TEXT = {unit: unit.symbol for unit in Unit}
#: Readings shown at most (newest first).
MAX_SHOWN = 3
#: Languages writing decimals with a comma.
DECIMAL_COMMA = frozenset({"fr", "es"})


def kind_text(kind: ReadingKind | str) -> str:
    names = {
        ReadingKind.BLOOD_PRESSURE: translate("Readings", "Blood pressure"),
        ReadingKind.CUFF_PRESSURE: translate("Readings", "Cuff pressure"),
        ReadingKind.TEMPERATURE: translate("Readings", "Temperature"),
        ReadingKind.WEIGHT: translate("Readings", "Weight"),
        ReadingKind.BODY_COMPOSITION: translate("Readings", "Body composition"),
        ReadingKind.SPO2: translate("Readings", "Blood oxygen"),
    }
    try:
        return names[ReadingKind(kind)]
    except ValueError:
        return str(kind)


def value_name(name: str) -> str:
    names = {
        "systolic": translate("Readings", "Systolic"),
        "diastolic": translate("Readings", "Diastolic"),
        "mean": translate("Readings", "Mean pressure"),
        "pulse": translate("Readings", "Pulse"),
        "spo2": translate("Readings", "Oxygen"),
        "temperature": translate("Readings", "Temperature"),
        "weight": translate("Readings", "Weight"),
        "cuff": translate("Readings", "Cuff"),
        "bmi": translate("Readings", "Body mass index"),
        "fat": translate("Readings", "Body fat"),
    }
    return names.get(name, name)


def reason_text(reason: str) -> str:
    reasons = {
        "no_value": translate("Readings", "the device gave no value"),
        "out_of_range": translate("Readings", "outside what the device can measure"),
        "weak_signal": translate("Readings", "the signal was too weak"),
        "artifact": translate("Readings", "the arm moved during the measurement"),
        "time_limit_exceeded": translate("Readings", "the measurement took too long"),
        "blockage": translate("Readings", "the cuff tube is blocked"),
        "aborted": translate("Readings", "the measurement was stopped"),
        "air_leak_or_loose_cuff": translate("Readings", "the cuff is loose or leaking"),
        "safety_timeout": translate("Readings", "the measurement took too long"),
        "overpressure": translate("Readings", "the cuff pressure was too high"),
        "unstable": translate("Readings", "the value was not stable"),
        "overload": translate("Readings", "more than the scale can weigh"),
    }
    if reason in reasons:
        return reasons[reason]
    return translate("Readings", "device code {code}").format(code=reason or "?")


def number_text(value: float, language: str, *, decimals: int | None = None) -> str:
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if language in DECIMAL_COMMA else text


def _decimals(kind: ReadingKind) -> int | None:
    return 1 if kind in (ReadingKind.TEMPERATURE, ReadingKind.WEIGHT) else None


#: The value a patient looks for first, per kind.
PRIMARY = {
    ReadingKind.BLOOD_PRESSURE: ("systolic", "diastolic"),
    ReadingKind.SPO2: ("spo2",),
    ReadingKind.TEMPERATURE: ("temperature",),
    ReadingKind.WEIGHT: ("weight",),
    ReadingKind.CUFF_PRESSURE: ("cuff",),
}


def ltr(text: str) -> str:
    """``text`` kept left-to-right inside any paragraph: in Arabic, "132 / 84 mmHg" must not
    come out as "84 / 132" (Unicode directional isolate)."""
    return f"\u2066{text}\u2069"


def _value(reading: Reading, name: str, language: str) -> str:
    unit = reading.unit_of(name)
    number = number_text(reading.values[name], language, decimals=_decimals(reading.kind))
    return ltr(f"{number} {UNIT_TEXT.get(unit, str(unit))}".strip())


def reading_lines(reading: Reading, language: str) -> list[str]:
    """The lines the patient reads for ``reading``: the main value first, each with its unit;
    a value the device could not measure says so, with the reason, and shows no number."""
    lines: list[str] = []
    primary = PRIMARY.get(reading.kind, ())
    names = [n for n in primary if n in reading.values or n in reading.missing]
    names += [n for n in (*reading.values, *reading.missing) if n not in names]
    done: set[str] = set()
    if "systolic" in reading.values and "diastolic" in reading.values:
        unit = UNIT_TEXT.get(reading.unit_of("systolic"), "")
        sys_ = number_text(reading.values["systolic"], language)
        dia = number_text(reading.values["diastolic"], language)
        lines.append(ltr(f"{sys_} / {dia} {unit}".strip()))
        done = {"systolic", "diastolic"}
    for name in names:
        if name in done:
            continue
        if name in reading.values:
            lines.append(
                translate("Readings", "{name}: {value}").format(
                    name=value_name(name), value=_value(reading, name, language)
                )
            )
        else:
            lines.append(
                translate("Readings", "{name}: no valid measurement ({reason})").format(
                    name=value_name(name), reason=reason_text(reading.missing[name])
                )
            )
    return lines


def device_name(kind: ReadingKind | str) -> str:
    """The instrument measuring ``kind``, named as a patient names it (never its id in the
    cabin's configuration)."""
    names = {
        ReadingKind.BLOOD_PRESSURE: translate("Readings", "blood pressure monitor"),
        ReadingKind.CUFF_PRESSURE: translate("Readings", "blood pressure monitor"),
        ReadingKind.TEMPERATURE: translate("Readings", "thermometer"),
        ReadingKind.WEIGHT: translate("Readings", "scale"),
        ReadingKind.BODY_COMPOSITION: translate("Readings", "scale"),
        ReadingKind.SPO2: translate("Readings", "pulse oximeter"),
    }
    try:
        return names[ReadingKind(kind)]
    except ValueError:
        return translate("Readings", "measuring device")


def device_text(reading: Reading) -> str:
    device = device_name(reading.kind)
    if reading.device.model:
        # The model, as printed on the device, is a name: kept left to right.
        model = reading.device.model.replace(" ", "\u00a0")  # one piece, never wrapped
        device = f"{device} ({ltr(model)})"
    return translate("Readings", "Device: {device}").format(device=device)


def _block(heading: str, lines: list[str], device: str) -> str:
    body = "<br>".join(html.escape(line) for line in lines)
    return (
        f"<b>{html.escape(heading)}</b><br>{body}<br>"
        f"<span style='font-style:italic'>{html.escape(device)}</span>"
    )


class ReadingsPanel(QFrame):
    """The session's readings, newest last, and the one being measured now."""

    #: The panel was painted (benchmarks: reading arrived -> visible).
    painted = pyqtSignal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.language = "fr"
        self._readings: list[Reading] = []
        self._live: Reading | None = None
        self.heading = QLabel(objectName="panelTitle")
        self.heading.setFont(big_font(theme.BODY_PT, bold=True))
        self.rows: list[QLabel] = []
        self._pool: list[QLabel] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(24, 18, 24, 18)
        self._layout.setSpacing(8)
        self._layout.addWidget(self.heading)
        self._layout.addStretch(1)
        self.retranslate()

    def set_readings(
        self,
        readings: Sequence[Reading],
        *,
        live: Reading | None = None,
        kinds: frozenset[str] | None = None,
        limit: int = MAX_SHOWN,
    ) -> None:
        """Show the newest ``limit`` of ``readings`` (only of ``kinds`` when given) and the
        one being measured now."""
        self._readings = [r for r in readings if kinds is None or r.kind.value in kinds][-limit:]
        self._live = live if live is not None and live.intermediate else None
        self._rebuild()

    def set_language(self, language: str) -> None:
        self.language = language
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(translate("Readings", "Your measurements"))
        self._rebuild()

    def texts(self) -> list[str]:
        """What the rows say, as plain text."""
        out = []
        for row in self.rows:
            text = re.sub(r"<[^>]+>", "", row.text().replace("<br>", "\n"))
            out.append(html.unescape(text))
        return out

    def _rebuild(self) -> None:
        blocks: list[str] = []
        if self._live is not None:
            blocks.append(
                _block(
                    translate("Readings", "Measuring now"),
                    reading_lines(self._live, self.language),
                    device_text(self._live),
                )
            )
        for reading in reversed(self._readings):
            blocks.append(
                _block(
                    kind_text(reading.kind),
                    reading_lines(reading, self.language),
                    device_text(reading),
                )
            )
        if not blocks:
            blocks.append(html.escape(translate("Readings", "No measurement yet.")))
        # Rows are kept and reused: a reading arriving only changes texts (fast to show).
        while len(self._pool) < len(blocks):
            row = QLabel(objectName="readingRow")
            row.setFont(big_font(theme.SMALL_PT))
            wrap_text(row)
            row.setTextFormat(Qt.TextFormat.RichText)
            scaling.apply_scale(row, scaling.scale_of(self))
            self._layout.insertWidget(self._layout.count() - 1, row)
            self._pool.append(row)
        for row, text in zip(self._pool, blocks, strict=False):
            if row.text() != text:
                row.setText(text)
            row.show()
        for row in self._pool[len(blocks) :]:
            row.hide()
        self.rows = self._pool[: len(blocks)]

    def paintEvent(self, event: QPaintEvent | None) -> None:
        super().paintEvent(event)
        self.painted.emit()
