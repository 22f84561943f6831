"""Two real portal instances on one real Redis: a cabin on one, its doctor on the other."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

import protocol
from portal import app as portal_app
from portal import server
from portal.config import PortalConfig
from portal.config import parse as parse_portal_config
from tests.cluster.conftest import RedisServer
from tests.helpers.waiting import until
from tests.portal.conftest import DOCTORS, portal_toml
from tests.portal.test_portal import cabin, doctor, recv

Instances = tuple[server.Running, server.Running]


def clustered(url: str) -> PortalConfig:
    toml = portal_toml().replace("heartbeat_s = 2.0", "heartbeat_s = 0.5")
    toml += f'\n[cluster]\nredis_url = "{url}"\npresence_ttl_s = 1.5\n'
    return parse_portal_config(toml, source="cluster-test.toml")


@pytest_asyncio.fixture
async def instances(redis_server: RedisServer) -> AsyncIterator[Instances]:
    cfg = clustered(redis_server.url)
    a = await server.start(cfg, host="127.0.0.1", port=0)
    b = await server.start(cfg, host="127.0.0.1", port=0)
    try:
        yield a, b
    finally:
        await b.stop()
        await a.stop()


async def room_with(ws: Any, session_id: str, state: str = "waiting") -> dict[str, Any]:
    """The next waiting room showing ``session_id`` in ``state`` (within 15 s)."""
    async with asyncio.timeout(15):
        while True:
            room = await recv(ws, "waiting_room")
            patients = room["patients"]
            if any(p["session_id"] == session_id and p["state"] == state for p in patients):
                return room


@pytest.mark.asyncio
async def test_cabin_on_a_reaches_doctor_on_b_once_and_in_order(instances: Instances) -> None:
    a, b = instances
    http_doc, doc = await doctor(b.url, "dr-a")
    async with aiohttp.ClientSession() as http:
        ws = await cabin(http, a.url)
        await ws.send_str(protocol.signal("checkin", session_id="s-one"))
        room = await room_with(doc, "s-one")
        assert [(p["cabin_id"], p["mine"]) for p in room["patients"]] == [("cabin-test-01", False)]
        assert next(c for c in room["cabins"] if c["cabin_id"] == "cabin-test-01")["online"]
        # the doctor on B takes the patient whose cabin is on A
        await doc.send_str(protocol.signal("take", session_id="s-one"))
        taken = await recv(doc, "taken")
        call = await recv(ws, "call")
        assert call["call_id"] == taken["call_id"]
        call_id = call["call_id"]
        # the cabin's messages reach the doctor through Redis, each once, in order
        for n in range(30):
            await ws.send_str(protocol.signal("offer", call_id=call_id, sdp=f"v=0 {n}"))
        got = [(await recv(doc, "offer"))["sdp"] for _ in range(30)]
        assert got == [f"v=0 {n}" for n in range(30)]
        with pytest.raises(asyncio.TimeoutError):  # and no copy follows
            await recv(doc, "offer", timeout=0.5)
        # and the doctor's answer and hangup reach the cabin
        await doc.send_str(protocol.signal("answer", call_id=call_id, sdp="v=0 answer"))
        assert (await recv(ws, "answer"))["sdp"] == "v=0 answer"
        await doc.send_str(protocol.signal("hangup", call_id=call_id))
        assert (await recv(ws, "hangup"))["reason"] == "ended"
        await until(lambda: not a.app[server.HUB].patients, "the patient left the room on A")
        await ws.close()
    await doc.close()
    await http_doc.close()


@pytest.mark.asyncio
async def test_a_waiting_cabin_counts_the_other_instances_patients(
    instances: Instances,
) -> None:
    a, b = instances
    http_doc, doc = await doctor(a.url, "dr-b")
    async with aiohttp.ClientSession() as http:
        first = await cabin(http, a.url)
        await first.send_str(protocol.signal("checkin", session_id="s-first"))
        await room_with(doc, "s-first")
        # the same cabin's account on B would replace it: a second cabin needs its own id
        hub_b = b.app[server.HUB]
        assert hub_b.mesh is not None
        await until(lambda: hub_b.mesh.remote, "B sees A's patient")  # type: ignore[union-attr]
        assert hub_b.snapshot("dr-b")["patients"][0]["session_id"] == "s-first"
        assert hub_b.mesh.on_duty.keys() == {"dr-b"}
        await first.close()
    await doc.close()
    await http_doc.close()


@pytest.mark.asyncio
async def test_a_message_for_an_instance_that_died_is_refused(instances: Instances) -> None:
    a, b = instances
    http_doc, doc = await doctor(b.url, "dr-a")
    async with aiohttp.ClientSession() as http:
        ws = await cabin(http, a.url)
        await ws.send_str(protocol.signal("checkin", session_id="s-two"))
        await room_with(doc, "s-two")
        await doc.send_str(protocol.signal("take", session_id="s-two"))
        call_id = (await recv(doc, "taken"))["call_id"]
        # A dies: its beats stop and its presence goes (nothing of it withdrawn)
        mesh_a = a.app[server.HUB].mesh
        assert mesh_a is not None
        mesh_a._published.clear()
        mesh_a._present.clear()
        await mesh_a.stop()
        await doc.send_str(protocol.signal("answer", call_id=call_id, sdp="v=0"))
        error = await recv(doc, "error")
        assert (error["code"], error["ref"]) == ("not_found", "answer")

        # and A's patient leaves B's room once its cabin's presence expired
        async def empty() -> bool:
            return not (await recv(doc, "waiting_room"))["patients"]

        await until(empty, "A's patient gone from B's room", timeout=10)
        await ws.close()
    await doc.close()
    await http_doc.close()


@pytest.mark.asyncio
async def test_redis_down_at_start_stops_the_portal_naming_the_url(tmp_path: Any) -> None:
    url = f"unix://{tmp_path}/nobody.sock"
    with pytest.raises(SystemExit) as stopped:
        await server.start(clustered(url), host="127.0.0.1", port=0)
    assert url in str(stopped.value)


@pytest.mark.asyncio
async def test_redis_down_in_service_503_then_back_with_the_room(
    instances: Instances, redis_server: RedisServer
) -> None:
    a, b = instances
    async with aiohttp.ClientSession() as http:
        ws = await cabin(http, a.url)
        await ws.send_str(protocol.signal("checkin", session_id="s-three"))
        await until(lambda: b.app[server.HUB].mesh.remote, "B sees the patient")  # type: ignore[union-attr]
        redis_server.stop()

        async def health(url: str) -> int:
            async with http.get(f"{url}/api/health") as response:
                return response.status

        assert await health(a.url) == 503
        assert await health(b.url) == 503
        # the cabin is still served by its instance, and still in its room: a doctor there
        # takes the patient and hangs up, the instance deciding alone
        await ws.send_str(protocol.signal("ping"))
        await recv(ws, "pong")
        assert "cabin-test-01" in a.app[server.HUB].patients
        http_doc, doc = await doctor(a.url, "dr-a")
        await doc.send_str(protocol.signal("take", session_id="s-three"))
        call_id = (await recv(ws, "call"))["call_id"]
        await ws.send_str(protocol.signal("hangup", call_id=call_id, reason="error"))
        assert (await recv(doc, "hangup"))["reason"] == "error"
        await room_with(doc, "s-three")  # back in the room, waiting
        await doc.close()
        await http_doc.close()
        redis_server.start()  # empty: nothing persisted
        await until(lambda: _equal(health(a.url), 200), "A healthy again")
        await until(lambda: _equal(health(b.url), 200), "B healthy again")
        # the waiting room is published again: B sees the patient
        mesh_b = b.app[server.HUB].mesh
        assert mesh_b is not None
        await until(
            lambda: [e.session_id for e in mesh_b.remote] == ["s-three"], "the room is back"
        )
        await ws.close()


async def _equal(value: Any, want: Any) -> bool:
    return bool(await value == want)


@pytest.mark.asyncio
async def test_failed_logins_count_on_every_instance(instances: Instances) -> None:
    """Guessing a password by turns on two instances is refused on both at the limit (3)."""
    a, b = instances

    async def login(url: str, password: str) -> int:
        async with http.post(
            f"{url}/api/login", json={"username": "dr-b", "password": password}
        ) as response:
            return response.status

    async with aiohttp.ClientSession() as http:
        assert [await login(u, "x") for u in (a.url, a.url, b.url)] == [401, 401, 401]
        throttle_a = a.app[server.limits.GUARD].throttle
        await until(lambda: throttle_a.locked("dr-b", "127.0.0.1"), "A learns B's count")
        assert await login(a.url, DOCTORS["dr-b"]) == 429
        assert await login(b.url, DOCTORS["dr-b"]) == 429


@pytest.mark.asyncio
async def test_staff_call_on_a_answered_from_b(instances: Instances) -> None:
    a, b = instances
    mesh_b = b.app[server.HUB].mesh
    assert mesh_b is not None
    async with aiohttp.ClientSession() as http:
        ws = await cabin(http, a.url)
        await ws.send_str(protocol.signal("staff_call", active=True))
        assert (await recv(ws, "staff_answer"))["state"] == "received"
        status = await until(
            lambda: mesh_b.cabin_status("cabin-test-01")["staff_call"], "B sees the call"
        )
        assert status["coming"] == ""
        # the staff page on B answers: the patient at the cabin on A is told
        assert await portal_app._staff_coming(b.app[server.HUB], "cabin-test-01", "Pharmacie A")
        answer = await recv(ws, "staff_answer")
        assert (answer["state"], answer["by"]) == ("coming", "Pharmacie A")
        await until(
            lambda: (mesh_b.cabin_status("cabin-test-01")["staff_call"] or {}).get("coming"),
            "B sees who is coming",
        )
        await ws.send_str(protocol.signal("staff_call", active=False))
        await until(
            lambda: mesh_b.cabin_status("cabin-test-01")["staff_call"] is None, "call ended"
        )
        await ws.close()


@pytest.mark.asyncio
async def test_a_call_goes_on_when_its_cabins_instance_dies(
    instances: Instances, redis_server: RedisServer
) -> None:
    """Cabin on A, doctor on B; A dies, the cabin comes back through C with its call: the
    doctor's hangup still reaches it, and no other doctor may take the patient meanwhile."""
    a, b = instances
    c = await server.start(clustered(redis_server.url), host="127.0.0.1", port=0)
    try:
        http_doc, doc = await doctor(b.url, "dr-a")
        http_other, other = await doctor(c.url, "dr-b")
        async with aiohttp.ClientSession() as http:
            ws = await cabin(http, a.url)
            await ws.send_str(protocol.signal("checkin", session_id="s-call"))
            await room_with(doc, "s-call")
            await doc.send_str(protocol.signal("take", session_id="s-call"))
            call_id = (await recv(ws, "call"))["call_id"]
            await room_with(other, "s-call", state="taken")
            # A dies: nothing of it is withdrawn from Redis, its sockets drop
            mesh_a = a.app[server.HUB].mesh
            assert mesh_a is not None
            mesh_a._published.clear()
            mesh_a._present.clear()
            await a.stop()
            # the cabin comes back through C, its call still up (media is peer to peer)
            ws = await cabin(http, c.url)
            await ws.send_str(protocol.signal("checkin", session_id="s-call", call_id=call_id))
            hub_c = c.app[server.HUB]
            await until(
                lambda: getattr(hub_c.patients.get("cabin-test-01"), "taken_by", ""),
                "C knows the call's doctor (the same session key)",
            )
            assert hub_c.patients["cabin-test-01"].taken_by == "dr-a"
            await other.send_str(protocol.signal("take", session_id="s-call"))
            refused = await recv(other, "error")
            assert (refused["code"], refused["ref"]) == ("taken", "take")
            mine = await room_with(doc, "s-call", state="taken")
            assert mine["patients"][0]["mine"] and mine["patients"][0]["call_id"] == call_id
            # B reads the room C published (paced: within a round, 0.2 s in a burst); a
            # hangup sent before goes where the call was taken, the dead A
            mesh_b, mesh_c = b.app[server.HUB].mesh, hub_c.mesh
            assert mesh_b is not None and mesh_c is not None
            await until(
                lambda: any(e.instance == mesh_c.instance for e in mesh_b.remote), "B reads C"
            )
            await doc.send_str(protocol.signal("hangup", call_id=call_id))
            assert (await recv(ws, "hangup"))["reason"] == "ended"
            await ws.close()
        for session, sock in ((http_doc, doc), (http_other, other)):
            await sock.close()
            await session.close()
    finally:
        await c.stop()


@pytest.mark.asyncio
async def test_a_cabin_connecting_to_b_replaces_its_socket_on_a(instances: Instances) -> None:
    a, b = instances
    async with aiohttp.ClientSession() as http:
        old = await cabin(http, a.url)
        await old.send_str(protocol.signal("checkin", session_id="s-moved"))
        mesh_b = b.app[server.HUB].mesh
        assert mesh_b is not None
        await until(lambda: "cabin-test-01" in mesh_b.remote_cabins, "B sees the cabin on A")
        new = await cabin(http, b.url)
        closed = await old.receive(timeout=5)
        while closed.type == aiohttp.WSMsgType.TEXT:  # what it was told before
            closed = await old.receive(timeout=5)
        assert (closed.type, old.close_code) == (aiohttp.WSMsgType.CLOSE, 4000)
        await new.send_str(protocol.signal("checkin", session_id="s-moved"))
        mesh_a = a.app[server.HUB].mesh
        assert mesh_a is not None
        await until(lambda: [e.session_id for e in mesh_a.remote] == ["s-moved"], "A sees it on B")
        assert mesh_a.remote_cabins == {"cabin-test-01": mesh_b.instance}
        await new.close()
