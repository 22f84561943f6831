"""Three portal instances behind a real HAProxy (config/haproxy.cfg, TLS with a test
certificate) on one real Redis: one instance killed with SIGKILL, its cabins are back within
5 s through the others, and the waiting room keeps every patient in order."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

import protocol
from portal.cluster.base import CABIN
from portal.cluster.redis import RedisCluster
from tests.cluster.conftest import RedisServer
from tests.helpers.waiting import until
from tests.portal.conftest import CABIN_TOKEN, DOCTORS, _cheap, portal_toml
from tests.portal.test_tls import self_signed

ROOT = Path(__file__).resolve().parents[2]
CABINS = [f"cabin-ha-{n}" for n in range(6)]

pytestmark = pytest.mark.slow


def _free_ports(n: int) -> list[int]:
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _config(tmp_path: Path, redis_url: str) -> Path:
    toml = portal_toml().replace("heartbeat_s = 2.0", "heartbeat_s = 1.0")
    toml = toml.replace("[limits]\n", '[limits]\ntrusted_proxies = ["127.0.0.1"]\n')
    for cabin_id in CABINS:
        toml += f'\n[cabins.{cabin_id}]\nname = "HA"\ntoken = "{_cheap(CABIN_TOKEN)}"\n'
    toml += f'\n[cluster]\nredis_url = "{redis_url}"\npresence_ttl_s = 3.0\n'
    path = tmp_path / "portal.toml"
    path.write_text(toml)
    return path


class Processes:
    """Processes started here, each stopped by its PID."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, argv: list[str], log: Path) -> subprocess.Popen[bytes]:
        with log.open("wb") as out:
            proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        self.procs.append(proc)
        return proc

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)


@pytest.fixture
def processes() -> Iterator[Processes]:
    started = Processes()
    try:
        yield started
    finally:
        started.stop()


