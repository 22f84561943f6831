"""Pro Santé Connect sign-in against a real OpenID provider on loopback (glewlwyd, see
:mod:`tests.accounts.glewlwyd`): the code flow with PKCE through the portal, the RPPS on the
doctor's session and page, a password refused for a PSC-only account; and each bad input: a
replayed code, a wrong audience, an expired ID token, a level too low, an RPPS without
account, no sign-in started, a provider down (before and during the sign-in)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import aiohttp
import pytest
import pytest_asyncio
from authlib.common.security import generate_token  # type: ignore[import-untyped]
from authlib.oauth2.rfc7636 import create_s256_code_challenge  # type: ignore[import-untyped]
from yarl import URL

from portal import auth, server
from portal.config import PortalConfig, PortalConfigError
from portal.config import parse as parse_portal_config
from portal.oidc.client import PscClient, PscError, basic_auth, rpps_of
from tests.accounts.conftest import login
from tests.accounts.glewlwyd import (
    CLIENT_ID,
    CLIENT_SECRET,
    OTHER_ID,
    OTHER_SECRET,
    Glewlwyd,
    free_port,
)
from tests.e2e import axe
from tests.portal.conftest import chromium, portal_toml

pytestmark = [pytest.mark.slow]


def psc_config(provider_issuer: str, portal_port: int) -> PortalConfig:
    never = auth.hash_secret("never-typed-password", n=2**10)
    weak = auth.hash_secret("weak-password", n=2**10)
    toml = (
        portal_toml()
        + f"""
