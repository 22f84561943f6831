"""The session's readings as a FHIR R4 ``collection`` bundle, for the doctor's own software:
a Patient (what the doctor's page already shows), one Device per instrument, the Observations.

Built as plain JSON here, then validated (and serialised) by ``fhir.resources``' R4B models,
which are structurally R4 for Patient, Device, Observation and Bundle. pydantic and
``fhir.resources`` are imported only when a bundle is built: the idle kiosk never loads them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from kiosk.domain import Reading, ReadingKind
from kiosk.records.codes import (
    ABSENT_CODES,
    BP_COMPONENTS,
    BP_PANEL,
    CATEGORY,
    DATA_ABSENT,
    DEVICE_TYPES,
    ERROR,
    SINGLE,
    UCUM,
    Measure,
)

#: The namespace of the bundle's ids: each is a UUID made from the session id, so a session's
#: bundle keeps its ids however often the doctor downloads it.
NAMESPACE = uuid.UUID("5b0d6f1e-4f0e-5a43-9d1c-6cabc1a7f0e1")
#: The NIR's first digit gives the sex, as the doctor's page reads it (1, 3, 7 / 2, 4, 8).
SEX_OF_NIR = {"1": "male", "3": "male", "7": "male", "2": "female", "4": "female", "8": "female"}


class BundleError(ValueError):
    """The bundle could not be built or did not validate; the text names no patient data."""


def _id(session_id: str, *parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join((session_id, *map(str, parts)))))


def _urn(resource_id: str) -> str:
    return f"urn:uuid:{resource_id}"


def _when(stamp: datetime) -> str:
    """A FHIR dateTime with its offset; a device's naive time is the cabin's local time."""
    aware = stamp if stamp.tzinfo else stamp.astimezone()
    return aware.isoformat(timespec="milliseconds")


def birth_date(card: str) -> str | None:
    """The card's ``AAAAMMJJ`` as a FHIR date; a lunar date (month or day ``00``) keeps what
    it gives (``1985`` or ``1985-06``)."""
    if len(card) != 8 or not card.isdigit():
        return None
    year, month, day = card[:4], card[4:6], card[6:]
    if month == "00":
        return year
    if day == "00":
        return f"{year}-{month}"
    return f"{year}-{month}-{day}"


def patient(session_id: str, identity: Mapping[str, Any] | None) -> dict[str, Any]:
    """The patient as the doctor's page has them: name, birth date, sex read from the NIR.

    The NIR itself stays out: the card's number is not a qualified INS, and the file leaves
    the page for the doctor's disk (the doctor copies it from the page if needed).
    """
    who = identity or {}
    resource: dict[str, Any] = {"resourceType": "Patient", "id": _id(session_id, "patient")}
    last, first = str(who.get("last_name", "")), str(who.get("first_name", ""))
    if last or first:
        name: dict[str, Any] = {"use": "official"}
        if last:
            name["family"] = last
        if first:
            name["given"] = [first]
        resource["name"] = [name]
    gender = SEX_OF_NIR.get(str(who.get("nir", ""))[:1])
    if gender:
        resource["gender"] = gender
    born = birth_date(str(who.get("birth_date", "")))
    if born:
        resource["birthDate"] = born
    return resource


def device(session_id: str, reading: Reading) -> dict[str, Any]:
    """The instrument: its model and serial as configured (none of the drivers reads them
    from the device yet)."""
    info = reading.device
    resource: dict[str, Any] = {"resourceType": "Device", "id": _id(session_id, "device", info.id)}
    if info.serial:
        resource["serialNumber"] = info.serial
    if info.model:
        resource["deviceName"] = [{"name": info.model, "type": "model-name"}]
    kind = DEVICE_TYPES.get(reading.kind)
    if kind:
        resource["type"] = {"text": kind}
    return resource


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _concept(measure: Measure) -> dict[str, Any]:
    return {"coding": [c.coding() for c in measure.codes], "text": measure.text}


def _absent(reason: str) -> dict[str, Any]:
    code, display = ABSENT_CODES.get(reason, ERROR)
    return {"coding": [{"system": DATA_ABSENT, "code": code, "display": display}], "text": reason}


def _value(reading: Reading, name: str) -> dict[str, Any]:
    """``valueQuantity``, or ``dataAbsentReason`` with the device's reason: never a number
    for a value the device could not measure."""
    if name in reading.values:
        unit = reading.unit_of(name)
        quantity = {
            "value": _number(reading.values[name]),
            "unit": unit.symbol,
            "system": UCUM,
            "code": unit.value,
        }
        return {"valueQuantity": quantity}
    return {"dataAbsentReason": _absent(reading.missing[name])}


def _notes(reading: Reading, names: Sequence[str]) -> list[dict[str, str]]:
    """The device's reason for each of ``names`` it gave no value for, and its flags."""
    notes = []
    reasons = sorted({reading.missing[n] for n in names if n in reading.missing})
    if reasons:
        notes.append({"text": "No valid measurement; device's reason: " + ", ".join(reasons)})
    flags = sorted(f for f in reading.flags if not f.startswith("site:"))  # in bodySite
    if flags:
        notes.append({"text": "Device flags: " + ", ".join(flags)})
    return notes


