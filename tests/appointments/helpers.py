"""Shared helpers of the appointments tests: slots, bookings, a cabin's socket."""

from __future__ import annotations

import json
import zoneinfo
from datetime import datetime, timedelta
from typing import Any

import aiohttp

import protocol
from tests.appointments.conftest import API_TOKEN
from tests.portal.conftest import CABIN_ID, CABIN_TOKEN
from tests.portal.test_portal import recv

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
PATIENT = {"last_name": "Lefèvre", "first_name": "Zoé", "birth_date": "1985-03-14"}


def next_slot(*, after_min: float = 0.0, slot_min: int = 15) -> datetime:
    """The first slot start (Paris time) a minute or more after now + ``after_min`` minutes:
    a test run at 10:14:59 would otherwise book 10:15, begun by the time it is posted."""
    now = datetime.now(PARIS) + timedelta(minutes=after_min + 1)
    base = now.replace(minute=0, second=0, microsecond=0)
    slot = base + timedelta(minutes=slot_min * (now.minute // slot_min + 1))
    return slot


def booking(external_id: str, slot: datetime, **overrides: Any) -> dict[str, Any]:
    body = {
        "id": external_id,
        "cabin_id": CABIN_ID,
        "slot_start": slot.isoformat(),
        "lang": "fr",
        "phone": "+33612345678",
        **PATIENT,
    }
    body.update(overrides)
    return body


async def post(
    http: aiohttp.ClientSession, url: str, body: Any, *, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, Any]]:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    async with http.post(
        f"{url}/api/appointments",
        data=data,
        headers={**AUTH, "Content-Type": "application/json"} if headers is None else headers,
    ) as response:
        return response.status, await response.json()


async def cabin_socket(
    http: aiohttp.ClientSession, url: str, *, cabin_id: str = CABIN_ID, token: str = CABIN_TOKEN
) -> tuple[aiohttp.ClientWebSocketResponse, dict[str, Any]]:
    ws = await http.ws_connect(url.replace("http", "ws") + "/ws/cabin")
    await ws.send_str(protocol.signal("hello", cabin_id=cabin_id, token=token))
    welcome = await recv(ws, "welcome")
    return ws, welcome


def key_of(welcome: dict[str, Any], person: dict[str, str] = PATIENT) -> str:
    return protocol.match_key(welcome["checkin_key"], **person)
