"""The "call staff" button reaches someone: the portal's pages show the call, whoever answers
tells the patient they are coming; with no portal to carry it, the screen says so.

Real parts: the portal and the kiosk's call on its WebSocket.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from harness.linkcut import CuttableLink
from kiosk.cabin import Cabin
from kiosk.call import CabinCall, CallOptions
from kiosk.session import BookingCodeRequested, CallStaff, EndSession, State
from portal import server
from tests.cabin.conftest import cabin_config
from tests.helpers.waiting import until
from tests.portal.conftest import CABIN_ID, CABIN_TOKEN


def row(running: server.Running) -> dict[str, Any]:
    rows = running.app[server.HUB].snapshot("dr-a")["cabins"]
    return next(r for r in rows if r["cabin_id"] == CABIN_ID)


@pytest.mark.asyncio
async def test_a_staff_call_is_seen_answered_and_ended(
    sims: dict[str, Any], portal: server.Running, shm_spool: Path
) -> None:
    base = cabin_config(sims)
    cfg = replace(
        base,
        cabin=replace(base.cabin, id=CABIN_ID),
        session=replace(base.session, spool_dir=str(shm_spool), require_cleaning=False),
    )
    # The cabin reaches the portal through a link the test can cut, as the demo does.
    host, port = portal.url.rsplit("//", 1)[1].rsplit(":", 1)
    link = CuttableLink(host, int(port))
    await link.start()
    call = CabinCall(
        CallOptions(
            portal_url=f"ws://127.0.0.1:{link.port}",
            cabin_id=CABIN_ID,
            token=CABIN_TOKEN,
            heartbeat_s=0.5,
        )
    )
    cabin = Cabin(cfg, call=call, card=False, tick=False)
    hub = portal.app[server.HUB]
    await cabin.start()
    try:
        await until(call.link.connected.is_set, "the portal link")
        assert cabin.staff_call == ""
        assert not await hub.staff_coming(CABIN_ID, "Pharmacie A")  # nothing to answer yet

        session = cabin.session
        session.send(BookingCodeRequested())
        session.send(CallStaff())
        await until(lambda: row(portal)["staff_call"] is not None, "the call on the pages")
        await until(lambda: call.staff_answer is not None, "the portal's receipt")
        assert cabin.staff_call == "calling"
        assert row(portal)["staff_call"]["coming"] == ""

        # The link drops: the screen cannot promise anyone; back, the call goes again.
        await link.cut()
        await until(lambda: cabin.staff_call == "unreachable", "the cut link")
        hub.cabins[CABIN_ID].staff_called_at = None  # as if the portal had restarted
        await link.restore()
        await until(
            lambda: row(portal)["staff_call"] is not None, "the call sent again", timeout=30
        )
        await until(lambda: cabin.staff_call == "calling", "the receipt again")

        # Someone at the pharmacy answers: the patient is told someone is coming.
        assert await hub.staff_coming(CABIN_ID, "Pharmacie A")
        await until(lambda: cabin.staff_call == "coming", "the answer at the cabin")
        assert call.staff_answer == {"type": "staff_answer", "state": "coming", "by": "Pharmacie A"}
        assert row(portal)["staff_call"]["coming"] == "Pharmacie A"

        # The session ends: the call with it.
        session.send(EndSession())
        session.send(EndSession())
        assert session.state is State.IDLE
        assert cabin.staff_call == ""
        await until(lambda: row(portal)["staff_call"] is None, "the call ended at the portal")
    finally:
        await cabin.stop()
        await link.close()
        shutil.rmtree(cfg.session.spool_dir, ignore_errors=True)


@pytest.mark.asyncio
async def test_without_a_portal_the_call_is_unreachable(
    sims: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = cabin_config(sims)
    cabin = Cabin(cfg, card=False, tick=False)
    await cabin.start()
    try:
        assert cabin.session.state is State.IDLE
        cabin.session.send(CallStaff())
        assert cabin.staff_call == "unreachable"
        # pressed on the idle screen, no session end takes the call away: its age does
        monkeypatch.setattr("kiosk.cabin.STAFF_CALL_MAX_S", 0.0)
        assert cabin.staff_call == ""
        assert cabin.staff_call == ""
    finally:
        await cabin.stop()
        shutil.rmtree(cfg.session.spool_dir, ignore_errors=True)
