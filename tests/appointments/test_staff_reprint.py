"""Issue #20 item 5, the portal's part: the cabin's heartbeats say how many papers a printer
fault kept (a count and a time, never the papers); the staff's "Reprint now" sends the cabin
the command only; its answer shows for a while. A real portal and a cabin's real socket."""

from __future__ import annotations

import pytest

import protocol
from portal import server
from portal.hub import REPRINT_ANSWER_S, REPRINT_SHOWN_S
from tests.appointments.conftest import OTHER_CABIN
from tests.appointments.helpers import cabin_socket
from tests.appointments.test_staff_accounts import call, jar, log_in
from tests.appointments.test_staff_calls import OTHER_TOKEN, cabins_of
from tests.helpers.waiting import until
from tests.portal.conftest import CABIN_ID, STAFF
from tests.portal.test_portal import recv


@pytest.mark.asyncio
async def test_papers_waiting_the_reprint_command_and_its_answer(
    booking_portal: server.Running,
) -> None:
    url = booking_portal.url
    hub = booking_portal.app[server.HUB]
    now = [1000.0]
    hub.clock = lambda: now[0]
    reprint = f"{url}/api/staff/cabins/{CABIN_ID}/reprint"
    async with jar() as http:
        ws, _ = await cabin_socket(http, url)
        await log_in(http, url, *STAFF)
        assert (await cabins_of(http, url))[CABIN_ID]["papers"] is None
        status, body = await call(http, "POST", reprint)
        assert (status, body["error"]) == (409, "no_papers")  # nothing is waiting

        since = "2026-12-03T10:42:00+00:00"
        await ws.send_str(protocol.signal("heartbeat", papers_held=2, papers_since=since))
        await until(lambda: hub.cabins[CABIN_ID].papers_held == 2, "the heartbeat", timeout=5)
        papers = (await cabins_of(http, url))[CABIN_ID]["papers"]
        assert papers == {"count": 2, "since": since, "reprint": ""}

        assert await call(http, "POST", reprint) == (200, {"ok": True, "sent": True})
        assert (await recv(ws, "reprint")) == {"type": "reprint"}  # the command, nothing else
        assert (await cabins_of(http, url))[CABIN_ID]["papers"]["reprint"] == "sent"

        # the printer still refuses: the papers stay, the staff sees why
        await ws.send_str(protocol.signal("reprint_result", state="failed", detail="paper_out"))
        await until(lambda: hub.cabins[CABIN_ID].reprint != "sent", "the answer", timeout=5)
        papers = (await cabins_of(http, url))[CABIN_ID]["papers"]
        assert papers == {"count": 2, "since": since, "reprint": "failed: paper_out"}

        # again, and printed: nothing waits, the word "printed" shows for a while
        assert (await call(http, "POST", reprint))[0] == 200
        await recv(ws, "reprint")
        await ws.send_str(protocol.signal("reprint_result", state="printed"))
        await until(lambda: hub.cabins[CABIN_ID].reprint == "printed", "printed", timeout=5)
        await ws.send_str(protocol.signal("heartbeat", papers_held=0))
        papers = (await cabins_of(http, url))[CABIN_ID]["papers"]
        assert papers == {"count": 0, "since": "", "reprint": "printed"}
        status, body = await call(http, "POST", reprint)
        assert (status, body["error"]) == (409, "no_papers")
        now[0] += REPRINT_SHOWN_S + 1
        assert (await cabins_of(http, url))[CABIN_ID]["papers"] is None

        # a command the cabin never answers: the staff may ask again after a while
        await ws.send_str(protocol.signal("heartbeat", papers_held=1, papers_since=since))
        await until(lambda: hub.cabins[CABIN_ID].papers_held == 1, "new papers", timeout=5)
        assert (await call(http, "POST", reprint))[0] == 200
        now[0] += REPRINT_ANSWER_S + 1
        assert (await cabins_of(http, url))[CABIN_ID]["papers"]["reprint"] == ""

        # offline: not sent; another cabin's papers are not this login's to reprint
        await ws.close()
        await until(lambda: hub.cabins[CABIN_ID].peer is None, "the cabin offline", timeout=5)
        assert await call(http, "POST", reprint) == (200, {"ok": True, "sent": False})
        other, _ = await cabin_socket(http, url, cabin_id=OTHER_CABIN, token=OTHER_TOKEN)
        status, body = await call(http, "POST", f"{url}/api/staff/cabins/{OTHER_CABIN}/reprint")
        assert (status, body["error"]) == (403, "forbidden_cabin")
        await other.close()
