"""``GET /api/cabins`` against its documented JSON Schema (docs/), checked by a small
validator of the keywords the schema uses; the reminder SMS's timing."""

from __future__ import annotations

import asyncio
import json
import re
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from portal import server
from tests.booking.conftest import SmsSink, get, post, service_of
from tests.booking.helpers import MOBILE, ZOE

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "booking-api-cabins.schema.json"
_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "integer": int}


def errors(value: Any, schema: dict[str, Any], root: dict[str, Any], at: str = "$") -> list[str]:
    """What ``value`` breaks of ``schema`` (the subset of JSON Schema 2020-12 the doc uses)."""
    if "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return errors(value, target, root, at)
    if "anyOf" in schema:
        if all(errors(value, s, root, at) for s in schema["anyOf"]):
            return [f"{at}: matches none of anyOf"]
        return []
    out: list[str] = []
    kind = schema.get("type")
    if kind is not None:
        expected = _TYPES[kind]
        if not isinstance(value, expected) or (kind == "integer" and isinstance(value, bool)):
            return [f"{at}: not {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{at}: {value!r} not in {schema['enum']}")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        out.append(f"{at}: {value!r} does not match {schema['pattern']}")
    if "minimum" in schema and value < schema["minimum"]:
        out.append(f"{at}: below {schema['minimum']}")
    if "maximum" in schema and value > schema["maximum"]:
        out.append(f"{at}: above {schema['maximum']}")
    if isinstance(value, dict):
        out += [f"{at}: {k!r} missing" for k in schema.get("required", []) if k not in value]
        props = schema.get("properties", {})
        if schema.get("additionalProperties") is False:
            out += [f"{at}: {k!r} not allowed" for k in value if k not in props]
        for k, sub in props.items():
            if k in value:
                out += errors(value[k], sub, root, f"{at}.{k}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            out += errors(item, schema["items"], root, f"{at}[{i}]")
    return out


def test_the_validator_catches_what_it_should() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert errors({"cabins": [{"id": "x y"}]}, schema, schema)
    assert errors({"cabins": [], "extra": 1}, schema, schema) == ["$: 'extra' not allowed"]


@pytest.mark.asyncio
async def test_the_public_directory_follows_its_schema(site_portal: server.Running) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    async with aiohttp.ClientSession() as http, http.get(f"{site_portal.url}/api/cabins") as r:
        assert r.status == 200 and r.headers["Access-Control-Allow-Origin"] == "*"
        assert "Set-Cookie" not in r.headers
        body = await r.json()
    assert errors(body, schema, schema) == []
    by_id = {c["id"]: c for c in body["cabins"]}
    assert set(by_id) == {"cabin-test-01", "cabin-test-02", "bus-sante-01"}
    versailles, bus = by_id["cabin-test-01"], by_id["bus-sante-01"]
    assert versailles["address"]["commune"] == "Versailles" and versailles["open_now"] is True
    assert versailles["accessibility"] == {
        "step_free": True, "hearing_loop": True, "companion_seat": False
    }  # fmt: skip
    assert bus["walk_ins"] is False and bus["locations"][0] == {
        "day": "tue", "opens": "09:00", "closes": "12:00", "address": "Place de la Mairie",
        "place": "78120 Rambouillet",
    }  # fmt: skip


@pytest.mark.asyncio
async def test_the_reminder_goes_at_the_configured_time_with_the_link(
    site_portal: server.Running, sms_sink: SmsSink
) -> None:
    url = site_portal.url
    service = service_of(site_portal)
    in_three_days = (date.today() + timedelta(days=3)).isoformat()
    async with aiohttp.ClientSession() as http:
        page = await get(http, f"{url}/book/fr/cabin/cabin-test-01?day={in_three_days}")
        form = page.form("/cabin/")
        assert form["radios"][0].startswith(in_three_days)
        who = await post(http, url, form, slot=form["radios"][0])
        phone = await post(http, url, who.form("/who"), **ZOE)
        code = await post(http, url, phone.form("/phone"), phone=MOBILE)
        done = await post(http, url, code.form("/code"), code=sms_sink.last_code())
        assert "Un rappel vous sera envoyé 24 heures avant." in done.text
    now = int(time.time())
    rows = await service.repo.day("cabin-test-01", now, now + 5 * 86400)
    ((appointment, texts),) = rows
    due = {s.kind: s.due_at for s in texts}
    assert due["reminder"] == appointment.slot_start - 24 * 3600  # [appointments] reminder_h
    # a second after it falls due, the reminder goes, with the manage link
    clock = service.clock
    service.clock = lambda: due["reminder"] + 1
    try:
        service.wake.set()
        deadline = time.monotonic() + 10
        while not any(t.startswith("Rappel") for t in sms_sink.texts()):
            assert time.monotonic() < deadline, sms_sink.texts()
            await asyncio.sleep(0.05)
    finally:
        service.clock = clock
    reminder = next(t for t in sms_sink.texts() if t.startswith("Rappel"))
    assert any(t.startswith("RDV cabine") and appointment.code in t for t in sms_sink.texts())
    assert appointment.code in reminder and f"{url}/b/" in reminder


@pytest.mark.asyncio
async def test_the_api_also_keeps_a_bus_to_its_locations(site_portal: server.Running) -> None:
    from tests.appointments.helpers import PARIS, booking
    from tests.appointments.helpers import post as api_post

    day = date.today() + timedelta(days=1)
    while day.weekday() != 1:  # a Tuesday: in Rambouillet 09:00-12:00 only
        day += timedelta(days=1)
    async with aiohttp.ClientSession() as http:
        for hour, expected in ((14, 422), (9, 201)):
            slot = datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)
            body = booking(f"bus-{hour}", slot, cabin_id="bus-sante-01")
            status, answer = await api_post(http, site_portal.url, body)
            assert status == expected, answer
    assert answer["slot_start"].startswith(f"{day.isoformat()}T09:00")
