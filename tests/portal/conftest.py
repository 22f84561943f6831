"""Fixtures of the portal and call tests: a real portal on loopback, accounts with cheap hashes."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import shutil
import subprocess
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from harness import doctor
from portal import auth, server
from portal.config import PortalConfig
from portal.config import parse as parse_portal_config

CABIN_ID = "cabin-test-01"
CABIN_TOKEN = "cabin-secret-token"
DOCTORS = {"dr-a": "pass-a", "dr-b": "pass-b"}
#: A staff account (pharmacist, nurse) managing ``CABIN_ID`` only: its login and password.
STAFF = ("staff-a", "pass-staff-a")


def _cheap(secret: str) -> str:
    return auth.hash_secret(secret, n=2**10)


def portal_toml(
    *,
    rate: float = 50.0,
    burst: int = 60,
    max_violations: int = 30,
    form: bool = True,
    signatures_dir: str = "",
) -> str:
    """The test portal; its prescription form on (the tests of the form use it), no
    signature folder unless given."""
    doctors = "\n".join(
        f'[doctors.{name}]\nname = "Dr {name.upper()}"\npassword = "{_cheap(pw)}"\n'
        f'rpps = "10000000001"\nspecialty = "Médecine générale"\n'
        for name, pw in DOCTORS.items()
    )
    return f"""
[server]
secure_cookies = false
heartbeat_s = 2.0
session_secret = "test-session-key"
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
[staff.{STAFF[0]}]
name = "Pharmacie A"
password = "{_cheap(STAFF[1])}"
cabins = ["{CABIN_ID}"]
[prescriptions]
form = {"true" if form else "false"}
signatures_dir = "{signatures_dir}"
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


# --- a private network namespace: WebRTC on loopback --------------------------------------

CLONE_NEWNET = 0x40000000


@pytest.fixture
def loopback_netns() -> Iterator[None]:
    """Move this thread (and every thread and process it starts) to a fresh network namespace.

    Its loopback carries 127.0.0.1 and 127.0.0.2: aioice never offers 127.0.0.1 as a host
    candidate but does offer 127.0.0.2, and Chromium (``--allow-loopback-in-peer-connection``)
    offers 127.0.0.1. All traffic stays on a loopback no other process shares; the namespace
    goes away with the last socket and process in it.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    original = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    if libc.unshare(CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        os.close(original)
        pytest.fail(f"cannot create a network namespace (unshare: {os.strerror(err)}); root needed")
    try:
        for cmd in (
            ["ip", "link", "set", "lo", "up"],
            ["ip", "addr", "add", "127.0.0.2/8", "dev", "lo"],
        ):
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=10, check=False)
            if done.returncode != 0:
                pytest.fail(
                    f"cannot set up the namespace's loopback: {' '.join(cmd)}: {done.stderr}"
                )
        yield
    finally:
        if libc.setns(original, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns back to the original network namespace")
        os.close(original)


@pytest_asyncio.fixture
async def netns_portal(
    loopback_netns: None, portal_config: PortalConfig
) -> AsyncIterator[server.Running]:
    running = await server.start(portal_config, host="127.0.0.1", port=0)
    try:
        yield running
    finally:
        await running.stop()


class DoctorPage(doctor.ScriptedDoctor):
    """The doctor's page in a real headless Chromium: the harness's automation, and the test's
    own steps; a wait that fails leaves a screenshot in ``failures`` and fails the test."""

    def __init__(self, url: str, *, failures: Path) -> None:
        super().__init__(url)
        self.failures = failures

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.to_thread(fn, *args)

    async def until(
        self, what: str, check: Callable[[], Awaitable[Any]], *, timeout: float = 15.0
    ) -> Any:
        """Poll ``check`` until it returns something true, within ``timeout``."""
        try:
            return await super().until(what, check, timeout=timeout)
        except doctor.DoctorError as exc:
            shot = self.failures / "doctor-page-failure.png"
            await self.screenshot(shot)
            raise AssertionError(f"{exc} ({shot})") from None

    async def text(self, element_id: str) -> str:
        value: str = await self.js(f"return document.getElementById({element_id!r}).textContent")
        return value

    async def click(self, css: str) -> None:
        await self.js(f"document.querySelector({css!r}).click()")

    async def login(self, username: str, password: str) -> None:
        """Typed in, key by key (the harness's doctor sets the fields' values)."""
        from selenium.webdriver.common.by import By

        await self.run(self.driver.get, self.url + "/")
        await self.until(
            "login form", lambda: self.js("return !document.getElementById('login-view').hidden")
        )
        await self.run(lambda: self.driver.find_element(By.ID, "username").send_keys(username))
        await self.run(lambda: self.driver.find_element(By.ID, "password").send_keys(password))
        await self.run(lambda: self.driver.find_element(By.ID, "login-button").click())
        await self.until(
            "waiting room", lambda: self.js("return window.cabine.snapshot().view === 'room-view'")
        )


@contextlib.asynccontextmanager
async def chromium(url: str, tmp_path: Path) -> AsyncIterator[DoctorPage]:
    """A real headless Chromium (fake camera and microphone) on ``url``, started and stopped
    by the harness's doctor; a failed wait's screenshot goes to ``tmp_path``."""
    page = DoctorPage(url, failures=tmp_path)
    try:
        await page.start()
    except doctor.DoctorError as exc:
        pytest.fail(str(exc))
    try:
        yield page
    finally:
        await page.stop()


@pytest_asyncio.fixture
async def doctor_page(netns_portal: server.Running, tmp_path: Path) -> AsyncIterator[DoctorPage]:
    async with chromium(netns_portal.url, tmp_path) as page:
        yield page


TURN_SECRET = "turn-test-secret"
TURN_PORT = 3478  # the namespace is private: a fixed port cannot clash


@pytest.fixture
def coturn(loopback_netns: None, tmp_path: Path) -> Iterator[str]:
    """coturn on 127.0.0.1 inside the test's namespace, with TURN REST API credentials."""
    binary = shutil.which("turnserver")
    if binary is None:
        pytest.fail("coturn's turnserver not found (apt-get install coturn)")
    log_path = tmp_path / "turnserver.log"
    args = [
        binary,
        "-n",
        "--listening-ip=127.0.0.1",
        "--relay-ip=127.0.0.1",
        f"--listening-port={TURN_PORT}",
        "--min-port=49160",
        "--max-port=49260",
        "--use-auth-secret",
        f"--static-auth-secret={TURN_SECRET}",
        "--realm=cabine.test",
        "--allow-loopback-peers",
        "--no-tls",
        "--no-dtls",
        "--no-cli",
        "--fingerprint",
        "--simple-log",
        f"--log-file={log_path}",
        f"--pidfile={tmp_path / 'turnserver.pid'}",
    ]
    with (tmp_path / "turnserver.out").open("wb") as out:
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        bound = f"0100007F:{TURN_PORT:04X}"  # 127.0.0.1:3478 as /proc/net/udp spells it
        while True:
            udp = Path("/proc/thread-self/net/udp").read_text()
            if bound in udp:
                break
            if process.poll() is not None or time.monotonic() > deadline:
                out_text = (tmp_path / "turnserver.out").read_text(errors="replace")
                pytest.fail(f"coturn did not start (exit {process.poll()}): {out_text[-800:]}")
            time.sleep(0.05)
        yield f"turn:127.0.0.1:{TURN_PORT}?transport=udp"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
