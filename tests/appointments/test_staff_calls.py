"""A patient's "call staff" on the staff page: the cabins' state, the call, and its answer.

A real portal with appointments (SQLite and PostgreSQL), a cabin's real socket sending
``staff_call`` and heartbeats; the staff account (``tests.portal.conftest.STAFF``, display
name "Pharmacie A") manages ``CABIN_ID`` only. The pages run in a real headless Chromium.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

import protocol
from portal import server
from tests.appointments.conftest import OTHER_CABIN, appointments_config
from tests.appointments.helpers import AUTH, cabin_socket
from tests.appointments.test_staff_accounts import call, jar, log_in
from tests.helpers.waiting import until
from tests.portal.conftest import CABIN_ID, DOCTORS, STAFF, DoctorPage, chromium
from tests.portal.test_portal import recv

LOGIN, PASSWORD = STAFF
OTHER_TOKEN = "other-cabin-token"


async def cabins_of(http: aiohttp.ClientSession, url: str) -> dict[str, dict[str, Any]]:
    status, body = await call(http, "GET", f"{url}/api/staff/cabins")
    assert status == 200, body
    return {c["cabin_id"]: c for c in body["cabins"]}


async def answer(http: aiohttp.ClientSession, url: str, cabin_id: str) -> tuple[int, Any]:
    return await call(http, "POST", f"{url}/api/staff/cabins/{cabin_id}/coming")


async def staff_call(ws: aiohttp.ClientWebSocketResponse, *, active: bool) -> None:
    await ws.send_str(protocol.signal("staff_call", active=active))


@pytest.mark.asyncio
async def test_staff_sees_the_call_and_answers_it(
    booking_portal: server.Running, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    url = booking_portal.url
    hub = booking_portal.app[server.HUB]
    async with jar() as http:
        ws, _ = await cabin_socket(http, url)
        await ws.send_str(
            protocol.signal("heartbeat", printer="stopped", printer_detail="paper_out")
        )
        await until(lambda: hub.cabins[CABIN_ID].printer, "the heartbeat", timeout=5)
        await log_in(http, url, LOGIN, PASSWORD)
        mine = (await cabins_of(http, url))[CABIN_ID]
        assert {k: mine[k] for k in ("online", "printer", "printer_detail", "staff_call")} == {
            "online": True,
            "printer": "stopped",
            "printer_detail": "paper_out",
            "staff_call": None,
        }
        # nothing to answer yet
        status, body = await answer(http, url, CABIN_ID)
        assert (status, body["error"]) == (409, "no_call")

        await staff_call(ws, active=True)
        assert (await recv(ws, "staff_answer"))["state"] == "received"
        call_now = (await cabins_of(http, url))[CABIN_ID]["staff_call"]
        assert call_now["coming"] == "" and 0 <= call_now["since_s"] < 5

        # a page of another site (a sibling subdomain) posting with the staff's cookie is
        # refused: it would tell the patient someone is coming when nobody is
        coming = f"{url}/api/staff/cabins/{CABIN_ID}/coming"
        for headers in (
            {"Sec-Fetch-Site": "same-site"},
            {"Sec-Fetch-Site": "cross-site", "Origin": url},
            {"Origin": "https://forms.departement.example"},
        ):
            status, body = await call(http, "POST", coming, headers=headers)
            assert (status, body["error"]) == (403, "cross_site"), headers
        assert (await cabins_of(http, url))[CABIN_ID]["staff_call"]["coming"] == ""

        status, body = await call(
            http, "POST", coming, headers={"Sec-Fetch-Site": "same-origin", "Origin": url}
        )
        assert (status, body) == (200, {"ok": True, "told": True})
        told = await recv(ws, "staff_answer")
        assert (told["state"], told["by"]) == ("coming", "Pharmacie A")
        assert (await cabins_of(http, url))[CABIN_ID]["staff_call"]["coming"] == "Pharmacie A"
        # the doctors' waiting room says the same
        room = hub.snapshot("dr-a")
        row = next(c for c in room["cabins"] if c["cabin_id"] == CABIN_ID)
        assert row["staff_call"]["coming"] == "Pharmacie A"

        # the session ends: the call with it, and there is nothing left to answer
        await staff_call(ws, active=False)
        await until(
            lambda: hub.cabins[CABIN_ID].staff_called_at is None, "the call ended", timeout=5
        )
        assert (await cabins_of(http, url))[CABIN_ID]["staff_call"] is None
        status, body = await answer(http, url, CABIN_ID)
        assert (status, body["error"]) == (409, "no_call")
        await ws.close()
    assert "answers cabin cabin-test-01's call" in caplog.text


@pytest.mark.asyncio
async def test_other_cabins_and_no_login_are_refused(booking_portal: server.Running) -> None:
    url = booking_portal.url
    async with jar() as http:
        other, _ = await cabin_socket(http, url, cabin_id=OTHER_CABIN, token=OTHER_TOKEN)
        await staff_call(other, active=True)
        await recv(other, "staff_answer")
        # no login (nor the booking site's token): 401
        for headers in ({}, AUTH):
            status, body = await call(
                http, "POST", f"{url}/api/staff/cabins/{OTHER_CABIN}/coming", headers=headers
            )
            assert (status, body["error"]) == (401, "unauthorized")
        # a staff account cannot answer (nor see) another cabin's call
        await log_in(http, url, LOGIN, PASSWORD)
        assert list(await cabins_of(http, url)) == [CABIN_ID]
        for cabin in (OTHER_CABIN, "no-such-cabin"):
            status, body = await answer(http, url, cabin)
            assert (status, body["error"]) == (403, "forbidden_cabin"), cabin
        hub = booking_portal.app[server.HUB]
        assert hub.cabin_status(OTHER_CABIN)["staff_call"]["coming"] == ""
        # a doctor may: the cabin hears the doctor's display name
        await log_in(http, url, "dr-a", DOCTORS["dr-a"])
        assert (await cabins_of(http, url))[OTHER_CABIN]["staff_call"] is not None
        status, body = await answer(http, url, OTHER_CABIN)
        assert (status, body["ok"]) == (200, True)
        assert (await recv(other, "staff_answer"))["by"] == "Dr DR-A"
        # logged out: closed again
        async with http.post(f"{url}/api/logout") as r:
            assert r.status == 200
        assert (await answer(http, url, OTHER_CABIN))[0] == 401
        await other.close()


@pytest.mark.asyncio
async def test_a_call_answered_while_the_cabin_is_offline(booking_portal: server.Running) -> None:
    url = booking_portal.url
    hub = booking_portal.app[server.HUB]
    async with jar() as http:
        ws, _ = await cabin_socket(http, url)
        await staff_call(ws, active=True)
        await recv(ws, "staff_answer")
        await ws.close()
        await until(lambda: hub.cabins[CABIN_ID].peer is None, "the cabin offline", timeout=5)
        await log_in(http, url, LOGIN, PASSWORD)
        mine = (await cabins_of(http, url))[CABIN_ID]
        assert mine["online"] is False and mine["staff_call"] is not None
        # recorded, not told: the cabin learns it when it is back and calls again
        assert await answer(http, url, CABIN_ID) == (200, {"ok": True, "told": False})
        back, _ = await cabin_socket(http, url)
        await staff_call(back, active=True)
        told = await recv(back, "staff_answer")
        assert (told["state"], told["by"]) == ("coming", "Pharmacie A")
        await back.close()


# --- the pages, in a real headless Chromium ---------------------------------------------------


@pytest_asyncio.fixture
async def page_portal(tmp_path: Path) -> AsyncIterator[server.Running]:
    """The pages' portal: appointments on SQLite (the database is not what is tested here)."""
    cfg = appointments_config(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}")
    running = await server.start(cfg, host="127.0.0.1", port=0)
    try:
        yield running
    finally:
        await running.stop()


