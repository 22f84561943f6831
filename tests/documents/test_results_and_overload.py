"""An A&D balance's real overload line reaches the results sheet as "no valid measurement"
with the reason, never as the line's digits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from drivers.and_scale import protocol as scale
from drivers.types import DeviceInfo
from kiosk.documents.inputs import ResultsInput
from kiosk.documents.results import compose_results
from tests.documents.conftest import load, pdf_text

PRINTED = datetime(2026, 11, 23, 14, 30, tzinfo=timezone(timedelta(hours=1)))
SCALE = DeviceInfo(id="scale", model="A&D GP-100K", serial="5A0002")


@pytest.mark.parametrize("line", [b"OL,+9999999E+19\r\n", b"OL,-9999999E+19\r\n"])
def test_real_overload_prints_as_no_valid_measurement(line: bytes) -> None:
    reading = scale.decode_reading(
        line, device=SCALE, received_at=datetime(2026, 11, 23, 13, 12, tzinfo=UTC)
    )
    data = load("session.json")
    data["readings"] = [reading.to_json()]  # as the session hands it to the documents
    text = pdf_text(compose_results(ResultsInput.from_json(data), printed_at=PRINTED).pdf)
    row = text[text.index("Poids") : text.index("Page 1/1")]
    # a failed attempt is one short line: what, when, why in words (not the device's row)
    assert row.startswith(
        "Poids — 14:12 — Pas de mesure valide : charge au-delà de la portée de l'appareil "
    ), row
    assert text.count("Pas de mesure valide") == 1
    for digits in ("9999", "E+19", "kg", "Indication de l'appareil"):
        assert digits not in text, digits