def _observation(
    session_id: str, seq: int, measure: Measure, reading: Reading, names: Sequence[str]
) -> dict[str, Any]:
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": _id(session_id, "observation", seq, measure.codes[0].code),
    }
    if measure.profile and all(reading.unit_of(n) in measure.units for n in names):
        obs["meta"] = {"profile": [measure.profile]}
    category = {"system": CATEGORY, "code": measure.category, "display": "Vital Signs"}
    obs |= {
        "status": "final",
        "category": [{"coding": [category], "text": "Vital Signs"}],
        "code": _concept(measure),
        "subject": {"reference": _urn(_id(session_id, "patient"))},
        "effectiveDateTime": _when(reading.device_time or reading.received_at),
        "issued": _when(reading.received_at),
    }
    site = next((f.split(":", 1)[1] for f in sorted(reading.flags) if f.startswith("site:")), "")
    if site:
        obs["bodySite"] = {"text": site}
    obs["device"] = {"reference": _urn(_id(session_id, "device", reading.device.id))}
    if reading.device.model:
        obs["device"]["display"] = reading.device.model
    notes = _notes(reading, names)
    if notes:
        obs["note"] = notes
    return obs


def _blood_pressure(session_id: str, seq: int, reading: Reading) -> dict[str, Any] | None:
    names = [n for n in BP_COMPONENTS if n in reading.values or n in reading.missing]
    if not names:
        return None
    obs = _observation(session_id, seq, BP_PANEL, reading, names)
    if not {"systolic", "diastolic"} <= set(names):
        obs.pop("meta", None)  # the profile wants both components
    if not any(n in reading.values for n in names):
        obs["dataAbsentReason"] = _absent(sorted(reading.missing.values())[0])
    obs["component"] = [{"code": _concept(BP_COMPONENTS[n]), **_value(reading, n)} for n in names]
    return obs


def observations(session_id: str, seq: int, reading: Reading) -> list[dict[str, Any]]:
    """The Observations of one stored reading (its number ``seq`` in the session)."""
    found: list[dict[str, Any]] = []
    if reading.kind is ReadingKind.BLOOD_PRESSURE:
        panel = _blood_pressure(session_id, seq, reading)
        if panel is not None:
            found.append(panel)
    for (kind, name), measure in SINGLE.items():
        if kind is reading.kind and (name in reading.values or name in reading.missing):
            obs = _observation(session_id, seq, measure, reading, (name,))
            found.append(obs | _value(reading, name))
    return found


def bundle_json(
    session_id: str,
    identity: Mapping[str, Any] | None,
    readings: Sequence[Reading],
    *,
    now: datetime,
) -> dict[str, Any]:
    """The bundle as plain JSON, not yet validated (see :func:`build`)."""
    entries = [patient(session_id, identity)]
    devices: dict[str, dict[str, Any]] = {}
    measured: list[dict[str, Any]] = []
    for seq, reading in enumerate(readings, start=1):
        if reading.intermediate:
            continue
        found = observations(session_id, seq, reading)
        if found and reading.device.id not in devices:
            devices[reading.device.id] = device(session_id, reading)
        measured.extend(found)
    entries += [*devices.values(), *measured]
    bundle_id = _id(session_id, "bundle")
    return {
        "resourceType": "Bundle",
        "id": bundle_id,
        "identifier": {"system": "urn:ietf:rfc:3986", "value": _urn(bundle_id)},
        "type": "collection",
        "timestamp": _when(now),
        "entry": [{"fullUrl": _urn(r["id"]), "resource": r} for r in entries],
    }


def build(
    session_id: str,
    identity: Mapping[str, Any] | None,
    readings: Sequence[Reading],
    *,
    now: datetime,
) -> str:
    """The session's bundle as FHIR JSON text (ASCII), validated by ``fhir.resources``.

    Raises :class:`BundleError` when it does not validate (a bug: the message says where,
    never what). Loads pydantic: call it off the event loop.
    """
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError

    raw = bundle_json(session_id, identity, readings, now=now)
    try:
        model = Bundle.model_validate(raw)
    except ValidationError as exc:
        where = sorted({".".join(map(str, e["loc"])) for e in exc.errors()})
        # not chained: pydantic's message quotes the values (health data) it refused
        raise BundleError(f"the FHIR bundle does not validate at {', '.join(where)}") from None
    text = model.model_dump_json()
    # one more check: the library's own JSON reads back as the same kind of bundle
    if json.loads(text).get("resourceType") != "Bundle":
        raise BundleError("the FHIR library wrote something else than a bundle")
    return json.dumps(json.loads(text), ensure_ascii=True, separators=(",", ":"))


def chunks(text: str, size: int) -> list[str]:
    """``text`` in pieces of at most ``size`` characters (at least one piece)."""
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]
