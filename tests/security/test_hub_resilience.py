"""One peer, one bad pass or one patient who left never disturbs the others: a broadcast
reaches every doctor whatever one socket does, the waiting-room refresh outlives a failed
pass, and a session that ended leaves the room at once (nobody can take it any more)."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

import protocol
from portal import server
from tests.portal.test_portal import cabin, doctor, recv
from tests.security.conftest import security_config

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def portal(start_portal) -> server.Running:
    return await start_portal(security_config())


async def _room_with(ws: Any, session_id: str) -> dict[str, Any]:
    room = await recv(ws, "waiting_room")
    while not any(p["session_id"] == session_id for p in room["patients"]):
        room = await recv(ws, "waiting_room")
    return room


async def _room_without(ws: Any, session_id: str) -> dict[str, Any]:
    room = await recv(ws, "waiting_room")
    while any(p["session_id"] == session_id for p in room["patients"]):
        room = await recv(ws, "waiting_room")
    return room


class _BrokenSocket:
    """A doctor's socket whose sending fails in a way nobody foresaw."""

    closed = False

    async def send_str(self, _text: str) -> None:
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")


async def test_one_broken_socket_does_not_break_a_broadcast(portal: server.Running) -> None:
    hub = portal.app[server.HUB]
    broken = server.Peer(_BrokenSocket(), kind="doctor", ident="dr-b", cfg=hub.cfg)  # type: ignore[arg-type]
    hub.doctors.add(broken)
    http_a, doc_a = await doctor(portal.url, "dr-a")
    try:
        async with aiohttp.ClientSession() as http:
            cab = await cabin(http, portal.url)
            await cab.send_str(protocol.signal("checkin", session_id="sess-broadcast"))
            await _room_with(doc_a, "sess-broadcast")  # the other doctor is still told
            # and a doctor joining afterwards is welcomed as usual
            http_c, doc_c = await doctor(portal.url, "dr-a")
            await doc_c.close()
            await http_c.close()
            await cab.close()
    finally:
        hub.doctors.discard(broken)
        await doc_a.close()
        await http_a.close()
    async with aiohttp.ClientSession() as http, http.get(f"{portal.url}/api/health") as r:
        assert r.status == 200


async def test_the_refresh_loop_outlives_a_failed_pass(
    portal: server.Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = portal.app[server.HUB]
    real = hub.broadcast
    failures = []

    async def failing_once() -> None:
        if not failures:
            failures.append(1)
            raise RuntimeError("one pass fails")
        await real()

    http_a, doc_a = await doctor(portal.url, "dr-a")
    try:
        monkeypatch.setattr(hub, "broadcast", failing_once)
        # heartbeat_s is 2 s in the test config: the failed pass, then one that works
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 4 * hub.cfg.server.heartbeat_s + 2
        while not failures and loop.time() < deadline:
            await asyncio.sleep(0.05)
        assert failures, "the refresh loop made no pass"
        await recv(doc_a, "waiting_room", timeout=3 * hub.cfg.server.heartbeat_s)
    finally:
        await doc_a.close()
        await http_a.close()


@pytest.mark.parametrize("reason", ["ended", "gone"])
async def test_a_session_that_ended_leaves_the_room_at_once(
    portal: server.Running, reason: str
) -> None:
    http_a, doc_a = await doctor(portal.url, "dr-a")
    http_b, doc_b = await doctor(portal.url, "dr-b")
    try:
        async with aiohttp.ClientSession() as http:
            cab = await cabin(http, portal.url)
            await cab.send_str(protocol.signal("checkin", session_id="sess-left"))
            await _room_with(doc_b, "sess-left")
            await doc_a.send_str(protocol.signal("take", session_id="sess-left"))
            call = await recv(cab, "call")
            # the consultation ends at the cabin: out of the room, no "waiting" row left
            await cab.send_str(protocol.signal("hangup", call_id=call["call_id"], reason=reason))
            assert (await recv(doc_a, "hangup"))["reason"] == reason
            room = await _room_without(doc_b, "sess-left")
            assert all(p["session_id"] != "sess-left" for p in room["patients"])
            await doc_b.send_str(protocol.signal("take", session_id="sess-left"))
            error = await recv(doc_b, "error")
            assert error["code"] == "not_found" and error["ref"] == "take"
            # the kiosk's own checkout that follows is no error
            await cab.send_str(protocol.signal("checkout", session_id="sess-left"))
            await cab.send_str(protocol.signal("ping"))
            await recv(cab, "pong")
            await cab.close()
    finally:
        for ws, session in ((doc_a, http_a), (doc_b, http_b)):
            await ws.close()
            await session.close()


async def test_a_checkout_during_a_call_tells_its_doctor(portal: server.Running) -> None:
    http_a, doc_a = await doctor(portal.url, "dr-a")
    try:
        async with aiohttp.ClientSession() as http:
            cab = await cabin(http, portal.url)
            await cab.send_str(protocol.signal("checkin", session_id="sess-out"))
            await _room_with(doc_a, "sess-out")
            await doc_a.send_str(protocol.signal("take", session_id="sess-out"))
            call = await recv(cab, "call")
            await cab.send_str(protocol.signal("checkout", session_id="sess-out"))
            hangup = await recv(doc_a, "hangup")
            assert hangup["call_id"] == call["call_id"] and hangup["reason"] == "ended"
            await _room_without(doc_a, "sess-out")
            await cab.close()
    finally:
        await doc_a.close()
        await http_a.close()
