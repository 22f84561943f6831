"""Issue #18, item 3: the staff page names where the bus santé stands today under its name in
the cabins' table (as the doctors' waiting room does), in French and English; a fixed cabin
shows its name alone. In the real Chromium, axe-core clean."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from portal import server
from portal.config import DAYS
from portal.config import parse as parse_portal_config
from tests.appointments.conftest import free_port
from tests.booking.conftest import BUS, site_toml
from tests.e2e import axe
from tests.portal.conftest import CABIN_ID, DOCTORS, chromium

PARIS = ZoneInfo("Europe/Paris")
PLACE = "00:00-23:59 Place de la Mairie, 78120 Rambouillet"


def _row(cabin_id: str) -> str:
    return f'#cabin-table tr[data-cabin="{cabin_id}"]'


@pytest.mark.asyncio
@pytest.mark.slow
async def test_the_staff_page_shows_where_the_bus_is_today(tmp_path: Path) -> None:
    day = DAYS[datetime.now(PARIS).weekday()]
    toml = site_toml(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}", sendsms_url="http://127.0.0.1:9/")
    toml = toml.replace('"tue 09:00-12:00 | Place', f'"{day} 00:00-23:59 | Place', 1)
    running = await server.start(
        parse_portal_config(toml, source="bus.toml"), host="127.0.0.1", port=free_port()
    )
    try:
        async with chromium(running.url, tmp_path) as page:
            await page.login("dr-a", DOCTORS["dr-a"])
            await page.run(page.driver.get, running.url + "/staff")
            await page.click('button.lang[data-lang="fr"]')
            where = f"return document.querySelector('{_row(BUS)} .cabin-today')?.textContent"
            assert await page.until("the bus's place", lambda: page.js(where)) == (
                f"aujourd'hui {PLACE}"
            )
            name = f"return document.querySelector('{_row(BUS)} td').textContent"
            assert (await page.js(name)).startswith("Bus santé")
            fixed = f"return document.querySelector('{_row(CABIN_ID)} .cabin-today')"
            assert await page.until("the fixed cabin's row", lambda: page.js(
                f"return !!document.querySelector('{_row(CABIN_ID)}')"
            ))  # fmt: skip
            assert await page.js(fixed) is None  # a fixed cabin: its name alone
            found = await axe.violations(page)
            assert not found, f"axe-core on the staff page:\n{axe.readable(found)}"
            if os.environ.get("CABINE_SHOTS"):  # for a person to look at
                await page.run(page.driver.save_screenshot, f"{os.environ['CABINE_SHOTS']}/fr.png")
            await page.click('button.lang[data-lang="en"]')
            await page.until(
                "the place in English", lambda: page.js(where + f" === 'today {PLACE}'")
            )
            if os.environ.get("CABINE_SHOTS"):
                await page.run(page.driver.save_screenshot, f"{os.environ['CABINE_SHOTS']}/en.png")
    finally:
        await running.stop()
