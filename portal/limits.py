"""Limits on who may hold the portal's resources: sources, password checks, connections, bodies.

A *source* is a client's address (an IPv6 one by its /64), or the address a trusted reverse
proxy names in ``X-Forwarded-For``. Per source: open connections, failed credentials, waiting
password checks; in all: connections (below the open-file limit) and password checks.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import resource
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, cast

from aiohttp import web

from portal import auth, security
from portal.config import LimitsConfig

log = security.escaped_logger(__name__)

#: File descriptors kept for the portal itself (listening socket, database, logs, TLS files).
FD_MARGIN = 64


def source_of_address(address: str) -> str:
    """The source an address counts for: itself, or its /64 for IPv6 (one host's share)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return address[:64] or "?"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


# -- password checks -------------------------------------------------------------------------


class Busy(Exception):
    """Too many password checks are waiting: the caller answers 429 (or closes the socket)."""


@dataclass
class _Job:
    secret: str
    stored: str
    future: asyncio.Future[bool]
    urgent: bool = False


class HashPool:
    """scrypt checks off the event loop, on ``workers`` named threads, fair between sources.

    A shared thread pool with an unbounded queue let 300 wrong tokens make a cabin's hello
    wait 14.7 s. Here each source (an address, see :mod:`portal.limits`) has at most
    ``per_source`` checks waiting or running and the whole pool ``max_pending``; sources are
    served in turn, so a newcomer waits behind one check per busy source, not behind a
    flood; and a check marked ``urgent`` (from a source with no recent failure: the doctor,
    as a rule) goes before all others. When the pool is full, a source with fewer checks than
    the busiest one takes the busiest one's newest waiting place (which is refused): a single
    flood never locks out a clean source. Fast hashes (:func:`auth.is_fast`) are checked at once,
    on the loop.
    """

    def __init__(self, *, workers: int = 2, max_pending: int = 32, per_source: int = 4) -> None:
        self.workers = workers
        self.max_pending = max_pending
        self.per_source = per_source
        self._executor: ThreadPoolExecutor | None = None
        #: Waiting checks by source; the dict's order is the turn (first served next).
        self._queues: dict[str, deque[_Job]] = {}
        self._load: dict[str, int] = {}  # waiting + running, by source
        self._running = 0
        self._closed = False

    @property
    def load(self) -> int:
        """Checks waiting or running."""
        return sum(self._load.values())

    async def verify(self, secret: str, stored: str, *, source: str, urgent: bool = False) -> bool:
        """Whether ``secret`` matches ``stored``; raises :class:`Busy` when no place is left."""
        if auth.is_fast(stored) or not auth.is_hash(stored):
            return auth.verify_secret(secret, stored)
        if self._closed:
            raise Busy(source)
        job = _Job(secret, stored, asyncio.get_running_loop().create_future(), urgent)
        self._admit(source, job)
        self._dispatch()
        try:
            return await job.future
        finally:
            if not job.future.done():  # the client went away: its place is freed when reached
                job.future.cancel()

    def _admit(self, source: str, job: _Job) -> None:
        mine = self._load.get(source, 0)
        if mine >= self.per_source:
            raise Busy(source)
        if self.load >= self.max_pending:
            busiest = max(
                (s for s, q in self._queues.items() if q), key=lambda s: self._load[s], default=""
            )
            if not busiest or self._load[busiest] <= mine + 1:
                raise Busy(source)
            victim = self._queues[busiest].pop()
            self._forget(busiest)
            if not victim.future.done():
                victim.future.set_exception(Busy(busiest))
        self._queues.setdefault(source, deque()).append(job)
        self._load[source] = mine + 1

    def _forget(self, source: str) -> None:
        self._load[source] -= 1
        if not self._load[source]:
            del self._load[source]
        if source in self._queues and not self._queues[source]:
            del self._queues[source]

    def _dispatch(self) -> None:
        loop = asyncio.get_running_loop()
        while self._running < self.workers and self._queues:
            source = next((s for s, q in self._queues.items() if q[0].urgent), "")
            source = source or next(iter(self._queues))
            queue = self._queues.pop(source)
            job = queue.popleft()
            if queue:
                self._queues[source] = queue  # to the end of the turn
            if job.future.done():  # cancelled while waiting
                self._forget(source)
                continue
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    self.workers, thread_name_prefix="portal-scrypt"
                )
            self._running += 1
            done = self._executor.submit(auth.verify_secret, job.secret, job.stored)

            def finished(
                result: Future[bool],
                source: str = source,
                job: _Job = job,
                loop: asyncio.AbstractEventLoop = loop,
            ) -> None:
                if self._closed:  # the portal stopped: its loop may be gone (qasync: Qt's)
                    return
                with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                    loop.call_soon_threadsafe(self._finished, source, job, result)

            done.add_done_callback(finished)

    def _finished(self, source: str, job: _Job, result: Future[bool]) -> None:
        self._running -= 1
        self._forget(source)
        if not job.future.done():
            if result.cancelled():
                job.future.set_exception(Busy(source))
            elif (exc := result.exception()) is not None:
                job.future.set_exception(exc)
            else:
                job.future.set_result(result.result())
        self._dispatch()

    def close(self) -> None:
        """Stop the threads; checks still waiting are refused. Waits for a check under way
        (one scrypt, ~60 ms): no thread may call back into the loop once the portal stopped,
        and under qasync a call after the Qt application is gone crashed the process."""
        self._closed = True
        for queue in self._queues.values():
            for job in queue:
                if not job.future.done():
                    job.future.set_exception(Busy("closing"))
        self._queues.clear()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