[doctors.dr-psc]
name = "Dr PSC"
password = "{never}"
rpps = "10101010101"
psc_only = true
[doctors.dr-weak]
name = "Dr Weak"
password = "{weak}"
rpps = "10101010102"
[psc]
issuer = "{provider_issuer}"
client_id = "{CLIENT_ID}"
client_secret = "{CLIENT_SECRET}"
redirect_url = "http://127.0.0.1:{portal_port}/auth/psc/callback"
scope = "openid"
acr_claim = "loa"
timeout_s = 3.0
"""
    )
    return parse_portal_config(toml, source="psc-test.toml")


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Glewlwyd, int]]:
    portal_port = free_port()
    glewlwyd = Glewlwyd(
        tmp_path_factory.mktemp("glewlwyd"),
        redirect_urls=[f"http://127.0.0.1:{portal_port}/auth/psc/callback"],
    )
    glewlwyd.start()
    try:
        glewlwyd.configure()
        yield glewlwyd, portal_port
    finally:
        glewlwyd.stop()


@pytest_asyncio.fixture
async def psc_portal(provider: tuple[Glewlwyd, int]) -> AsyncIterator[server.Running]:
    glewlwyd, port = provider
    running = await server.start(psc_config(glewlwyd.issuer, port), host="127.0.0.1", port=port)
    try:
        yield running
    finally:
        await running.stop()


def browser() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def to_callback(
    http: aiohttp.ClientSession, portal_url: str, glewlwyd: Glewlwyd, doctor: str
) -> tuple[str, str]:
    """From the portal's PSC button to the provider and back to the callback's URL (not yet
    opened), as the doctor's browser goes; and the sign-in's cookie the portal left."""
    async with http.get(f"{portal_url}/auth/psc/login", allow_redirects=False) as r:
        assert r.status == 302, await r.text()
        to_provider = r.headers["Location"]
        cookie = r.cookies["cabine_psc"]
        assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/auth/psc"
    query = parse_qs(urlsplit(to_provider).query)
    assert to_provider.startswith(f"{glewlwyd.issuer}/auth?")
    assert query["code_challenge_method"] == ["S256"] and query["acr_values"] == ["eidas1"]
    assert query["response_type"] == ["code"] and len(query["state"][0]) >= 32
    # the provider's login page signs the doctor in, then continues the request
    headers = {"Cookie": glewlwyd.user_cookie(doctor)}
    async with http.get(to_provider + "&g_continue", headers=headers, allow_redirects=False) as r:
        assert r.status == 302, await r.text()
        back = r.headers["Location"]
    assert back.startswith(f"{portal_url}/auth/psc/callback?")
    return back, cookie.value


async def open_callback(http: aiohttp.ClientSession, url: str) -> tuple[int, str, str]:
    async with http.get(url, allow_redirects=False) as r:
        return r.status, r.headers.get("Location", ""), await r.text()


@pytest.mark.asyncio
async def test_a_doctor_signs_in_with_psc_and_the_rpps_reaches_the_page(
    psc_portal: server.Running, provider: tuple[Glewlwyd, int]
) -> None:
    glewlwyd, _ = provider
    url = psc_portal.url
    async with browser() as http:
        assert (await login(http, url, "dr-psc", "never-typed-password"))[0] == 401  # PSC only
        async with http.get(f"{url}/api/psc") as r:
            assert (await r.json())["login_url"] == "/auth/psc/login"
        callback, _ = await to_callback(http, url, glewlwyd, "dr-psc")
        status, location, _ = await open_callback(http, callback)
        assert (status, location) == (302, "/")
        async with http.get(f"{url}/api/me") as r:
            me = await r.json()
        assert r.status == 200
        assert me["doctor"]["id"] == "dr-psc" and me["doctor"]["rpps"] == "10101010101"
        assert me["doctor"]["rpps_verified"] is True
    # a password login keeps its typed RPPS, unverified
    async with browser() as http:
        assert (await login(http, url, "dr-weak", "weak-password"))[0] == 200
        async with http.get(f"{url}/api/me") as r:
            assert "rpps_verified" not in (await r.json())["doctor"]


@pytest.mark.asyncio
async def test_a_replayed_code_is_refused_by_the_provider(
    psc_portal: server.Running, provider: tuple[Glewlwyd, int]
) -> None:
    glewlwyd, _ = provider
    async with browser() as http:
        callback, sealed = await to_callback(http, psc_portal.url, glewlwyd, "dr-psc")
        assert (await open_callback(http, callback))[0] == 302
    async with browser() as replay:  # the same code, with a valid sign-in cookie
        replay.cookie_jar.update_cookies({"cabine_psc": sealed}, URL(callback))
        status, _, page = await open_callback(replay, callback)
    assert status == 403 and 'data-code="refused"' in page
    assert "code déjà utilisé ou expiré" in page and "a code already used or expired" in page
    async with browser() as stranger:  # no sign-in started in this browser
        status, _, page = await open_callback(stranger, callback)
    assert status == 400 and 'data-code="state"' in page


@pytest.mark.asyncio
async def test_a_level_too_low_or_an_rpps_without_account_is_refused(
    psc_portal: server.Running, provider: tuple[Glewlwyd, int]
) -> None:
    glewlwyd, _ = provider
    for doctor, code, words in (
        ("dr-weak", "level", "utilisez votre carte CPS ou l'application e-CPS"),
        ("dr-stranger", "no_account", "Aucun compte médecin actif"),
    ):
        async with browser() as http:
            callback, _ = await to_callback(http, psc_portal.url, glewlwyd, doctor)
            status, _, page = await open_callback(http, callback)
            assert status == 403 and f'data-code="{code}"' in page and words in page
            async with http.get(f"{psc_portal.url}/api/me") as r:
                assert r.status == 401


async def direct_id_token(
    glewlwyd: Glewlwyd, client_id: str, secret: str, redirect: str
) -> dict[str, Any]:
    """An ID token the provider issues to ``client_id`` for dr-psc (the test as that client)."""
    verifier, nonce = generate_token(64), generate_token(16)
    query = urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": redirect,
        "scope": "openid", "state": "s", "nonce": nonce, "code_challenge_method": "S256",
        "code_challenge": create_s256_code_challenge(verifier),
    })  # fmt: skip
    headers = {"Cookie": glewlwyd.user_cookie("dr-psc", client_id)}
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{glewlwyd.issuer}/auth?{query}&g_continue", headers=headers,
                            allow_redirects=False) as r:  # fmt: skip
            code = parse_qs(urlsplit(r.headers["Location"]).query)["code"][0]
        async with http.post(
            f"{glewlwyd.issuer}/token", headers={"Authorization": basic_auth(client_id, secret)},
            data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect,
                  "code_verifier": verifier},
        ) as r:  # fmt: skip
            assert r.status == 200, await r.text()
            body = await r.json()
    return {"id_token": body["id_token"], "nonce": nonce}


@pytest.mark.asyncio
async def test_wrong_audience_expired_or_forged_id_tokens_are_refused(
    provider: tuple[Glewlwyd, int],
) -> None:
    glewlwyd, port = provider
    cfg = psc_config(glewlwyd.issuer, port)
    client = PscClient(cfg.psc)
    try:
        redirect = cfg.psc.redirect_url
        mine = await direct_id_token(glewlwyd, CLIENT_ID, CLIENT_SECRET, redirect)
        claims = await client.check_id_token(mine["id_token"], nonce=mine["nonce"])
        assert claims["SubjectNameID"] == "810101010101" and claims["aud"] == CLIENT_ID

        theirs = await direct_id_token(glewlwyd, OTHER_ID, OTHER_SECRET, redirect)
        with pytest.raises(PscError, match="aud") as wrong:
            await client.check_id_token(theirs["id_token"], nonce=theirs["nonce"])
        assert wrong.value.code == "token"

        late = claims["exp"] + cfg.psc.leeway_s + 1
        with pytest.raises(PscError, match="exp") as expired:
            await client.check_id_token(mine["id_token"], nonce=mine["nonce"], now=late)
        assert expired.value.code == "token"

        with pytest.raises(PscError, match="nonce"):
            await client.check_id_token(mine["id_token"], nonce="another-sign-in")
        head, body, signature = mine["id_token"].split(".")
        forged = f"{head}.{body}.{signature[:-4]}AAAA"
        with pytest.raises(PscError, match="signature"):
            await client.check_id_token(forged, nonce=mine["nonce"])
    finally:
        await client.close()


@pytest.mark.asyncio
async def test_a_provider_down_is_said_and_bounded(tmp_path: Path) -> None:
    port = free_port()
    # down from the start: nothing listens where the issuer is
    dead = f"http://127.0.0.1:{free_port()}/api/oidc"
    running = await server.start(psc_config(dead, port), host="127.0.0.1", port=port)
    try:
        async with browser() as http:
            started = time.monotonic()
            async with http.get(f"{running.url}/auth/psc/login", allow_redirects=False) as r:
                page = await r.text()
            assert r.status == 503 and 'data-code="unavailable"' in page
            assert "Pro Santé Connect ne répond pas pour le moment" in page
            assert time.monotonic() - started < 5
        async with chromium(running.url, tmp_path) as page:  # the page, as a doctor sees it
            await page.run(page.driver.get, running.url + "/auth/psc/login")
            assert await page.js("return document.documentElement.lang") == "fr"
            found = await axe.violations(page)
            assert not found, f"axe-core on the sign-in error page:\n{axe.readable(found)}"
            await page.screenshot(tmp_path / "psc-unavailable.png")
    finally:
        await running.stop()

    # down in the middle: the doctor comes back with a code, the token endpoint is gone
    glewlwyd = Glewlwyd(tmp_path / "glewlwyd",
                        redirect_urls=[f"http://127.0.0.1:{port}/auth/psc/callback"])  # fmt: skip
    glewlwyd.start()
    try:
        glewlwyd.configure()
        running = await server.start(psc_config(glewlwyd.issuer, port), host="127.0.0.1", port=port)
        try:
            async with browser() as http:
                callback, _ = await to_callback(http, running.url, glewlwyd, "dr-psc")
                glewlwyd.stop()
                status, _, page = await open_callback(http, callback)
            assert status == 503 and 'data-code="unavailable"' in page
        finally:
            await running.stop()
    finally:
        glewlwyd.stop()


def test_a_half_filled_psc_table_is_refused_and_rpps_is_read_from_the_national_id() -> None:
    base = portal_toml() + '\n[psc]\nissuer = "https://psc.example/realm"\n'
    full = base + 'client_id = "c"\nclient_secret = "s"\n'
    for toml, words in (
        (base, "'client_id' is required"),
        (full + 'redirect_url = "https://portal.example/cb"\n', "must end with /auth/psc/callback"),
        (full + 'redirect_url = "ftp://x/auth/psc/callback"\n', "must be an http\\(s\\) URL"),
        (full + 'redirect_url = "https://p/auth/psc/callback"\nscope = "profile"\n', "openid"),
        (full + 'redirect_url = "https://p/auth/psc/callback"\nacr_values = []\n', "empty"),
        (full + 'redirect_url = "https://p/auth/psc/callback"\nissue = "x"\n', "unknown key"),
    ):
        with pytest.raises(PortalConfigError, match=words):
            parse_portal_config(toml, source="t.toml")
    cfg = parse_portal_config(full + 'redirect_url = "https://p/auth/psc/callback"\n', source="t")
    assert cfg.psc.discovery == "https://psc.example/realm/.well-known/openid-configuration"
    assert not parse_portal_config(portal_toml(), source="t").psc.enabled
    assert rpps_of("810101010101") == "10101010101" == rpps_of("10101010101")
    assert rpps_of("0123456789") == "" == rpps_of("8101010101x1")  # ADELI, or not digits


@pytest.mark.asyncio
async def test_the_login_page_offers_psc_only_where_the_portal_has_it(
    psc_portal: server.Running, tmp_path: Path
) -> None:
    shown = "return !document.getElementById('psc-login').hidden"
    async with chromium(psc_portal.url, tmp_path / "psc") as page:
        await page.run(page.driver.get, psc_portal.url + "/")
        await page.until("the Pro Santé Connect link", lambda: page.js(shown))
        link = "return document.getElementById('psc-login').getAttribute('href')"
        assert await page.js(link) == "/auth/psc/login"
        words = {"fr": "Se connecter avec Pro Santé Connect", "en": "Log in with Pro Santé Connect"}
        lang = await page.js("return document.documentElement.lang")
        assert await page.text("psc-login") == words[lang]  # in the page's language
    port = free_port()
    plain = parse_portal_config(portal_toml())
    running = await server.start(plain, host="127.0.0.1", port=port)
    try:
        async with browser() as http, http.get(f"{running.url}/api/psc") as r:
            assert r.status == 200 and (await r.json()) == {"enabled": False}
        async with chromium(running.url, tmp_path / "plain") as page:
            await page.run(page.driver.get, running.url + "/")
            asked = "return performance.getEntriesByName(location.origin + '/api/psc').length"
            await page.until("the page asked /api/psc", lambda: page.js(asked))
            await page.run(time.sleep, 0.3)  # its answer handled
            assert not await page.js(shown)
    finally:
        await running.stop()
