"""The booking site behind the shipped HAProxy config, three instances on one Redis and one
database: a patient's booking (the slot held, the code sent: in the memory of the instance
that began it) goes on from page to page, each page on a new connection that HAProxy could
send anywhere; the cabins' and doctors' sockets are not held to one instance by it."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from tests.booking.conftest import SmsSink, site_toml, sms_sink  # noqa: F401 (a fixture)
from tests.booking.helpers import MOBILE, ZOE, get, pick, post
from tests.cluster.conftest import RedisServer
from tests.cluster.test_haproxy import (  # noqa: F401 (processes: a fixture)
    Processes,
    _free_ports,
    processes,
    start_haproxy,
    start_portals,
)

pytestmark = pytest.mark.slow


def _config(tmp_path: Path, redis_url: str, sendsms_url: str) -> Path:
    toml = site_toml(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}", sendsms_url=sendsms_url)
    assert "[limits]\n" in toml
    toml = toml.replace("[limits]\n", '[limits]\ntrusted_proxies = ["127.0.0.1"]\n', 1)
    toml += f'\n[cluster]\nredis_url = "{redis_url}"\npresence_ttl_s = 3.0\n'
    path = tmp_path / "portal.toml"
    path.write_text(toml)
    return path


@pytest.mark.asyncio
async def test_a_booking_stays_on_the_instance_that_holds_it(
    tmp_path: Path,
    redis_server: RedisServer,
    processes: Processes,  # noqa: F811 (the fixture)
    sms_sink: SmsSink,  # noqa: F811 (the fixture)
) -> None:
    config = _config(tmp_path, redis_server.url, sms_sink.url)
    portals = start_portals(config, _free_ports(3), processes, tmp_path)
    base, trust = start_haproxy(tmp_path, [port for _, port, _ in portals], processes)
    # a new connection for each request: HAProxy balances each one afresh
    connector = aiohttp.TCPConnector(ssl=trust, force_close=True)
    jar = aiohttp.CookieJar(unsafe=True)  # a browser's cookies, on an IP address
    async with aiohttp.ClientSession(connector=connector, cookie_jar=jar) as http:
        who = await pick(http, base)
        assert who.status == 200 and "/who" in who.url, who.text[:600]
        assert any(c.key == "cabine_book" for c in jar), "HAProxy set no booking cookie"
        flow = who.form("/who")["fields"]["f"]
        for _ in range(6):  # the page of the slot held, again and again
            again = await get(http, f"{base}/book/fr/who?f={flow}")
            assert again.status == 200, again.text[:600]
            assert any("/who" in f["action"] for f in again.forms), again.text[:600]
        phone = await post(http, base, who.form("/who"), **ZOE)
        assert "/phone" in phone.url, phone.errors
        code_page = await post(http, base, phone.form("/phone"), phone=MOBILE)
        assert "/code" in code_page.url, code_page.errors
        done = await post(http, base, code_page.form("/code"), code=sms_sink.last_code())
        assert done.status == 200 and "/done" in done.url, (done.url, done.errors)
        # the doctors' and cabins' API is not held by it: HAProxy's cookie is not set there
        async with http.get(f"{base}/api/health") as r:
            assert r.status == 200 and "cabine_book" not in r.headers.get("Set-Cookie", "")
