"""``portal_scale``: the portal at a region's size, one instance in memory and three on Redis.

Cabins (a WebSocket each, a heartbeat every 10 s) and doctors' sockets on loopback: one
portal instance without Redis, then three instances sharing one Redis behind HAProxy (TLS,
``config/haproxy.cfg``). Per instance: memory (RSS) and CPU per 1,000 idle cabins; relay
latency cabin -> doctor (an ``offer`` from the cabin until the doctor's socket has it,
p50/p99: the doctors sit on other instances as often as not); with three instances, the time
until every cabin of a killed instance (SIGKILL) is back through the others.

``python -m bench.bench_portal_scale [CABINS [DOCTORS]]`` prints the figures (defaults: 5,000
cabins, 200 doctors, as the issue asks; ``PORTAL_SCALE_IDLE_S`` shortens the 30 s idle
window, ``PORTAL_SCALE_KEEP=DIR`` keeps the logs there); ``run()`` gives the ``portal_scale``
entry. The cabins, the doctors and the measures share this one process: its own event loop's
lag is reported beside the relay's latency (a relay figure is only as good as it).

This one process stands for 5,000 cabins, each a machine of its own: its per-connection costs
are not the portal's, and are kept from swamping what is measured. asyncio gives each TLS
connection a 256 KiB read buffer; 5,000 of them fragment the heap, and a reconnecting
cabin's new buffer then cost 3 ms (5.4 s of CPU for one instance's 1,667 cabins, more than
the two surviving portals and HAProxy together). The simulated cabins read with 16 KiB (a
signalling message is at most 64 KiB: a few reads), and the process's long-lived objects are
left out of its garbage collections once every cabin is connected.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from asyncio import sslproto
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp

from bench.common import entry, until

ENTRIES = ("portal_scale",)
BUDGET = (
    "per 1,000 idle cabins per instance <= 30 MB and <= 5 % of a core; relay p99 <= 50 ms; "
    "every cabin back <= 10 s after one of three instances is killed"
)
ROOT = Path(__file__).resolve().parent.parent
HEARTBEAT_S = 10.0
IDLE_S = float(os.environ.get("PORTAL_SCALE_IDLE_S", "30"))
TOKEN = "bench-scale-cabin-token-0123456789abcdef"
PASSWORD = "bench-scale-password"
CALLS, OFFERS = 20, 10
#: The failover: cabins lost, how soon, and the CPU seconds each process spent from the kill
#: until every cabin was back.
FAILOVER: dict[str, float] = {}


def _free_ports(n: int) -> list[int]:
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _config(tmp: Path, cabins: int, doctors: int, redis_url: str) -> Path:
    from portal import auth

    token = auth.hash_token(TOKEN)
    password = auth.hash_secret(PASSWORD, n=2**10)
    lines = [
        "[server]", "secure_cookies = false", f"heartbeat_s = {HEARTBEAT_S}",
        'session_secret = "bench-scale-session-key"',
        "[limits]", "max_connections_per_source = 20000", "max_connections = 20000",
        'trusted_proxies = ["127.0.0.1"]', "rate = 50.0", "burst = 100",
    ]  # fmt: skip
    if redis_url:
        lines += ["[cluster]", f'redis_url = "{redis_url}"']
    for n in range(doctors):
        lines += [f"[doctors.dr-{n}]", f'name = "Dr {n}"', f'password = "{password}"']
    for n in range(cabins):
        lines += [f"[cabins.c-{n}]", f'token = "{token}"']
    path = tmp / "portal.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else 0.0


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Stack:
    """Redis, the portal instances and HAProxy, each started and stopped by its PID."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.procs: list[subprocess.Popen[bytes]] = []
        self.portals: list[tuple[subprocess.Popen[bytes], Path]] = []

    def spawn(self, argv: list[str], name: str) -> subprocess.Popen[bytes]:
        with (self.tmp / f"{name}.log").open("wb") as log:
            proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        self.procs.append(proc)
        return proc

    async def listening(self, port: int, proc: subprocess.Popen[bytes]) -> None:
        def up() -> bool:
            if proc.poll() is not None:
                raise RuntimeError(f"a process stopped on port {port} (see {self.tmp})")
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", port)) == 0

        await until(up, f"port {port}", timeout=60)

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)


