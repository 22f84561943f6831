"""Acceptance: book through the API, the SMS reaches the SMSC, the patient's Carte Vitale is
read at the kiosk, the portal matches the appointment, the patient is first in the room.

Real parts: the portal on SQLite or PostgreSQL, Kannel with fakesmsc, a private pcscd with a
virtual Carte Vitale read by ``kiosk card read`` (its own process: libpcsclite binds to one
pcscd per process), the kiosk's :class:`CabinCall` on the portal's WebSocket.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Iterator

import aiohttp
import pytest

import protocol
from drivers.card import sim
from drivers.card.errors import CardError
from drivers.card.pcscd import PrivatePcscd
from drivers.types import Beneficiary
from kiosk.call import CabinCall, CallOptions
from portal import server
from tests.appointments.conftest import OTHER_CABIN, Kannel
from tests.appointments.helpers import AUTH, booking, cabin_socket, next_slot, post
from tests.portal.conftest import CABIN_ID, CABIN_TOKEN
from tests.portal.test_portal import doctor, recv

ZOE = Beneficiary(
    last_name="LEFEVRE", first_name="ZOE", birth_date="19850314", nir="285037800000178", rank=0
)
CHILD = Beneficiary(
    last_name="LEFEVRE", first_name="NOAH", birth_date="20150602", nir="285037800000178", rank=1
)


@pytest.fixture
def card_reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivatePcscd]:
    daemon = PrivatePcscd(workdir=tmp_path_factory.mktemp("pcscd"))
    try:
        daemon.start()
    except CardError as exc:
        daemon.cleanup()
        pytest.fail(f"the private pcscd (vpcd reader) could not start: {exc}")
    try:
        yield daemon
    finally:
        daemon.stop()
        daemon.cleanup()


def read_card(daemon: PrivatePcscd, timeout: float = 10.0) -> list[Beneficiary]:
    """The beneficiaries ``kiosk card read --json`` finds, retried until pcscd sees the card."""
    env = {**daemon.env(), "KIOSK_CONFIG": "/nonexistent/kiosk.toml"}
    deadline = time.monotonic() + timeout
    while True:
        done = subprocess.run(
            [sys.executable, "-m", "kiosk", "card", "read", "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode == 0:
            return [Beneficiary(**person) for person in json.loads(done.stdout)]
        if time.monotonic() > deadline:
            pytest.fail(f"kiosk card read failed: {done.stderr[-800:]}")
        time.sleep(0.2)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_booked_patient_checks_in_with_the_card_and_is_first(
    sms_portal: server.Running, kannel: Kannel, card_reader: PrivatePcscd
) -> None:
    url, slot = sms_portal.url, next_slot()
    async with aiohttp.ClientSession() as http:
        # 1. the booking site books Zoé at this cabin, in the slot about to start
        status, booked = await post(http, url, booking("e2e-1", slot, lang="fr"))
        assert status == 201

        # 2. the confirmation reaches the operator's side
        got = await kannel.until("the confirmation SMS")
        assert got[0].to == "+33612345678" and booked["code"] in got[0].text
        assert slot.strftime("%H:%M") in got[0].text

        # a walk-in arrived at another cabin before her
        walk_ws, _ = await cabin_socket(http, url, cabin_id=OTHER_CABIN, token="other-cabin-token")
        await walk_ws.send_str(protocol.signal("checkin", session_id="walk-in-1"))
        assert (await recv(walk_ws, "checked_in"))["walk_in"] is True

        # 3. her Carte Vitale (with her son on it) is inserted and read at the kiosk
        card = sim.VirtualCard(sim.family([ZOE, CHILD], name="zoe"), port=card_reader.port)
        await asyncio.to_thread(card.insert)
        try:
            people = await asyncio.to_thread(read_card, card_reader)
        finally:
            card.remove()
        chosen = next(p for p in people if p.first_name == "ZOE")

        # 4. the kiosk checks her in: the portal matches the appointment
        call = CabinCall(
            CallOptions(portal_url=url, cabin_id=CABIN_ID, token=CABIN_TOKEN, synthetic_media=True)
        )
        await call.start()
        try:
            await asyncio.wait_for(call.link.connected.wait(), 10)
            await call.check_in("kiosk-session-1", identity=chosen)
            deadline = time.monotonic() + 10
            while call.checked_in is None and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            assert call.checked_in is not None, "no checked_in answer from the portal"
            assert call.checked_in["booked"] is True
            assert call.checked_in["slot_start"] == slot.strftime("%H:%M")

            # 5. she is first in the doctor's waiting room, before the earlier walk-in
            doc_http, doc_ws = await doctor(url, "dr-a")
            try:
                deadline = time.monotonic() + 10
                room = await recv(doc_ws, "waiting_room")
                while len(room["patients"]) < 2 and time.monotonic() < deadline:
                    room = await recv(doc_ws, "waiting_room")
                sessions = [p["session_id"] for p in room["patients"]]
                assert sessions == ["kiosk-session-1", "walk-in-1"]
                assert room["patients"][0]["booked"] is True
                assert room["patients"][1]["booked"] is False
            finally:
                await doc_ws.close()
                await doc_http.close()
        finally:
            await call.close()
            await walk_ws.close()

        async with http.get(f"{url}/api/appointments/e2e-1", headers=AUTH) as r:
            assert (await r.json())["status"] == "checked_in"
