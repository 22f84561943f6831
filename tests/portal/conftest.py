"""Fixtures of the portal and call tests: a real portal on loopback, accounts with cheap hashes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from portal import auth, server
from portal.config import PortalConfig
from portal.config import parse as parse_portal_config

CABIN_ID = "cabin-test-01"
CABIN_TOKEN = "cabin-secret-token"
DOCTORS = {"dr-a": "pass-a", "dr-b": "pass-b"}


def _cheap(secret: str) -> str:
    return auth.hash_secret(secret, n=2**10)


def portal_toml(*, rate: float = 50.0, burst: int = 60, max_violations: int = 30) -> str:
    doctors = "\n".join(
        f'[doctors.{name}]\nname = "Dr {name.upper()}"\npassword = "{_cheap(pw)}"\n'
        f'rpps = "10000000001"\nspecialty = "Médecine générale"\n'
        for name, pw in DOCTORS.items()
    )
    return f"""
[server]
secure_cookies = false
heartbeat_s = 2.0
[limits]
rate = {rate}
burst = {burst}
max_violations = {max_violations}
hello_timeout = 2.0
max_failed_logins = 3
{doctors}
[cabins.{CABIN_ID}]
name = "Test cabin"
token = "{_cheap(CABIN_TOKEN)}"
"""


@pytest.fixture
def portal_config() -> PortalConfig:
    return parse_portal_config(portal_toml(), source="test-portal.toml")


@pytest_asyncio.fixture
async def portal(portal_config: PortalConfig) -> AsyncIterator[server.Running]:
    running = await server.start(portal_config, host="127.0.0.1", port=0)
    try:
        yield running
    finally:
        await running.stop()
