"""Item 4: after a portal restart, no other doctor can take a consultation in progress.

A cabin keeps its call through a portal restart (the call is peer to peer) and checks in
again with its call id. It used to come back with no owner, shown as waiting: any doctor
could take it. Now the call id names its doctor (under the session key); without a stable
key, the patient stays "in a call" until its doctor answers or a grace time passes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest

import protocol
from portal import server
from portal.config import PortalConfig
from tests.helpers.waiting import until
from tests.portal.test_portal import recv
from tests.security.conftest import (
    CABIN_ID,
    DOCTORS,
    client,
    hello,
    login,
    security_config,
)

Start = Callable[[PortalConfig], Awaitable[server.Running]]


async def _doctor(url: str, name: str) -> tuple[aiohttp.ClientSession, Any]:
    http = client()
    assert await login(http, url, name, DOCTORS[name]) == 200
    ws = await http.ws_connect(url.replace("http", "ws") + "/ws/doctor")
    await recv(ws, "waiting_room")
    return http, ws


async def _call_before_restart(start: Start, cfg: PortalConfig) -> tuple[str, server.Running]:
    """dr-a takes the patient of session "s-restart"; then the portal stops. Returns the
    call id the cabin holds, and a new portal on the same config."""
    first = await start(cfg)
    http_a, doc_a = await _doctor(first.url, "dr-a")
    async with client() as http:
        cab, welcome = await hello(http, first.url)
        assert welcome["type"] == "welcome"
        await cab.send_str(protocol.signal("checkin", session_id="s-restart"))
        await recv(cab, "queue")
        await doc_a.send_str(protocol.signal("take", session_id="s-restart"))
        call_id = (await recv(cab, "call"))["call_id"]
        await cab.close()
    await doc_a.close()
    await http_a.close()
    await first.stop()
    return call_id, await start(cfg)


def _row(room: dict[str, Any]) -> dict[str, Any] | None:
    return next((p for p in room["patients"] if p["session_id"] == "s-restart"), None)


async def _room_with_patient(ws: Any) -> dict[str, Any]:
    room = await recv(ws, "waiting_room")
    while _row(room) is None:
        room = await recv(ws, "waiting_room")
    return room


@pytest.mark.asyncio
async def test_the_call_id_names_its_doctor_after_a_restart(start_portal: Start) -> None:
    call_id, portal = await _call_before_restart(start_portal, security_config())
    http_b, doc_b = await _doctor(portal.url, "dr-b")
    http_a, doc_a = await _doctor(portal.url, "dr-a")
    async with client() as http:
        cab, _ = await hello(http, portal.url)
        await cab.send_str(protocol.signal("checkin", session_id="s-restart", call_id=call_id))
        room_b = await _room_with_patient(doc_b)
        row = _row(room_b)
        assert row is not None
        assert (row["state"], row["mine"], row["call_id"]) == ("taken", False, "")
        row = _row(await _room_with_patient(doc_a))
        assert row is not None
        assert (row["state"], row["mine"], row["call_id"]) == ("taken", True, call_id)
        # dr-b cannot take it; its doctor still relays and ends the call
        await doc_b.send_str(protocol.signal("take", session_id="s-restart"))
        assert (await recv(doc_b, "error"))["code"] == "taken"
        await cab.send_str(protocol.signal("offer", call_id=call_id, sdp="v=0 after restart"))
        assert (await recv(doc_a, "offer"))["sdp"] == "v=0 after restart"
        await doc_a.send_str(protocol.signal("hangup", call_id=call_id))
        assert (await recv(cab, "hangup"))["call_id"] == call_id
        await cab.close()
    for ws, http in ((doc_a, http_a), (doc_b, http_b)):
        await ws.close()
        await http.close()


def _no_stable_key(grace_s: float) -> PortalConfig:
    cfg = security_config(reclaim_grace_s=grace_s)
    return dataclasses.replace(cfg, server=dataclasses.replace(cfg.server, session_secret=""))


@pytest.mark.asyncio
async def test_without_a_stable_key_the_call_waits_for_its_doctor(start_portal: Start) -> None:
    call_id, portal = await _call_before_restart(start_portal, _no_stable_key(600.0))
    http_b, doc_b = await _doctor(portal.url, "dr-b")
    async with client() as http:
        cab, _ = await hello(http, portal.url)
        await cab.send_str(protocol.signal("checkin", session_id="s-restart", call_id=call_id))
        row = _row(await _room_with_patient(doc_b))
        assert row is not None and row["state"] == "taken"  # in a call, not waiting
        await doc_b.send_str(protocol.signal("take", session_id="s-restart"))
        assert (await recv(doc_b, "error"))["code"] == "taken"
        # its doctor answers with the call id it holds: the call is theirs again
        http_a, doc_a = await _doctor(portal.url, "dr-a")
        await doc_a.send_str(protocol.signal("answer", call_id=call_id, sdp="v=0 answer"))
        assert (await recv(cab, "answer"))["sdp"] == "v=0 answer"
        hub = portal.app[server.HUB]
        assert hub.patients[CABIN_ID].taken_by == "dr-a"
        await doc_b.send_str(protocol.signal("take", session_id="s-restart"))
        assert (await recv(doc_b, "error"))["code"] == "taken"
        await cab.close()
        await doc_a.close()
        await http_a.close()
    await doc_b.close()
    await http_b.close()


@pytest.mark.asyncio
async def test_an_unclaimed_call_is_released_after_the_grace_time(start_portal: Start) -> None:
    call_id, portal = await _call_before_restart(start_portal, _no_stable_key(0.5))
    http_b, doc_b = await _doctor(portal.url, "dr-b")
    async with client() as http:
        cab, _ = await hello(http, portal.url)
        await cab.send_str(protocol.signal("checkin", session_id="s-restart", call_id=call_id))
        await _room_with_patient(doc_b)
        hub = portal.app[server.HUB]

        def released() -> bool:
            row = _row(hub.snapshot("dr-b"))
            return row is not None and row["state"] == "waiting"

        await until(released, "the grace time passes", timeout=5)
        await doc_b.send_str(protocol.signal("take", session_id="s-restart"))
        taken = await recv(doc_b, "taken")
        hangup = await recv(cab, "hangup")  # the old call is over for the cabin
        assert (hangup["call_id"], hangup["reason"]) == (call_id, "restart")
        assert (await recv(cab, "call"))["call_id"] == taken["call_id"] != call_id
        await cab.close()
    await doc_b.close()
    await http_b.close()
