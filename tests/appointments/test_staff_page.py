"""The staff page in a real headless Chromium against a real portal (SQLite): errors in the
page's words (French, English), only bookable slots offered, the move and cancel dialogs by
mouse and keyboard, the search by booking code or phone, SMS states in words; axe-core."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio

from portal import server
from tests.appointments.conftest import appointments_config
from tests.appointments.helpers import AUTH, PARIS, booking, next_slot, post
from tests.e2e import axe
from tests.portal.conftest import CABIN_ID, DoctorPage, chromium

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]

SMS_FR = {"pending": "à envoyer", "sent": "envoyé", "failed": "échec de l'envoi",
          "dropped": "non envoyé"}  # fmt: skip


@pytest_asyncio.fixture
async def sqlite_portal(tmp_path: Path) -> AsyncIterator[server.Running]:
    cfg = appointments_config(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}")
    running = await server.start(cfg, host="127.0.0.1", port=0)
    try:
        yield running
    finally:
        await running.stop()


def three_slots() -> list[datetime]:
    """Three slots in a row, an hour or more ahead, on one day."""
    slot = next_slot(after_min=60)
    while (slot + timedelta(minutes=45)).date() != slot.date():  # late evening: tomorrow
        slot += timedelta(minutes=15)
    return [slot + timedelta(minutes=15 * i) for i in range(3)]


def row(slot: datetime) -> str:
    return f"#slots tr[data-slot='{slot.strftime('%H:%M')}']"


async def open_staff_page(page: DoctorPage, url: str, day: datetime) -> None:
    await page.login("dr-a", "pass-a")
    await page.run(page.driver.get, url + "/staff")
    await page.until(
        "the staff view", lambda: page.js("return !document.getElementById('staff-view').hidden")
    )
    await page.click('button.lang[data-lang="fr"]')
    await page.js(
        "document.getElementById('day').value = arguments[0]; return window.cabineStaff.load()",
        day.date().isoformat(),
    )


async def keys(page: DoctorPage, *typed: str, css: str = "") -> None:
    """Keys typed into ``css`` (by default where the focus is), as a person would."""
    from selenium.webdriver.common.by import By

    def send() -> None:
        target = (
            page.driver.find_element(By.CSS_SELECTOR, css)
            if css
            else page.driver.switch_to.active_element
        )
        target.send_keys(*typed)

    await page.run(send)


FOCUS = "return document.activeElement && (document.activeElement.id || document.activeElement.className)"
DIALOG = "const d = document.getElementById(arguments[0]); return d.open"


async def test_errors_are_in_the_page_language_and_only_bookable_slots_are_offered(
    sqlite_portal: server.Running, tmp_path: Path
) -> None:
    url = sqlite_portal.url
    first, second, _ = three_slots()
    async with aiohttp.ClientSession() as http:
        assert (await post(http, url, booking("p-1", first)))[0] == 201
        async with http.get(
            f"{url}/api/appointments",
            params={"cabin_id": CABIN_ID, "day": first.date().isoformat()},
            headers=AUTH,
        ) as r:
            day = await r.json()
        # the API: every slot of the day, but only the free ones to come are bookable
        now = datetime.now(PARIS)
        assert first.isoformat() not in day["bookable"]
        assert all(datetime.fromisoformat(s) > now for s in day["bookable"])
        assert set(day["bookable"]) < set(day["slots"])
        async with chromium(url, tmp_path) as page:
            await open_staff_page(page, url, first)
            await page.until(
                "the booking",
                lambda: page.js(f"return document.querySelector({row(first)!r})?.dataset.state"),
            )
            offered = await page.js(
                "return Array.from(document.getElementById('book-slot').options, o => o.value)"
            )
            # what the page got from the API (read a moment after the test's own request)
            bookable = await page.js("return window.cabineStaff.state.day.bookable")
            assert offered == bookable and first.isoformat() not in bookable
            # the table: the slots to come and the appointments; a free slot begun is not shown
            shown = await page.js(
                "return Array.from(document.querySelectorAll('#slots tbody tr'),"
                " tr => tr.dataset.slot + ' ' + tr.cells[1].textContent)"
            )
            taken = f"{first.strftime('%H:%M')} réservé"
            assert shown == sorted([taken] + [f"{s[11:16]} libre" for s in bookable])

            # SMS in words: the confirmation's state in French
            async with http.get(f"{url}/api/appointments/p-1", headers=AUTH) as r:
                sms = (await r.json())["sms"][0]
            expected = "confirmation : " + ("reçu" if sms["delivered"] else SMS_FR[sms["status"]])
            text = await page.js(
                f"return document.querySelector({row(first)!r} + ' td.sms').textContent"
            )
            assert text == expected
            assert (
                await page.js(f"return document.querySelector({row(first)!r}).cells[1].textContent")
                == "réservé"
            )

            # a missing field, then an invalid phone: said in French, what was typed is kept
            await page.js(
                "const select = document.getElementById('book-slot'); select.value = arguments[0];",
                second.isoformat(),
            )
            await keys(page, "Martin", css="#book-last")
            await page.click("#book-button")
            error = await page.until("the missing field", lambda: page.text("book-error"))
            assert error == "Prénom : à remplir."
            assert await page.js(FOCUS) == "book-first"
            await keys(page, "Paul", css="#book-first")
            await page.js("document.getElementById('book-birth').value = '1970-01-01'")
            await keys(page, "12 34", css="#book-phone")
            await page.click("#book-button")
            error = await page.until(
                "the phone refused",
                lambda: page.js(
                    "const t = document.getElementById('book-error').textContent;"
                    "return t.startsWith('Ce numéro') && t"
                ),
            )
            assert error == (
                "Ce numéro n'est pas un numéro de portable valable "
                "(le code du rendez-vous est envoyé par SMS)."
            )
            assert (
                await page.js(
                    "return document.getElementById('book-phone').getAttribute('aria-invalid')"
                )
                == "true"
            )
            assert await page.js("return document.getElementById('book-last').value") == "Martin"
            assert await page.js(FOCUS) == "book-phone"
            # the same in English
            await page.click('button.lang[data-lang="en"]')
            assert await page.text("book-error") == (
                "This is not a valid mobile number (the appointment's code is sent by SMS)."
            )
            assert await page.js("return document.title") == "Cabine — appointments"
            assert (
                await page.js(f"return document.querySelector({row(first)!r}).cells[1].textContent")
                == "booked"
            )
            found = await axe.violations(page)
            assert not found, f"axe-core on the staff page:\n{axe.readable(found)}"
            # corrected, it books; the error goes
            await page.click('button.lang[data-lang="fr"]')
            await page.js("document.getElementById('book-phone').value = ''")
            await keys(page, "06 12 34 56 78", css="#book-phone")
            await page.click("#book-button")
            await page.until(
                "the second booking",
                lambda: page.js(
                    f"return document.querySelector({row(second)!r})?.dataset.state === 'booked'"
                ),
            )
            assert await page.text("book-error") == ""
            assert second.isoformat() not in await page.js(
                "return Array.from(document.getElementById('book-slot').options, o => o.value)"
            )


async def test_move_and_cancel_in_dialogs_and_search(
    sqlite_portal: server.Running, tmp_path: Path
) -> None:
    url = sqlite_portal.url
    first, second, third = three_slots()
    async with aiohttp.ClientSession() as http:
        status, one = await post(http, url, booking("m-1", first))
        assert status == 201
        status, two = await post(
            http, url, booking("m-2", third, phone="+33698765432", last_name="Autre")
        )
        assert status == 201
        async with chromium(url, tmp_path) as page:
            await open_staff_page(page, url, first)
            await page.until(
                "both bookings",
                lambda: page.js(
                    "return document.querySelectorAll('#slots tr[data-id]').length === 2"
                ),
            )

            # search by code (typed in lower case) and by phone (as dialled in France)
            visible = "return Array.from(document.querySelectorAll('#slots tbody tr'))" \
                      ".filter(tr => !tr.hidden).map(tr => tr.dataset.id || tr.dataset.slot)"  # fmt: skip
            await keys(page, one["code"].lower(), css="#search")
            assert await page.js(visible) == ["m-1"]
            await page.js(
                "const s = document.getElementById('search'); s.value = ''; s.dispatchEvent(new Event('input'))"
            )
            await keys(page, "06 98 76", css="#search")
            assert await page.js(visible) == ["m-2"]
            await page.js(
                "const s = document.getElementById('search'); s.value = ''; s.dispatchEvent(new Event('input'))"
            )
            await keys(page, "ZZZZ", css="#search")
            assert await page.js(visible) == []
            assert await page.js("return !document.getElementById('search-none').hidden")
            await page.js(
                "const s = document.getElementById('search'); s.value = ''; s.dispatchEvent(new Event('input'))"
            )
            assert len(await page.js(visible)) > 2

            # a move that fails: the slot chosen is taken meanwhile; the error stays
            await page.click(f"{row(first)} button.move")
            assert await page.js(DIALOG, "move-dialog")
            assert await page.js(FOCUS) == "move-slot"
            await page.js(
                "document.getElementById('move-slot').value = arguments[0]", second.isoformat()
            )
            assert (await post(http, url, booking("m-3", second, last_name="Tiers")))[0] == 201
            await page.click("#move-confirm")
            error = await page.until("the move refused", lambda: page.text("move-error"))
            assert error == "Ce créneau vient d'être pris : choisissez-en un autre."
            await page.js("return window.cabineStaff.load()")  # the page's own refresh
            assert await page.text("move-error") == error
            assert await page.js(DIALOG, "move-dialog")
            options = await page.js(
                "return Array.from(document.getElementById('move-slot').options, o => o.value)"
            )
            assert second.isoformat() not in options and third.isoformat() not in options
            # Escape closes it; the focus is back on the row's button
            await keys(page, "\ue00c")  # Escape
            await page.until(
                "the dialog closed",
                lambda: page.js("return !document.getElementById('move-dialog').open"),
            )
            assert await page.js(FOCUS) == "move"
            async with http.get(f"{url}/api/appointments/m-1", headers=AUTH) as r:
                assert (await r.json())["slot_start"] == first.isoformat()

            # cancel: the in-page dialog, opened from the keyboard; "keep" keeps it
            await keys(page, "\ue007", css=f"{row(first)} button.cancel")  # Enter
            await page.until("the cancel dialog", lambda: page.js(DIALOG, "cancel-dialog"))
            assert await page.js(FOCUS) == "cancel-keep"
            buttons = await page.js(
                "return Array.from(document.querySelectorAll('#cancel-dialog button'), b => b.textContent)"
            )
            assert buttons == ["Garder le rendez-vous", "Annuler le rendez-vous"]
            assert await page.text("cancel-title") == "Annuler le rendez-vous ?"
            assert first.strftime("%H:%M") in await page.text("cancel-what")
            found = await axe.violations(page)
            assert not found, f"axe-core with the dialog open:\n{axe.readable(found)}"
            await keys(page, "\ue007")  # Enter on "keep"
            await page.until(
                "the dialog closed",
                lambda: page.js("return !document.getElementById('cancel-dialog').open"),
            )
            assert (
                await page.js(f"return document.querySelector({row(first)!r}).dataset.state")
                == "booked"
            )
            # then "cancel the appointment" cancels it
            await page.click(f"{row(first)} button.cancel")
            await page.click("#cancel-confirm")
            await page.until(
                "the slot free again",
                lambda: page.js(
                    f"return document.querySelector({row(first)!r})?.dataset.state === 'free'"
                ),
            )
            assert not await page.js(DIALOG, "cancel-dialog")
            assert await page.text("notice") == f"Rendez-vous de {first.strftime('%H:%M')} annulé."
        async with http.get(f"{url}/api/appointments/m-1", headers=AUTH) as r:
            assert (await r.json())["status"] == "cancelled"
        assert two["code"] != one["code"]
