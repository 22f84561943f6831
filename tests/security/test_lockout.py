"""Item 6: lockouts that nobody can turn against a doctor, and that a spray cannot clear.

The lockout was per login only, so anyone could lock a doctor out; and the failure table was
cleared whole past 10,000 names, so a spray of made-up logins unlocked every account. The
rule now (see ``auth.LoginThrottle``): failures count per login *and* source; a source that
failed too often is refused; once a login fails from many sources, the sources that failed on
it are refused for it; a source that has not failed (its owner's) still gets in. Only
expired entries are evicted.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import aiohttp
import pytest

from portal import auth, server
from portal.config import PortalConfig
from tests.security.conftest import DOCTORS, client, hello, login, security_config

Start = Callable[[PortalConfig], Awaitable[server.Running]]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def throttle(clock: Clock, **kwargs: int) -> auth.LoginThrottle:
    options = {"limit": 3, "per_source": 30, "per_account": 20} | kwargs
    return auth.LoginThrottle(lockout_s=300.0, clock=clock, **options)


@pytest.mark.asyncio
async def test_failures_elsewhere_do_not_lock_the_owner_out(start_portal: Start) -> None:
    portal = await start_portal(security_config())  # max_failed_logins = 3
    async with client("127.0.0.2") as attacker, client("127.0.0.1") as owner:
        for _ in range(3):
            assert await login(attacker, portal.url, "dr-b", "guess") == 401
        assert await login(attacker, portal.url, "dr-b", DOCTORS["dr-b"]) == 429
        assert await login(owner, portal.url, "dr-b", DOCTORS["dr-b"]) == 200


@pytest.mark.asyncio
async def test_a_source_that_fails_too_often_is_refused_everything(start_portal: Start) -> None:
    portal = await start_portal(security_config(max_failed_per_source=6))
    async with client("127.0.0.3") as sprayer, client("127.0.0.1") as other:
        for n in range(6):
            assert await login(sprayer, portal.url, f"made-up-{n}", "x") == 401
        # a real account with its right password, a cabin's hello: all refused from there
        assert await login(sprayer, portal.url, "dr-a", DOCTORS["dr-a"]) == 429
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await hello(sprayer, portal.url)
        assert refused.value.status == 429
        assert await login(other, portal.url, "dr-a", DOCTORS["dr-a"]) == 200


def test_a_spray_of_10001_made_up_logins_unlocks_nobody() -> None:
    clock = Clock()
    t = throttle(clock, per_source=1_000_000)
    for _ in range(3):
        t.failed("dr-b", "10.0.0.1")
    assert t.locked("dr-b", "10.0.0.1")
    for n in range(10_001):
        t.failed(f"made-up-{n}", f"10.1.{n // 256}.{n % 256}")
        clock.now += 0.001
    assert t.locked("dr-b", "10.0.0.1")
    assert not t.locked("dr-b", "10.0.0.2")
    # expired entries, and only they, are evicted
    clock.now += 300.0 - 10.001 + 0.5  # dr-b's failures expired, the spray's last 5 s not
    t.failed("another", "10.2.0.1")  # a failure sweeps (at most once a second)
    assert not t.locked("dr-b", "10.0.0.1")
    assert 3 <= len(t._pairs) < 10_001
    assert ("made-up-10000", "10.1.39.16") in t._pairs


def test_an_account_failing_from_many_sources_still_lets_a_clean_source_in() -> None:
    clock = Clock()
    t = throttle(clock, per_account=20)
    for n in range(20):  # a botnet: one guess per address
        t.failed("dr-a", f"10.3.0.{n}")
    assert t.locked("dr-a", "10.3.0.0")  # a source that failed on it
    assert t.locked("dr-a", "10.3.0.19")
    assert not t.locked("dr-a", "192.0.2.7")  # the owner's, which has not failed
    assert not t.locked("dr-b", "10.3.0.0")  # other accounts from those sources
    t.succeeded("dr-a", "192.0.2.7")
    assert t.locked("dr-a", "10.3.0.5")  # the owner's success does not end the attack's lock
    clock.now += 301
    assert not t.locked("dr-a", "10.3.0.5")


def test_a_source_blocked_for_failures_on_anything() -> None:
    clock = Clock()
    t = throttle(clock, per_source=5)
    for _ in range(5):
        t.failed_source("10.4.0.1")  # cabin hellos, bearer tokens
    assert t.source_blocked("10.4.0.1") and t.locked("dr-a", "10.4.0.1")
    assert not t.clean("10.4.0.1") and t.clean("10.4.0.2")
    assert not t.locked("dr-a", "10.4.0.2")


@pytest.mark.asyncio
async def test_behind_a_trusted_proxy_each_client_is_its_own_source(start_portal: Start) -> None:
    portal = await start_portal(security_config(trusted_proxies=("127.0.0.1",)))

    async def attempt(http: aiohttp.ClientSession, client_address: str, password: str) -> int:
        async with http.post(
            f"{portal.url}/api/login",
            json={"username": "dr-b", "password": password},
            headers={"X-Forwarded-For": f"198.51.100.9, {client_address}"},
        ) as r:
            return r.status

    async with client("127.0.0.1") as proxy, client("127.0.0.2") as direct:
        for _ in range(3):
            assert await attempt(proxy, "203.0.113.5", "guess") == 401
        assert await attempt(proxy, "203.0.113.5", DOCTORS["dr-b"]) == 429
        assert await attempt(proxy, "203.0.113.6", DOCTORS["dr-b"]) == 200
        # a client that is no trusted proxy cannot choose its source by the header
        for _ in range(3):
            assert await attempt(direct, "203.0.113.7", "guess") == 401
        assert await attempt(direct, "203.0.113.8", DOCTORS["dr-b"]) == 429
