"""Fixtures for the deployment tests: a notify socket standing in for systemd's, and paths."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SYSTEMD_DIR = REPO / "systemd"


@dataclass(frozen=True)
class Datagram:
    at: float  # time.monotonic() when received
    fields: dict[str, str]


class NotifySocket:
    """A unix datagram socket read by a named thread, as systemd reads $NOTIFY_SOCKET."""

    def __init__(self, address: str) -> None:
        self.address = address  # the $NOTIFY_SOCKET value ("/path" or "@name")
        bind_to = "\0" + address[1:] if address.startswith("@") else address
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._sock.bind(bind_to)
        self._sock.settimeout(0.05)
        self.received: list[Datagram] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, name="notify-socket", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                data = self._sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            now = time.monotonic()
            fields = dict(line.split("=", 1) for line in data.decode().splitlines() if "=" in line)
            with self._lock:
                self.received.append(Datagram(now, fields))

    def messages(self) -> list[Datagram]:
        with self._lock:
            return list(self.received)

    def with_field(self, key: str, value: str | None = None) -> list[Datagram]:
        return [
            d
            for d in self.messages()
            if key in d.fields and (value is None or d.fields[key] == value)
        ]

    def wait_for(
        self, key: str, value: str | None = None, *, count: int = 1, timeout: float = 5.0
    ) -> list[Datagram]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.with_field(key, value)
            if len(found) >= count:
                return found
            time.sleep(0.01)  # polling a condition with a deadline
        raise AssertionError(
            f"{count} x {key}={value or '*'} not received within {timeout}s: {self.messages()}"
        )

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[NotifySocket]:
    sock = NotifySocket(str(tmp_path / "notify"))
    yield sock
    sock.close()


@pytest.fixture
def abstract_notify_socket() -> Iterator[NotifySocket]:
    sock = NotifySocket(f"@cabine-test-notify-{os.getpid()}-{time.monotonic_ns()}")
    yield sock
    sock.close()
