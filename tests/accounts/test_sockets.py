"""Disabling a cabin or a doctor closes its sockets within seconds: at once on the instance
that disabled it, within a look (~2 s) on another instance sharing the database; the cabin's
next hello is refused, and an enabled cabin comes back."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import aiohttp
import pytest

import protocol
from portal import server
from portal.accounts.service import REFRESH_S
from portal.accounts.web import ACCOUNTS
from tests.appointments.conftest import appointments_config
from tests.portal.conftest import CABIN_ID, CABIN_TOKEN
from tests.portal.test_portal import doctor, recv

pytestmark = pytest.mark.asyncio


async def cabin(http: aiohttp.ClientSession, url: str) -> aiohttp.ClientWebSocketResponse:
    ws = await http.ws_connect(url.replace("http", "ws") + "/ws/cabin")
    await ws.send_str(protocol.signal("hello", cabin_id=CABIN_ID, token=CABIN_TOKEN))
    await recv(ws, "welcome")
    return ws


async def closed(ws: aiohttp.ClientWebSocketResponse, within_s: float) -> tuple[int, float]:
    """The close code the portal sent, and how long it took (messages before it skipped)."""
    start = time.monotonic()
    async with asyncio.timeout(within_s):
        while True:
            msg = await ws.receive()
            if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                return int(ws.close_code or 0), time.monotonic() - start


async def test_a_disabled_cabin_and_doctor_are_cut_off_on_every_instance(tmp_path: Path) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}"
    a = await server.start(appointments_config(database), host="127.0.0.1", port=0)
    b = await server.start(appointments_config(database), host="127.0.0.1", port=0)
    try:
        async with aiohttp.ClientSession() as http:
            # on the instance that disables it: closed at once (4003), its hello refused after
            ws = await cabin(http, a.url)
            await a.app[ACCOUNTS].set_enabled("cabin", CABIN_ID, False)
            code, took = await closed(ws, 2.0)
            assert code == 4003 and took < 1.0
            again = await http.ws_connect(a.url.replace("http", "ws") + "/ws/cabin")
            await again.send_str(protocol.signal("hello", cabin_id=CABIN_ID, token=CABIN_TOKEN))
            error = json.loads((await again.receive(timeout=5)).data)
            assert error["type"] == "error" and error["code"] == "unauthorized"
            assert (await closed(again, 5.0))[0] == 4001

            # enabled on A: B accepts it within a look; then disabled on A: B closes it
            await a.app[ACCOUNTS].set_enabled("cabin", CABIN_ID, True)
            await asyncio.sleep(REFRESH_S + 0.5)
            ws_b = await cabin(http, b.url)
            await a.app[ACCOUNTS].set_enabled("cabin", CABIN_ID, False)
            code, took = await closed(ws_b, 3 * REFRESH_S)
            assert code == 4003 and took <= 2 * REFRESH_S + 1.0

        # a doctor's socket on B, the doctor disabled on A
        http_doc, doc = await doctor(b.url, "dr-a")
        try:
            await a.app[ACCOUNTS].set_enabled("doctor", "dr-a", False)
            code, took = await closed(doc, 3 * REFRESH_S)
            assert code == 4003 and took <= 2 * REFRESH_S + 1.0
            async with http_doc.get(f"{b.url}/api/me") as response:
                assert response.status == 401  # the login cookie no longer opens anything
        finally:
            await http_doc.close()
    finally:
        await a.stop()
        await b.stop()


async def test_a_new_cabin_token_closes_the_old_connection(tmp_path: Path) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path / 'a.db'}"
    running = await server.start(appointments_config(database), host="127.0.0.1", port=0)
    try:
        async with aiohttp.ClientSession() as http:
            ws = await cabin(http, running.url)
            token = await running.app[ACCOUNTS].reset("cabin", CABIN_ID)
            assert (await closed(ws, 2.0))[0] == 4003
            fresh = await http.ws_connect(running.url.replace("http", "ws") + "/ws/cabin")
            await fresh.send_str(protocol.signal("hello", cabin_id=CABIN_ID, token=token))
            assert (await recv(fresh, "welcome"))["type"] == "welcome"
            await fresh.close()
    finally:
        await running.stop()
