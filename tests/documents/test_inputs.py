"""The JSON inputs: every mandatory field checked, each error naming its field."""

from __future__ import annotations

import base64
import copy
import io

import pytest
from PIL import Image

from kiosk.documents.errors import DocumentInputError
from kiosk.documents.inputs import Prescription, ResultsInput
from tests.documents.conftest import load


def rx(**changes: object) -> dict[str, object]:
    data = copy.deepcopy(load("prescription.json"))
    data.update(changes)
    return data


def test_prescription_parses():
    p = Prescription.from_json(rx())
    assert p.id == "RX-2026-11-23-0001"
    assert p.patient.birth_date == "07/03/1941"
    assert p.patient.sex_label == "Féminin"
    assert p.patient.weight_kg == 61.5
    assert [line.renewals for line in p.lines] == [0, 2]
    assert "Dupré" not in repr(p) and "Dupré" not in repr(p.patient)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (("id",), "id: missing"),
        (("date",), "date: missing"),
        (("prescriber", "rpps"), "prescriber.rpps: missing"),
        (("prescriber", "name"), "prescriber.name: missing"),
        (("prescriber", "specialty"), "prescriber.specialty: missing"),
        (("prescriber", "address"), "prescriber.address: missing"),
        (("prescriber", "phone"), "prescriber.phone: missing"),
        (("prescriber", "email"), "prescriber.email: missing"),
        (("patient", "last_name"), "patient.last_name: missing"),
        (("patient", "first_name"), "patient.first_name: missing"),
        (("patient", "sex"), "patient.sex: missing"),
        (("patient", "birth_date"), "patient.birth_date: missing"),
        (("lines", 1, "medicine"), r"lines\[1\].medicine: missing"),
        (("lines", 0, "dose"), r"lines\[0\].dose: missing"),
        (("prescriber",), "prescriber: must be a JSON object"),
        (("lines",), "lines: missing"),
    ],
)
def test_missing_mandatory_field_is_named(path: tuple[object, ...], message: str):
    data = rx()
    target: object = data
    for key in path[:-1]:
        target = target[key]  # type: ignore[index]
    del target[path[-1]]  # type: ignore[attr-defined]
    with pytest.raises(DocumentInputError, match=message):
        Prescription.from_json(data)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date": "23/11/2026"}, "date: not a date"),
        ({"id": "RX 1 <b>"}, "id: letters"),
        ({"lines": []}, "lines: missing"),
        ({"lines": [{"medicine": "A", "dose": "1"}]}, r"lines\[0\].duration: missing"),
        (
            {"lines": [{"medicine": "A", "dose": "1", "duration": "2 j", "renewals": -1}]},
            "renewals",
        ),
        ({"lines": [{"medicine": ["A"], "dose": "1", "duration": "2 j"}]}, "must be text"),
    ],
)
def test_bad_values_are_named(changes: dict[str, object], message: str):
    with pytest.raises(DocumentInputError, match=message):
        Prescription.from_json(rx(**changes))


def test_bad_rpps_sex_email_weight():
    for key, value, message in [
        ("rpps", "1234", "prescriber.rpps: must be the 11 digits"),
        ("email", "nowhere", "prescriber.email: not an e-mail"),
    ]:
        data = rx()
        data["prescriber"][key] = value  # type: ignore[index]
        with pytest.raises(DocumentInputError, match=message):
            Prescription.from_json(data)
    for key, value, message in [
        ("sex", "Z", "patient.sex: must be one of F, M"),
        ("weight_kg", "heavy", "patient.weight_kg: must be a positive number"),
        ("birth_date", "07/03/1941", "patient.birth_date: not a date"),
        ("birth_date", "19411307", "patient.birth_date: not a date"),
    ]:
        data = rx()
        data["patient"][key] = value  # type: ignore[index]
        with pytest.raises(DocumentInputError, match=message):
            Prescription.from_json(data)


def test_lunar_birth_date_is_kept_as_the_card_says():
    data = rx()
    data["patient"]["birth_date"] = "19500000"  # type: ignore[index]
    assert Prescription.from_json(data).patient.birth_date == "00/00/1950"


def _png() -> str:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(out, format="PNG")
    return base64.b64encode(out.getvalue()).decode()


def test_signature_must_be_a_real_image():
    data = rx()
    data["prescriber"]["signature"] = "data:image/png;base64," + _png()  # type: ignore[index]
    assert Prescription.from_json(data).prescriber.signature
    for bad, message in [
        ("!!!", "not valid base64"),
        (base64.b64encode(b"GIF89a....").decode(), "PNG or JPEG"),
        (base64.b64encode(b"\x89PNG\r\n\x1a\nbroken").decode(), "cannot be read"),
    ]:
        data["prescriber"]["signature"] = bad  # type: ignore[index]
        with pytest.raises(DocumentInputError, match=message):
            Prescription.from_json(data)


def test_results_input_uses_reading_json():
    data = ResultsInput.from_json(load("session.json"))
    assert data.cabin.id == "CAB-023-GUERET"
    assert len(data.readings) == 6
    assert [r.valid for r in data.readings] == [True, False, True, True, True, False]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("readings"), "readings: missing"),
        (lambda d: d.pop("cabin"), "cabin: missing"),
        (lambda d: d["readings"][2].pop("kind"), r"readings\[2\]: reading: missing field 'kind'"),
        (lambda d: d["readings"][0].update(unit="furlong"), r"readings\[0\]: reading:"),
        (lambda d: d["patient"].pop("last_name"), "patient.last_name: missing"),
        (lambda d: d.update(readings=[3]), r"readings\[0\]: must be a JSON object"),
    ],
)
def test_results_input_errors(mutate, message: str):
    data = load("session.json")
    mutate(data)
    with pytest.raises(DocumentInputError, match=message):
        ResultsInput.from_json(data)


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../etc", 3])
def test_a_cabin_time_zone_that_is_not_one_is_named(zone: object):
    data = load("session.json")
    data["cabin"]["timezone"] = zone
    with pytest.raises(DocumentInputError, match=r"cabin\.timezone"):
        ResultsInput.from_json(data)
