"""The admin page in a real headless Chromium against a real portal (SQLite): its login (an
admin's only), the accounts listed, one added (a bad value refused in the page's words), a
cabin disabled, enabled and given a new token through the dialog, each secret shown once and
working; French and English; axe-core; and its API's refusals (no login, another role,
another site)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import protocol
from portal import server
from portal.accounts.web import ACCOUNTS
from tests.accounts.conftest import login
from tests.e2e import axe
from tests.portal.conftest import CABIN_ID, STAFF, DoctorPage, chromium
from tests.portal.test_portal import recv

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]


async def typed(page: DoctorPage, element_id: str, text: str) -> None:
    def send() -> None:
        field = page.driver.find_element(By.ID, element_id)
        field.clear()
        field.send_keys(text)

    await page.run(send)


async def press(page: DoctorPage, css: str) -> None:
    await page.run(lambda: page.driver.find_element(By.CSS_SELECTOR, css).click())


async def row(page: DoctorPage, kind: str, login_: str) -> dict[str, Any]:
    found: dict[str, Any] = await page.js(
        "const tr = [...document.querySelectorAll('#accounts tbody tr')].find("
        "  (r) => r.dataset.kind === arguments[0] && r.dataset.login === arguments[1]);"
        "return tr ? {enabled: tr.dataset.enabled, text: tr.innerText} : null;",
        kind, login_,
    )  # fmt: skip
    return found


async def admin_login(page: DoctorPage, username: str, password: str) -> None:
    await typed(page, "admin-username", username)
    await typed(page, "admin-password", password)
    await press(page, "#admin-login-button")


async def test_the_admin_page_lists_adds_disables_and_resets(
    sqlite_portal: server.Running, tmp_path: Path
) -> None:
    url = sqlite_portal.url
    accounts = sqlite_portal.app[ACCOUNTS]
    _, admin_password = await accounts.add("admin", "root-1", name="Admin One")
    async with chromium(url, tmp_path) as page:
        await page.run(page.driver.get, url + "/admin")
        await page.until("the login form", lambda: page.js(
            "return !document.getElementById('login-needed').hidden"))  # fmt: skip
        await press(page, 'button.lang[data-lang="fr"]')
        await admin_login(page, "root-1", "wrong")
        await page.until("the refusal", lambda: page.text("admin-login-error"))
        assert await page.text("admin-login-error") == "Identifiant ou mot de passe incorrect."
        # a doctor's login is not an admin's: said so, nothing shown
        await admin_login(page, "dr-a", "pass-a")
        await page.until("not an admin", lambda: page.js(
            "return document.getElementById('admin-login-error').textContent.includes('administrateur')"))  # fmt: skip
        assert await page.js("return document.getElementById('admin-view').hidden")

        await admin_login(page, "root-1", admin_password)
        await page.until("the accounts", lambda: page.js(
            "return !document.getElementById('admin-view').hidden"))  # fmt: skip
        cabin_row = await row(page, "cabin", CABIN_ID)
        assert cabin_row["enabled"] == "true" and "actif" in cabin_row["text"]
        assert "RPPS 10000000001" in (await row(page, "doctor", "dr-a"))["text"]
        assert "cabines : cabin-test-01" in (await row(page, "staff", STAFF[0]))["text"]
        found = await axe.violations(page)
        assert not found, f"axe-core on the admin page:\n{axe.readable(found)}"

        # a new doctor: a bad RPPS refused in French, then created; its password works once
        await typed(page, "add-login", "dr-new")
        await typed(page, "add-name", "Dr Nouveau")
        await typed(page, "add-rpps", "123")
        await press(page, "#add-button")
        await page.until("the refusal", lambda: page.text("add-error"))
        assert await page.text("add-error") == "RPPS : 11 chiffres."
        await typed(page, "add-rpps", "10101010101")
        await press(page, "#add-button")
        await page.until("the secret", lambda: page.js(
            "return !document.getElementById('secret-box').hidden"))  # fmt: skip
        password = await page.text("secret-value")
        assert await page.text("secret-title") == "Mot de passe de dr-new"
        assert await page.text("notice") == "Compte dr-new créé."
        assert await page.js("return document.activeElement.id") == "secret-box"
        await page.screenshot(tmp_path / "admin-fr-secret.png")
        await press(page, "#secret-done")
        assert await page.text("secret-value") == ""  # not kept in the page
        async with aiohttp.ClientSession() as http:
            assert (await login(http, url, "dr-new", password))[0] == 200

        # the cabin disabled through the dialog (axe with it open), then enabled
        await press(page, f'#accounts tr[data-login="{CABIN_ID}"] button.disable')
        await page.until("the dialog", lambda: page.js(
            "return document.getElementById('confirm-dialog').open"))  # fmt: skip
        assert await page.text("confirm-title") == f"Désactiver {CABIN_ID} ?"
        found = await axe.violations(page)
        assert not found, f"axe-core with the dialog open:\n{axe.readable(found)}"
        await page.screenshot(tmp_path / "admin-fr-dialog.png")
        await press(page, "#confirm-go")
        await page.until("disabled", lambda: page.js(
            "return document.querySelector(`#accounts tr[data-login='${arguments[0]}']`)"
            ".dataset.enabled === 'false'", CABIN_ID))  # fmt: skip
        assert CABIN_ID not in sqlite_portal.app[server.CONFIG].cabins
        assert await page.js("return document.activeElement.className") == "enable"
        await press(page, f'#accounts tr[data-login="{CABIN_ID}"] button.enable')
        await page.until("enabled", lambda: page.js(
            "return document.querySelector(`#accounts tr[data-login='${arguments[0]}']`)"
            ".dataset.enabled === 'true'", CABIN_ID))  # fmt: skip

        # Escape closes the dialog without a change; the focus is back on its button
        await press(page, '#accounts tr[data-login="cabin-test-02"] button.disable')
        await page.until("the dialog", lambda: page.js(
            "return document.getElementById('confirm-dialog').open"))  # fmt: skip
        await page.run(lambda: ActionChains(page.driver).send_keys(Keys.ESCAPE).perform())
        await page.until("closed", lambda: page.js(
            "return !document.getElementById('confirm-dialog').open"))  # fmt: skip
        assert await page.js("return document.activeElement.closest('tr').dataset.login") == (
            "cabin-test-02"
        )
        assert "cabin-test-02" in sqlite_portal.app[server.CONFIG].cabins

        # a new token for the cabin: shown once, and the cabin's hello works with it
        await press(page, f'#accounts tr[data-login="{CABIN_ID}"] button.reset')
        await page.until("the dialog", lambda: page.js(
            "return document.getElementById('confirm-dialog').open"))  # fmt: skip
        await press(page, "#confirm-go")
        await page.until("the token", lambda: page.text("secret-value"))
        token = await page.text("secret-value")
        async with aiohttp.ClientSession() as http:
            ws = await http.ws_connect(url.replace("http", "ws") + "/ws/cabin")
            await ws.send_str(protocol.signal("hello", cabin_id=CABIN_ID, token=token))
            await recv(ws, "welcome")
            await ws.close()

        await page.js("document.getElementById('add').scrollIntoView()")
        await page.screenshot(tmp_path / "admin-fr-form.png")

        # in English, every text; axe again
        await press(page, 'button.lang[data-lang="en"]')
        assert await page.text("secret-title") == f"Token of cabin {CABIN_ID}"
        assert "enabled" in (await row(page, "cabin", CABIN_ID))["text"]
        assert await page.js("return document.title") == "Cabine — accounts"
        found = await axe.violations(page)
        assert not found, f"axe-core in English:\n{axe.readable(found)}"
        await page.screenshot(tmp_path / "admin-en.png")
        await press(page, 'button.lang[data-lang="fr"]')


async def test_the_admin_api_refuses_others_and_other_sites(sqlite_portal: server.Running) -> None:
    url = sqlite_portal.url
    accounts = sqlite_portal.app[ACCOUNTS]
    _, password = await accounts.add("admin", "root-1", name="Admin One")
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as http:
        async with http.get(f"{url}/api/admin/accounts") as r:
            assert r.status == 401 and (await r.json())["error"] == "login"
        assert (await login(http, url, *STAFF))[0] == 200
        async with http.get(f"{url}/api/admin/accounts") as r:
            assert r.status == 403 and (await r.json())["error"] == "not_admin"
        assert (await login(http, url, "root-1", password))[0] == 200
        async with http.get(f"{url}/") as r:  # the doctor's page sends an admin to /admin
            assert str(r.url).endswith("/admin")
        body = {"kind": "doctor", "login": "dr-evil", "name": "Evil"}
        async with http.post(
            f"{url}/api/admin/accounts", json=body, headers={"Sec-Fetch-Site": "cross-site"}
        ) as r:
            assert r.status == 403
        async with http.post(f"{url}/api/admin/accounts/cabin/{CABIN_ID}/disable",
                             headers={"Origin": "https://evil.example"}) as r:  # fmt: skip
            assert r.status == 403
        assert CABIN_ID in sqlite_portal.app[server.CONFIG].cabins
        async with http.post(f"{url}/api/admin/accounts/admin/root-1/disable") as r:
            assert r.status == 409 and (await r.json())["error"] == "self"
        async with http.post(f"{url}/api/admin/accounts/cabin/nowhere/disable") as r:
            assert r.status == 404
        async with http.post(f"{url}/api/admin/accounts", data=b"[1,") as r:
            assert r.status == 400
        async with http.post(f"{url}/api/admin/accounts", json=body | {"login": "dr-a"}) as r:
            assert r.status == 409 and (await r.json())["error"] == "exists"
        psc = body | {
            "login": "dr-psc",
            "name": "Dr PSC",
            "psc_only": True,
            "details": {"rpps": "10101010101"},
        }
        async with http.post(f"{url}/api/admin/accounts", json=psc) as r:
            created = await r.json()
            assert r.status == 201 and created["account"]["psc_only"] is True
    async with aiohttp.ClientSession() as http:  # its password is never accepted
        assert (await login(http, url, "dr-psc", created["secret"]))[0] == 401
    assert {r.login for r in await accounts.list()} >= {"root-1"}
    assert "dr-evil" not in {r.login for r in await accounts.list()}
    assert sqlite_portal.app[server.CONFIG].doctors["dr-psc"].psc_only
