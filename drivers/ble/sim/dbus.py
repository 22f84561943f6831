"""The private ``dbus-daemon`` the simulated BlueZ owns ``org.bluez`` on: our own config file,
its bus address read from the daemon, stopped by PID (the :mod:`drivers.daemon` lifecycle).
"""

from __future__ import annotations

import os
import select
import subprocess
import time
from pathlib import Path

from drivers.ble.sim.errors import SimulatorError
from drivers.daemon import PrivateDaemon

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class DBusDaemon(PrivateDaemon):
    """A private ``dbus-daemon`` with its own config file, stopped by PID.

    ``directory`` holds its config and socket; None: a directory of its own, removed by
    :meth:`cleanup`. :meth:`start` returns the bus address.
    """

    label = "ble sim dbus-daemon"
    install_hint = "install the Debian package 'dbus'"
    error = SimulatorError
    start_timeout = 5.0
    stop_timeout = 5.0

    def __init__(self, directory: Path | None = None) -> None:
        super().__init__(directory, prefix="cabine-ble-")
        self.socket = self.workdir / "system_bus_socket"
        self.config = self.workdir / "bus.conf"
        self.address = ""

    def start(self, *, timeout: float | None = None) -> str:  # type: ignore[override]
        """Start it (see :class:`PrivateDaemon`) and return its bus address."""
        super().start(timeout=timeout)
        return self.address

    def _launch(self) -> subprocess.Popen[bytes]:
        binary = self.program("dbus-daemon")
        self.config.write_text(BUS_CONFIG.format(socket=self.socket), encoding="utf-8")
        return self._spawn(
            [
                binary,
                f"--config-file={self.config}",
                "--nofork",
                "--nopidfile",
                "--print-address=1",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    def _wait_ready(self, deadline: float) -> None:
        """Ready once it prints its address (a line on stdout)."""
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        line = b""
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([proc.stdout], [], [], max(0.0, remaining))
            chunk = os.read(proc.stdout.fileno(), 4096) if ready else b""
            if not chunk:
                raise SimulatorError(f"dbus-daemon did not start: {self._stderr()}")
            line += chunk
        self.address = line.decode().strip()

    def _stderr(self) -> str:
        proc = self._proc
        if proc is None or proc.stderr is None:
            return "no answer"
        try:
            proc.wait(timeout=1.0)  # stdout closed: it is exiting, its reason is on stderr
        except subprocess.TimeoutExpired:
            return "no answer"
        return proc.stderr.read().decode(errors="replace").strip() or f"exit {proc.returncode}"

    def _describe(self) -> str:
        return f"on {self.socket}"
