"""An A&D balance's real overload line reaches the patient's screen as "no valid measurement",
never as the line's digits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from drivers.and_scale import protocol as scale
from drivers.types import DeviceInfo
from ui.i18n import Translations
from ui.readings import ReadingsPanel, reading_lines, reason_text

LINES = [b"OL,+9999999E+19\r\n", b"OL,-9999999E+19\r\n"]


@pytest.fixture
def french(qapp):
    translations = Translations()
    translations.install("fr")
    yield
    translations.uninstall()


def overload(line: bytes):
    return scale.decode_reading(
        line,
        device=DeviceInfo(id="scale", model="A&D GP-100K"),
        received_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def plain(text: str) -> str:
    return text.replace("\u2066", "").replace("\u2069", "")


@pytest.mark.parametrize("line", LINES)
def test_reading_lines_say_no_valid_measurement(french, line: bytes):
    reading = overload(line)
    assert reading.missing == {"weight": "overload"} and not reading.values
    assert [plain(t) for t in reading_lines(reading, "fr")] == [
        "Poids : pas de mesure valable (au-delà de ce que la balance peut peser)"
    ]


@pytest.mark.parametrize("line", LINES)
def test_panel_shows_no_number_for_an_overload(qtbot, french, line: bytes):
    panel = ReadingsPanel()
    qtbot.addWidget(panel)
    panel.set_language("fr")
    panel.set_readings([overload(line)])
    (text,) = [plain(t) for t in panel.texts()]
    assert text.startswith("Poids\nPoids : pas de mesure valable ("), text
    assert reason_text("overload") in text
    for digits in ("9999", "E+19", "kg"):
        assert digits not in text, digits
