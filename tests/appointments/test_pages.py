"""The doctor's waiting room (booked and walk-ins apart) and the staff page, in a real
headless Chromium against a real portal with appointments (SQLite)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio

import protocol
from portal import server
from tests.appointments.conftest import OTHER_CABIN, appointments_config
from tests.appointments.helpers import AUTH, booking, cabin_socket, key_of, next_slot, post
from tests.portal.conftest import chromium
from tests.portal.test_portal import recv

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]


@pytest_asyncio.fixture
async def sqlite_portal(tmp_path: Path) -> AsyncIterator[server.Running]:
    cfg = appointments_config(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}")
    running = await server.start(cfg, host="127.0.0.1", port=0)
    try:
        yield running
    finally:
        await running.stop()


ROWS = """return Array.from(document.querySelectorAll('#patients tbody tr')).map(
  tr => tr.className === 'room-group' ? 'group:' + tr.dataset.group
                                      : tr.dataset.session + ':' + tr.dataset.booked)"""


async def test_doctor_sees_booked_patients_apart_and_first(
    sqlite_portal: server.Running, tmp_path: Path
) -> None:
    url, slot = sqlite_portal.url, next_slot()
    async with aiohttp.ClientSession() as http:
        assert (await post(http, url, booking("p-1", slot)))[0] == 201
        walk_ws, _ = await cabin_socket(http, url, cabin_id=OTHER_CABIN, token="other-cabin-token")
        await walk_ws.send_str(protocol.signal("checkin", session_id="walk-in"))
        await recv(walk_ws, "checked_in")
        ws, welcome = await cabin_socket(http, url)
        await ws.send_str(
            protocol.signal("checkin", session_id="booked", match_key=key_of(welcome))
        )
        assert (await recv(ws, "checked_in"))["booked"] is True
        async with chromium(url, tmp_path) as page:
            await page.login("dr-a", "pass-a")
            expected = ["group:booked", "booked:yes", "group:walk-in", "walk-in:no"]
            await page.until(
                "booked and walk-ins apart", lambda: _rows_are(page, expected), timeout=10
            )
            text = await page.js("return document.querySelector('#patients tbody').textContent")
            assert slot.strftime("%H:%M") in text
        await ws.close()
        await walk_ws.close()


async def _rows_are(page, expected: list[str]) -> bool:
    return await page.js(ROWS) == expected


async def test_staff_page_books_moves_and_cancels(
    sqlite_portal: server.Running, tmp_path: Path
) -> None:
    url, slot = sqlite_portal.url, next_slot(after_min=60)
    if (slot + timedelta(minutes=15)).date() != slot.date():  # 23:45: the next one is tomorrow
        slot += timedelta(minutes=15)
    async with aiohttp.ClientSession() as http:
        assert (await post(http, url, booking("s-1", slot)))[0] == 201
        async with chromium(url, tmp_path) as page:
            await page.run(page.driver.get, url + "/staff")
            await page.until(
                "the login notice",
                lambda: page.js("return !document.getElementById('login-needed').hidden"),
            )
            await page.login("dr-a", "pass-a")
            await page.run(page.driver.get, url + "/staff")
            await page.until(
                "the staff view",
                lambda: page.js("return !document.getElementById('staff-view').hidden"),
            )
            await page.js(
                "document.getElementById('day').value = arguments[0];"
                "return window.cabineStaff.load()",
                slot.date().isoformat(),
            )
            row = f"#slots tr[data-slot='{slot.strftime('%H:%M')}']"
            state = await page.until(
                "the booked slot",
                lambda: page.js(f"return document.querySelector({row!r})?.dataset.state"),
            )
            assert state == "booked"

            # book the next free slot from the form
            other = slot + timedelta(minutes=15)
            await page.js(
                """const set = (id, v) => { document.getElementById(id).value = v; };
                   const select = document.getElementById('book-slot');
                   select.value = Array.from(select.options).find(
                     o => o.textContent === arguments[0]).value;
                   set('book-last', 'Martin'); set('book-first', 'Paul');
                   set('book-birth', '1970-01-01'); set('book-phone', '06 12 34 56 78');
                   document.getElementById('book').requestSubmit();""",
                other.strftime("%H:%M"),
            )
            other_row = f"#slots tr[data-slot='{other.strftime('%H:%M')}']"
            await page.until(
                "the staff booking",
                lambda: page.js(
                    f"return document.querySelector({other_row!r})?.dataset.state === 'booked'"
                ),
            )
            # cancel the first one (the in-page dialog answered "cancel the appointment")
            await page.click(f"{row} button.cancel")
            await page.click("#cancel-confirm")
            await page.until(
                "the slot free again",
                lambda: page.js(
                    f"return document.querySelector({row!r})?.dataset.state === 'free'"
                ),
            )
        async with http.get(f"{url}/api/appointments/s-1", headers=AUTH) as r:
            assert (await r.json())["status"] == "cancelled"
