"""Simulated serial instruments: a device played byte for byte on a pseudo-terminal pair.

The driver opens the slave end (through a stable symlink, as udev gives a real device); the
simulator's named thread answers on the master end, plays a script, and can unplug (the pty
disappears) and replug (a new pty behind the same link), stream garbage or fall silent.
"""

from __future__ import annotations

import abc
import contextlib
import errno
import logging
import os
import queue
import select
import termios
import threading
import time
import tomllib
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

Step = Mapping[str, Any]
#: Keys every simulator understands in a script step.
COMMON_STEPS = ("garbage", "unplug", "silence", "wait")


class ScriptError(ValueError):
    """A simulator script that cannot be played; the message names the step."""


def load_script(path: Path) -> list[Step]:
    """A TOML file of ``[[step]]`` tables, each with one action key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ScriptError(f"{path}: cannot read script: {exc}") from exc
    steps = data.get("step")
    if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
        raise ScriptError(f"{path}: a script is a list of [[step]] tables")
    return steps


class PtySimulator(abc.ABC):
    """Base of the serial simulators; subclasses answer bytes and play their own steps."""

    #: How often :meth:`on_tick` runs (seconds).
    tick_s = 0.005
    #: Step keys this family understands besides :data:`COMMON_STEPS`.
    step_keys: tuple[str, ...] = ()

    def __init__(self, *, link: Path | None = None, name: str = "sim") -> None:
        self.name = name
        self.link = link
        self._master: int | None = None
        self._host_open = False  # whether the host has the port open (else reads give EIO)
        self._slave_name = ""
        self._ops: queue.Queue[Callable[[], None]] = queue.Queue()
        self._wake_r, self._wake_w = -1, -1
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._steps: deque[Step] = deque()
        self._wait_until = 0.0
        self._silent_until = 0.0
        self._replug_at: float | None = None
        self.received = bytearray()  # every byte the host sent, for tests and the CLI log
        self.noise = b""  # sent before each of the device's writes: a noisy line

    # -- public, thread-safe ---------------------------------------------------------------

    @property
    def path(self) -> str:
        """What the driver's ``port`` should say."""
        return str(self.link) if self.link else self._slave_name

    @property
    def plugged(self) -> bool:
        return self._master is not None

    def start(self) -> None:
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        self._plug()
        self._thread = threading.Thread(target=self._run, name=f"sim-{self.name}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
            self._thread = None
        self._unplug()
        for fd in (self._wake_r, self._wake_w):
            if fd >= 0:
                os.close(fd)
        self._wake_r = self._wake_w = -1

    def __enter__(self) -> PtySimulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def play(self, steps: Iterable[Step]) -> None:
        """Append script steps; they play in order from the simulator's thread."""
        checked = [self._check_step(s) for s in steps]
        self.call(lambda: self._steps.extend(checked))

    def unplug(self) -> None:
        self.call(self._unplug)

    def replug(self) -> None:
        self.call(self._plug)

    def inject(self, data: bytes) -> None:
        """Write raw bytes now (noise on the line)."""
        self.call(lambda: self._write(data, force=True))

    def set_noise(self, noise: bytes) -> None:
        """Send ``noise`` before every write from now on (b"" for a clean line)."""

        def op() -> None:
            self.noise = bytes(noise)

        self.call(op)

    def silence(self, seconds: float) -> None:
        """Neither answer nor stream for ``seconds`` (a hung device)."""
        self.call(lambda: self._silence(seconds))

    def call(self, fn: Callable[[], None], *, timeout: float = 2.0) -> None:
        """Run ``fn`` in the simulator's thread and wait for it."""
        if self._thread is None or threading.current_thread() is self._thread:
            fn()
            return
        done = threading.Event()

        def op() -> None:
            try:
                fn()
            finally:
                done.set()

        self._ops.put(op)
        self._wake()
        if not done.wait(timeout):
            raise TimeoutError(f"simulator {self.name} did not run the operation in time")

    # -- for subclasses (simulator thread) -------------------------------------------------

    def send(self, data: bytes) -> None:
        """Write as the device, unless it is silent or unplugged."""
        self._write(self.noise + data, force=False)

    @property
    def silent(self) -> bool:
        return time.monotonic() < self._silent_until

    def is_answer(self, step: Step) -> bool:
        """A step that waits at the head of the script until a host request takes it."""
        return False

    def next_answer(self, key: str) -> Step | None:
        """Take the head step when it answers ``key`` (the device's next scripted reply)."""
        if self._steps and key in self._steps[0]:
            return self._steps.popleft()
        return None

    def take_step(self, step: Step, now: float) -> float:
        """Play a family step; returns how long it lasts (seconds)."""
        raise ScriptError(f"unknown step {dict(step)!r}")  # pragma: no cover - checked first

    @abc.abstractmethod
    def on_bytes(self, data: bytes) -> None:
        """Bytes from the host."""

    def on_tick(self, now: float) -> None:  # noqa: B027 - an optional hook
        """Called every :attr:`tick_s`; streaming devices send here."""

    # -- internals ---------------------------------------------------------------------------

    def _check_step(self, step: Step) -> Step:
        keys = set(step)
        known = set(COMMON_STEPS) | set(self.step_keys)
        if len(keys) != 1 or not keys <= known:
            raise ScriptError(
                f"step {dict(step)!r}: one key of {', '.join(sorted(known))} expected"
            )
        try:
            if "garbage" in step:
                bytes.fromhex(str(step["garbage"]))
            for key in ("unplug", "silence", "wait"):
                if key in step and not 0 <= float(step[key]) < 86400:
                    raise ValueError(f"{key} out of range")
        except (TypeError, ValueError) as exc:
            raise ScriptError(f"step {dict(step)!r}: {exc}") from exc
        return step

    def _wake(self) -> None:
        if self._wake_w >= 0:
            with contextlib.suppress(OSError):
                os.write(self._wake_w, b"\0")

    def _silence(self, seconds: float) -> None:
        self._silent_until = time.monotonic() + seconds

    def _write(self, data: bytes, *, force: bool) -> None:
        if self._master is None or (self.silent and not force):
            return
        try:
            os.write(self._master, data)
        except BlockingIOError:
            pass  # nobody reads the port: a real device's bytes are lost too
        except OSError as exc:
            if exc.errno != errno.EIO:
                raise

    def _plug(self) -> None:
        if self._master is not None:
            return
        master, slave = os.openpty()
        os.set_blocking(master, False)
        self._slave_name = os.ttyname(slave)
        # Not kept open: on the host's last close the kernel resets the pty's termios, so
        # each open starts clean as on a real port (a kept slave keeps 7E1 and breaks reopen).
        os.close(slave)
        self._master = master
        # A new port: no host has it open yet. (Left true from the last one, the first EIO
        # read here would "reset" the settings of a host opening it at that very moment.)
        self._host_open = False
        if self.link is not None:
            tmp = self.link.with_name(f".{self.link.name}.tmp")
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            tmp.symlink_to(self._slave_name)
            tmp.replace(self.link)
        log.info("simulator %s plugged", self.name)

    def _reset_port_settings(self) -> None:
        """Leave the pty as a fresh one when the host closes it.

        A pty keeps the host's termios, and then refuses the same 7E1 or 8O1 request on the
        next open (nothing it can apply: ptys have no parity). A speed the host never asks
        for makes each open a change again, as with a real adapter.
        """
        try:
            fd = os.open(self._slave_name, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        except OSError:
            return
        try:
            attrs = termios.tcgetattr(fd)
            attrs[4] = attrs[5] = termios.B50
            termios.tcsetattr(fd, termios.TCSANOW, attrs)
        except termios.error:
            pass
        finally:
            os.close(fd)

    def _unplug(self) -> None:
        if self.link is not None:
            with contextlib.suppress(FileNotFoundError):
                self.link.unlink()
        if self._master is not None:
            os.close(self._master)
        self._master = None
        self._replug_at = None

    def _run(self) -> None:
        while not self._stop.is_set():
            watch = self._master is not None and self._host_open
            fds = [self._wake_r] + ([self._master] if watch and self._master is not None else [])
            try:
                readable, _, _ = select.select(fds, [], [], self.tick_s)
            except (OSError, ValueError):
                readable = []  # the master was closed by an unplug in between
            if self._wake_r in readable:
                with contextlib.suppress(BlockingIOError):
                    os.read(self._wake_r, 4096)
            while True:
                try:
                    op = self._ops.get_nowait()
                except queue.Empty:
                    break
                op()
            if self._master is not None and (self._master in readable or not self._host_open):
                try:
                    data = os.read(self._master, 4096)
                    self._host_open = True
                except BlockingIOError:
                    data = b""
                    self._host_open = True
                except OSError:  # EIO: no host has the port open; look again next tick
                    data = b""
                    if self._host_open:
                        self._reset_port_settings()
                    self._host_open = False
                if data:
                    self.received += data
                    if not self.silent:
                        self.on_bytes(data)
            now = time.monotonic()
            self._script(now)
            if self._master is not None and not self.silent:
                self.on_tick(now)

    def _script(self, now: float) -> None:
        if self._replug_at is not None and now >= self._replug_at:
            self._plug()
        while self._steps and now >= self._wait_until:
            step = self._steps[0]
            if self.is_answer(step):
                return
            self._steps.popleft()
            if "garbage" in step:
                self._write(bytes.fromhex(str(step["garbage"])), force=True)
            elif "unplug" in step:
                self._unplug()
                self._replug_at = now + float(step["unplug"])
                self._wait_until = self._replug_at
            elif "silence" in step:
                self._silence(float(step["silence"]))
                self._wait_until = self._silent_until
            elif "wait" in step:
                self._wait_until = now + float(step["wait"])
            else:
                self._wait_until = now + self.take_step(step, now)


class StreamingSimulator(PtySimulator):
    """A device that streams unasked: one :meth:`encode` of the current sample per period.

    Script step: ``sample = {spo2, pulse, finger_out, probe_error, seconds}``; the last sample
    plays on when the script ends.
    """

    step_keys = ("sample",)
    period = 1.0
    sample_keys = frozenset({"spo2", "pulse", "finger_out", "probe_error", "seconds"})

    def __init__(
        self, *, link: Path | None = None, name: str = "sim", period: float | None = None
    ) -> None:
        super().__init__(link=link, name=name)
        if period is not None:
            self.period = period
        self.sample: dict[str, Any] = {"spo2": 97, "pulse": 72}
        self._next_send = 0.0

    def _check_step(self, step: Step) -> Step:
        step = super()._check_step(step)
        if "sample" in step:
            s = step["sample"]
            if not isinstance(s, dict) or not set(s) <= self.sample_keys:
                raise ScriptError(f"sample step: keys are {', '.join(sorted(self.sample_keys))}")
        return step

    def take_step(self, step: Step, now: float) -> float:
        sample = dict(step["sample"])
        seconds = float(sample.pop("seconds", 1.0))
        self.sample = {"spo2": 97, "pulse": 72, **sample}
        return seconds

    def on_bytes(self, data: bytes) -> None:
        """Streaming devices ignore the host."""

    def on_tick(self, now: float) -> None:
        if now < self._next_send:
            return
        self._next_send += self.period
        if self._next_send < now:  # fell behind (silence, unplug): restart the rhythm
            self._next_send = now + self.period
        self.send(self.encode(self.sample))

    @abc.abstractmethod
    def encode(self, sample: Mapping[str, Any]) -> bytes:
        """The bytes the device sends for one period of ``sample``."""