class Cabin:
    """A cabin's link: hello, heartbeats, an offer per call; back at once when it drops."""

    def __init__(self, url: str, n: int, trust: ssl.SSLContext | None) -> None:
        self.url, self.cabin_id, self.trust = url, f"c-{n}", trust
        self.welcomed = asyncio.Event()
        self.call = asyncio.Event()
        self.call_id = ""
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.lost_at: float | None = None
        self.back_at: float | None = None
        self.stopping = False

    async def run(self, http: aiohttp.ClientSession) -> None:
        while not self.stopping:
            with contextlib.suppress(aiohttp.ClientError, OSError, asyncio.TimeoutError):
                async with http.ws_connect(self.url, ssl=self.trust or False) as ws:
                    self.ws = ws
                    await ws.send_json({"type": "hello", "cabin_id": self.cabin_id,
                                        "token": TOKEN})  # fmt: skip
                    beat = asyncio.create_task(self._beat(ws))
                    try:
                        async for message in ws:
                            self._got(json.loads(message.data))
                    finally:
                        beat.cancel()
            if self.welcomed.is_set() and self.lost_at is None and not self.stopping:
                self.lost_at = time.monotonic()
            await asyncio.sleep(0.2)

    def _got(self, data: dict[str, Any]) -> None:
        if data["type"] == "welcome":
            if self.lost_at is not None and self.back_at is None:
                self.back_at = time.monotonic()
            self.welcomed.set()
        elif data["type"] == "call":
            self.call_id = data["call_id"]
            self.call.set()

    async def _beat(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_S)
            await ws.send_json({"type": "heartbeat"})

    async def stop(self) -> None:
        self.stopping = True
        if self.ws is not None:
            await self.ws.close()


