"""Item 5: limits on slow and idle clients.

100 half-open, header-dripping connections stayed open 95 s; with the open-file limit at 256,
260 idle sockets made ``/api/health`` time out. Now: an idle (and header) timeout, a body
timeout, a connection cap per source and in all (below the open-file limit), and
``LimitNOFILE`` in the unit.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import aiohttp
import pytest

from portal import server
from portal.config import PortalConfig
from tests.portal.conftest import portal_toml
from tests.security.conftest import client, security_config

ROOT = Path(__file__).resolve().parents[2]
Start = Callable[[PortalConfig], Awaitable[server.Running]]


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


async def _open(port: int, source: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))


async def _closed_by_server(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
    """Drip one header line, then see within 0.2 s whether the server has closed."""
    try:
        writer.write(b"X-Drip: 1\r\n")
        await writer.drain()
        return await asyncio.wait_for(reader.read(1), timeout=0.2) == b""
    except TimeoutError:
        return False
    except ConnectionError:
        return True


async def _health(url: str, source: str) -> float:
    async with client(source, timeout=aiohttp.ClientTimeout(total=5)) as http:
        t0 = time.perf_counter()
        async with http.get(f"{url}/api/health") as r:
            assert r.status == 200
            await r.read()
        return time.perf_counter() - t0


@pytest.mark.asyncio
async def test_100_header_dripping_connections_are_cut(start_portal: Start) -> None:
    portal = await start_portal(security_config(idle_timeout_s=1.0, max_connections_per_source=32))
    port = _port(portal.url)
    drippers = []
    for _ in range(100):
        reader, writer = await _open(port, "127.0.0.2")
        writer.write(b"GET /api/health HTTP/1.1\r\nHost: portal\r\n")  # never ends
        drippers.append((reader, writer))
    t0 = asyncio.get_running_loop().time()
    open_at: dict[int, float] = {}
    try:
        # the cap per source closed all but 32 at once; the idle timeout closes the rest
        pending = set(range(100))
        deadline = t0 + 4.0
        while pending and asyncio.get_running_loop().time() < deadline:
            closed = await asyncio.gather(*(_closed_by_server(*drippers[i]) for i in pending))
            now = asyncio.get_running_loop().time()
            for i, done in zip(list(pending), closed, strict=True):
                if done:
                    open_at[i] = now - t0
                    pending.discard(i)
            # meanwhile, another source is served at once
            assert await _health(portal.url, "127.0.0.1") < 1.0
        assert not pending, f"{len(pending)} dripping connections still open after 4 s"
        assert sum(1 for s in open_at.values() if s > 0.5) <= 32
    finally:
        for _, writer in drippers:
            writer.close()


@pytest.mark.asyncio
async def test_a_body_sent_too_slowly_is_cut(start_portal: Start) -> None:
    portal = await start_portal(security_config(body_timeout_s=0.5))
    reader, writer = await _open(_port(portal.url), "127.0.0.1")
    try:
        writer.write(
            b"POST /api/login HTTP/1.1\r\nHost: portal\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"username":'
        )
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(200), timeout=5)
        assert answer.startswith(b"HTTP/1.1 408"), answer
    finally:
        writer.close()


@pytest.mark.asyncio
async def test_connections_are_capped_per_source(start_portal: Start) -> None:
    portal = await start_portal(security_config(max_connections_per_source=8))
    port = _port(portal.url)
    sockets = [await _open(port, "127.0.0.3") for _ in range(18)]
    try:
        still_open = 0
        for reader, writer in sockets:
            if not await _closed_by_server(reader, writer):
                still_open += 1
        assert still_open == 8
        assert await _health(portal.url, "127.0.0.1") < 1.0
    finally:
        for _, writer in sockets:
            writer.close()


@pytest.fixture
def low_fd_portal(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``python -m portal`` in its own process with the open-file limit at 256, as the issue
    found it; stopped by PID."""
    config = tmp_path / "portal.toml"
    config.write_text(portal_toml())
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code = (
        "import resource, runpy, sys; resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256)); "
        f"sys.argv = ['portal', '--config', {str(config)!r}, '--port', '{port}']; "
        "runpy.run_module('portal', run_name='__main__')"
    )
    log = tmp_path / "portal.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", code], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 30
        while "portal listening" not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the portal did not start: {log.read_text(errors='replace')[-800:]}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}", log
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        text = log.read_text(errors="replace")
        assert "Traceback" not in text, text[-2000:]


@pytest.mark.asyncio
async def test_260_idle_sockets_under_256_open_files_leave_health_served(
    low_fd_portal: tuple[str, Path],
) -> None:
    url, log = low_fd_portal
    # the portal keeps 64 files for itself, and says so
    assert "at most 192 connections (open-file limit)" in log.read_text()
    port = _port(url)
    idle = []
    try:
        for n in range(260):  # 26 from each of 10 sources: under the cap per source
            idle.append(await _open(port, f"127.0.0.{2 + n % 10}"))
        for _ in range(3):
            assert await _health(url, "127.0.0.1") < 2.0
    finally:
        for _, writer in idle:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


def test_the_unit_raises_the_open_file_limit() -> None:
    unit = (ROOT / "systemd" / "cabine-portal.service").read_text()
    limit = next(line for line in unit.splitlines() if line.startswith("LimitNOFILE="))
    assert int(limit.split("=", 1)[1]) >= 65536


def test_out_of_files_at_accept_is_said_in_one_line(caplog: pytest.LogCaptureFixture) -> None:
    """A burst past the cap can find the process out of files at accept(): asyncio waits a
    second and goes on; the served portal says so in one line, not with a traceback."""
    from portal.cli import loop_errors

    loop = asyncio.new_event_loop()
    try:
        with caplog.at_level(logging.WARNING):
            loop_errors(loop, {"message": "socket.accept() out of system resource",
                               "exception": OSError(errno.EMFILE, "Too many open files")})  # fmt: skip
            said = [(r.getMessage(), r.exc_info) for r in caplog.records if r.name == "portal.cli"]
            assert said == [("portal: new connections wait a second: Too many open files", None)]
            loop_errors(loop, {"message": "a task failed", "exception": ValueError("x")})
        assert caplog.records[-1].exc_info is not None  # anything else: asyncio's own report
    finally:
        loop.close()
