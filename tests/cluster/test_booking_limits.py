"""Issue #18: the booking site's abuse limits live in Redis with the login throttles: SMS codes
sent to one phone from one instance count on the others (a sender dropping HAProxy's cookie to
reach another instance finds the same count); a code the gateway did not take counts nowhere."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from portal import server
from portal.appointments.verification import Flows, Limited
from portal.booking.pages import FLOWS
from portal.cluster.windows import SharedWindow
from portal.config import parse as parse_portal_config
from tests.booking.conftest import site_toml
from tests.cluster.conftest import RedisServer
from tests.helpers.waiting import until

PHONE = "+33612345678"


@pytest_asyncio.fixture
async def pair(
    tmp_path: Path, redis_server: RedisServer
) -> AsyncIterator[tuple[server.Running, server.Running]]:
    toml = site_toml(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}", sendsms_url="http://127.0.0.1:9/")
    toml += f'\n[cluster]\nredis_url = "{redis_server.url}"\npresence_ttl_s = 1.5\n'
    cfg = parse_portal_config(toml, source="booking-cluster.toml")
    a = await server.start(cfg, host="127.0.0.1", port=0)
    b = await server.start(cfg, host="127.0.0.1", port=0)  # after A: the tables are made
    try:
        yield a, b
    finally:
        await b.stop()
        await a.stop()


async def _counted(flows: Flows) -> None:
    for window in (flows.codes_phone, flows.codes_source):
        assert isinstance(window, SharedWindow)
        await window.settled()


@pytest.mark.asyncio
async def test_codes_sent_from_one_instance_count_on_the_other(
    pair: tuple[server.Running, server.Running],
) -> None:
    a, b = (running.app[FLOWS] for running in pair)
    limit = a.codes_phone.limit
    for n in range(limit):  # from different addresses: the phone's own limit
        a.new_code(a.new("fr"), PHONE, f"192.0.2.{n}")
    await _counted(a)
    with pytest.raises(Limited, match="codes_phone"):  # A, as before
        a.new_code(a.new("fr"), PHONE, "192.0.2.99")

    # B refuses the next code, its first: A told every instance the limit was reached
    await until(lambda: b.codes_phone.full(PHONE), "B learns the phone's count", timeout=5)
    with pytest.raises(Limited, match="codes_phone"):
        b.new_code(b.new("fr"), PHONE, "198.51.100.1")
    b.new_code(b.new("fr"), "+33698765432", "198.51.100.1")  # another phone is not held


@pytest.mark.asyncio
async def test_a_code_the_gateway_did_not_take_counts_nowhere(
    pair: tuple[server.Running, server.Running],
) -> None:
    a, b = (running.app[FLOWS] for running in pair)
    for n in range(a.codes_phone.limit + 2):  # the gateway down: each code taken back
        flow = a.new("fr")
        a.new_code(flow, PHONE, f"192.0.2.{n}")
        a.code_not_sent(flow, f"192.0.2.{n}")
        await _counted(a)
    flow = b.new("fr")
    b.new_code(flow, PHONE, "198.51.100.1")  # the gateway back: the patient gets a code
    await _counted(b)
    assert not b.codes_phone.full(PHONE)