def _wait_listening(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{proc.args[0]} on port {port} did not start: {log.read_text()[-800:]}")
        time.sleep(0.05)


class Cabin:
    """A cabin's link: reconnects at once when its socket ends, and checks in again."""

    def __init__(self, url: str, cabin_id: str, trust: ssl.SSLContext) -> None:
        self.url, self.cabin_id, self.trust = url, cabin_id, trust
        self.session_id = f"s-{cabin_id}"
        self.connected = asyncio.Event()
        self.lost_at: float | None = None
        self.back_at: float | None = None
        self.stopping = False
        self.ws: aiohttp.ClientWebSocketResponse | None = None

    async def stop(self) -> None:
        self.stopping = True
        if self.ws is not None:
            await self.ws.close()

    async def run(self, http: aiohttp.ClientSession) -> None:
        while not self.stopping:
            try:
                async with http.ws_connect(self.url, ssl=self.trust) as ws:
                    self.ws = ws
                    await ws.send_str(
                        protocol.signal("hello", cabin_id=self.cabin_id, token=CABIN_TOKEN)
                    )
                    async for message in ws:
                        data = protocol.decode_signal(message.data)
                        if data["type"] == "welcome":
                            await ws.send_str(
                                protocol.signal("checkin", session_id=self.session_id)
                            )
                            if self.lost_at is not None and self.back_at is None:
                                self.back_at = time.monotonic()
                            self.connected.set()
            except (aiohttp.ClientError, OSError):
                pass
            if self.connected.is_set() and self.lost_at is None:
                self.lost_at = time.monotonic()
            await asyncio.sleep(0.1)


def start_portals(
    config: Path, ports: list[int], processes: Processes, tmp_path: Path
) -> list[tuple[subprocess.Popen[bytes], int, Path]]:
    """``python -m portal`` on each port, one after the other (a shared database's tables are
    made by the first), each listening before the next starts."""
    portals = []
    for port in ports:
        log = tmp_path / f"portal-{port}.log"
        proc = processes.start(
            [sys.executable, "-m", "portal", "--config", str(config), "--port", str(port)], log
        )
        _wait_listening(port, proc, log)
        portals.append((proc, port, log))
    return portals


def start_haproxy(
    tmp_path: Path, ports: list[int], processes: Processes
) -> tuple[str, ssl.SSLContext]:
    """The shipped config/haproxy.cfg in front of ``ports`` (TLS with a test certificate):
    its https URL, and the trust for its certificate."""
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(haproxy).exists():
        pytest.fail("haproxy is not installed (apt-get install haproxy)")
    cert, key = self_signed(tmp_path)
    pem = tmp_path / "haproxy.pem"
    pem.write_bytes(cert.read_bytes() + key.read_bytes())
    https, plain = _free_ports(2)
    cfg = (ROOT / "config" / "haproxy.cfg").read_text()
    cfg = cfg.replace("/etc/haproxy/certs/portal.pem", str(pem))
    cfg = cfg.replace("bind :443", f"bind 127.0.0.1:{https}").replace(
        "bind :80", f"bind 127.0.0.1:{plain}"
    )
    cfg = cfg.replace("log /dev/log local0 info", "log stderr format raw local0 info")
    cfg = cfg.replace("maxconn 20000", "maxconn 2000")  # this machine's open-file limit
    for n, port in enumerate(ports, start=1):
        cfg = cfg.replace(f"127.0.0.1:870{n}", f"127.0.0.1:{port}")
    (tmp_path / "haproxy.cfg").write_text(cfg)
    check = subprocess.run(
        [haproxy, "-c", "-f", str(tmp_path / "haproxy.cfg")],
        check=False,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    ha_log = tmp_path / "haproxy.log"
    ha = processes.start([haproxy, "-db", "-f", str(tmp_path / "haproxy.cfg")], ha_log)
    _wait_listening(https, ha, ha_log)
    return f"https://127.0.0.1:{https}", ssl.create_default_context(cafile=str(cert))


@pytest.mark.asyncio
async def test_kill_one_of_three_instances(
    tmp_path: Path, redis_server: RedisServer, processes: Processes
) -> None:
    config = _config(tmp_path, redis_url=redis_server.url)
    portals = start_portals(config, _free_ports(3), processes, tmp_path)
    base, trust = start_haproxy(tmp_path, [port for _, port, _ in portals], processes)
    cabins = [Cabin(base.replace("https", "wss") + "/ws/cabin", c, trust) for c in CABINS]
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as http:

        async def healthy() -> bool:
            statuses = []
            for _ in range(6):
                async with http.get(f"{base}/api/health", ssl=trust) as r:
                    statuses.append(r.status)
            return statuses == [200] * 6

        await until(healthy, "HAProxy serves the three instances", timeout=20)
        async with http.post(
            f"{base}/api/login", json={"username": "dr-a", "password": DOCTORS["dr-a"]},
            ssl=trust,
        ) as r:  # fmt: skip
            assert r.status == 200, await r.text()

        async def room() -> list[str]:
            async with http.get(f"{base}/api/waiting-room", ssl=trust) as r:
                body: dict[str, Any] = await r.json()
            return [p["session_id"] for p in body["patients"]]

        want = [c.session_id for c in cabins]
        tasks = []
        for c in cabins:  # one after the other: the walk-ins' order is the cabins' order
            tasks.append(asyncio.create_task(c.run(http)))
            await asyncio.wait_for(c.connected.wait(), 10)
            await asyncio.sleep(0.05)
        try:
            # every instance's room lists every patient, in order (HAProxy picks one)
            for _ in range(3):
                await until(lambda: _equal(room(), want), "the room in order", timeout=15)
            victim = await _busiest(redis_server.url, portals)
            killed_at = time.monotonic()
            os.kill(victim.pid, signal.SIGKILL)
            victim.wait(timeout=5)
            await until(lambda: any(c.lost_at for c in cabins), "its cabins lost", timeout=5)
            await until(
                lambda: all(c.back_at for c in cabins if c.lost_at), "cabins back", timeout=10
            )
            lost = [c for c in cabins if c.lost_at]
            delays = [round(c.back_at - killed_at, 2) for c in lost if c.back_at]
            assert max(delays) <= 5.0, delays
            for _ in range(3):
                await until(lambda: _equal(room(), want), "the room after the kill", timeout=15)
        finally:
            for c in cabins:
                await c.stop()
            _, late = await asyncio.wait(tasks, timeout=5)
            for task in late:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


async def _busiest(redis_url: str, portals: list[Any]) -> subprocess.Popen[bytes]:
    """The portal process holding the most cabins (its instance id is in its log)."""
    shared = RedisCluster(redis_url)
    try:
        held = Counter((await shared.presence(CABIN)).values())
    finally:
        await shared.client.aclose()
    by_instance = {}
    for proc, _port, log in portals:
        found = re.search(r"instance (i-[0-9a-f]+) sharing", log.read_text())
        assert found, log.read_text()[-800:]
        by_instance[found.group(1)] = proc
    instance, count = held.most_common(1)[0]
    assert count >= 2, held
    return by_instance[instance]


async def _equal(value: Any, want: Any) -> bool:
    return bool(await value == want)
