"""Fixtures of the accounts tests: a portal whose accounts live in its database (SQLite, and
PostgreSQL through the appointments' fixtures), and logins over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest_asyncio

from portal import server
from tests.appointments.conftest import appointments_config, database_url, postgres
from tests.portal.conftest import portal, portal_config

__all__ = ["database_url", "portal", "portal_config", "postgres"]


async def login(
    http: aiohttp.ClientSession, url: str, username: str, password: str
) -> tuple[int, dict[str, Any]]:
    async with http.post(
        f"{url}/api/login", json={"username": username, "password": password}
    ) as response:
        body = await response.json() if response.content_type == "application/json" else {}
        return response.status, body


@pytest_asyncio.fixture
async def db_portal(database_url: str) -> AsyncIterator[server.Running]:
    """A portal whose accounts are in the database (the test config's imported at start)."""
    running = await server.start(appointments_config(database_url), host="127.0.0.1", port=0)
    try:
        yield running
    finally:
        await running.stop()


@pytest_asyncio.fixture
async def sqlite_portal(tmp_path: Path) -> AsyncIterator[server.Running]:
    cfg = appointments_config(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}")
    running = await server.start(cfg, host="127.0.0.1", port=0)
    try:
        yield running
    finally:
        await running.stop()
