"""Staff accounts (``[staff.<login>]``): the staff page of their own cabins, nothing else.

Against a real portal with appointments, on SQLite and on PostgreSQL; the staff account of
the test config (``tests.portal.conftest.STAFF``) manages ``CABIN_ID`` only.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

import protocol
from portal import auth, server
from portal.config import PortalConfigError, StaffAccount, demo_path, load, parse
from tests.appointments.conftest import OTHER_CABIN, appointments_config
from tests.appointments.helpers import AUTH, booking, cabin_socket, next_slot, post
from tests.portal.conftest import CABIN_ID, DOCTORS, STAFF, _cheap, chromium, portal_toml
from tests.portal.test_portal import recv

LOGIN, PASSWORD = STAFF


def jar() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def log_in(http: aiohttp.ClientSession, url: str, login: str, password: str) -> Any:
    async with http.post(f"{url}/api/login", json={"username": login, "password": password}) as r:
        assert r.status == 200, await r.text()
        return await r.json()


async def call(
    http: aiohttp.ClientSession, method: str, url: str, **kwargs: Any
) -> tuple[int, Any]:
    async with http.request(method, url, **kwargs) as r:
        return r.status, await r.json(content_type=None)


# --- the API, own cabin and others ----------------------------------------------------------


@pytest.mark.asyncio
async def test_staff_login_manages_its_own_cabin(booking_portal: server.Running) -> None:
    url, slot = booking_portal.url, next_slot(after_min=120)
    api = f"{url}/api/appointments"
    async with jar() as http:
        body = await log_in(http, url, LOGIN, PASSWORD)
        assert body["role"] == "staff" and body["next"] == "/staff"
        assert body["staff"] == {"id": LOGIN, "name": "Pharmacie A", "cabins": [CABIN_ID]}
        assert "doctor" not in body
        status, cabins = await call(http, "GET", f"{url}/api/staff/cabins")
        assert status == 200
        assert [c["cabin_id"] for c in cabins["cabins"]] == [CABIN_ID]  # not OTHER_CABIN
        assert cabins["who"] == {"login": LOGIN, "name": "Pharmacie A", "role": "staff"}

        # book, read, list, move and cancel at its own cabin, with its login only
        status, booked = await call(http, "POST", api, json=booking("own-1", slot))
        assert status == 201, booked
        status, read = await call(http, "GET", f"{api}/own-1")
        assert status == 200 and read["code"] == booked["code"]
        day = {"cabin_id": CABIN_ID, "day": slot.date().isoformat()}
        status, listing = await call(http, "GET", api, params=day)
        assert status == 200 and "own-1" in [a["id"] for a in listing["appointments"]]
        later = slot + timedelta(minutes=15)
        status, moved = await call(
            http, "PATCH", f"{api}/own-1", json={"slot_start": later.isoformat()}
        )
        assert status == 200 and moved["slot_start"] == later.isoformat()
        status, cancelled = await call(http, "DELETE", f"{api}/own-1")
        assert status == 200 and cancelled["status"] == "cancelled"
        # a missing appointment is still 404, not 403
        assert (await call(http, "DELETE", f"{api}/ghost"))[0] == 404


@pytest.mark.asyncio
async def test_staff_is_refused_other_cabins(
    booking_portal: server.Running, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    url, slot = booking_portal.url, next_slot(after_min=120)
    api = f"{url}/api/appointments"
    async with jar() as http:
        # the booking site books at the other cabin
        status, theirs = await post(http, url, booking("other-1", slot, cabin_id=OTHER_CABIN))
        assert status == 201, theirs
        await log_in(http, url, LOGIN, PASSWORD)
        day = slot.date().isoformat()
        for cabin in (OTHER_CABIN, "no-such-cabin", ""):
            status, answer = await call(http, "GET", api, params={"cabin_id": cabin, "day": day})
            assert (status, answer["error"]) == (403, "forbidden_cabin"), cabin
        status, answer = await call(
            http, "POST", api, json=booking("mine-2", slot, cabin_id=OTHER_CABIN)
        )
        assert (status, answer["error"]) == (403, "forbidden_cabin")
        status, answer = await call(http, "GET", f"{api}/other-1")
        assert (status, answer["error"]) == (403, "forbidden_cabin")
        assert "code" not in answer  # nothing of the appointment leaks
        later = slot + timedelta(minutes=30)
        status, answer = await call(
            http, "PATCH", f"{api}/other-1", json={"slot_start": later.isoformat()}
        )
        assert (status, answer["error"]) == (403, "forbidden_cabin")
        status, answer = await call(http, "DELETE", f"{api}/other-1")
        assert (status, answer["error"]) == (403, "forbidden_cabin")

    # nothing changed at the other cabin, nothing was booked there
    async with aiohttp.ClientSession() as site:
        status, after = await call(site, "GET", f"{api}/other-1", headers=AUTH)
        assert status == 200
        assert after["status"] == "booked" and after["slot_start"] == slot.isoformat()
        assert (await call(site, "GET", f"{api}/mine-2", headers=AUTH))[0] == 404
    assert "refused another cabin" in caplog.text


@pytest.mark.asyncio
async def test_doctors_keep_every_cabin(booking_portal: server.Running) -> None:
    url, slot = booking_portal.url, next_slot(after_min=120)
    api = f"{url}/api/appointments"
    async with jar() as http:
        body = await log_in(http, url, "dr-a", DOCTORS["dr-a"])
        assert body["role"] == "doctor" and body["doctor"]["id"] == "dr-a"
        status, cabins = await call(http, "GET", f"{url}/api/staff/cabins")
        assert status == 200 and cabins["who"]["role"] == "doctor"
        assert [c["cabin_id"] for c in cabins["cabins"]] == sorted([CABIN_ID, OTHER_CABIN])
        status, _ = await call(http, "POST", api, json=booking("dr-1", slot, cabin_id=OTHER_CABIN))
        assert status == 201
        day = {"cabin_id": OTHER_CABIN, "day": slot.date().isoformat()}
        assert (await call(http, "GET", api, params=day))[0] == 200
        assert (await call(http, "DELETE", f"{api}/dr-1"))[0] == 200
        # the doctor's page and socket are as before
        assert (await call(http, "GET", f"{url}/api/me"))[0] == 200
        async with http.get(f"{url}/", allow_redirects=False) as r:
            assert r.status == 200 and "app.js" in await r.text()
        ws = await http.ws_connect(url.replace("http", "ws") + "/ws/doctor")
        await recv(ws, "waiting_room")
        await ws.close()


@pytest.mark.asyncio
async def test_staff_sees_no_room_no_call(booking_portal: server.Running) -> None:
    url = booking_portal.url
    async with jar() as http:
        # a patient is waiting at the staff's own cabin: still not the staff's to see
        ws_cabin, _ = await cabin_socket(http, url)
        await ws_cabin.send_str(protocol.signal("checkin", session_id="walk-in-1"))
        await recv(ws_cabin, "checked_in")
        await log_in(http, url, LOGIN, PASSWORD)
        with pytest.raises(aiohttp.WSServerHandshakeError) as info:
            await http.ws_connect(url.replace("http", "ws") + "/ws/doctor")
        assert info.value.status == 401  # as without a login
        for path in ("/api/me", "/api/waiting-room"):
            async with http.get(f"{url}{path}") as r:
                assert r.status == 401, path
                assert "walk-in-1" not in await r.text()
        # the doctor's page sends a staff login to the staff page
        async with http.get(f"{url}/", allow_redirects=False) as r:
            assert r.status == 302 and r.headers["Location"] == "/staff"
        assert booking_portal.app[server.HUB].doctors == set()
        # logged out: the staff API is closed again
        async with http.post(f"{url}/api/logout") as r:
            assert r.status == 200
        assert (await call(http, "GET", f"{url}/api/staff/cabins"))[0] == 401
        await ws_cabin.close()


@pytest.mark.asyncio
async def test_staff_lockout_after_failed_logins(booking_portal: server.Running) -> None:
    url = booking_portal.url
    async with jar() as http:
        for _ in range(3):  # max_failed_logins = 3 in the test config
            async with http.post(
                f"{url}/api/login", json={"username": LOGIN, "password": "wrong"}
            ) as r:
                assert r.status == 401
        async with http.post(
            f"{url}/api/login", json={"username": LOGIN, "password": PASSWORD}
        ) as r:
            assert r.status == 429
        assert (await call(http, "GET", f"{url}/api/staff/cabins"))[0] == 401
        # another account is not locked with it
        await log_in(http, url, "dr-b", DOCTORS["dr-b"])


@pytest.mark.asyncio
async def test_every_cabin_with_a_star(tmp_path: Path) -> None:
    cfg = appointments_config(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}")
    staff = {LOGIN: StaffAccount(name="Tous", password=_cheap(PASSWORD), cabins=("*",))}
    running = await server.start(replace(cfg, staff=staff), host="127.0.0.1", port=0)
    try:
        async with jar() as http:
            await log_in(http, running.url, LOGIN, PASSWORD)
            status, cabins = await call(http, "GET", f"{running.url}/api/staff/cabins")
            assert status == 200
            assert [c["cabin_id"] for c in cabins["cabins"]] == sorted([CABIN_ID, OTHER_CABIN])
            with pytest.raises(aiohttp.WSServerHandshakeError):
                await http.ws_connect(running.url.replace("http", "ws") + "/ws/doctor")
    finally:
        await running.stop()


@pytest.mark.asyncio
async def test_staff_without_appointments_gets_a_plain_message() -> None:
    running = await server.start(parse(portal_toml(), source="t"), host="127.0.0.1", port=0)
    try:
        async with jar() as http:
            await log_in(http, running.url, LOGIN, PASSWORD)
            async with http.get(f"{running.url}/", allow_redirects=False) as r:
                text = await r.text()
                assert r.status == 200 and "staff account" in text and "app.js" not in text
            with pytest.raises(aiohttp.WSServerHandshakeError) as info:
                await http.ws_connect(running.url.replace("http", "ws") + "/ws/doctor")
            assert info.value.status == 401
    finally:
        await running.stop()


# --- sessions and the config -----------------------------------------------------------------


def test_the_role_is_in_the_signed_cookie() -> None:
    sessions = auth.Sessions(ttl_s=60, secret=b"k")
    staff = sessions.open(LOGIN, role=auth.STAFF)
    again = sessions.get(staff.token)
    assert again is not None and (again.doctor_id, again.role) == (LOGIN, "staff")
    doctor = sessions.open("dr-a")
    assert sessions.get(doctor.token).role == "doctor"  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="role"):
        sessions.open("x", role="root")
    # a staff cookie cannot be turned into a doctor's without the key
    payload, _, signature = staff.token.partition(".")
    data = json.loads(auth._unb64(payload))
    assert data["r"] == "staff"
    forged = auth._b64(json.dumps({**data, "r": "doctor"}).encode()) + "." + signature
    assert sessions.get(forged) is None


def test_demo_config_has_a_staff_account() -> None:
    cfg = load(demo_path())
    account = cfg.staff["staff-demo"]
    assert account.cabins == ("demo-cabin-01",)
    assert auth.verify_secret("demo", account.password)
    assert "staff-demo" not in cfg.doctors


def _staff(login: str = "staff-x", **keys: str) -> str:
    lines = {"name": '"X"', "password": f'"{_cheap("x")}"', "cabins": f'["{CABIN_ID}"]', **keys}
    body = "".join(f"{k} = {v}\n" for k, v in lines.items() if v)
    return f"[staff.{login}]\n{body}"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            _staff(cabins='["cabin-nowhere"]'),
            r"\[staff.staff-x\] 'cabins': no cabin 'cabin-nowhere'",
        ),
        (_staff(cabins="[]"), r"\[staff.staff-x\] 'cabins' is empty"),
        (_staff(cabins=f'["*", "{CABIN_ID}"]'), r"stands alone"),
        (_staff(cabins='"*"'), r"'cabins' must be a list of strings"),
        (_staff("dr-a"), r"\[staff.dr-a\]: login 'dr-a' is also in \[doctors\]"),
        (_staff(password=""), r"\[staff.staff-x\]: key 'password' is required"),
        (_staff(cabins=""), r"\[staff.staff-x\]: key 'cabins' is required"),
        (_staff(password='"demo"'), r"'password' must be a hash"),
        (_staff(role='"admin"'), r"\[staff.staff-x\]: unknown key 'role'"),
        (_staff(name="3"), r"\[staff.staff-x\] key 'name' must be str"),
        ("[staff]\nalice = 1\n", r"\[staff.alice\] must be a table"),
    ],
)
def test_bad_staff_tables_are_named(extra: str, message: str) -> None:
    with pytest.raises(PortalConfigError, match=message) as info:
        parse(portal_toml() + extra, source="t.toml")
    assert str(info.value).startswith("t.toml: ") and "\n" not in str(info.value)


def test_staff_tables_parse() -> None:
    cfg = parse(portal_toml() + _staff(cabins='["*"]'), source="t.toml")
    assert cfg.staff[LOGIN].manages(CABIN_ID) and not cfg.staff[LOGIN].manages("elsewhere")
    assert cfg.staff["staff-x"].manages("anything")
    assert cfg.staff[LOGIN].password != PASSWORD  # a hash, never the password


# --- the page, in a real headless Chromium ---------------------------------------------------


@pytest_asyncio.fixture
async def sqlite_portal(tmp_path: Path) -> AsyncIterator[server.Running]:
    running = await server.start(
        appointments_config(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}"), host="127.0.0.1", port=0
    )
    try:
        yield running
    finally:
        await running.stop()


@pytest.mark.asyncio
@pytest.mark.slow
async def test_staff_page_shows_only_its_cabins(
    sqlite_portal: server.Running, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    url = sqlite_portal.url
    async with chromium(url, tmp_path) as page:
        await page.run(page.driver.get, url + "/staff")
        await page.until(
            "the login form",
            lambda: page.js("return !document.getElementById('login-needed').hidden"),
        )
        for field, text in (("staff-username", LOGIN), ("staff-password", "wrong")):
            await page.run(lambda f=field, t=text: page.driver.find_element(By.ID, f).send_keys(t))
        await page.run(lambda: page.driver.find_element(By.ID, "staff-login-button").click())
        await page.until(
            "the refusal",
            lambda: page.js("return document.getElementById('staff-login-error').textContent"),
        )
        await page.run(
            lambda: page.driver.find_element(By.ID, "staff-password").send_keys(PASSWORD)
        )
        await page.run(lambda: page.driver.find_element(By.ID, "staff-login-button").click())
        await page.until(
            "the staff view",
            lambda: page.js("return !document.getElementById('staff-view').hidden"),
        )
        options = await page.js(
            "return Array.from(document.querySelectorAll('#cabin option'), o => o.value)"
        )
        assert options == [CABIN_ID]
        assert await page.js("return document.getElementById('doctor-link').hidden") is True
        assert await page.js("return document.getElementById('login-needed').hidden") is True
        assert await page.js("return document.getElementById('who').textContent") == "Pharmacie A"
        # the doctor's page sends the staff login back here
        await page.run(page.driver.get, url + "/")
        await page.until(
            "back on the staff page",
            lambda: page.js(
                "return location.pathname === '/staff' && "
                "!document.getElementById('staff-view').hidden"
            ),
        )
        # a staff login typed on the doctor's page goes to the staff page too
        await page.run(page.driver.delete_all_cookies)
        await page.run(page.driver.get, url + "/")
        await page.until(
            "the doctor's login form",
            lambda: page.js("return !document.getElementById('login-view').hidden"),
        )
        await page.js(
            "document.getElementById('username').value = arguments[0];"
            "document.getElementById('password').value = arguments[1];"
            "document.getElementById('login-button').click();",
            LOGIN,
            PASSWORD,
        )
        await page.until(
            "the staff page after a login on the doctor's page",
            lambda: page.js(
                "return location.pathname === '/staff' && "
                "!document.getElementById('staff-view').hidden"
            ),
        )
