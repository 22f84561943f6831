"""The booking site's API against a real portal, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta

import aiohttp
import pytest

import protocol
from kiosk.call import CabinCall, CallOptions
from portal import server
from tests.appointments.conftest import MATCH_SECRET, OTHER_CABIN, appointments_config
from tests.appointments.helpers import AUTH, PATIENT, booking, cabin_socket, key_of, next_slot, post
from tests.portal.conftest import CABIN_ID, CABIN_TOKEN
from tests.portal.test_portal import recv

pytestmark = pytest.mark.asyncio


async def test_book_read_and_idempotent(booking_portal: server.Running) -> None:
    url, slot = booking_portal.url, next_slot(after_min=120)
    async with aiohttp.ClientSession() as http:
        status, first = await post(http, url, booking("site-1", slot))
        assert status == 201, first
        assert first["status"] == "booked" and first["phone"] == "+33612345678"
        assert len(first["code"]) == 6 and "match_key" not in first
        assert first["slot_start"] == slot.isoformat()
        status, again = await post(http, url, booking("site-1", slot))
        assert status == 200 and again["code"] == first["code"]
        # the same booking site id with other content is a conflict, not a second booking
        status, other = await post(http, url, booking("site-1", slot + timedelta(minutes=15)))
        assert status == 409 and other["error"] == "id_reused"
        async with http.get(f"{url}/api/appointments/site-1", headers=AUTH) as r:
            assert r.status == 200
            assert (await r.json())["code"] == first["code"]
        async with http.get(f"{url}/api/appointments/nope", headers=AUTH) as r:
            assert r.status == 404


async def test_token_required(booking_portal: server.Running) -> None:
    url, slot = booking_portal.url, next_slot(after_min=120)
    async with aiohttp.ClientSession() as http:
        for headers in (
            {"Content-Type": "application/json"},
            {"Authorization": "Bearer wrong", "Content-Type": "application/json"},
            {"Authorization": "Basic eDp5", "Content-Type": "application/json"},
        ):
            async with http.post(
                f"{url}/api/appointments", json=booking("x", slot), headers=headers
            ) as r:
                assert r.status == 401
        async with http.get(f"{url}/api/appointments/x") as r:
            assert r.status == 401
        async with http.delete(f"{url}/api/appointments/x") as r:
            assert r.status == 401


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("{not json", "malformed"),
        ("[1, 2]", "malformed"),
        ('"a string"', "malformed"),
        ("null", "malformed"),
        ({"id": "a"}, "missing_field"),
        ({"evil": "<script>"}, "unknown_field"),
        ({"id": "a b/../c"}, "bad_field"),
        ({"id": "x" * 65}, "bad_field"),
        ({"id": {"$gt": ""}}, "bad_field"),
        ({"cabin_id": "no-such-cabin"}, "unknown_cabin"),
        ({"lang": "de"}, "bad_field"),
        ({"last_name": "x" * 10_000}, "bad_field"),
        ({"last_name": "1234"}, "bad_identity"),
        ({"birth_date": "14/03/1985"}, "bad_identity"),
        ({"phone": "not a phone"}, "bad_phone"),
        ({"phone": "+33 1 23"}, "bad_phone"),
        ({"phone": "+33 1 42 68 53 00"}, "bad_phone"),  # a landline gets no SMS
        ({"phone": 612345678}, "bad_phone"),
        ({"slot_start": "tomorrow"}, "bad_slot"),
        ({"slot_start": "2030-01-07T10:00:00"}, "bad_slot"),  # no offset
        ({"slot_start": "2020-01-07T10:00:00+01:00"}, "slot_in_past"),
        ({"slot_start": "2030-01-07T10:07:00+01:00"}, "outside_hours"),  # not on the grid
        ({"slot_start": "2030-01-07T10:00:30+01:00"}, "outside_hours"),
    ],
)
async def test_bad_bodies_are_refused(
    booking_portal: server.Running, body: object, code: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    payload = booking("bad-1", next_slot(after_min=120), **body) if isinstance(body, dict) else body
    if isinstance(body, dict) and body == {"id": "a"}:
        payload = body
    async with aiohttp.ClientSession() as http:
        status, answer = await post(http, booking_portal.url, payload)
    assert 400 <= status < 500 and answer["error"] == code, answer
    assert "Lef" not in caplog.text and "0612345678" not in caplog.text
    assert "612345678" not in caplog.text


async def test_no_double_booking_and_cancel_frees_the_slot(
    booking_portal: server.Running,
) -> None:
    url, slot = booking_portal.url, next_slot(after_min=180)
    other_person = {"last_name": "Martin", "first_name": "Paul", "birth_date": "19700101"}
    async with aiohttp.ClientSession() as http:
        assert (await post(http, url, booking("a-1", slot)))[0] == 201
        status, answer = await post(http, url, booking("a-2", slot, **other_person))
        assert status == 409 and answer["error"] == "slot_taken"
        # another cabin's same slot is free
        assert (await post(http, url, booking("a-3", slot, cabin_id=OTHER_CABIN)))[0] == 201
        async with http.delete(f"{url}/api/appointments/a-1", headers=AUTH) as r:
            assert r.status == 200 and (await r.json())["status"] == "cancelled"
        async with http.delete(f"{url}/api/appointments/ghost", headers=AUTH) as r:
            assert r.status == 404
        assert (await post(http, url, booking("a-2", slot, **other_person)))[0] == 201
        # a cancelled booking's id does not book again
        status, answer = await post(http, url, booking("a-1", slot))
        assert status == 409


async def test_move_and_day_listing(booking_portal: server.Running) -> None:
    url, slot = booking_portal.url, next_slot(after_min=240)
    later = slot + timedelta(minutes=30)
    async with aiohttp.ClientSession() as http:
        await post(http, url, booking("m-1", slot))
        await post(
            http,
            url,
            booking("m-2", later, last_name="Autre", first_name="Personne"),
        )
        async with http.patch(
            f"{url}/api/appointments/m-1", json={"slot_start": later.isoformat()}, headers=AUTH
        ) as r:
            assert r.status == 409
        moved_to = slot + timedelta(minutes=15)
        async with http.patch(
            f"{url}/api/appointments/m-1", json={"slot_start": moved_to.isoformat()}, headers=AUTH
        ) as r:
            assert r.status == 200 and (await r.json())["slot_start"] == moved_to.isoformat()
        day = moved_to.date().isoformat()
        async with http.get(
            f"{url}/api/appointments", params={"cabin_id": CABIN_ID, "day": day}, headers=AUTH
        ) as r:
            assert r.status == 200
            listing = await r.json()
        ids = [a["id"] for a in listing["appointments"]]
        assert "m-1" in ids and len(listing["slots"]) == 96
        async with http.get(
            f"{url}/api/appointments", params={"cabin_id": CABIN_ID, "day": "nope"}, headers=AUTH
        ) as r:
            assert r.status == 400


async def test_check_in_by_match_key_and_same_identity_on_two_cabins(
    booking_portal: server.Running,
) -> None:
    url, slot = booking_portal.url, next_slot()
    async with aiohttp.ClientSession() as http:
        assert (await post(http, url, booking("c-1", slot)))[0] == 201
        assert (await post(http, url, booking("c-2", slot, cabin_id=OTHER_CABIN)))[0] == 201
        ws, welcome = await cabin_socket(http, url)
        assert welcome["checkin_key"] == protocol.checkin_key(MATCH_SECRET, CABIN_ID)
        await ws.send_str(protocol.signal("checkin", session_id="s-1", match_key=key_of(welcome)))
        answer = await recv(ws, "checked_in")
        assert answer["booked"] is True and answer["slot_start"] == slot.strftime("%H:%M")
        async with http.get(f"{url}/api/appointments/c-1", headers=AUTH) as r:
            assert (await r.json())["status"] == "checked_in"
        async with http.get(f"{url}/api/appointments/c-2", headers=AUTH) as r:
            assert (await r.json())["status"] == "booked"  # the other cabin's is untouched
        # the other cabin's key does not match this cabin's appointment
        other_key = protocol.match_key(protocol.checkin_key(MATCH_SECRET, OTHER_CABIN), **PATIENT)
        await ws.send_str(protocol.signal("checkin", session_id="s-2", match_key=other_key))
        answer = await recv(ws, "checked_in")
        assert answer["booked"] is False and answer["walk_in"] is True
        await ws.close()


async def test_booked_patient_comes_before_earlier_walk_in(
    booking_portal: server.Running,
) -> None:
    url, slot = booking_portal.url, next_slot()
    hub = booking_portal.app[server.HUB]
    async with aiohttp.ClientSession() as http:
        assert (await post(http, url, booking("w-1", slot)))[0] == 201
        walk_ws, _ = await cabin_socket(http, url, cabin_id=OTHER_CABIN, token="other-cabin-token")
        await walk_ws.send_str(protocol.signal("checkin", session_id="walk-in"))
        assert (await recv(walk_ws, "checked_in"))["walk_in"] is True
        ws, welcome = await cabin_socket(http, url)
        await ws.send_str(
            protocol.signal("checkin", session_id="booked", match_key=key_of(welcome))
        )
        assert (await recv(ws, "checked_in"))["booked"] is True
        room = hub.snapshot("dr-a")["patients"]
        assert [p["session_id"] for p in room] == ["booked", "walk-in"]
        assert room[0]["booked"] is True and room[0]["slot"] == slot.strftime("%H:%M")
        assert room[1]["booked"] is False
        await ws.close()
        await walk_ws.close()


async def test_booking_code_typed_wrong_is_rate_limited(booking_portal: server.Running) -> None:
    url, slot = booking_portal.url, next_slot()
    async with aiohttp.ClientSession() as http:
        _, booked = await post(http, url, booking("k-1", slot))
        ws, _ = await cabin_socket(http, url)
        for attempt in range(5):
            await ws.send_str(
                protocol.signal("checkin", session_id=f"k-{attempt}", booking_code="WRONG1")
            )
            answer = await recv(ws, "checked_in")
            assert answer["booked"] is False and answer["reason"] == "bad_code"
        # the sixth try is refused even with the right code
        await ws.send_str(protocol.signal("checkin", session_id="k-9", booking_code=booked["code"]))
        answer = await recv(ws, "checked_in")
        assert answer["reason"] == "rate_limited" and answer["booked"] is False
        assert not booking_portal.app[server.HUB].patients
        await ws.close()


async def test_right_booking_code_checks_in(booking_portal: server.Running) -> None:
    url, slot = booking_portal.url, next_slot()
    async with aiohttp.ClientSession() as http:
        _, booked = await post(http, url, booking("k-2", slot))
        ws, _ = await cabin_socket(http, url)
        typed = booked["code"].lower()[:3] + " " + booked["code"][3:]
        await ws.send_str(protocol.signal("checkin", session_id="k-ok", booking_code=typed))
        assert (await recv(ws, "checked_in"))["booked"] is True
        await ws.close()


async def test_cabin_without_walk_ins_sends_patients_to_book(database_url: str) -> None:
    cfg = appointments_config(database_url, walk_ins=False)
    running = await server.start(cfg, host="127.0.0.1", port=0)
    try:
        async with aiohttp.ClientSession() as http:
            ws, welcome = await cabin_socket(http, running.url)
            await ws.send_str(
                protocol.signal("checkin", session_id="nobody", match_key=key_of(welcome))
            )
            answer = await recv(ws, "checked_in")
            assert answer["booked"] is False and answer["walk_in"] is False
            assert answer["booking_site"] == "https://rdv.example.org"
            assert not running.app[server.HUB].patients  # not in the waiting room
            await ws.close()
    finally:
        await running.stop()


async def test_oversized_body_is_refused(booking_portal: server.Running) -> None:
    body = '{"id": "big", "last_name": "' + "x" * 100_000 + '"}'
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"{booking_portal.url}/api/appointments",
            data=body,
            headers={**AUTH, "Content-Type": "application/json"},
        ) as r,
    ):
        assert r.status == 413


async def test_kiosk_checks_in_with_a_typed_booking_code(booking_portal: server.Running) -> None:
    url = booking_portal.url
    async with aiohttp.ClientSession() as http:
        _, booked = await post(http, url, booking("kiosk-code", next_slot()))
    call = CabinCall(
        CallOptions(portal_url=url, cabin_id=CABIN_ID, token=CABIN_TOKEN, synthetic_media=True)
    )
    await call.start()
    try:
        await asyncio.wait_for(call.link.connected.wait(), 10)
        assert call.link.checkin_key == protocol.checkin_key(MATCH_SECRET, CABIN_ID)
        await call.check_in("kiosk-s-1", booking_code=booked["code"])
        deadline = time.monotonic() + 10
        while call.checked_in is None and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert call.checked_in is not None and call.checked_in["booked"] is True
    finally:
        await call.close()


async def test_database_lost_check_in_as_walk_in_and_api_unavailable(postgres) -> None:
    import asyncpg

    from tests.appointments.conftest import _create_database

    name = await _create_database(postgres)
    running = await server.start(appointments_config(postgres.url(name)), host="127.0.0.1", port=0)
    try:
        async with aiohttp.ClientSession() as http:
            assert (await post(http, running.url, booking("lost-1", next_slot())))[0] == 201
            ws, welcome = await cabin_socket(http, running.url)
            admin = await asyncpg.connect(
                host="127.0.0.1", port=postgres.port, user=postgres.user, database="postgres"
            )
            try:
                await admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
            finally:
                await admin.close()
            status, answer = await post(http, running.url, booking("lost-2", next_slot()))
            assert status == 503 and answer["error"] == "unavailable"
            await ws.send_str(
                protocol.signal("checkin", session_id="s-lost", match_key=key_of(welcome))
            )
            answer = await recv(ws, "checked_in")
            assert answer["booked"] is False and answer["walk_in"] is True
            assert answer["reason"] == "unavailable"
            assert "s-lost" in [p.session_id for p in running.app[server.HUB].patients.values()]
            await ws.send_str(protocol.signal("ping"))
            await recv(ws, "pong")  # the cabin's socket lives on
            await ws.close()
    finally:
        await running.stop()


async def test_code_checked_before_consent_joins_the_room_only_at_checkin(
    booking_portal: server.Running,
) -> None:
    url, slot = booking_portal.url, next_slot()
    hub = booking_portal.app[server.HUB]
    async with aiohttp.ClientSession() as http:
        _, booked = await post(http, url, booking("q-1", slot))
        ws, _ = await cabin_socket(http, url)
        await ws.send_str(protocol.signal("check_code", session_id="q-s", booking_code="WRONG1"))
        answer = await recv(ws, "checked_in")
        assert answer["booked"] is False and answer["reason"] == "bad_code"
        assert answer["walk_in"] is True  # this cabin also sees walk-ins: the screen may offer it
        await ws.send_str(
            protocol.signal("check_code", session_id="q-s", booking_code=booked["code"])
        )
        answer = await recv(ws, "checked_in")
        assert answer["booked"] is True and answer["slot_start"] == slot.strftime("%H:%M")
        # only checked: the patient is not in the room, the appointment is still just booked
        assert not hub.patients
        async with http.get(f"{url}/api/appointments/q-1", headers=AUTH) as r:
            assert (await r.json())["status"] == "booked"
        # after consent, the checkin with the same code puts the patient first in the room
        await ws.send_str(protocol.signal("checkin", session_id="q-s", booking_code=booked["code"]))
        assert (await recv(ws, "checked_in"))["booked"] is True
        assert [p["session_id"] for p in hub.snapshot("dr-a")["patients"]] == ["q-s"]
        async with http.get(f"{url}/api/appointments/q-1", headers=AUTH) as r:
            assert (await r.json())["status"] == "checked_in"
        await ws.close()


async def test_code_check_at_a_cabin_without_walk_ins(database_url: str) -> None:
    cfg = appointments_config(database_url, walk_ins=False)
    running = await server.start(cfg, host="127.0.0.1", port=0)
    try:
        async with aiohttp.ClientSession() as http:
            ws, _ = await cabin_socket(http, running.url)
            await ws.send_str(protocol.signal("check_code", session_id="n", booking_code="AAAA"))
            answer = await recv(ws, "checked_in")
            assert answer["booked"] is False and answer["walk_in"] is False
            assert answer["reason"] == "bad_code" and answer["booking_site"]
            await ws.close()
    finally:
        await running.stop()