CALL_STATE = """
const el = document.querySelector('#calls .staff-call[data-cabin="' + arguments[0] + '"]');
return el && {
  shown: !document.getElementById('calls').hidden, state: el.dataset.state,
  text: el.querySelector('.staff-call-text').textContent,
  go: !el.querySelector('.staff-call-go').hidden,
  answer: el.querySelector('.staff-call-answer').textContent, title: document.title,
  told: el.dataset.told,
};
"""

STATES = """
const rows = document.querySelectorAll('#cabin-table tbody tr');
return rows.length && Array.from(rows, tr => Array.from(tr.cells, td => td.textContent));
"""

CABIN_ROW = """
const tr = document.querySelector('#cabins tr[data-cabin="' + arguments[0] + '"]');
return tr && {staff: tr.dataset.staffCall || '', text: tr.cells[5].textContent,
  printer: tr.cells[4].textContent};
"""


@pytest.mark.asyncio
@pytest.mark.slow
async def test_pages_show_the_call_and_the_staff_answers_it(
    page_portal: server.Running, tmp_path: Path
) -> None:
    url = page_portal.url
    async with aiohttp.ClientSession() as http, chromium(url, tmp_path) as page:
        # another cabin calls too: not the staff's to see, but the doctors'
        other, _ = await cabin_socket(http, url, cabin_id=OTHER_CABIN, token=OTHER_TOKEN)
        await staff_call(other, active=True)
        await recv(other, "staff_answer")
        ws, _ = await cabin_socket(http, url)
        await ws.send_str(
            protocol.signal("heartbeat", printer="stopped", printer_detail="paper_out")
        )

        # the staff page: its cabin's state in plain words, no alert yet
        await page.run(page.driver.get, url + "/staff")
        await page.until(
            "the login form",
            lambda: page.js("return !document.getElementById('login-needed').hidden"),
        )
        await page.click('button.lang[data-lang="fr"]')  # the browser's own language is English
        await page.js(
            "document.getElementById('staff-username').value = arguments[0];"
            "document.getElementById('staff-password').value = arguments[1];"
            "document.getElementById('staff-login-button').click();",
            LOGIN,
            PASSWORD,
        )
        expected = [["Test cabin", "en ligne", "arrêtée (plus de papier)", "—"]]
        await page.until("the cabins' state", lambda: _equal(page.js(STATES), expected))
        assert await page.js("return document.getElementById('calls').hidden") is True
        assert await page.js("return document.title") == "Cabine — rendez-vous"

        # the patient calls: the open page shows it at its next poll
        await staff_call(ws, active=True)
        await recv(ws, "staff_answer")
        alert = await page.until("the alert", lambda: page.js(CALL_STATE, CABIN_ID))
        assert alert["shown"] and alert["go"] and alert["state"] == "calling"
        assert alert["text"] == "La cabine Test cabin appelle le personnel — depuis moins d'1 min"
        assert alert["title"] == "⚠ Appel du personnel : Test cabin — Cabine — rendez-vous"
        assert await page.js("return document.querySelectorAll('#calls .staff-call').length") == 1

        # the cabin drops off the network just before the staff answers: the page says the
        # patient is told when the cabin is back, and the cabin is told then
        await ws.close()
        hub = page_portal.app[server.HUB]
        await until(lambda: hub.cabins[CABIN_ID].peer is None, "the cabin offline", timeout=5)
        await page.click(f'#calls .staff-call[data-cabin="{CABIN_ID}"] .staff-call-go')
        alert = await page.until(
            "the answer shown",
            lambda: page.js(
                "const a = (function () {" + CALL_STATE + "})(arguments[0]);"
                "return a && a.state === 'coming' && a;",
                CABIN_ID,
            ),
        )
        assert alert["answer"] == (
            "Vous avez répondu : en route — cabine hors ligne : le patient sera prévenu à son retour"
        )
        assert not alert["go"] and alert["title"] == "Cabine — rendez-vous"
        assert alert["told"] == "no"  # amber, not the green of a patient told
        ws, _ = await cabin_socket(http, url)
        await ws.send_str(
            protocol.signal("heartbeat", printer="stopped", printer_detail="paper_out")
        )
        await staff_call(ws, active=True)
        told = await recv(ws, "staff_answer")
        assert (told["state"], told["by"]) == ("coming", "Pharmacie A")
        await page.until(
            "the cabin back",
            lambda: page.js(
                "const a = (function () {" + CALL_STATE + "})(arguments[0]);"
                "return a && a.answer === 'Vous avez répondu : en route' && a.told === 'yes';",
                CABIN_ID,
            ),
        )

        # the doctor's page marks both cabins, so the doctor may phone the site
        await page.run(page.driver.delete_all_cookies)
        await page.login("dr-a", DOCTORS["dr-a"])
        await page.click('button.lang[data-lang="fr"]')
        row = await page.until("the unanswered call", lambda: _marked(page, OTHER_CABIN, "calling"))
        assert row["text"] == "Appel du personnel depuis moins d'1 min", row
        row = await page.until("the answered call", lambda: _marked(page, CABIN_ID, "coming"))
        assert row["text"] == (
            "Appel du personnel depuis moins d'1 min — personnel en route : Pharmacie A"
        )
        assert row["printer"] == "arrêtée (plus de papier)"
        await page.click('button.lang[data-lang="en"]')
        row = await page.until(
            "the English text",
            lambda: _marked(page, CABIN_ID, "coming", text="Staff called"),
        )
        assert row["text"] == "Staff called for under 1 min — staff on the way: Pharmacie A"

        # the call ends with the session: the mark goes
        await staff_call(ws, active=False)
        await page.until("the mark cleared", lambda: _marked(page, CABIN_ID, ""))
        await ws.close()
        await other.close()


async def _marked(page: DoctorPage, cabin_id: str, staff: str, *, text: str = "") -> Any:
    """The cabin's row on the doctor's page once its mark is ``staff`` ("" for none)."""
    row = await page.js(CABIN_ROW, cabin_id)
    return row if row and row["staff"] == staff and row["text"].startswith(text) else None


async def _equal(value: Awaitable[Any], expected: Any) -> bool:
    return await value == expected
