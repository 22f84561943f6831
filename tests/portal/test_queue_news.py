"""With the queue, a waiting cabin learns how many doctors are on duty (none: it apologises
at once), whether it is within its opening hours, and where to book instead of waiting."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import aiohttp
import pytest

import protocol
from portal import server
from portal.config import HoursConfig
from portal.config import parse as parse_portal_config
from portal.hours import is_open
from tests.portal.conftest import CABIN_ID, portal_toml
from tests.portal.test_portal import doctor, recv
from tests.portal.test_queue import hello

EVERY_DAY = '["mon", "tue", "wed", "thu", "fri", "sat", "sun"]'


def paris(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Europe/Paris")).timestamp()


def test_opening_hours_in_the_cabins_own_time_zone() -> None:
    hours = HoursConfig(days=("mon", "tue"), opens="08:30", closes="18:00")
    assert is_open(hours, paris("2026-03-02T08:30"))  # a Monday, opening
    assert is_open(hours, paris("2026-03-03T17:59"))
    assert not is_open(hours, paris("2026-03-02T08:29"))
    assert not is_open(hours, paris("2026-03-02T18:00"))  # closed at closing time
    assert not is_open(hours, paris("2026-03-04T10:00"))  # a Wednesday
    # 07:30 UTC is 08:30 in Paris (winter), 11:30 in La Réunion
    reunion = HoursConfig(timezone="Indian/Reunion", days=("mon",), opens="09:00", closes="11:00")
    assert not is_open(reunion, paris("2026-03-02T08:30"))
    assert is_open(reunion, paris("2026-03-02T07:30"))


@pytest.mark.asyncio
async def test_the_queue_says_doctors_on_duty_hours_and_booking_site() -> None:
    toml = (
        portal_toml()
        + '\n[appointments]\nbooking_site = "rdv.example.org"\n'
        + f'[hours.{CABIN_ID}]\ndays = {EVERY_DAY}\nopens = "00:00"\ncloses = "23:59"\n'
    )
    cfg = parse_portal_config(toml, source="queue-news.toml")
    running = await server.start(cfg, host="127.0.0.1", port=0)
    try:
        async with aiohttp.ClientSession() as http:
            cabin = await hello(http, running.url, CABIN_ID)
            await cabin.send_str(protocol.signal("checkin", session_id="s-alone"))
            queue = await recv(cabin, "queue")
            # nobody logged in: the cabin may apologise at once
            assert queue["doctors"] == 0
            assert queue["booking_site"] == "rdv.example.org"
            assert queue["open"] is is_open(cfg.hours[CABIN_ID], time.time())
            http_doc, doc = await doctor(running.url, "dr-a")
            queue = await recv(cabin, "queue")
            assert queue["doctors"] == 1
            # the last doctor leaves: the waiting cabin is told at once
            await doc.close()
            await http_doc.close()
            queue = await recv(cabin, "queue")
            assert queue["doctors"] == 0
            await cabin.close()
    finally:
        await running.stop()


@pytest.mark.asyncio
async def test_without_hours_nor_site_the_queue_says_only_the_doctors(portal) -> None:
    async with aiohttp.ClientSession() as http:
        cabin = await hello(http, portal.url, CABIN_ID)
        await cabin.send_str(protocol.signal("checkin", session_id="s-plain"))
        queue = await recv(cabin, "queue")
        assert queue["doctors"] == 0
        assert "open" not in queue and "booking_site" not in queue
        await cabin.close()
