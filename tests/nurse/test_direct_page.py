"""A nurse calls one doctor directly, on the doctors' pages: two real headless Chromiums, the
named doctor sees "asked for you" and takes the patient, the other doctor's list does not
show them; no WCAG A/AA violation found by axe-core on the marked waiting room."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

import protocol
from portal import server
from tests.e2e import axe
from tests.nurse.test_direct_portal import NURSE, portal  # noqa: F401 - the portal
from tests.portal.conftest import DOCTORS, chromium
from tests.portal.test_portal import cabin, recv

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

ROW = "document.querySelector('#patients tr[data-session=\"s-direct\"]')"


async def test_the_named_doctor_sees_asked_for_you_and_takes_the_other_does_not_see(
    portal: server.Running,  # noqa: F811
    tmp_path: Path,
) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
    async with (
        chromium(portal.url, tmp_path / "a") as page_a,
        chromium(portal.url, tmp_path / "b") as page_b,
        aiohttp.ClientSession() as http,
    ):
        for page, login in ((page_a, "dr-a"), (page_b, "dr-b")):
            await page.login(login, DOCTORS[login])
            await page.click("button.lang[data-lang='fr']")
        ws = await cabin(http, portal.url)
        # the nurse calls dr-a
        await ws.send_str(protocol.signal("checkin", session_id="s-direct", doctor_id="dr-a",
                                          **NURSE))  # fmt: skip
        assert (await recv(ws, "direct"))["state"] == "waiting"
        await page_a.until("the marked row", lambda: page_a.js(f"return !!{ROW}"))
        mark = await page_a.js(f"return {ROW}.querySelector('.asked-mark').textContent")
        assert mark == "Demandé pour vous — Awa Diallo, infirmier·ère"
        assert await page_a.js(f"return {ROW}.classList.contains('asked-for-you')")
        assert await page_a.js(
            "return document.querySelector('#patients tbody tr[data-session]')"
            ".dataset.session === 's-direct'"
        )  # first in the list
        described = await page_a.js(
            f"return {ROW}.querySelector('button.take').getAttribute('aria-describedby')"
        )
        assert described == "asked-s-direct"
        await page_a.screenshot(tmp_path / "doctor-a-asked-for-you.png")
        found = await axe.violations(page_a)
        assert not found, f"axe-core on the marked waiting room:\n{axe.readable(found)}"
        # the other doctor's page: the room says no patient
        await page_b.until(
            "dr-b's room read",
            lambda: page_b.js("return !document.getElementById('no-patient').hidden"),
        )
        assert not await page_b.js(f"return !!{ROW}")
        # English
        await page_a.click("button.lang[data-lang='en']")
        await page_a.until(
            "the English mark",
            lambda: page_a.js(
                f"return {ROW}.querySelector('.asked-mark').textContent"
                " === 'Asked for you — Awa Diallo, nurse'"
            ),
        )
        # the named doctor takes: the cabin is called
        await page_a.click("#patients tr[data-session='s-direct'] button.take")
        call = await recv(ws, "call", timeout=10)
        assert call["session_id"] == "s-direct"
        assert portal.app[server.HUB].patients["cabin-test-01"].taken_by == "dr-a"
        await ws.close()