# -- credentials ----------------------------------------------------------------------------


@dataclass
class Pace:
    """Lets a repeated warning through once per ``every_s`` per key: a flood is not logged."""

    every_s: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _last: dict[str, float] = field(default_factory=dict)

    def allow(self, key: str) -> bool:
        now = self.clock()
        if now - self._last.get(key, now - self.every_s) < self.every_s:
            return False
        if len(self._last) > 10_000:  # only the logs' pace depends on it
            self._last.clear()
        self._last[key] = now
        return True


@dataclass
class Guard:
    """The portal's limits on credentials, shared by its handlers (``request.app[GUARD]``)."""

    throttle: auth.LoginThrottle
    hashes: HashPool
    trusted_proxies: frozenset[str] = frozenset()
    #: Paces the warnings about refusals (429s) that an attack repeats.
    pace: Pace = field(default_factory=Pace)

    @classmethod
    def from_config(cls, limits: LimitsConfig) -> Guard:
        return cls(
            throttle=auth.LoginThrottle(
                limit=limits.max_failed_logins,
                lockout_s=limits.lockout_s,
                per_source=limits.max_failed_per_source,
                per_account=limits.max_failed_per_account,
            ),
            hashes=HashPool(
                workers=limits.hash_workers,
                max_pending=limits.hash_queue,
                per_source=limits.hash_queue_per_source,
            ),
            trusted_proxies=frozenset(limits.trusted_proxies),
        )

    def source(self, request: web.Request) -> str:
        """The request's source: the peer, or the last untrusted hop a trusted proxy names."""
        peer = request.remote or ""
        if peer in self.trusted_proxies:
            hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",")]
            for hop in reversed(hops):
                if hop and hop not in self.trusted_proxies:
                    return source_of_address(hop)
        return source_of_address(peer)


GUARD: web.AppKey[Guard] = web.AppKey("guard")


# -- connections -----------------------------------------------------------------------------


@dataclass
class Connections:
    """Open connections by source, capped per source and in all.

    Past the cap per source, a new connection is closed at once. Past the total cap, a new
    connection from a source holding fewer than the busiest one closes the busiest one's
    oldest connection instead: idle sockets from a few sources cannot keep a clean source
    (a cabin, ``/api/health``) out, and the process never runs out of file descriptors.
    Trusted proxies carry everyone's traffic: they are not capped per source, nor evicted.
    """

    per_source: int
    total: int
    exempt: frozenset[str] = frozenset()
    pace: Pace = field(default_factory=Pace)
    #: Open transports by source, oldest first.
    _open: dict[str, dict[asyncio.Transport, None]] = field(default_factory=dict)
    _count: int = 0

    def admit(self, source: str, transport: asyncio.Transport) -> bool:
        mine = self._open.get(source, {})
        if source not in self.exempt and len(mine) >= self.per_source:
            self._refused(source, "too many from this source")
            return False
        if self._count >= self.total:
            busiest = max(
                (s for s in self._open if s not in self.exempt),
                key=lambda s: len(self._open[s]),
                default="",
            )
            if not busiest or len(self._open[busiest]) <= len(mine) + 1:
                self._refused(source, "too many in all")
                return False
            oldest = next(iter(self._open[busiest]))
            self.release(busiest, oldest)
            oldest.abort()
            self._refused(busiest, "its oldest closed for another source")
        self._open.setdefault(source, {})[transport] = None
        self._count += 1
        return True

    def _refused(self, source: str, why: str) -> None:
        if self.pace.allow(source):
            log.warning("connection from %s refused: %s (said once a minute)", source, why)

    def release(self, source: str, transport: asyncio.Transport) -> None:
        mine = self._open.get(source)
        if mine is None or transport not in mine:
            return
        del mine[transport]
        self._count -= 1
        if not mine:
            del self._open[source]

    @property
    def count(self) -> int:
        return self._count


