"""The sd_notify protocol: readiness, status and watchdog pings sent to systemd.

A datagram on the unix socket named by ``$NOTIFY_SOCKET`` (a path, or ``@name`` for an
abstract socket); without that variable every call is a no-op, so the kiosk runs the same
from a terminal. The :class:`Watchdog` pings from the event loop itself, so a blocked loop
(or a frozen UI on the same qasync loop) stops the pings and systemd restarts the kiosk.

A status line is shown by ``systemctl status``: it must never carry patient data.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Callable, Mapping, MutableMapping

from kiosk.errors import CabineError

log = logging.getLogger(__name__)

NOTIFY_SOCKET_ENV = "NOTIFY_SOCKET"
WATCHDOG_USEC_ENV = "WATCHDOG_USEC"
WATCHDOG_PID_ENV = "WATCHDOG_PID"

#: Largest datagram we send; systemd reads far more, this only stops a runaway status text.
MAX_MESSAGE = 4096


class NotifyError(CabineError):
    """``$NOTIFY_SOCKET`` or ``$WATCHDOG_USEC`` holds something the protocol does not allow."""


def socket_address(value: str) -> str:
    """The address to ``sendto()`` for a ``$NOTIFY_SOCKET`` value (``@`` = abstract socket)."""
    if value.startswith("@") and len(value) > 1:
        return "\0" + value[1:]
    if value.startswith("/"):
        return value
    raise NotifyError(
        f"${NOTIFY_SOCKET_ENV}={value!r}: expected an absolute socket path or @abstract-name"
    )


def watchdog_timeout(env: Mapping[str, str] | None = None, *, pid: int | None = None) -> float:
    """The watchdog timeout systemd asked for, in seconds; 0.0 when there is none.

    ``$WATCHDOG_PID``, when set, names the process the timeout is meant for: any other
    process (a child that inherited the environment) gets 0.0.
    """
    env = os.environ if env is None else env
    raw = env.get(WATCHDOG_USEC_ENV, "")
    if not raw:
        return 0.0
    owner = env.get(WATCHDOG_PID_ENV, "")
    if owner:
        if not owner.isdigit():
            raise NotifyError(f"${WATCHDOG_PID_ENV}={owner!r} is not a process id")
        if int(owner) != (os.getpid() if pid is None else pid):
            return 0.0
    if not raw.isdigit() or int(raw) == 0:
        raise NotifyError(f"${WATCHDOG_USEC_ENV}={raw!r} is not a positive number of µs")
    return int(raw) / 1_000_000


def _field(value: str) -> str:
    # One field per line: a newline in a status text would smuggle in another field.
    return " ".join(value.splitlines()).strip()


class Notifier:
    """Sends sd_notify messages; disabled (every call returns False) without a socket."""

    def __init__(self, address: str | None) -> None:
        self.address = address
        self._target = socket_address(address) if address else None
        self._sock: socket.socket | None = None

    @classmethod
    def from_environment(
        cls, env: MutableMapping[str, str] | None = None, *, unset: bool = False
    ) -> Notifier:
        """A notifier for ``$NOTIFY_SOCKET``; ``unset=True`` removes the variable so the
        processes the kiosk starts (``lp``, ``pdftotext``) do not inherit it."""
        env = os.environ if env is None else env
        address = env.get(NOTIFY_SOCKET_ENV) or None
        if unset:
            env.pop(NOTIFY_SOCKET_ENV, None)
        return cls(address)

    @property
    def enabled(self) -> bool:
        return self._target is not None

    def send(self, *fields: str) -> bool:
        """Send ``KEY=value`` fields in one datagram; True when the datagram left."""
        if self._target is None:
            return False
        message = "\n".join(fields).encode("utf-8")
        if len(message) > MAX_MESSAGE:
            message = message[:MAX_MESSAGE]
        try:
            if self._sock is None:
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._sock.sendto(message, self._target)
        except OSError as exc:
            # The supervisor is gone or restarting; the kiosk keeps serving the patient.
            log.warning("sd_notify to %s failed: %s", self.address, exc)
            return False
        return True

    def ready(self, status: str = "") -> bool:
        """Start-up is done (the idle screen is shown): systemd marks the unit active."""
        return self.send("READY=1", *([f"STATUS={_field(status)}"] if status else []))

    def status(self, text: str) -> bool:
        """A one-line state for ``systemctl status`` (never patient data)."""
        return self.send(f"STATUS={_field(text)}")

    def watchdog(self) -> bool:
        """One keep-alive ping."""
        return self.send("WATCHDOG=1")

    def stopping(self, status: str = "") -> bool:
        """The kiosk is shutting down on purpose."""
        return self.send("STOPPING=1", *([f"STATUS={_field(status)}"] if status else []))

    def extend_timeout(self, seconds: float) -> bool:
        """Ask for more time to start or stop (a slow first boot, a long wipe)."""
        return self.send(f"EXTEND_TIMEOUT_USEC={max(1, round(seconds * 1_000_000))}")

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None


HealthCheck = Callable[[], bool]


async def run_watchdog(
    notifier: Notifier,
    *,
    timeout: float,
    interval: float | None = None,
    healthy: HealthCheck | None = None,
) -> None:
    """Ping every ``interval`` (half the ``timeout`` by default) until cancelled.

    The pings come from this coroutine, on the loop that runs the kiosk: when that loop is
    blocked, no ping leaves and systemd acts after ``timeout``. ``healthy``, when given, is
    asked before each ping; a False answer withholds the ping (a stuck session, say).
    """
    if timeout <= 0:
        raise NotifyError(f"watchdog timeout must be positive, not {timeout!r}")
    period = timeout / 2 if interval is None else interval
    if not 0 < period < timeout:
        raise NotifyError(f"watchdog interval {period!r} must be between 0 and {timeout!r}")
    while True:
        if healthy is None or healthy():
            notifier.watchdog()
        else:
            log.warning("watchdog: health check failed, ping withheld")
        await asyncio.sleep(period)


class Watchdog:
    """Owns the ping task on a running loop: ``start(loop)`` then ``stop()``.

    With no watchdog configured (``timeout`` 0, no ``$WATCHDOG_USEC``) it does nothing, so
    the same code runs from a terminal.
    """

    def __init__(
        self,
        notifier: Notifier,
        *,
        timeout: float | None = None,
        interval: float | None = None,
        healthy: HealthCheck | None = None,
    ) -> None:
        self.notifier = notifier
        self.timeout = watchdog_timeout() if timeout is None else timeout
        self.interval = interval
        self.healthy = healthy
        self._task: asyncio.Task[None] | None = None

    @property
    def active(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self, loop: asyncio.AbstractEventLoop | None = None) -> bool:
        """Start pinging on ``loop`` (the running loop by default); False when disabled."""
        if self.timeout <= 0 or not self.notifier.enabled:
            log.info("watchdog: not requested by the supervisor")
            return False
        if self.active:
            return True
        target = loop or asyncio.get_running_loop()
        self._task = target.create_task(
            run_watchdog(
                self.notifier,
                timeout=self.timeout,
                interval=self.interval,
                healthy=self.healthy,
            ),
            name="sd-watchdog",
        )
        log.info("watchdog: pinging every %.3f s", self.interval or self.timeout / 2)
        return True

    def stop(self) -> None:
        """Cancel the ping task (call before STOPPING=1 and closing the loop)."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()

    async def aclose(self) -> None:
        """Stop and wait for the ping task to finish."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
