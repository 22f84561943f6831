"""Fixtures of the security tests: portals with chosen limits, clients from chosen sources.

Every client address is on loopback: 127.0.0.1 is the clean source (the doctor, the cabin),
127.0.0.2 and above are other sources (an attacker, a second site). Linux routes all of
127.0.0.0/8 to ``lo``, so binding a client to 127.0.0.2 needs no set-up.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest_asyncio

from portal import server
from portal.config import PortalConfig
from portal.config import parse as parse_portal_config
from tests.portal.conftest import CABIN_ID, CABIN_TOKEN, DOCTORS, portal_toml

__all__ = ["CABIN_ID", "CABIN_TOKEN", "DOCTORS"]


def security_config(toml: str = "", **limits: Any) -> PortalConfig:
    """The portal tests' config (plus ``toml``), with ``[limits]`` keys replaced."""
    cfg = parse_portal_config(portal_toml() + toml, source="security-test.toml")
    return dataclasses.replace(cfg, limits=dataclasses.replace(cfg.limits, **limits))


@pytest_asyncio.fixture
async def start_portal() -> AsyncIterator[Callable[[PortalConfig], Awaitable[server.Running]]]:
    """Start portals on loopback (any free port); all are stopped at the test's end."""
    started: list[server.Running] = []

    async def start(cfg: PortalConfig) -> server.Running:
        running = await server.start(cfg, host="127.0.0.1", port=0)
        started.append(running)
        return running

    try:
        yield start
    finally:
        for running in reversed(started):
            await running.stop()


def client(source: str = "127.0.0.1", **kwargs: Any) -> aiohttp.ClientSession:
    """An HTTP client whose connections come from ``source``, keeping cookies."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(local_addr=(source, 0), limit=0),
        cookie_jar=aiohttp.CookieJar(unsafe=True),
        **kwargs,
    )


async def login(http: aiohttp.ClientSession, url: str, name: str, password: str) -> int:
    async with http.post(f"{url}/api/login", json={"username": name, "password": password}) as r:
        await r.read()
        return r.status


async def hello(
    http: aiohttp.ClientSession, url: str, *, cabin_id: str = CABIN_ID, token: str = CABIN_TOKEN
) -> tuple[aiohttp.ClientWebSocketResponse, dict[str, Any]]:
    """A cabin's socket and the portal's first answer to its hello (welcome or error)."""
    ws = await http.ws_connect(url.replace("http", "ws") + "/ws/cabin")
    # sent as is: a test's cabin may send what the schema would refuse to encode
    await ws.send_str(json.dumps({"type": "hello", "cabin_id": cabin_id, "token": token}))
    msg = await ws.receive(timeout=10)
    if msg.type != aiohttp.WSMsgType.TEXT:
        return ws, {"type": "closed", "code": ws.close_code}
    return ws, json.loads(msg.data)
