"""Issue #23: the bus santé's dated locations give the portal where it stands today: the
doctors' waiting room (and the staff) read "today 09:00-12:00 Place de la Mairie, ..." beside
the bus's name; a fixed cabin, or a bus on a day off, shows its name alone."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from portal import server
from portal.config import DAYS
from portal.config import parse as parse_portal_config
from portal.hours import where_today
from portal.hub import Hub
from tests.appointments.conftest import free_port
from tests.booking.conftest import BUS, site_config, site_toml
from tests.portal.conftest import DOCTORS, chromium

PARIS = ZoneInfo("Europe/Paris")


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=PARIS).timestamp()


def test_the_bus_is_where_its_location_of_the_day_says() -> None:
    cfg = site_config("sqlite+aiosqlite:///:memory:", sendsms_url="http://127.0.0.1:9/")
    tuesday, thursday, monday = "2026-12-01", "2026-12-03", "2026-11-30"
    mairie = "09:00-12:00 Place de la Mairie, 78120 Rambouillet"
    assert where_today(cfg, BUS, at(f"{tuesday}T08:00")) == mairie  # before: where it will be
    assert where_today(cfg, BUS, at(f"{tuesday}T10:30")) == mairie
    assert where_today(cfg, BUS, at(f"{tuesday}T18:00")) == mairie  # after: where it was
    assert where_today(cfg, BUS, at(f"{thursday}T15:00")) == (
        "14:00-17:00 Parking du marché, 78730 Saint-Arnoult-en-Yvelines"
    )
    assert where_today(cfg, BUS, at(f"{monday}T10:00")) == ""  # a day off
    fixed = next(c for c in cfg.cabins if c != BUS)
    assert where_today(cfg, fixed, at(f"{tuesday}T10:00")) == ""
    assert where_today(cfg, "no-such-cabin", at(f"{tuesday}T10:00")) == ""


def test_the_doctors_room_carries_it() -> None:
    cfg = site_config("sqlite+aiosqlite:///:memory:", sendsms_url="http://127.0.0.1:9/")
    hub = Hub(cfg, wall=lambda: at("2026-12-01T10:30"))
    cabins = {c["cabin_id"]: c for c in hub.snapshot("dr-a")["cabins"]}
    assert cabins[BUS]["today"] == "09:00-12:00 Place de la Mairie, 78120 Rambouillet"
    assert all(c["today"] == "" for cabin_id, c in cabins.items() if cabin_id != BUS)


@pytest.mark.asyncio
async def test_the_doctors_page_shows_where_the_bus_is_today(tmp_path: Path) -> None:
    """In the real Chromium: the cabins' table names the bus with today's place."""
    day = DAYS[datetime.now(PARIS).weekday()]
    toml = site_toml(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}", sendsms_url="http://127.0.0.1:9/")
    toml = toml.replace('"tue 09:00-12:00 | Place', f'"{day} 00:00-23:59 | Place', 1)
    port = free_port()
    running = await server.start(
        parse_portal_config(toml, source="bus.toml"), host="127.0.0.1", port=port
    )
    try:
        async with chromium(running.url, tmp_path) as page:
            await page.login("dr-a", DOCTORS["dr-a"])
            row = (
                f"return document.querySelector('#cabins tr[data-cabin=\"{BUS}\"] th')?.textContent"
            )
            text = await page.until("the bus's row", lambda: page.js(row))
            assert "00:00-23:59 Place de la Mairie, 78120 Rambouillet" in text
            assert text.startswith("Bus santé — ") and ("aujourd'hui" in text or "today" in text)
    finally:
        await running.stop()
