"""Fixtures of the cluster tests: a real ``redis-server`` on a unix socket in tmp_path."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class RedisServer:
    """A private redis-server (no persistence), started and stopped by its PID."""

    socket: Path
    log: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        self.socket.unlink(missing_ok=True)
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [binary, "--port", "0", "--unixsocket", str(self.socket), "--unixsocketperm",
                 "700", "--save", "", "--appendonly", "no", "--dir", str(self.socket.parent)],
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 10.0
        while not self._answers():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"redis-server did not start: {self.log.read_text()[-800:]}")
            time.sleep(0.02)

    def _answers(self) -> bool:
        """Whether the server answers PING on its socket (the file alone is not enough)."""
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(1.0)
            try:
                s.connect(str(self.socket))
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
            except OSError:
                return False

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        self.proc = None


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis.sock", tmp_path / "redis.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()
