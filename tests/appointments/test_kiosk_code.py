"""Check-in without a card: the booking code typed at the kiosk, through the whole cabin.

Real parts: the portal with appointments (SQLite and PostgreSQL), the kiosk's
:class:`~kiosk.cabin.Cabin` with its :class:`CabinCall` on the portal's WebSocket, the
session machine. No card reader: the patient has no card.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from kiosk import config as config_mod
from kiosk.cabin import Cabin
from kiosk.call import CabinCall, CallOptions
from kiosk.session import (
    BeneficiaryChosen,
    BookingCodeRequested,
    CardInserted,
    CardRead,
    CleaningConfirmed,
    ConsentGiven,
    EndSession,
    State,
)
from portal import server
from tests.appointments.conftest import appointments_config
from tests.appointments.helpers import AUTH, booking, next_slot, post
from tests.core.helpers import beneficiary
from tests.helpers.waiting import until
from tests.portal.conftest import CABIN_ID, CABIN_TOKEN

pytestmark = pytest.mark.asyncio


@contextlib.asynccontextmanager
async def kiosk_at(url: str, spool: Path) -> AsyncIterator[Cabin]:
    """A started cabin (no card reader, no printer) connected to the portal at ``url``."""
    base = config_mod.load(config_mod.project_config("demo"))
    cfg = replace(
        base,
        cabin=replace(base.cabin, id=CABIN_ID),
        session=replace(base.session, spool_dir=str(spool)),
        devices={},
    )
    call = CabinCall(
        CallOptions(portal_url=url, cabin_id=CABIN_ID, token=CABIN_TOKEN, synthetic_media=True)
    )
    cabin = Cabin(cfg, card=False, call=call, tick=False)
    await cabin.start()
    try:
        await until(lambda: cabin.takes_booking_codes, "the portal's welcome with a check-in key")
        yield cabin
    finally:
        await cabin.stop()


def status(cabin: Cabin) -> dict[str, Any]:
    return cabin.booking_code_status or {}


async def test_booking_code_typed_at_the_kiosk_checks_the_patient_in_first(
    booking_portal: server.Running, shm_spool: Path
) -> None:
    url, slot = booking_portal.url, next_slot()
    hub = booking_portal.app[server.HUB]
    async with aiohttp.ClientSession() as http:
        _, booked = await post(http, url, booking("code-1", slot))
    async with kiosk_at(url, shm_spool) as cabin:
        session = cabin.session
        session.send(BookingCodeRequested())
        assert session.state is State.BOOKING_CODE
        assert not cabin.submit_booking_code("   ")  # nothing typed: nothing asked

        # a wrong code: the screen says so, the session waits for another try
        assert cabin.submit_booking_code("WRONG1")
        assert status(cabin)["state"] == "checking"
        assert not cabin.submit_booking_code("WRONG2")  # one check at a time
        await until(lambda: status(cabin).get("state") == "refused", "the wrong code refused")
        assert status(cabin)["reason"] == "bad_code" and status(cabin)["walk_in"] is True
        assert session.state is State.BOOKING_CODE and not hub.patients

        # the right code, typed as a patient would (lower case, a space): on to consent
        typed = booked["code"][:3].lower() + " " + booked["code"][3:]
        assert cabin.submit_booking_code(typed)
        await until(lambda: session.state is State.CONSENT, "consent after the right code")
        assert session.data is not None and session.data.without_card
        assert session.data.booking_code == booked["code"]
        assert not hub.patients  # no one in the room before consent

        session.send(ConsentGiven())
        await until(lambda: cabin.checkin_answer is not None, "the check-in answer")
        assert cabin.checkin_answer is not None and cabin.checkin_answer["booked"] is True
        assert cabin.checkin_answer["slot_start"] == slot.strftime("%H:%M")
        room = hub.snapshot("dr-a")["patients"]
        assert [p["session_id"] for p in room] == [session.session_id]
        assert room[0]["booked"] is True
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"{url}/api/appointments/code-1", headers=AUTH) as r,
        ):
            assert (await r.json())["status"] == "checked_in"


async def test_wrong_codes_are_rate_limited_then_walk_in_is_offered(
    booking_portal: server.Running, shm_spool: Path
) -> None:
    async with kiosk_at(booking_portal.url, shm_spool) as cabin:
        cabin.session.send(BookingCodeRequested())
        reasons = []
        for attempt in range(6):
            assert cabin.submit_booking_code(f"WRONG{attempt}")
            await until(lambda: status(cabin).get("state") == "refused", "a refusal")
            reasons.append(status(cabin)["reason"])
        assert reasons == ["bad_code"] * 5 + ["rate_limited"]
        # this cabin sees walk-ins: the patient may wait without an appointment
        assert cabin.continue_without_card()
        assert cabin.session.state is State.CONSENT
        assert cabin.session.data is not None and cabin.session.data.booking_code == ""
        cabin.session.send(ConsentGiven())
        await until(lambda: cabin.checkin_answer is not None, "the check-in answer")
        assert cabin.checkin_answer is not None and cabin.checkin_answer["walk_in"] is True


async def test_no_appointment_at_a_cabin_without_walk_ins_ends_the_session(
    database_url: str, shm_spool: Path
) -> None:
    running = await server.start(
        appointments_config(database_url, walk_ins=False), host="127.0.0.1", port=0
    )
    try:
        async with kiosk_at(running.url, shm_spool) as cabin:
            session = cabin.session
            session.send(BookingCodeRequested())
            assert cabin.submit_booking_code("WRONG1")
            await until(lambda: status(cabin).get("state") == "refused", "the refusal")
            assert status(cabin)["walk_in"] is False and status(cabin)["booking_site"]
            assert not cabin.takes_walk_ins
            assert not cabin.continue_without_card()  # no walk-ins here
            assert session.state is State.BOOKING_CODE
            session.send(EndSession())
            session.send(EndSession())
            session.send(CleaningConfirmed())

            # a card without appointment: checked in, then sent to book, the session ends
            for event in (
                CardInserted(),
                CardRead((beneficiary(0),)),
                BeneficiaryChosen(0),
                ConsentGiven(),
            ):
                session.send(event)
            await until(lambda: session.state is State.GOODBYE, "goodbye without appointment")
            answer = cabin.checkin_answer
            assert answer is not None and answer["walk_in"] is False and answer["booking_site"]
    finally:
        await running.stop()


async def test_a_walk_in_cabin_takes_a_patient_without_card_nor_code(
    booking_portal: server.Running, shm_spool: Path
) -> None:
    async with kiosk_at(booking_portal.url, shm_spool) as cabin:
        assert cabin.takes_walk_ins  # said in the portal's welcome
        cabin.session.send(BookingCodeRequested())
        assert cabin.continue_without_card()
        assert cabin.session.state is State.CONSENT
        assert cabin.session.data is not None and cabin.session.data.without_card
        assert cabin.session.data.booking_code == ""


async def test_no_answer_from_the_portal_is_said_and_the_patient_may_retry(
    booking_portal: server.Running, shm_spool: Path
) -> None:
    async with kiosk_at(booking_portal.url, shm_spool) as cabin:
        cabin.session.send(BookingCodeRequested())
        assert cabin.call is not None
        await cabin.call.link.close()  # the portal link is gone
        assert cabin.submit_booking_code("ACD346")
        await until(lambda: status(cabin).get("state") == "refused", "the refusal")
        assert status(cabin)["reason"] == "no_answer"
        assert cabin.session.state is State.BOOKING_CODE
