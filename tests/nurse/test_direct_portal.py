"""A nurse calls one doctor directly, on one real portal (the in-memory hub): the list of
doctors, the check-in addressed to one, who sees and takes the patient, the bad cases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

import protocol
from portal import server
from portal.config import parse as parse_portal_config
from protocol import ProtocolError
from protocol.doctors import doctor_entries
from tests.helpers.waiting import until
from tests.portal.conftest import portal_toml
from tests.portal.test_portal import cabin, doctor, recv

NURSE = {"nurse_name": "Awa Diallo", "nurse_profession": "infirmier"}


@pytest_asyncio.fixture
async def portal() -> AsyncIterator[server.Running]:
    running = await server.start(
        parse_portal_config(portal_toml(), source="direct.toml"), host="127.0.0.1", port=0
    )
    try:
        yield running
    finally:
        await running.stop()


async def room_of(ws: Any, check: Any) -> dict[str, Any]:
    """The next waiting room for which ``check(patients)`` is true (within 10 s)."""
    for _ in range(200):
        room = await recv(ws, "waiting_room", timeout=10)
        if check(room["patients"]):
            return room
    raise AssertionError("no such waiting room")


# -- protocol ---------------------------------------------------------------------------------


def test_schemas_of_the_list_and_the_directed_checkin() -> None:
    assert protocol.decode_signal('{"type": "doctors_ask"}') == {"type": "doctors_ask"}
    sent = protocol.signal("checkin", session_id="s-1", doctor_id="dr-a", **NURSE)
    assert protocol.decode_signal(sent)["doctor_id"] == "dr-a"
    with pytest.raises(ProtocolError, match="unknown value"):
        protocol.signal("checkin", session_id="s-1", nurse_profession="plumber")
    with pytest.raises(ProtocolError, match="too long"):
        protocol.signal("checkin", session_id="s-1", doctor_id="d" * 65)
    with pytest.raises(ProtocolError, match="unknown value"):
        protocol.signal("direct", session_id="s", doctor_id="dr-a", state="lost")
    with pytest.raises(ProtocolError, match="unknown value"):
        protocol.signal("queue", session_id="s", position=1, estimate_s=0, doctor="asleep")
    with pytest.raises(ProtocolError, match="unknown fields"):
        protocol.decode_signal('{"type": "doctors_ask", "patient": "x"}')
    # the cabin keeps the well-formed entries of a list only
    assert doctor_entries(
        [
            {"id": "dr-a", "name": "Dr A", "state": "available"},
            {"id": "dr-b", "name": "Dr B", "state": "sleeping"},
            {"id": "", "name": "nobody", "state": "offline"},
            "dr-c",
            {"id": "dr-d", "name": "", "state": "offline"},
        ]
    ) == [
        {"id": "dr-a", "name": "Dr A", "state": "available"},
        {"id": "dr-d", "name": "dr-d", "state": "offline"},
    ]
    assert doctor_entries("not a list") == []


# -- the hub ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_the_list_says_who_is_available_busy_or_offline(portal: server.Running) -> None:
    http_a, doc_a = await doctor(portal.url, "dr-a")
    async with aiohttp.ClientSession() as http:
        ws = await cabin(http, portal.url)
        await ws.send_str(protocol.signal("doctors_ask"))
        listed = (await recv(ws, "doctors"))["doctors"]
        assert listed == [
            {"id": "dr-a", "name": "Dr DR-A", "state": "available"},
            {"id": "dr-b", "name": "Dr DR-B", "state": "offline"},
        ]
        # in a call: busy
        await ws.send_str(protocol.signal("checkin", session_id="s-busy"))
        await room_of(doc_a, lambda ps: ps)
        await doc_a.send_str(protocol.signal("take", session_id="s-busy"))
        await recv(doc_a, "taken")
        await ws.send_str(protocol.signal("doctors_ask"))
        listed = (await recv(ws, "doctors"))["doctors"]
        assert [d["state"] for d in listed] == ["busy", "offline"]
        assert all(set(d) == {"id", "name", "state"} for d in listed)  # nothing of patients
        await ws.close()
    await doc_a.close()
    await http_a.close()


@pytest.mark.asyncio
async def test_only_the_named_doctor_sees_and_takes_the_patient(portal: server.Running) -> None:
    http_a, doc_a = await doctor(portal.url, "dr-a")
    http_b, doc_b = await doctor(portal.url, "dr-b")
    hub = portal.app[server.HUB]
    async with aiohttp.ClientSession() as http:
        ws = await cabin(http, portal.url)
        await ws.send_str(protocol.signal("checkin", session_id="s-dir", doctor_id="dr-a", **NURSE))
        answer = await recv(ws, "direct")
        assert (answer["doctor_id"], answer["state"]) == ("dr-a", "waiting")
        queue = await recv(ws, "queue")
        assert queue["doctor"] == "available"
        room = await room_of(doc_a, lambda ps: ps)
        [row] = room["patients"]
        assert row["asked_for_you"] is True
        assert (row["nurse"], row["nurse_profession"]) == ("Awa Diallo", "infirmier")
        assert hub.snapshot("dr-b")["patients"] == []  # the other doctor does not see them
        # another doctor's take is refused, the named doctor's is not
        await doc_b.send_str(protocol.signal("take", session_id="s-dir"))
        refused = await recv(doc_b, "error")
        assert (refused["code"], refused["ref"]) == ("taken", "take")
        assert hub.patients["cabin-test-01"].taken_by == ""
        await doc_a.send_str(protocol.signal("take", session_id="s-dir"))
        await recv(doc_a, "taken")
        assert (await recv(ws, "call"))["session_id"] == "s-dir"
        await ws.close()
    for http_doc, doc in ((http_a, doc_a), (http_b, doc_b)):
        await doc.close()
        await http_doc.close()


@pytest.mark.asyncio
async def test_asked_for_you_comes_first_before_earlier_walk_ins(portal: server.Running) -> None:
    hub = portal.app[server.HUB]
    # a walk-in of another cabin arrived before (the hub's own record: one socket per cabin)
    from portal.presence import CabinPresence, Patient

    http_a, doc_a = await doctor(portal.url, "dr-a")
    async with aiohttp.ClientSession() as http:
        ws = await cabin(http, portal.url)
        other = hub.cabins["cabin-test-01"]
        hub.cabins["cabin-x"] = replace(CabinPresence("cabin-x"), peer=other.peer,
                                        last_heartbeat=hub.clock())  # fmt: skip
        hub.patients["cabin-x"] = Patient("cabin-x", "s-early", hub.clock() - 600)
        await ws.send_str(
            protocol.signal("checkin", session_id="s-late", doctor_id="dr-a", **NURSE)
        )
        room = await room_of(doc_a, lambda ps: len(ps) == 2)
        assert [p["session_id"] for p in room["patients"]] == ["s-late", "s-early"]
        del hub.patients["cabin-x"], hub.cabins["cabin-x"]
        await ws.close()
    await doc_a.close()
    await http_a.close()


@pytest.mark.asyncio
async def test_a_patient_for_one_doctor_holds_no_place_in_the_general_line(
    portal: server.Running,
) -> None:
    """The walk-in who came after a nurse's patient for Dr A is first in the general line;
    the nurse's patient is first in Dr A's, and waits for Dr A's call under way."""
    hub = portal.app[server.HUB]
    from portal.presence import CabinPresence, Patient

    consultation = hub.cfg.server.consultation_s
    http_a, doc_a = await doctor(portal.url, "dr-a")
    http_b, doc_b = await doctor(portal.url, "dr-b")
    async with aiohttp.ClientSession() as http:
        ws = await cabin(http, portal.url)
        peer, now = hub.cabins["cabin-test-01"].peer, hub.clock()
        for cabin_id in ("cabin-x", "cabin-y"):  # other cabins (their messages come here)
            hub.cabins[cabin_id] = replace(CabinPresence(cabin_id), peer=peer, last_heartbeat=now)
        hub.patients["cabin-x"] = Patient("cabin-x", "s-asked", now - 600, doctor_id="dr-a",
                                          nurse_name="Awa Diallo", nurse_profession="infirmier")  # fmt: skip
        hub.patients["cabin-y"] = Patient("cabin-y", "s-in-call", now - 900, taken_by="dr-a")
        await ws.send_str(protocol.signal("checkin", session_id="s-walk-in"))
        places: dict[str, tuple[int, int]] = {}
        while len(places) < 2:
            queue = await recv(ws, "queue")
            places[queue["session_id"]] = (queue["position"], queue["estimate_s"])
        # one call under way, two doctors: half a consultation for the walk-in
        assert places["s-walk-in"] == (1, round(consultation / 2))
        # Dr A is in a call: a whole consultation for the patient waiting for Dr A only
        assert places["s-asked"] == (1, round(consultation))
        for cabin_id in ("cabin-x", "cabin-y"):
            del hub.patients[cabin_id], hub.cabins[cabin_id]
        await ws.close()
    for http_doc, doc in ((http_a, doc_a), (http_b, doc_b)):
        await doc.close()
        await http_doc.close()


