"""A private pcscd with the vpcd virtual reader, for tests, the demo and ``kiosk sim pcscd``.

It runs as ``systemd-socket-activate -l SOCK pcscd -f -i -c CONFDIR`` on its own socket (clients
set ``PCSCLITE_CSOCK_NAME=SOCK``), never touches the system's pcscd, and is stopped by PID.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

from drivers.card.errors import NoServiceError
from drivers.daemon import PrivateDaemon

SOCKET_ENV = "PCSCLITE_CSOCK_NAME"
VPCD_LIBRARY = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
READER_NAME = "Cabine Virtual Reader"
#: Where ``kiosk sim pcscd`` puts its socket unless told otherwise (the demo's pcsc_socket).
DEMO_SOCKET = "/tmp/cabine-pcscd/pcscd.comm"


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


class PrivatePcscd(PrivateDaemon):
    """One private pcscd; ``start()`` waits until it serves, ``stop()`` waits for its PID.

    With ``reader=False`` it runs with no reader at all (a reader unplugged).
    """

    label = "private pcscd"
    install_hint = "install pcscd and systemd (make setup)"
    error = NoServiceError

    def __init__(
        self,
        *,
        workdir: str | os.PathLike[str] | None = None,
        port: int | None = None,
        reader: bool = True,
        reader_name: str = READER_NAME,
        socket_path: str | os.PathLike[str] | None = None,
    ) -> None:
        super().__init__(workdir, prefix="cabine-pcscd-")
        self.port = port or free_port_pair()
        self.reader = reader
        self.reader_name = reader_name
        self.socket_path = Path(socket_path) if socket_path else self.workdir / "pcscd.comm"
        self.confdir = self.workdir / "reader.conf.d"
        self.logfile = self.workdir / "pcscd.log"

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

    def _launch(self) -> subprocess.Popen[bytes]:
        if self.reader and not VPCD_LIBRARY.exists():
            raise NoServiceError(f"{VPCD_LIBRARY} missing: install vsmartcard-vpcd (make setup)")
        activate, pcscd = self.program("systemd-socket-activate"), self.program("pcscd")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._write_config()
        self.socket_path.unlink(missing_ok=True)
        argv = [activate, "-l", str(self.socket_path), pcscd, "-f", "-i", "-c", str(self.confdir)]
        return self._spawn(argv, stdout=self.logfile, stderr=subprocess.STDOUT)

    def _wait_ready(self, deadline: float) -> None:
        self.wait_until(self.socket_path.exists, deadline, "its socket")
        # Socket activation: pcscd itself is exec'd on the first connection.
        with socket.socket(socket.AF_UNIX) as poke:
            poke.settimeout(max(0.1, deadline - time.monotonic()))
            poke.connect(str(self.socket_path))
        self.wait_until(self._ready, deadline, "'daemon ready'")

    def _describe(self) -> str:
        return f"on {self.socket_path} (vpcd port {self.port})"

    def _ready(self) -> bool:
        if self.reader and not (_listening(self.port) and _listening(self.port + 1)):
            return False
        try:
            return b"daemon ready" in self.logfile.read_bytes()
        except OSError:
            return False

    def log_tail(self, lines: int = 5) -> str:
        try:
            text = self.logfile.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return " | ".join(text.strip().splitlines()[-lines:]) or "(empty log)"

    def _forget(self) -> None:
        self.socket_path.unlink(missing_ok=True)

    def restart(self, *, reader: bool | None = None, timeout: float = 10.0) -> None:
        """Stop, then start again (optionally with or without the reader), same socket/port."""
        self.stop(timeout=timeout)
        if reader is not None:
            self.reader = reader
        self.start(timeout=timeout)
