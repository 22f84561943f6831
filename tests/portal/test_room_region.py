"""A region's portal: the doctor's waiting room lists the head of the line and the cabins that
concern the doctor, with the totals, and stays under the signalling size bound."""

from __future__ import annotations

import json

import aiohttp
import pytest

import protocol
from portal import room_view, server
from portal.config import parse as parse_portal_config
from tests.portal.conftest import CABIN_TOKEN, _cheap, portal_toml
from tests.portal.test_portal import doctor, recv

CABINS = room_view.ALL_CABINS_UP_TO + 30
WAITING = room_view.PATIENTS_LISTED + 10


def region_toml() -> str:
    token = _cheap(CABIN_TOKEN)
    extra = "".join(f'\n[cabins.r-{n:03d}]\ntoken = "{token}"\n' for n in range(CABINS))
    return (
        portal_toml().replace(
            "[limits]\n", "[limits]\nmax_connections_per_source = 1000\nmax_connections = 1000\n"
        )
        + extra
    )


def test_the_head_of_the_line_keeps_the_doctors_own_call() -> None:
    rows = [{"cabin_id": f"c{n}", "mine": n == 95} for n in range(100)]
    listed = room_view.head(rows)
    assert [r["cabin_id"] for r in listed] == [f"c{n}" for n in range(80)] + ["c95"]
    assert room_view.head(rows[:5]) == rows[:5]


def test_a_small_site_lists_every_cabin() -> None:
    counts = room_view.Counts(frozenset({"b", "a", "c"}), online=1)
    assert room_view.cabins_listed(counts, [], []) == ["a", "b", "c"]
    big = room_view.Counts(frozenset(f"c{n}" for n in range(500)), online=3)
    assert room_view.cabins_listed(big, [{"cabin_id": "c7"}], ["c9"]) == ["c7", "c9"]


@pytest.mark.asyncio
async def test_a_regions_room_is_its_head_and_the_cabins_concerned() -> None:
    cfg = parse_portal_config(region_toml(), source="region-test.toml")
    running = await server.start(cfg, host="127.0.0.1", port=0)
    sockets = []
    try:
        http_doc, doc = await doctor(running.url, "dr-a")
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            url = running.url.replace("http", "ws") + "/ws/cabin"
            for n in range(WAITING + 1):
                ws = await http.ws_connect(url)
                await ws.send_str(
                    protocol.signal("hello", cabin_id=f"r-{n:03d}", token=CABIN_TOKEN)
                )
                await recv(ws, "welcome")
                sockets.append(ws)
            for n, ws in enumerate(sockets[:WAITING]):
                await ws.send_str(protocol.signal("checkin", session_id=f"s-{n:03d}"))
                await recv(ws, "queue")
            # the last cabin has no patient, but its patient pressed "call staff" (a cabin
            # with a staff call concerns every doctor: it is listed)
            await sockets[-1].send_str(protocol.signal("staff_call", active=True))
            last = f"s-{WAITING - 1:03d}"
            await doc.send_str(protocol.signal("take", session_id=last))
            await recv(doc, "taken")
            for _ in range(50):  # the broadcasts are coalesced: the latest room holds it all
                msg = await doc.receive(timeout=5)
                room = json.loads(msg.data)
                if (
                    room["type"] == "waiting_room"
                    and room["cabins_online"] == WAITING + 1
                    and any(c["staff_call"] for c in room["cabins"])
                    and any(p["mine"] for p in room["patients"])
                ):
                    break
            else:
                raise AssertionError("no waiting room with the staff call and the doctor's call")
            assert len(msg.data.encode()) < protocol.MAX_SIGNAL_BYTES
            ids = [p["session_id"] for p in room["patients"]]
            head = [f"s-{n:03d}" for n in range(room_view.PATIENTS_LISTED)]
            assert ids == [*head, last]  # the head of the line, then the doctor's own call
            assert room["patients_total"] == WAITING
            assert (room["cabins_total"], room["cabins_online"]) == (len(cfg.cabins), WAITING + 1)
            listed = {c["cabin_id"] for c in room["cabins"]}
            want = {p["cabin_id"] for p in room["patients"]} | {f"r-{WAITING:03d}"}
            assert listed == want
            async with http.get(f"{running.url}/api/health") as r:
                assert (await r.json())["cabins_online"] == WAITING + 1
            for ws in sockets:
                await ws.close()
        await doc.close()
        await http_doc.close()
    finally:
        await running.stop()
