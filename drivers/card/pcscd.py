"""A private pcscd with the vpcd virtual reader, for tests, the demo and ``kiosk sim pcscd``.

It runs as ``systemd-socket-activate -l SOCK pcscd -f -i -c CONFDIR`` on its own socket (clients
set ``PCSCLITE_CSOCK_NAME=SOCK``), never touches the system's pcscd, and is stopped by PID.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from drivers import programs
from drivers.card.errors import NoServiceError

log = logging.getLogger(__name__)

SOCKET_ENV = "PCSCLITE_CSOCK_NAME"
VPCD_LIBRARY = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
READER_NAME = "Cabine Virtual Reader"
#: Where ``kiosk sim pcscd`` puts its socket unless told otherwise (the demo's pcsc_socket).
DEMO_SOCKET = "/tmp/cabine-pcscd/pcscd.comm"


def _find(program: str) -> str:
    found = programs.which(program)
    if found is None:
        raise NoServiceError(f"{program} not found: install pcscd and systemd (make setup)")
    return found


def free_port_pair() -> int:
    """A TCP port P with P and P+1 free on loopback (vpcd listens on both)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        if port >= 65535:
            continue
        with socket.socket() as second:
            try:
                second.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise NoServiceError("no free pair of TCP ports for the virtual reader")


def _listening(port: int) -> bool:
    """True when something listens on TCP ``port`` (read from /proc, so no card is inserted)."""
    wanted = f":{port:04X}"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text(encoding="ascii").splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if len(parts) > 3 and parts[1].endswith(wanted) and parts[3] == "0A":
                return True
    return False


class PrivatePcscd:
    """One private pcscd; ``start()`` waits until it serves, ``stop()`` waits for its PID.

    With ``reader=False`` it runs with no reader at all (a reader unplugged).
    """

    def __init__(
        self,
        *,
        workdir: str | os.PathLike[str] | None = None,
        port: int | None = None,
        reader: bool = True,
        reader_name: str = READER_NAME,
        socket_path: str | os.PathLike[str] | None = None,
    ) -> None:
        self._own_dir = workdir is None
        self.workdir = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="cabine-pcscd-"))
        self.port = port or free_port_pair()
        self.reader = reader
        self.reader_name = reader_name
        self.socket_path = Path(socket_path) if socket_path else self.workdir / "pcscd.comm"
        self.confdir = self.workdir / "reader.conf.d"
        self.logfile = self.workdir / "pcscd.log"
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def env(self) -> dict[str, str]:
        """The environment a client process needs to reach this pcscd."""
        return {**os.environ, SOCKET_ENV: str(self.socket_path)}

    def _write_config(self) -> None:
        if self.confdir.exists():
            shutil.rmtree(self.confdir)
        self.confdir.mkdir(parents=True)
        if self.reader:
            # DEVICENAME /dev/null:PORT makes vpcd listen on PORT (slot 0) and PORT+1.
            (self.confdir / "vpcd").write_text(
                f'FRIENDLYNAME "{self.reader_name}"\n'
                f"DEVICENAME   /dev/null:{self.port}\n"
                f"LIBPATH      {VPCD_LIBRARY}\n"
                f"CHANNELID    {self.port}\n",
                encoding="ascii",
            )

    def start(self, *, timeout: float = 10.0) -> None:
        """Start pcscd and return once it answers on its socket (and vpcd listens)."""
        if self.running:
            return
        if self.reader and not VPCD_LIBRARY.exists():
            raise NoServiceError(f"{VPCD_LIBRARY} missing: install vsmartcard-vpcd (make setup)")
        activate, pcscd = _find("systemd-socket-activate"), _find("pcscd")
        # setpriv: pcscd gets SIGTERM if the process that started it dies (no stray pcscd).
        # The kernel ties that signal to the starting *thread*, so a worker thread that ends
        # would kill pcscd with it: the guard is for the main thread only.
        guard: list[str] = []
        if threading.current_thread() is threading.main_thread():
            guard = [_find("setpriv"), "--pdeathsig", "TERM", "--"]
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._write_config()
        self.socket_path.unlink(missing_ok=True)
        with self.logfile.open("wb") as out:
            self._proc = subprocess.Popen(
                [
                    *guard,
                    activate,
                    "-l",
                    str(self.socket_path),
                    pcscd,
                    "-f",
                    "-i",
                    "-c",
                    str(self.confdir),
                ],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        try:
            self._wait(self.socket_path.exists, deadline, "its socket")
            # Socket activation: pcscd itself is exec'd on the first connection.
            with socket.socket(socket.AF_UNIX) as poke:
                poke.settimeout(max(0.1, deadline - time.monotonic()))
                poke.connect(str(self.socket_path))
            self._wait(self._ready, deadline, "'daemon ready'")
        except NoServiceError:
            self.stop()
            raise
        log.info("private pcscd %d on %s (vpcd port %d)", self.pid, self.socket_path, self.port)

    def _ready(self) -> bool:
        if self.reader and not (_listening(self.port) and _listening(self.port + 1)):
            return False
        try:
            return b"daemon ready" in self.logfile.read_bytes()
        except OSError:
            return False

    def _wait(self, condition: Callable[[], bool], deadline: float, what: str) -> None:
        while not condition():
            if self._proc is None or self._proc.poll() is not None:
                tail = self.log_tail()
                raise NoServiceError(f"private pcscd exited before {what}: {tail}")
            if time.monotonic() >= deadline:
                tail = self.log_tail()
                raise NoServiceError(f"private pcscd did not reach {what} in time: {tail}")
            time.sleep(0.01)  # polling a condition within a deadline

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds``; True while pcscd still runs afterwards."""
        proc = self._proc
        if proc is None:
            return False
        try:
            proc.wait(seconds)
        except subprocess.TimeoutExpired:
            return True
        return False

    def log_tail(self, lines: int = 5) -> str:
        try:
            text = self.logfile.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return " | ".join(text.strip().splitlines()[-lines:]) or "(empty log)"

    def stop(self, *, timeout: float = 10.0) -> None:
        """SIGTERM the PID and wait until it is gone (pcscd takes 1-2 s); SIGKILL past that."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                log.warning("private pcscd %d ignored SIGTERM; killing it", proc.pid)
                proc.kill()
                proc.wait(timeout)
        self.socket_path.unlink(missing_ok=True)
        log.info("private pcscd %d stopped", proc.pid)

    def restart(self, *, reader: bool | None = None, timeout: float = 10.0) -> None:
        """Stop, then start again (optionally with or without the reader), same socket/port."""
        self.stop(timeout=timeout)
        if reader is not None:
            self.reader = reader
        self.start(timeout=timeout)

    def cleanup(self) -> None:
        self.stop()
        if self._own_dir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> PrivatePcscd:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()
