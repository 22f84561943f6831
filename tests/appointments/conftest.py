"""Fixtures of the appointments tests: a real PostgreSQL and a real Kannel, both on loopback.

PostgreSQL is Debian's server, in a temporary data directory owned by the ``postgres`` user
(root may not run it), started once per test session and stopped by PID; each test gets a
fresh database. Kannel is bearerbox + smsbox with its ``fakesmsc`` as the SMSC, each test
with its own config and ports; what fakesmsc received is read from its output.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

import pytest
import pytest_asyncio

from portal import auth, server
from portal.config import PortalConfig
from portal.config import parse as parse_portal_config
from tests.portal.conftest import CABIN_ID, portal_toml

PG_BIN = Path("/usr/lib/postgresql/15/bin")
KANNEL_BEARERBOX = "/usr/sbin/bearerbox"
KANNEL_SMSBOX = "/usr/sbin/smsbox"
FAKESMSC = "/usr/lib/kannel/test/fakesmsc"
API_TOKEN = "booking-site-test-token"
MATCH_SECRET = "test-match-secret-0123456789"
OTHER_CABIN = "cabin-test-02"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_port(port: int, what: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll until 127.0.0.1:``port`` accepts, within 15 s; fail naming ``what`` otherwise."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        with socket.socket() as sock:
            sock.settimeout(0.2)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    text = log.read_text(errors="replace")[-1500:] if log.exists() else ""
    stop(process)
    pytest.fail(f"{what} did not listen on 127.0.0.1:{port} (exit {process.poll()}): {text}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# --- PostgreSQL -------------------------------------------------------------------------


@dataclass
class Postgres:
    port: int
    user: str

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://{self.user}@127.0.0.1:{self.port}/{database}"


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """Debian's PostgreSQL 15 on 127.0.0.1, trust auth, in a private data directory."""
    for tool in ("initdb", "postgres"):
        if not os.access(PG_BIN / tool, os.X_OK):
            pytest.fail(f"PostgreSQL's {tool} not found in {PG_BIN} (apt-get install postgresql)")
    try:
        account = pwd.getpwnam("postgres")
    except KeyError:
        pytest.fail("no 'postgres' user to run the server as (apt-get install postgresql)")
    run_as: dict[str, Any] = {}
    if os.geteuid() == 0:
        run_as = {"user": account.pw_uid, "group": account.pw_gid}
    base = Path(tempfile.mkdtemp(prefix="cabine-pg-"))
    data, sockets = base / "data", base / "sock"
    sockets.mkdir()
    if run_as:
        for path in (base, sockets):
            os.chown(path, account.pw_uid, account.pw_gid)
    init = subprocess.run(
        [
            str(PG_BIN / "initdb"),
            "-D",
            str(data),
            "-U",
            "cabine",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ],
        capture_output=True,
        timeout=120,
        check=False,
        **run_as,
    )
    if init.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"initdb failed: {init.stderr.decode(errors='replace')[-800:]}")
    port = free_port()
    log_path = base / "postgres.log"
    with log_path.open("wb") as out:
        process = subprocess.Popen(
            [
                str(PG_BIN / "postgres"),
                "-D",
                str(data),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-k",
                str(sockets),
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            **run_as,
        )
    try:
        wait_port(port, "PostgreSQL", process, log_path)
        yield Postgres(port, "cabine")
    finally:
        stop(process)
        shutil.rmtree(base, ignore_errors=True)


async def _create_database(pg: Postgres) -> str:
    import asyncpg

    name = f"t_{secrets.token_hex(6)}"
    conn = await asyncpg.connect(host="127.0.0.1", port=pg.port, user=pg.user, database="postgres")
    try:
        await conn.execute(f"CREATE DATABASE {name}")
    finally:
        await conn.close()
    return name


@pytest_asyncio.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same suite on SQLite (a file) and on PostgreSQL (a fresh database)."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'appointments.db'}"
    pg: Postgres = request.getfixturevalue("postgres")
    return pg.url(await _create_database(pg))


# --- the portal with appointments ---------------------------------------------------------


def appointments_toml(
    database: str,
    *,
    sendsms_url: str = "",
    dlr_base_url: str = "",
    walk_ins: bool = True,
    backoff_s: float = 0.2,
    max_attempts: int = 4,
    other_territory: str = "FR",
) -> str:
    token = auth.hash_secret(API_TOKEN, n=2**10)
    cabin_token = auth.hash_secret("other-cabin-token", n=2**10)
    hours = """
timezone = "Europe/Paris"
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
opens = "00:00"
closes = "24:00"
slot_min = 15
"""
    return (
        portal_toml()
        + f"""
[cabins.{OTHER_CABIN}]
name = "Other cabin"
token = "{cabin_token}"

[appointments]
database = "{database}"
match_secret = "{MATCH_SECRET}"
api_token = "{token}"
early_min = 30.0
late_min = 20.0
booking_site = "https://rdv.example.org"
max_code_attempts = 5

[hours.{CABIN_ID}]
{hours}
address = "12 rue de la Paix, 78000 Versailles"
walk_ins = {"true" if walk_ins else "false"}

[hours.{OTHER_CABIN}]
{hours}
territory = "{other_territory}"

[sms]
sendsms_url = "{sendsms_url}"
username = "portal"
password = "sms-pass"
sender = "Cabine"
dlr_base_url = "{dlr_base_url}"
max_attempts = {max_attempts}
backoff_s = {backoff_s}
timeout_s = 3.0
"""
    )


def appointments_config(database: str, **kwargs: Any) -> PortalConfig:
    return parse_portal_config(appointments_toml(database, **kwargs), source="test.toml")


@pytest_asyncio.fixture
async def booking_portal(database_url: str) -> AsyncIterator[server.Running]:
    """A portal with appointments on the parametrised database, and no SMS gateway."""
    running = await server.start(appointments_config(database_url), host="127.0.0.1", port=0)
    try:
        yield running
    finally:
        await running.stop()


# --- Kannel -------------------------------------------------------------------------------


@dataclass
class Received:
    sender: str
    to: str
    coding: str  # "text", "ucs-2", "udh"
    text: str


_GOT = re.compile(r"Got message \d+: <(\S+) (\S+) (\S+) (.*)>$")


class Kannel:
    """bearerbox + smsbox + fakesmsc, started by the fixture; stopped by PID."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.processes: list[subprocess.Popen[bytes]] = []
        self.sendsms_port = free_port()
        self.smsc_log = base / "fakesmsc.log"

    @property
    def sendsms_url(self) -> str:
        return f"http://127.0.0.1:{self.sendsms_port}/cgi-bin/sendsms"

    def received(self) -> list[Received]:
        """What fakesmsc got (the operator's side), split parts joined back."""
        out: list[Received] = []
        pending: dict[tuple[str, int], dict[int, bytes]] = {}
        if not self.smsc_log.exists():
            return out
        for line in self.smsc_log.read_text(errors="replace").splitlines():
            found = _GOT.search(line)
            if not found:
                continue
            sender, to, kind, rest = found.groups()
            if kind == "text":
                out.append(Received(sender, to, "gsm", rest))
            elif kind == "ucs-2":
                out.append(
                    Received(sender, to, "ucs-2", unquote_to_bytes(rest).decode("utf-16-be"))
                )
            elif kind == "udh":
                udh_raw, _, payload = rest.partition(" ")
                udh = unquote_to_bytes(udh_raw)
                inner, _, data = payload.partition(" ")
                body = unquote_to_bytes(data) if inner in ("data", "ucs-2") else data.encode()
                ref, total, index = udh[3], udh[4], udh[5]
                parts = pending.setdefault((to, ref), {})
                parts[index] = body
                if len(parts) == total:
                    joined = b"".join(parts[i] for i in sorted(parts))
                    is_ucs2 = inner == "ucs-2" or (len(joined) % 2 == 0 and b"\x00" in joined[::2])
                    text = joined.decode("utf-16-be") if is_ucs2 else joined.decode("latin-1")
                    out.append(Received(sender, to, f"udh-{total}", text))
        return out

    def start(self) -> None:
        for binary in (KANNEL_BEARERBOX, KANNEL_SMSBOX, FAKESMSC):
            if not os.access(binary, os.X_OK):
                pytest.fail(f"Kannel's {binary} not found (apt-get install kannel kannel-extras)")
        admin, box, smsc = free_port(), free_port(), free_port()
        (self.base / "spool").mkdir()
        config = self.base / "kannel.conf"
        config.write_text(
            f"""group = core
admin-port = {admin}
admin-interface = 127.0.0.1
admin-password = {secrets.token_hex(8)}
smsbox-port = {box}
smsbox-interface = 127.0.0.1
box-allow-ip = 127.0.0.1
log-level = 1
store-type = spool
store-location = "{self.base / "spool"}"
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = FAKE
host = 127.0.0.1
port = {smsc}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {box}
sendsms-port = {self.sendsms_port}
sendsms-interface = 127.0.0.1
log-level = 1

group = sendsms-user
username = portal
password = sms-pass
concatenation = true
max-messages = 2
user-allow-ip = 127.0.0.1

group = sms-service
keyword = default
catch-all = true
omit-empty = true
text = "."
"""
        )
        bb_log, sb_log = self.base / "bearerbox.log", self.base / "smsbox.log"
        self._spawn([KANNEL_BEARERBOX, "-v", "1", str(config)], bb_log)
        wait_port(smsc, "Kannel bearerbox", self.processes[-1], bb_log)
        self._spawn(
            [FAKESMSC, "-H", "127.0.0.1", "-r", str(smsc), "-m", "0", "x y text z"], self.smsc_log
        )
        self._spawn([KANNEL_SMSBOX, "-v", "1", str(config)], sb_log)
        wait_port(self.sendsms_port, "Kannel smsbox", self.processes[-1], sb_log)
        # fakesmsc is connected once bearerbox says the SMSC is online
        deadline = time.monotonic() + 15
        while "Connecting to" not in (self.smsc_log.read_text(errors="replace")):
            if time.monotonic() > deadline:
                self.stop()
                pytest.fail("Kannel's fakesmsc did not connect to bearerbox")
            time.sleep(0.05)

    def _spawn(self, args: list[str], log: Path) -> None:
        with log.open("wb") as out:
            self.processes.append(subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT))

    def stop(self) -> None:
        for process in reversed(self.processes):
            stop(process)
        self.processes.clear()

    async def until(self, what: str, count: int = 1, timeout: float = 20.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.received()
            if len(got) >= count:
                return got
            await asyncio.sleep(0.1)
        raise AssertionError(f"fakesmsc: {what} not received within {timeout} s: {got}")


@pytest.fixture
def kannel_stopped(tmp_path: Path) -> Iterator[Kannel]:
    """A Kannel with its ports chosen but not started (the gateway is down until ``start``)."""
    gateway = Kannel(tmp_path)
    try:
        yield gateway
    finally:
        gateway.stop()


@pytest.fixture
def kannel(kannel_stopped: Kannel) -> Kannel:
    kannel_stopped.start()
    return kannel_stopped


@pytest_asyncio.fixture
async def sms_portal(database_url: str, kannel: Kannel) -> AsyncIterator[server.Running]:
    """A portal with appointments sending through the running Kannel, reports coming back."""
    port = free_port()
    cfg = appointments_config(
        database_url,
        sendsms_url=kannel.sendsms_url,
        dlr_base_url=f"http://127.0.0.1:{port}",
    )
    running = await server.start(cfg, host="127.0.0.1", port=port)
    try:
        yield running
    finally:
        await running.stop()