@pytest.mark.asyncio
async def test_an_unknown_or_disabled_doctor_is_refused_and_nothing_enters(
    portal: server.Running,
) -> None:
    hub = portal.app[server.HUB]
    async with aiohttp.ClientSession() as http:
        ws = await cabin(http, portal.url)
        await ws.send_str(protocol.signal("checkin", session_id="s-x", doctor_id="dr-nobody"))
        answer = await recv(ws, "direct")
        assert (answer["doctor_id"], answer["state"]) == ("dr-nobody", "unknown")
        assert hub.patients == {}
        # a disabled account leaves the config's doctors (portal.accounts): the same answer
        del hub.cfg.doctors["dr-b"]
        await ws.send_str(protocol.signal("checkin", session_id="s-x", doctor_id="dr-b"))
        assert (await recv(ws, "direct"))["state"] == "unknown"
        await ws.send_str(protocol.signal("doctors_ask"))
        assert [d["id"] for d in (await recv(ws, "doctors"))["doctors"]] == ["dr-a"]
        assert hub.patients == {}
        # the session goes on: the same session joins the general room
        await ws.send_str(protocol.signal("checkin", session_id="s-x"))
        await until(lambda: "cabin-test-01" in hub.patients, "the patient in the room")
        await ws.close()


@pytest.mark.asyncio
async def test_the_doctor_leaving_is_told_and_switching_keeps_the_arrival(
    portal: server.Running,
) -> None:
    hub = portal.app[server.HUB]
    http_a, doc_a = await doctor(portal.url, "dr-a")
    http_b, doc_b = await doctor(portal.url, "dr-b")
    async with aiohttp.ClientSession() as http:
        ws = await cabin(http, portal.url)
        await ws.send_str(protocol.signal("checkin", session_id="s-w", doctor_id="dr-a", **NURSE))
        assert (await recv(ws, "queue"))["doctor"] == "available"
        since = hub.patients["cabin-test-01"].since
        # the named doctor closes their page: the cabin is told, the patient stays
        await doc_a.close()
        await http_a.close()
        for _ in range(50):
            if (await recv(ws, "queue"))["doctor"] == "offline":
                break
        else:
            raise AssertionError("the cabin was not told the doctor left")
        assert hub.patients["cabin-test-01"].session_id == "s-w"
        # the nurse moves the patient to the general room: same arrival, seen by all
        await ws.send_str(protocol.signal("checkin", session_id="s-w"))
        room = await room_of(doc_b, lambda ps: ps)
        assert room["patients"][0]["session_id"] == "s-w"
        assert "asked_for_you" not in room["patients"][0]
        assert hub.patients["cabin-test-01"].since == since
        assert "doctor" not in await recv(ws, "queue")
        await ws.close()
    await doc_b.close()
    await http_b.close()


@pytest.mark.asyncio
async def test_a_doctor_offline_at_the_checkin_is_said_at_once(portal: server.Running) -> None:
    async with aiohttp.ClientSession() as http:
        ws = await cabin(http, portal.url)
        await ws.send_str(protocol.signal("checkin", session_id="s-o", doctor_id="dr-b", **NURSE))
        assert (await recv(ws, "direct"))["state"] == "waiting"
        assert (await recv(ws, "queue"))["doctor"] == "offline"
        await ws.close()
