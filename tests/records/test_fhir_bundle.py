"""The FHIR R4 bundle of a scripted consultation: validated by fhir.resources, the same as a
hand-checked bundle (tests/data/fhir/consultation_bundle.json, ids made readable), every
code of issue 19 present, no number where the device had none."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from kiosk.domain import DeviceInfo, Reading, ReadingKind, Unit
from kiosk.records import fhir
from kiosk.records.codes import ALL_CODES, DATA_ABSENT, LOINC, MDC
from tests.records.consultation import IDENTITY, NOW, SESSION_ID, readings

EXPECTED = Path(__file__).resolve().parents[1] / "data" / "fhir" / "consultation_bundle.json"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

#: Issue 19's codes: LOINC, and the IEEE 11073-10101 codes beside them.
LOINC_CODES = {
    "85354-9", "8480-6", "8462-4", "8867-4", "8310-5", "29463-7", "2708-6", "59408-5",
    "39156-5", "41982-0",
}  # fmt: skip
MDC_CODES = {
    "150020", "150021", "150022", "149546", "150456", "150364", "188736", "188752", "188748",
}  # fmt: skip
UCUM_UNITS = {"mm[Hg]", "/min", "Cel", "kg", "%", "kg/m2"}


def readable(bundle: dict[str, Any]) -> dict[str, Any]:
    """The bundle with each UUID named after its resource (``Observation-3``), the bundle's
    own as ``Bundle``: what a person can check by eye."""
    names = {bundle["id"]: "Bundle"}
    counts: dict[str, int] = {}
    for entry in bundle["entry"]:
        kind = entry["resource"]["resourceType"]
        counts[kind] = counts.get(kind, 0) + 1
        names[entry["resource"]["id"]] = f"{kind}-{counts[kind]}"
    text = UUID.sub(lambda m: names[m.group(0)], json.dumps(bundle))
    result: dict[str, Any] = json.loads(text)
    return result


def built(*, identity: dict[str, Any] | None = IDENTITY, of: list[Reading] | None = None) -> Any:
    text = fhir.build(SESSION_ID, identity, readings() if of is None else of, now=NOW)
    assert text.isascii()
    return json.loads(text)


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def codes_of(obs: dict[str, Any]) -> set[tuple[str, str]]:
    found = {(c["system"], c["code"]) for c in obs["code"]["coding"]}
    for part in obs.get("component", ()):
        found |= {(c["system"], c["code"]) for c in part["code"]["coding"]}
    return found


def test_the_bundle_validates_and_matches_the_hand_checked_one() -> None:
    from fhir.resources.R4B.bundle import Bundle

    bundle = built()
    Bundle.model_validate(bundle)  # the library reads back what it wrote
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert readable(bundle) == expected


def test_every_code_of_the_issue_is_there_with_its_ucum_unit() -> None:
    bundle = built()
    observations = resources(bundle, "Observation")
    found = set().union(*(codes_of(o) for o in observations))
    assert {(LOINC, code) for code in LOINC_CODES} <= found
    assert {(MDC, code) for code in MDC_CODES} <= found
    assert {(c.system, c.code) for c in ALL_CODES} <= found
    quantities = [o["valueQuantity"] for o in observations if "valueQuantity" in o]
    quantities += [c["valueQuantity"] for o in observations for c in o.get("component", ())
                   if "valueQuantity" in c]  # fmt: skip
    assert {q["code"] for q in quantities} == UCUM_UNITS
    assert all(q["system"] == "http://unitsofmeasure.org" for q in quantities)
    # SpO2 carries both LOINC codings, as the vital-signs profile wants
    spo2 = next(o for o in observations if (LOINC, "2708-6") in codes_of(o))
    assert (LOINC, "59408-5") in codes_of(spo2)


def test_each_observation_is_on_a_vital_signs_profile_with_its_device_and_times() -> None:
    bundle = built()
    assert bundle["type"] == "collection"
    patient = resources(bundle, "Patient")[0]
    devices = {f"urn:uuid:{d['id']}": d for d in resources(bundle, "Device")}
    for obs in resources(bundle, "Observation"):
        assert obs["meta"]["profile"][0].startswith("http://hl7.org/fhir/StructureDefinition/")
        assert obs["category"][0]["coding"][0]["code"] == "vital-signs"
        assert obs["subject"]["reference"] == f"urn:uuid:{patient['id']}"
        assert obs["device"]["reference"] in devices
        assert obs["status"] == "final"
        assert obs["issued"] and obs["effectiveDateTime"]
    temperature = next(
        o for o in resources(bundle, "Observation") if (LOINC, "8310-5") in codes_of(o)
    )
    # the device's own time is when it measured; the cabin's receipt time is "issued"
    assert temperature["effectiveDateTime"] == "2026-12-03T10:33:10+01:00"
    assert temperature["issued"] == "2026-12-03T09:33:12Z"
    assert temperature["bodySite"] == {"text": "armpit"}
    scale = next(d for d in devices.values() if d.get("serialNumber"))
    assert scale["serialNumber"] == "SC-0042"
    assert scale["deviceName"] == [{"name": "BLE scale", "type": "model-name"}]


def test_a_failed_measurement_is_a_data_absent_reason_never_a_number() -> None:
    bundle = built()
    failed = [
        o
        for o in resources(bundle, "Observation")
        if "dataAbsentReason" in o or any("dataAbsentReason" in c for c in o.get("component", ()))
    ]
    # the leaking cuff: the panel (and its components) and its pulse
    assert [o["code"]["coding"][0]["code"] for o in failed] == ["85354-9", "8867-4"]
    for obs in failed:
        assert "valueQuantity" not in obs
        parts = [obs, *obs.get("component", ())]
        for part in parts:
            if "dataAbsentReason" in part:
                coding = part["dataAbsentReason"]["coding"][0]
                assert (coding["system"], coding["code"]) == (DATA_ABSENT, "error")
                assert part["dataAbsentReason"]["text"] == "air_leak_or_loose_cuff"
        for component in obs.get("component", ()):
            assert "valueQuantity" not in component and "dataAbsentReason" in component
        assert "air_leak_or_loose_cuff" in obs["note"][0]["text"]


def test_the_patient_is_what_the_doctor_already_sees_without_the_nir() -> None:
    patient = resources(built(), "Patient")[0]
    assert patient["name"] == [{"use": "official", "family": "Martin", "given": ["Jeanne"]}]
    assert patient["gender"] == "female" and patient["birthDate"] == "1985-06-12"
    assert IDENTITY["nir"] not in json.dumps(built())
    assert IDENTITY["nir"][:13] not in json.dumps(built())
    # no card read (booking code): an unnamed patient, the doctor matches them on camera
    cardless = {"last_name": "", "first_name": "", "birth_date": "", "source": "booking_code"}
    assert set(resources(built(identity=cardless), "Patient")[0]) == {"resourceType", "id"}


@pytest.mark.parametrize(
    ("card", "fhir_date"),
    [("19850612", "1985-06-12"), ("19850600", "1985-06"), ("19850000", "1985"), ("1985", None)],
)
def test_lunar_birth_dates_keep_what_they_give(card: str, fhir_date: str | None) -> None:
    assert fhir.birth_date(card) == fhir_date


def test_ids_are_stable_for_a_session_and_differ_between_sessions() -> None:
    first, again = built(), built()
    assert first["id"] == again["id"]
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in again["entry"]]
    other = json.loads(fhir.build("another-session", IDENTITY, readings(), now=NOW))
    assert other["id"] != first["id"]
    assert not {e["fullUrl"] for e in other["entry"]} & {e["fullUrl"] for e in first["entry"]}


def test_special_values_map_to_their_data_absent_codes_and_kpa_drops_the_bp_profile() -> None:
    device = DeviceInfo(id="ble-cuff", model="BLE blood pressure")
    cuff = Reading(
        kind=ReadingKind.BLOOD_PRESSURE,
        unit=Unit.KPA,
        values={"systolic": 15.3, "diastolic": 9.9},
        missing={"map": "not_a_number", "pulse": "plus_infinity"},
        units={"pulse": Unit.PER_MINUTE},
        device=device,
        received_at=NOW,
    )
    obs = resources(built(of=[cuff]), "Observation")
    panel, pulse = obs
    assert "meta" not in panel  # kPa: relayed as reported, without the bp profile's claim
    assert "dataAbsentReason" not in panel  # systolic and diastolic were measured
    mean = next(c for c in panel["component"] if c["code"]["coding"][0]["code"] == "8478-0")
    assert mean["dataAbsentReason"]["coding"][0]["code"] == "not-a-number"
    assert pulse["dataAbsentReason"]["coding"][0]["code"] == "positive-infinity"
    assert panel["component"][0]["valueQuantity"]["code"] == "kPa"


def test_a_bundle_that_does_not_validate_names_the_place_not_the_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = fhir.device

    def broken(session_id: str, reading: Reading) -> dict[str, Any]:
        # a bug slips an unknown field in: the library refuses it
        return original(session_id, reading) | {"secretField": "Martin"}

    monkeypatch.setattr(fhir, "device", broken)
    with pytest.raises(fhir.BundleError) as caught:
        fhir.build(SESSION_ID, IDENTITY, readings(), now=NOW)
    assert "secretField" in str(caught.value) and "Martin" not in str(caught.value)