class _Gate(asyncio.Protocol):
    """Wraps aiohttp's protocol: counts the connection in, or closes it before aiohttp sees it."""

    def __init__(self, inner: asyncio.Protocol, connections: Connections) -> None:
        self._inner = inner
        self._connections = connections
        self._source = ""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, base: asyncio.BaseTransport) -> None:
        transport = cast(asyncio.Transport, base)
        peer = transport.get_extra_info("peername")
        address = peer[0] if isinstance(peer, tuple) and peer else ""
        self._source = source_of_address(str(address))
        if not self._connections.admit(self._source, transport):
            transport.abort()
            return
        self._transport = transport
        self._inner.connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._transport is None:
            return
        self._connections.release(self._source, self._transport)
        self._transport = None
        self._inner.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._transport is not None:
            self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received() if self._transport is not None else None

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()


def connection_cap(configured: int) -> int:
    """``configured``, lowered to the open-file limit less :data:`FD_MARGIN`."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return configured
    return max(1, min(configured, soft - FD_MARGIN))


class LimitedSite(web.TCPSite):
    """A TCP site whose connections pass :class:`Connections` first, with a TLS handshake
    deadline (``idle_timeout_s``) when the portal itself serves TLS."""

    def __init__(
        self,
        runner: web.BaseRunner,
        host: str,
        port: int,
        *,
        connections: Connections,
        ssl_context: Any = None,
        handshake_timeout: float = 15.0,
    ) -> None:
        super().__init__(runner, host, port, ssl_context=ssl_context)
        self.connections = connections
        self._handshake_timeout = handshake_timeout

    async def start(self) -> None:
        await web.BaseSite.start(self)  # registers the site with its runner
        loop = asyncio.get_running_loop()
        server = self._runner.server
        assert server is not None
        factory: Callable[[], asyncio.Protocol] = server

        def gated() -> asyncio.Protocol:
            return _Gate(factory(), self.connections)

        self._server = await loop.create_server(
            gated,
            self._host,
            self._port,
            ssl=self._ssl_context,
            backlog=self._backlog,
            reuse_address=self._reuse_address,
            reuse_port=self._reuse_port,
            ssl_handshake_timeout=self._handshake_timeout if self._ssl_context else None,
        )

    @property
    def bound(self) -> tuple[str, int]:
        sockets = getattr(self._server, "sockets", None) or []
        if not sockets:
            return (self._host or "", self._port)
        name = sockets[0].getsockname()
        return (str(name[0]), int(name[1]))


def runner_options(limits: LimitsConfig) -> dict[str, Any]:
    """aiohttp's server options: ``keepalive_timeout`` closes a connection without a complete
    request ``idle_timeout_s`` after it opened or after its last answer (idle keep-alives and
    header-dripping clients alike: dripping does not move that deadline); a handler whose
    client went away is cancelled (its place in the password pool is freed); request lines,
    header fields and headers are bounded."""
    return {
        "keepalive_timeout": limits.idle_timeout_s,
        "handler_cancellation": True,
        "max_line_size": 8190,
        "max_field_size": 8190,
        "max_headers": 64,
    }


def site(
    runner: web.BaseRunner, host: str, port: int, *, limits: LimitsConfig, ssl_context: Any
) -> LimitedSite:
    """The portal's TCP site, its connections capped per source and in all (the total below
    the open-file limit)."""
    total = connection_cap(limits.max_connections)
    if total < limits.max_connections:
        log.warning("portal: at most %d connections (open-file limit); raise LimitNOFILE", total)
    connections = Connections(
        per_source=limits.max_connections_per_source,
        total=total,
        exempt=frozenset(source_of_address(a) for a in limits.trusted_proxies),
    )
    return LimitedSite(
        runner,
        host,
        port,
        connections=connections,
        ssl_context=ssl_context,
        handshake_timeout=limits.idle_timeout_s,
    )


# -- slow bodies -----------------------------------------------------------------------------


def body_deadline(timeout_s: float) -> Any:
    """A middleware reading each request's body within ``timeout_s`` (408 past it): the
    server's idle timeout covers the headers, this the body a client may drip."""

    @web.middleware
    async def middleware(
        request: web.Request, handler: Callable[[web.Request], Any]
    ) -> web.StreamResponse:
        if request.body_exists and request.headers.get("Upgrade", "").lower() != "websocket":
            try:
                async with asyncio.timeout(timeout_s):
                    await request.read()
            except TimeoutError:
                log.warning("portal: a request body not sent within %.0f s", timeout_s)
                return web.json_response(
                    {"error": "timeout", "message": "the body came too slowly"},
                    status=408,
                    headers={"Connection": "close"},
                )
        response: web.StreamResponse = await handler(request)
        return response

    return middleware
