"""A waiting patient's cabin is told its place in the queue and the expected wait."""

from __future__ import annotations

import aiohttp
import pytest

import protocol
from portal import server
from portal.config import parse as parse_portal_config
from tests.portal.conftest import CABIN_TOKEN, _cheap, portal_toml
from tests.portal.test_portal import doctor, recv

SECOND = "cabin-test-02"


def two_cabins() -> str:
    return (
        portal_toml() + f'\n[cabins.{SECOND}]\nname = "Second"\ntoken = "{_cheap(CABIN_TOKEN)}"\n'
    ).replace("heartbeat_s = 2.0", "heartbeat_s = 2.0\nconsultation_s = 600.0")


async def hello(http: aiohttp.ClientSession, url: str, cabin_id: str):
    ws = await http.ws_connect(url.replace("http", "ws") + "/ws/cabin")
    await ws.send_str(protocol.signal("hello", cabin_id=cabin_id, token=CABIN_TOKEN))
    await recv(ws, "welcome")
    return ws


@pytest.mark.asyncio
async def test_place_and_wait_follow_the_waiting_room() -> None:
    cfg = parse_portal_config(two_cabins(), source="queue-test.toml")
    running = await server.start(cfg, host="127.0.0.1", port=0)
    try:
        http_doc, doc = await doctor(running.url, "dr-a")
        async with aiohttp.ClientSession() as http:
            first = await hello(http, running.url, "cabin-test-01")
            await first.send_str(protocol.signal("checkin", session_id="s-first"))
            queue = await recv(first, "queue")
            assert (queue["session_id"], queue["position"], queue["estimate_s"]) == (
                "s-first",
                1,
                0,
            )
            second = await hello(http, running.url, SECOND)
            await second.send_str(protocol.signal("checkin", session_id="s-second"))
            queue = await recv(second, "queue")
            assert (queue["position"], queue["estimate_s"]) == (2, 600)
            # The doctor takes the first patient: the second is next, after that consultation.
            await doc.send_str(protocol.signal("take", session_id="s-first"))
            queue = await recv(second, "queue")
            while queue["position"] != 1:
                queue = await recv(second, "queue")
            assert queue["estimate_s"] == 600
            for ws in (first, second):
                await ws.close()
        await doc.close()
        await http_doc.close()
    finally:
        await running.stop()
