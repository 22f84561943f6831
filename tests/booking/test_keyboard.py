"""Issue 17's acceptance: a real Chromium books from /book to the confirmation SMS at
Kannel's fakesmsc, in French and in Arabic, with the keyboard only (Tab, Enter, Space and
typed characters), then cancels by the SMS's link."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from portal import server
from tests.appointments.conftest import Kannel, free_port
from tests.booking.browser import activate, type_in, wait_path
from tests.booking.conftest import site_config
from tests.portal.conftest import chromium

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]

LANGUAGE = {"fr": "Français", "ar": "العربية"}
CONFIRMED = {"fr": "Rendez-vous confirmé", "ar": "تم تأكيد الموعد"}
CANCELLED = {"fr": "Le rendez-vous est annulé", "ar": "تم إلغاء الموعد وتحرير الوقت"}
CODE_SMS = {"fr": "votre code de confirmation est", "ar": "رمز التأكيد الخاص بك هو"}
CANCEL_SMS = {"fr": "est annulé", "ar": "تم إلغاء موعدك"}


def spaced(text: str) -> str:
    """fakesmsc logs a UCS-2 text URL-encoded, its spaces as "+" (kept by the fixture)."""
    return text.replace("+", " ") if not text.isascii() else text


@pytest_asyncio.fixture
async def kannel_portal(tmp_path: Path, kannel: Kannel) -> AsyncIterator[server.Running]:
    port = free_port()
    cfg = site_config(
        f"sqlite+aiosqlite:///{tmp_path / 'a.db'}",
        sendsms_url=kannel.sendsms_url,
        base_url=f"http://127.0.0.1:{port}",
    )
    running = await server.start(cfg, host="127.0.0.1", port=port)
    try:
        yield running
    finally:
        await running.stop()


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_book_and_cancel_with_the_keyboard_only(
    kannel_portal: server.Running, kannel: Kannel, tmp_path: Path, lang: str
) -> None:
    url = kannel_portal.url
    async with chromium(url, tmp_path) as page:
        await page.run(page.driver.get, url + "/book")
        await wait_path(page, "/book/")
        # the language, from the header's links
        await activate(page, f'a[hreflang="{lang}"]')
        await wait_path(page, f"/book/{lang}/")
        assert await page.js("return document.documentElement.dir") == (
            "rtl" if lang == "ar" else "ltr"
        )
        # find: a postcode typed, Enter submits
        await type_in(page, "#q", "78000\n")
        await wait_path(page, "q=78000")
        await activate(page, 'a.button[href*="/cabin/cabin-test-01"]')
        await wait_path(page, "/cabin/cabin-test-01")
        # the first free slot, by Space, then the button
        await activate(page, "#slot-0", "space")
        assert await page.js("return document.getElementById('slot-0').checked")
        await activate(page, "button[type=submit]")
        await wait_path(page, "/who")
        # who: for oneself, names and birth date as on the card (Latin letters)
        await activate(page, "#who-self", "space")
        await type_in(page, "#last_name", "O'Brien-Haddad")
        await type_in(page, "#first_name", "Léa")
        await type_in(page, "#birth_day", "14")
        await type_in(page, "#birth_month", "3")
        await type_in(page, "#birth_year", "1985\n")
        await wait_path(page, "/phone")
        await type_in(page, "#phone", "06 12 34 56 78\n")
        await wait_path(page, "/code")
        got = await kannel.until("the code SMS")
        assert CODE_SMS[lang] in spaced(got[0].text) and got[0].to == "+33612345678"
        code = re.search(r"\d{6}", got[0].text)
        assert code is not None
        await type_in(page, "#code", code.group() + "\n")
        await wait_path(page, "/done")
        assert CONFIRMED[lang] in await page.js("return document.body.innerText")
        booking_code = await page.js("return document.querySelector('.code').textContent")
        # the confirmation SMS at fakesmsc: the booking code and the manage link
        got = await kannel.until("the confirmation SMS", count=2)
        confirmation = spaced(got[1].text)
        assert booking_code in confirmation and "Vitale" in confirmation
        link = re.search(r"http://\S+/b/[A-Za-z0-9_-]+", confirmation)
        assert link is not None, confirmation
        # cancel by the link: the manage page, the cancel link, the confirming button
        await page.run(page.driver.get, link.group())
        await wait_path(page, "/manage/")
        await activate(page, 'a[href$="/cancel"]')
        await wait_path(page, "/cancel")
        await activate(page, "form button[type=submit]", "space")
        await page.until(
            "the cancellation",
            lambda: page.js(
                "return document.body.innerText.includes(arguments[0])", CANCELLED[lang]
            ),
        )
        got = await kannel.until("the cancellation SMS", count=3)
        assert CANCEL_SMS[lang] in spaced(got[2].text) and booking_code in got[2].text
