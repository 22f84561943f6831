"""A shaped network for the bus santé's tests: two named network namespaces (the cabin's side
and the doctor's) joined by a veth pair, shaped in the kernel with ``tc`` and ``nftables``.

The kernel here has no ``netem``: a rate and a queue come from ``tc``'s token bucket (``tbf``)
on each end's egress; a random loss (nftables' ``numgen random``) and a cut (everything
dropped) from nftables rules at each end, as packets arrive, never as they leave, so a sender
is not told. Only what crosses the veth is touched, never a loopback. Needs root.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import ctypes
import logging
import os
import subprocess
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from kiosk.errors import CabineError

log = logging.getLogger(__name__)
T = TypeVar("T")

CLONE_NEWNET = 0x40000000
NETNS_DIR = "/run/netns"
_TABLE = "cabine_shaping"
_counter = iter(range(1, 1_000_000))
_counter_lock = threading.Lock()


class ShapingError(CabineError):
    """A namespace, the veth or a shaping rule could not be set; the message says which."""


@dataclass(frozen=True)
class Shape:
    """What the link does to the traffic crossing it, each way."""

    #: Token-bucket rate in kbit/s (0: not limited).
    rate_kbit: int = 0
    #: Longest wait in the bucket's queue, in ms (packets beyond it are dropped).
    queue_ms: int = 200
    #: Share of packets dropped at random, in percent (0 to 100).
    loss_percent: int = 0


def _run(cmd: list[str], *, stdin: str | None = None) -> str:
    try:
        done = subprocess.run(
            cmd, input=stdin, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ShapingError(f"{' '.join(cmd)}: {exc}") from exc
    if done.returncode != 0:
        raise ShapingError(f"{' '.join(cmd)}: {done.stderr.strip() or done.returncode}")
    return done.stdout


def _setns(path: str) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise ShapingError(f"setns {path}: {os.strerror(err)}")
    finally:
        os.close(fd)


class ShapedLink:
    """Two namespaces, ``cabin`` and ``doctor``, and the veth between them.

    The cabin's end is :attr:`cabin_address`, the doctor's :attr:`doctor_address`; each
    namespace's loopback is up and also carries 127.0.0.2 (see :mod:`harness.netns`).
    :meth:`close` deletes both namespaces (and with them the veth), by name.
    """

    def __init__(self, *, subnet: int | None = None) -> None:
        with _counter_lock:
            n = next(_counter)
        tag = f"{os.getpid() % 100000}-{n}"
        self.names = {"cabin": f"cabine-cab-{tag}", "doctor": f"cabine-doc-{tag}"}
        self.devices = {"cabin": f"cbc{tag}"[:15], "doctor": f"cbd{tag}"[:15]}
        octet = subnet if subnet is not None else 100 + (os.getpid() + n) % 100
        self.cabin_address = f"10.231.{octet}.1"
        self.doctor_address = f"10.231.{octet}.2"
        self.shape = Shape()
        self.cut_on = False
        self._open = False

    # -- life ----------------------------------------------------------------------------

    def open(self) -> ShapedLink:
        try:
            for side in ("cabin", "doctor"):
                _run(["ip", "netns", "add", self.names[side]])
            self._open = True
            cab, doc = self.devices["cabin"], self.devices["doctor"]
            _run(
                ["ip", "link", "add", cab, "netns", self.names["cabin"], "type", "veth",
                 "peer", "name", doc, "netns", self.names["doctor"]]
            )  # fmt: skip
            for side, address in (("cabin", self.cabin_address), ("doctor", self.doctor_address)):
                self.run(side, "ip", "link", "set", "lo", "up")
                self.run(side, "ip", "addr", "add", "127.0.0.2/8", "dev", "lo")
                self.run(side, "ip", "addr", "add", f"{address}/24", "dev", self.devices[side])
                self.run(side, "ip", "link", "set", self.devices[side], "up")
            self._apply_rules()
        except BaseException:
            self.close()
            raise
        log.info("shaping: link %s <-> %s up", self.names["cabin"], self.names["doctor"])
        return self

    def close(self) -> None:
        """Delete both namespaces (by name); what is already gone is not an error."""
        if not self._open:
            return
        self._open = False
        for name in self.names.values():
            with contextlib.suppress(ShapingError):
                _run(["ip", "netns", "del", name])

    def __enter__(self) -> ShapedLink:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def exists(self) -> bool:
        """Whether either namespace is still listed."""
        listed = _run(["ip", "netns", "list"])
        names = {line.split()[0] for line in listed.splitlines() if line.strip()}
        return bool(names & set(self.names.values()))

    # -- running inside ------------------------------------------------------------------

    def run(self, side: str, *cmd: str, stdin: str | None = None) -> str:
        """Run ``cmd`` in ``side``'s namespace; its output."""
        return _run(["ip", "netns", "exec", self.names[side], *cmd], stdin=stdin)

    def path(self, side: str) -> str:
        return f"{NETNS_DIR}/{self.names[side]}"

    @contextlib.contextmanager
    def inside(self, side: str) -> Iterator[None]:
        """Move the calling thread into ``side``'s namespace, and back at the end. Sockets
        made inside stay there; threads and processes started inside are born there."""
        original = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        try:
            _setns(self.path(side))
            try:
                yield
            finally:
                libc = ctypes.CDLL(None, use_errno=True)
                if libc.setns(original, CLONE_NEWNET) != 0:
                    raise OSError(ctypes.get_errno(), "setns back to the original namespace")
        finally:
            os.close(original)

    def enter(self, side: str) -> None:
        """Move the calling thread into ``side``'s namespace for good (a thread of its own)."""
        _setns(self.path(side))

    # -- shaping -------------------------------------------------------------------------

    def set_shape(self, shape: Shape, *, sides: tuple[str, ...] = ("cabin", "doctor")) -> None:
        """Apply ``shape`` (replacing the last one); ``Shape()`` is no shaping. The rate on
        what ``sides`` send (``("cabin",)``: the bus's uplink only), the loss both ways."""
        if not 0 <= shape.loss_percent <= 100 or shape.rate_kbit < 0 or shape.queue_ms <= 0:
            raise ShapingError(f"impossible shape {shape}")
        for side in ("cabin", "doctor"):
            dev = self.devices[side]
            with contextlib.suppress(ShapingError):  # no qdisc of ours yet
                self.run(side, "tc", "qdisc", "del", "dev", dev, "root")
            if shape.rate_kbit and side in sides:
                # the bucket holds at least two full packets and 20 ms of the rate
                burst = max(3200, shape.rate_kbit * 1000 // 8 // 50)
                self.run(
                    side, "tc", "qdisc", "add", "dev", dev, "root", "tbf",
                    "rate", f"{shape.rate_kbit}kbit", "burst", str(burst),
                    "latency", f"{shape.queue_ms}ms",
                )  # fmt: skip
        self.shape = shape
        self._apply_rules()
        log.info("shaping: %s", shape)

    def cut(self) -> None:
        """Drop every packet crossing the veth, both ways (the 4G is gone)."""
        self.cut_on = True
        self._apply_rules()
        log.info("shaping: link cut")

    def restore(self) -> None:
        self.cut_on = False
        self._apply_rules()
        log.info("shaping: link restored")

    def qdisc(self, side: str) -> str:
        return self.run(side, "tc", "qdisc", "show", "dev", self.devices[side])

    def ruleset(self, side: str = "cabin") -> str:
        return self.run(side, "nft", "list", "table", "inet", _TABLE)

    def _apply_rules(self) -> None:
        # dropped as they arrive at either end, never as they leave: a sender is not told
        # (a local drop on output would fail its ``sendto`` with EPERM, which 4G never does)
        for side in ("cabin", "doctor"):
            self.run(side, "nft", "-f", "-", stdin=self._ruleset(side))

    def _ruleset(self, side: str) -> str:
        dev = self.devices[side]
        if self.cut_on:
            rule = f'iifname "{dev}" drop'
        elif self.shape.loss_percent:
            rule = f'iifname "{dev}" numgen random mod 100 < {self.shape.loss_percent} drop'
        else:
            rule = ""
        # the table is declared, deleted and made again in one transaction
        return (
            f"table inet {_TABLE} {{}}\n"
            f"delete table inet {_TABLE}\n"
            f"table inet {_TABLE} {{\n"
            f"  chain in {{ type filter hook prerouting priority -300; policy accept; {rule}; }}\n"
            f"}}\n"
        )


class SideLoop:
    """A thread in one side's namespace running its own event loop (the cabin's call lives
    there, so its every socket is born on that side); awaited from another loop by
    :meth:`run`. Started by :meth:`start`, stopped by :meth:`stop`."""

    def __init__(self, link: ShapedLink, side: str) -> None:
        self.link, self.side = link, side
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._main, name=f"{side}-side", daemon=True)

    def _main(self) -> None:
        try:
            self.link.enter(self.side)
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            return
        asyncio.set_event_loop(self.loop)
        self.loop.call_soon(self._ready.set)
        self.loop.run_forever()
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()

    def start(self) -> None:
        self._thread.start()
        if not self._ready.wait(10):
            raise ShapingError(f"the {self.side}'s thread did not start")
        if self._error is not None:
            raise self._error

    async def run(self, coro: Coroutine[Any, Any, T], *, timeout: float = 60.0) -> T:
        """Await ``coro`` on this side's loop, within ``timeout`` seconds."""
        future: concurrent.futures.Future[T] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return await asyncio.wait_for(asyncio.wrap_future(future), timeout)

    def stop(self) -> None:
        if self.loop.is_running():
            self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(20)
