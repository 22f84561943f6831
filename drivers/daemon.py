"""One lifecycle for the system daemons the simulators run privately (pcscd, cupsd, dbus-daemon):
start one of our own, wait until it serves within a deadline, stop it by PID.

A daemon derives from :class:`PrivateDaemon` and says how to launch it (``_launch``: check its
programs, write its config, ``_spawn`` it), when it serves (``_wait_ready``, usually through
``wait_until``) and what it leaves behind once stopped (``_forget``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, ClassVar, Self

from drivers import programs

log = logging.getLogger(__name__)

#: Where a spawned daemon's output goes: a file (truncated), a subprocess constant, or inherited.
Output = Path | int | IO[bytes] | None


class DaemonError(RuntimeError):
    """A private daemon could not start; the message names it and quotes its log."""


class PrivateDaemon:
    """A system daemon run by this process: ``start()`` returns once it serves, ``stop()`` ends
    its PID (SIGTERM, then SIGKILL past the timeout). Used as a context manager it is started
    on entry and stopped (its own work directory removed) on exit.
    """

    #: The daemon's name in errors and logs, e.g. ``"private pcscd"``.
    label: ClassVar[str] = "private daemon"
    #: What to install when one of its programs is missing, e.g. ``"install cups (make setup)"``.
    install_hint: ClassVar[str] = "install it (make setup)"
    #: The error raised when it cannot start; built from a message alone.
    error: ClassVar[type[Exception]] = DaemonError
    #: Default seconds for ``start()`` to see it serve and for ``stop()`` to see it gone.
    start_timeout: ClassVar[float] = 10.0
    stop_timeout: ClassVar[float] = 10.0
    #: Seconds between two looks at a readiness condition.
    poll_interval: ClassVar[float] = 0.01

    def __init__(
        self,
        workdir: str | os.PathLike[str] | None = None,
        *,
        prefix: str = "cabine-daemon-",
        parent: str | os.PathLike[str] | None = None,
    ) -> None:
        """``workdir`` holds its config and logs; None: a new directory (under ``parent``)
        named ``prefix...``, removed by :meth:`cleanup`."""
        self._own_dir = workdir is None
        if workdir is None:
            workdir = tempfile.mkdtemp(prefix=prefix, dir=parent)
        self.workdir = Path(workdir)
        self._proc: subprocess.Popen[bytes] | None = None

    # --- what each daemon says ------------------------------------------------------------

    def _launch(self) -> subprocess.Popen[bytes]:
        """Check the programs, write the config and :meth:`_spawn` the daemon."""
        raise NotImplementedError

    def _wait_ready(self, deadline: float) -> None:
        """Return once the daemon serves (see :meth:`wait_until`); raise before ``deadline``
        otherwise. By default a started process is taken as ready."""

    def _forget(self) -> None:
        """Remove what the daemon leaves once stopped (its socket, a config outside workdir)."""

    def _describe(self) -> str:
        """Where it serves, for the log line once it does (``"on /tmp/x.sock"``)."""
        return f"in {self.workdir}"

    def log_tail(self, lines: int = 5) -> str:
        """The last lines of its log, quoted in errors."""
        return "(no log)"

    # --- the lifecycle --------------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def program(self, program: str) -> str:
        """The path of a program it needs; its error (with :attr:`install_hint`) when absent."""
        found = programs.which(program)
        if found is None:
            raise self.error(f"{program} not found: {self.install_hint}")
        return found

    def start(self, *, timeout: float | None = None) -> None:
        """Launch the daemon and return once it serves; stopped again if it does not."""
        if self.running:
            return
        timeout = self.start_timeout if timeout is None else timeout
        try:
            self._proc = self._launch()
            self._wait_ready(time.monotonic() + timeout)
        except BaseException:
            self.stop()
            raise
        log.info("%s %d %s", self.label, self.pid, self._describe())

    def _spawn(
        self,
        argv: Sequence[str],
        *,
        stdout: Output = subprocess.DEVNULL,
        stderr: Output = subprocess.DEVNULL,
        env: Mapping[str, str] | None = None,
        pdeathsig: bool = True,
        new_session: bool = True,
    ) -> subprocess.Popen[bytes]:
        """Run ``argv`` with no stdin; a Path for ``stdout``/``stderr`` is a log file.

        ``pdeathsig``: the daemon gets SIGTERM if the process that started it dies (no stray
        daemon). The kernel ties that signal to the starting *thread*, so a worker thread that
        ends would kill the daemon with it: the guard is for the main thread only.
        """
        guard: list[str] = []
        if pdeathsig and threading.current_thread() is threading.main_thread():
            guard = [self.program("setpriv"), "--pdeathsig", "TERM", "--"]
        with contextlib.ExitStack() as files:
            out = files.enter_context(stdout.open("wb")) if isinstance(stdout, Path) else stdout
            err = files.enter_context(stderr.open("wb")) if isinstance(stderr, Path) else stderr
            return subprocess.Popen(
                [*guard, *argv],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env=env,
                start_new_session=new_session,
            )

    def wait_until(self, condition: Callable[[], bool], deadline: float, what: str) -> None:
        """Poll ``condition`` until true; its error if the daemon exits or the deadline passes."""
        while not condition():
            if self._proc is None or self._proc.poll() is not None:
                raise self.error(f"{self.label} exited before {what}: {self.log_tail()}")
            if time.monotonic() >= deadline:
                raise self.error(f"{self.label} did not reach {what} in time: {self.log_tail()}")
            time.sleep(self.poll_interval)  # polling a condition within a deadline

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds``; True while the daemon still runs afterwards."""
        proc = self._proc
        if proc is None:
            return False
        try:
            proc.wait(seconds)
        except subprocess.TimeoutExpired:
            return True
        return False

    def stop(self, *, timeout: float | None = None) -> None:
        """SIGTERM the PID and wait until it is gone; SIGKILL past the timeout."""
        timeout = self.stop_timeout if timeout is None else timeout
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    log.warning("%s %d ignored SIGTERM; killing it", self.label, proc.pid)
                    proc.kill()
                    proc.wait(timeout)
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()
        self._forget()
        if proc is not None:
            log.info("%s %d stopped", self.label, proc.pid)

    def cleanup(self) -> None:
        """Stop it and remove the work directory it made for itself."""
        self.stop()
        if self._own_dir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()