class Doctor:
    """A doctor's page: logged in, its socket read to the end; offers timed on arrival."""

    def __init__(self, base: str, n: int, trust: ssl.SSLContext | None) -> None:
        self.base, self.login, self.trust = base, f"dr-{n}", trust
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.taken = asyncio.Event()
        self.offers: dict[str, float] = {}

    async def start(self) -> None:
        async with self.http.post(
            f"{self.base}/api/login", json={"username": self.login, "password": PASSWORD},
            ssl=self.trust or False,
        ) as r:  # fmt: skip
            r.raise_for_status()
        self.ws = await self.http.ws_connect(
            self.base.replace("http", "ws") + "/ws/doctor", ssl=self.trust or False
        )
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.ws is not None
        async for message in self.ws:
            data = json.loads(message.data)
            if data["type"] == "offer":
                self.offers[data["sdp"]] = time.perf_counter()
            elif data["type"] == "taken":
                self.taken.set()

    async def stop(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        await self.http.close()


async def _mode(tmp: Path, cabins: int, doctors: int, instances: int) -> dict[str, Any]:
    """One configuration measured: 1 instance in memory, or ``instances`` on Redis + HAProxy."""
    stack = Stack(tmp)
    try:
        redis_url, trust, base = "", None, ""
        if instances > 1:
            sock = tmp / "redis.sock"
            stack.spawn(["redis-server", "--port", "0", "--unixsocket", str(sock),
                         "--save", "", "--appendonly", "no"], "redis")  # fmt: skip
            await until(sock.exists, "redis-server", timeout=30)
            redis_url = f"unix://{sock}"
        config = _config(tmp, cabins, doctors, redis_url)
        *ports, front = _free_ports(instances + 1)
        for n, port in enumerate(ports):
            proc = stack.spawn([sys.executable, "-m", "portal", "--config", str(config),
                                "--port", str(port)], f"portal-{n}")  # fmt: skip
            stack.portals.append((proc, tmp / f"portal-{n}.log"))
        for (proc, _), port in zip(stack.portals, ports, strict=True):
            await stack.listening(port, proc)
        if instances > 1:
            trust, base = await _haproxy(stack, tmp, ports, front)
        else:
            base = f"http://127.0.0.1:{ports[0]}"
        return await _measure(
            stack, base, trust, cabins=cabins, doctors=doctors, redis_url=redis_url
        )
    finally:
        stack.stop()


async def _haproxy(
    stack: Stack, tmp: Path, ports: list[int], front: int
) -> tuple[ssl.SSLContext, str]:
    cert, key = tmp / "cert.pem", tmp / "key.pem"  # a throwaway certificate for loopback
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-subj", "/CN=cabine bench", "-addext", "subjectAltName=IP:127.0.0.1",
         "-days", "1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    (tmp / "haproxy.pem").write_bytes(cert.read_bytes() + key.read_bytes())
    cfg = (ROOT / "config" / "haproxy.cfg").read_text()
    cfg = cfg.replace("/etc/haproxy/certs/portal.pem", str(tmp / "haproxy.pem"))
    cfg = cfg.replace("bind :443", f"bind 127.0.0.1:{front}").replace("    bind :80\n", "")
    cfg = cfg.replace("log /dev/log local0 info", "log stderr format raw local0 err")
    cfg = cfg.replace("maxconn 20000", "maxconn 9000").replace("maxconn 8000", "maxconn 9000")
    for n, port in enumerate(ports, start=1):
        cfg = cfg.replace(f"127.0.0.1:870{n}", f"127.0.0.1:{port}")
    (tmp / "haproxy.cfg").write_text(cfg)
    proc = stack.spawn(["haproxy", "-db", "-f", str(tmp / "haproxy.cfg")], "haproxy")
    await stack.listening(front, proc)
    await asyncio.sleep(3.0)  # its health checks: every instance up
    return ssl.create_default_context(cafile=str(cert)), f"https://127.0.0.1:{front}"


async def _measure(
    stack: Stack, base: str, trust: ssl.SSLContext | None, *, cabins: int, doctors: int,
    redis_url: str,
) -> dict[str, Any]:  # fmt: skip
    pids = [proc.pid for proc, _ in stack.portals]
    rss0 = {pid: _rss_mb(pid) for pid in pids}
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:
        # the cabins first: each cabin that joins sends every doctor the whole room (the
        # hub's broadcast is per event, O(doctors x cabins)), which a region cannot afford
        links = [Cabin(base.replace("http", "ws") + "/ws/cabin", n, trust) for n in range(cabins)]
        tasks = []
        started = time.monotonic()
        for batch in range(0, cabins, 100):
            group = links[batch : batch + 100]
            tasks += [asyncio.create_task(c.run(http)) for c in group]
            await asyncio.wait_for(asyncio.gather(*(c.welcomed.wait() for c in group)), 120)
        connected_s = time.monotonic() - started
        gc.freeze()  # the cabins' long-lived objects: out of this process's collections
        docs = [Doctor(base, n, trust) for n in range(doctors)]
        for doc in docs:
            await doc.start()
        per = await _cabins_per_instance(stack, redis_url, cabins)
        await asyncio.sleep(HEARTBEAT_S)  # settled
        rss1 = {pid: _rss_mb(pid) for pid in pids}
        cpu0 = {pid: _cpu_s(pid) for pid in pids}
        await asyncio.sleep(IDLE_S)
        cpu = {pid: (_cpu_s(pid) - cpu0[pid]) / IDLE_S for pid in pids}
        mb_per_k = [(rss1[p] - rss0[p]) / max(per[p], 1) * 1000 for p in pids if per.get(p)]
        cpu_per_k = [100 * cpu[p] / max(per[p], 1) * 1000 for p in pids if per.get(p)]
        with LoopLag() as lag:
            latencies = await _relay(links[:CALLS], docs[:CALLS])
        failover = await _failover(stack, links, redis_url) if redis_url else None
        for c in links:
            await c.stop()
        await asyncio.wait(tasks, timeout=20)
        for task in tasks:
            task.cancel()
        for doc in docs:
            await doc.stop()
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return {
        "cabins": cabins, "doctors": doctors, "instances": len(pids),
        "connect_all_s": round(connected_s, 1),
        "mb_per_1000_idle_cabins": round(max(mb_per_k), 1),
        "cpu_pct_per_1000_idle_cabins": round(max(cpu_per_k), 2),
        "relay_ms": {"p50": round(ordered[len(ordered) // 2] * 1000, 1),
                     "p99": round(p99 * 1000, 1),
                     "n": len(ordered),
                     "bench_loop_lag_p99_ms": lag.p99_ms()},
        "all_back_after_kill_s": failover,
        **({"failover": dict(FAILOVER)} if failover else {}),
    }  # fmt: skip


async def _cabins_per_instance(stack: Stack, redis_url: str, cabins: int) -> dict[int, int]:
    """pid -> cabins it holds (every cabin, with one instance)."""
    if not redis_url:
        return {stack.portals[0][0].pid: cabins}
    from portal.cluster.base import CABIN
    from portal.cluster.redis import RedisCluster

    shared = RedisCluster(redis_url)
    try:
        await until(lambda: _count(shared, cabins), "every cabin's presence", timeout=60)
        held = Counter((await shared.presence(CABIN)).values())
    finally:
        await shared.client.aclose()
    out = {}
    for proc, log in stack.portals:
        found = re.search(r"instance (i-[0-9a-f]+) sharing", log.read_text())
        if found:
            out[proc.pid] = held.get(found.group(1), 0)
    return out


async def _count(shared: Any, cabins: int) -> bool:
    from portal.cluster.base import CABIN

    return len(await shared.presence(CABIN)) >= cabins


async def _relay(links: list[Cabin], docs: list[Doctor]) -> list[float]:
    """Each of ``CALLS`` cabins checks in, a doctor takes it, the cabin sends offers."""
    sent: dict[str, float] = {}
    for n, (cabin, doc) in enumerate(zip(links, docs, strict=True)):
        assert cabin.ws is not None and doc.ws is not None
        await cabin.ws.send_json({"type": "checkin", "session_id": f"s-{n}"})
        for _ in range(30):  # until the room has reached the doctor's instance
            await doc.ws.send_json({"type": "take", "session_id": f"s-{n}"})
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(cabin.call.wait(), 1.0)
                break
        if not cabin.call.is_set():
            raise TimeoutError(f"cabin {cabin.cabin_id}: no call within 30 s")
        for k in range(OFFERS):
            sdp = f"v=0 {n}.{k}"
            sent[sdp] = time.perf_counter()
            await cabin.ws.send_json({"type": "offer", "call_id": cabin.call_id, "sdp": sdp})
            await asyncio.sleep(0.05)
    await until(lambda: sum(len(d.offers) for d in docs) >= len(sent), "offers", timeout=60)
    got = {k: v for d in docs for k, v in d.offers.items()}
    return [got[k] - t for k, t in sent.items() if k in got]


async def _failover(stack: Stack, links: list[Cabin], redis_url: str) -> float | None:
    """SIGKILL the instance holding the most cabins: seconds until they are all back."""
    per = await _cabins_per_instance(stack, redis_url, len(links))
    victim = max(per, key=lambda pid: per[pid])
    # where the CPU goes meanwhile (this one machine runs the cabins' side too)
    pids = {f"portal-{n}": proc.pid for n, (proc, _) in enumerate(stack.portals)}
    pids |= {Path(str(p.args[0])).name: p.pid for p in stack.procs if p.pid not in pids.values()}
    pids["bench (cabins, doctors)"] = os.getpid()
    cpu0 = {name: _cpu_s(pid) for name, pid in pids.items() if pid != victim}
    killed = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    try:
        await until(lambda: any(c.lost_at for c in links), "cabins lost", timeout=30)
        await until(lambda: all(c.back_at for c in links if c.lost_at), "back", timeout=120)
    except TimeoutError:
        return None  # not all back within two minutes
    back = round(max(c.back_at or killed for c in links) - killed, 2)
    lost = sorted(c.lost_at - killed for c in links if c.lost_at)
    FAILOVER["cabins_lost"] = len(lost)
    FAILOVER["all_lost_within_s"] = round(lost[-1], 2)
    FAILOVER.update({f"cpu_s {n}": round(_cpu_s(pids[n]) - t0, 2) for n, t0 in cpu0.items()})
    return back


async def _measure_both(cabins: int, doctors: int) -> dict[str, Any]:
    if not (shutil.which("redis-server") and shutil.which("haproxy")):
        raise RuntimeError("redis-server and haproxy are needed (make setup)")
    out = {}
    keep = os.environ.get("PORTAL_SCALE_KEEP", "")
    modes = os.environ.get("PORTAL_SCALE_MODES", "single,cluster").split(",")
    for name, instances in (("single", 1), ("cluster", 3)):
        if name not in modes:
            continue
        if keep:
            (Path(keep) / name).mkdir(parents=True, exist_ok=True)
            out[name] = await _mode(Path(keep) / name, cabins, doctors, instances)
            continue
        with tempfile.TemporaryDirectory(prefix=f"cabine-bench-scale-{name}-") as tmp:
            out[name] = await _mode(Path(tmp), cabins, doctors, instances)
    return out


class LoopLag:
    """This process's event-loop lag, sampled every 50 ms while the relay is measured."""

    def __init__(self) -> None:
        self.lags: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _sample(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            due = loop.time() + 0.05
            await asyncio.sleep(0.05)
            self.lags.append(max(0.0, loop.time() - due))

    def __enter__(self) -> LoopLag:
        self._task = asyncio.get_running_loop().create_task(self._sample())
        return self

    def __exit__(self, *_: object) -> None:
        assert self._task is not None
        self._task.cancel()

    def p99_ms(self) -> float:
        ordered = sorted(self.lags) or [0.0]
        return round(1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 1)


@contextlib.contextmanager
def _load_generator() -> Iterator[None]:
    """This process as the cabins' many machines (see the module's docstring)."""
    read_buffer = sslproto.SSLProtocol.max_size
    sslproto.SSLProtocol.max_size = 16 * 1024
    try:
        yield
    finally:
        sslproto.SSLProtocol.max_size = read_buffer
        gc.unfreeze()


def run(cabins: int = 5000, doctors: int = 200) -> dict[str, Any]:
    with _load_generator():
        both = asyncio.run(_measure_both(cabins, doctors))
    if len(both) < 2:  # PORTAL_SCALE_MODES: one side only, printed as it is
        return {"portal_scale_partial": both}
    cluster, single = both["cluster"], both["single"]
    met = (
        cluster["mb_per_1000_idle_cabins"] <= 30
        and cluster["cpu_pct_per_1000_idle_cabins"] <= 5
        and cluster["relay_ms"]["p99"] <= 50
        and cluster["all_back_after_kill_s"] is not None
        and cluster["all_back_after_kill_s"] <= 10
    )
    out = entry(
        {"p99_ms": cluster["relay_ms"]["p99"]}, {"p99_ms": single["relay_ms"]["p99"]},
        budget=BUDGET, met=met,
    )  # fmt: skip
    out["detail"] = both
    return {"portal_scale": out}


if __name__ == "__main__":
    counts = [int(a) for a in sys.argv[1:3]]
    print(json.dumps(run(*counts), indent=1))
