"""How a reading is written for the patient: units, decimals, the main value first, and a
value the device could not measure never shown as a number."""

from __future__ import annotations

import pytest

from kiosk.domain import ReadingKind, Unit
from tests.ui.helpers import reading
from ui.i18n import Translations
from ui.readings import ReadingsPanel, reading_lines


@pytest.fixture
def french(qapp):
    translations = Translations()
    translations.install("fr")
    yield
    translations.uninstall()


def plain(lines: list[str]) -> list[str]:
    return [line.replace("\u2066", "").replace("\u2069", "") for line in lines]


def test_blood_pressure_first_then_pulse(french):
    r = reading(
        "blood_pressure",
        {"pulse": 64, "diastolic": 79, "systolic": 128},
        units={"pulse": Unit.PER_MINUTE},
    )
    assert plain(reading_lines(r, "fr")) == ["128 / 79 mmHg", "Pouls : 64 /min"]


def test_decimals_follow_the_language(french):
    r = reading("temperature", {"temperature": 37.25}, unit=Unit.CELSIUS)
    assert plain(reading_lines(r, "fr")) == ["Température : 37,2 °C"]
    assert plain(reading_lines(r, "en"))[0].endswith("37.2 °C")
    w = reading("weight", {"weight": 70.0}, unit=Unit.KG)
    assert plain(reading_lines(w, "es"))[0].endswith("70,0 kg")


def test_missing_value_is_words_with_the_reason(french):
    r = reading(
        "spo2",
        {"pulse": 88},
        missing={"spo2": "weak_signal"},
        units={"pulse": Unit.PER_MINUTE},
        unit=Unit.PERCENT,
    )
    lines = plain(reading_lines(r, "fr"))
    assert lines[0] == "Oxygène : pas de mesure valable (le signal était trop faible)"
    assert lines[1] == "Pouls : 88 /min"
    unknown = reading("spo2", {}, missing={"spo2": "E42"}, unit=Unit.PERCENT)
    assert plain(reading_lines(unknown, "fr")) == [
        "Oxygène : pas de mesure valable (code de l'appareil E42)"
    ]


def test_panel_shows_the_newest_first_and_the_live_cuff(qtbot, french):
    panel = ReadingsPanel()
    qtbot.addWidget(panel)
    panel.set_language("fr")
    assert panel.texts() == ["Pas encore de mesure."]
    older = reading("temperature", {"temperature": 36.8}, unit=Unit.CELSIUS)
    newer = reading("weight", {"weight": 81.4}, unit=Unit.KG)
    live = reading("cuff_pressure", {"cuff": 120}, intermediate=True)
    panel.set_readings([older, newer], live=live)
    texts = [t.replace("\u2066", "").replace("\u2069", "") for t in panel.texts()]
    assert texts[0].startswith("Mesure en cours\nBrassard : 120 mmHg")
    assert texts[1].startswith("Poids\nPoids : 81,4 kg")
    assert texts[2].startswith("Température\n")
    panel.set_readings([older], kinds=frozenset({ReadingKind.WEIGHT.value}))
    assert panel.texts() == ["Pas encore de mesure."]
