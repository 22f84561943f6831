"""Item 8: garbage is a 400, never a 500.

A password holding ``\\ud800``, raw bytes ``ff fe fd`` in ``Authorization``, JSON nested
20,000 deep on ``/api/login`` and on the appointments API each gave a 500.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from portal import server
from portal.config import PortalConfig
from tests.appointments.conftest import API_TOKEN, appointments_config
from tests.security.conftest import DOCTORS, client, login, security_config

Start = Callable[[PortalConfig], Awaitable[server.Running]]
DEEP = "[" * 20_000 + "]" * 20_000


async def raw_request(url: str, request: bytes) -> bytes:
    """Send ``request`` as is (bytes no client library would send) and read the answer."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(request)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), timeout=10)
    finally:
        writer.close()


def status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


@pytest.mark.asyncio
async def test_a_password_holding_a_lone_surrogate_is_400(start_portal: Start) -> None:
    portal = await start_portal(security_config())
    async with client() as http:
        body = json.dumps({"username": "dr-a", "password": "\ud800"})  # ASCII: "\\ud800"
        async with http.post(
            f"{portal.url}/api/login", data=body, headers={"Content-Type": "application/json"}
        ) as r:
            assert r.status == 400
        body = json.dumps({"username": "dr-\udfff", "password": "x"})
        async with http.post(f"{portal.url}/api/login", data=body) as r:
            assert r.status == 400
        assert await login(http, portal.url, "dr-a", DOCTORS["dr-a"]) == 200  # served on


@pytest.mark.asyncio
async def test_json_nested_20000_deep_on_login_is_400(start_portal: Start) -> None:
    portal = await start_portal(security_config())
    async with client() as http:
        for body in (DEEP, '{"username": ' + DEEP + ', "password": "x"}'):
            async with http.post(f"{portal.url}/api/login", data=body) as r:
                assert r.status == 400


@pytest.mark.asyncio
async def test_garbage_on_the_appointments_api_is_400(start_portal: Start, tmp_path: Path) -> None:
    portal = await start_portal(
        appointments_config(f"sqlite+aiosqlite:///{tmp_path / 'appointments.db'}")
    )
    host = portal.url.removeprefix("http://")
    # raw bytes ff fe fd in Authorization
    for path in (b"/api/appointments/a-1", b"/api/appointments?cabin_id=x&day=2026-01-01"):
        answer = await raw_request(
            portal.url,
            b"GET " + path + b" HTTP/1.1\r\nHost: " + host.encode() + b"\r\n"
            b"Authorization: Bearer \xff\xfe\xfd\r\nConnection: close\r\n\r\n",
        )
        assert status(answer) == 400, answer
        assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["error"] == "malformed"
    # the same bytes in the session cookie are no login, not a crash
    answer = await raw_request(
        portal.url,
        b"GET /api/me HTTP/1.1\r\nHost: " + host.encode() + b"\r\n"
        b"Cookie: cabine_portal=eyJ9.\xff\xfe\xfd\r\nConnection: close\r\n\r\n",
    )
    assert status(answer) == 401, answer
    # JSON nested 20,000 deep, and a lone surrogate, in a booking and in a move
    headers = {"Authorization": f"Bearer {API_TOKEN}", "Content-Type": "application/json"}
    async with client() as http:
        for body in (DEEP, json.dumps({"id": "a-1", "last_name": "\ud800"})):
            async with http.post(f"{portal.url}/api/appointments", data=body, headers=headers) as r:
                assert r.status == 400, await r.text()
                assert (await r.json())["error"] == "malformed"
            async with http.patch(
                f"{portal.url}/api/appointments/a-1", data=body, headers=headers
            ) as r:
                assert r.status == 400, await r.text()
        async with http.get(f"{portal.url}/api/appointments/a-1", headers=headers) as r:
            assert r.status == 404  # the API is up, and the token right
