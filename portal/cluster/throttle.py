"""Login throttles shared between instances: a failure anywhere counts everywhere.

:class:`auth.LoginThrottle` decides at once (its checks are not awaited); this subclass also
counts each failure in the shared state (:meth:`Cluster.hit`, a sliding window of
``lockout_s``) and decides on the larger of its own count and the portal-wide one it last
learned. A count that reaches a limit is told to every instance at once (``on_limit``), so a
guesser moving between instances behind HAProxy is refused everywhere as soon as one of them
sees the limit reached (a few milliseconds of delivery, during which one more guess per
instance may pass). With Redis down, each instance still throttles on its own counts.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from portal import auth, security
from portal.cluster.base import Cluster, ClusterUnavailable

log = security.escaped_logger(__name__)

#: Told when a shared count reached its limit: (key, count).
OnLimit = Callable[[str, int], Awaitable[None]]


class SharedThrottle(auth.LoginThrottle):
    """A :class:`auth.LoginThrottle` whose failures are also counted in ``cluster``."""

    def __init__(self, cluster: Cluster, *, on_limit: OnLimit | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.cluster = cluster
        self.on_limit = on_limit
        #: The portal-wide counts learned: key -> (count, valid until, this clock).
        self._shared: dict[str, tuple[int, float]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    @classmethod
    def like(
        cls, throttle: auth.LoginThrottle, cluster: Cluster, on_limit: OnLimit | None = None
    ) -> SharedThrottle:
        """A shared throttle with ``throttle``'s limits (and clock)."""
        return cls(
            cluster, on_limit=on_limit, limit=throttle.limit, lockout_s=throttle.lockout_s,
            per_source=throttle.per_source, per_account=throttle.per_account,
            max_entries=throttle.max_entries, clock=throttle._clock,
        )  # fmt: skip

    def _key(self, table: dict[Any, deque[float]], key: Any) -> tuple[str, int]:
        """The shared key of a local table's entry, and the limit that matters for it."""
        if table is self._pairs:
            return f"login:pair:{key[0]}\0{key[1]}", self.limit
        if table is self._accounts:
            return f"login:account:{key}", self.per_account
        return f"login:source:{key}", self.per_source

    def _count(self, table: dict[Any, deque[float]], key: Any) -> int:
        local = super()._count(table, key)
        name, _ = self._key(table, key)
        shared = self._shared.get(name)
        if shared is None:
            return local
        if shared[1] <= self._clock():
            del self._shared[name]
            return local
        return max(local, shared[0])

    def failed(self, account: str, source: str = "") -> None:
        super().failed(account, source)  # (which calls failed_source)
        self._count_shared(self._pairs, (account, source))
        self._count_shared(self._accounts, account)

    def failed_source(self, source: str) -> None:
        super().failed_source(source)
        self._count_shared(self._sources, source)

    def succeeded(self, account: str, source: str = "") -> None:
        super().succeeded(account, source)
        name, _ = self._key(self._pairs, (account, source))
        self._shared.pop(name, None)
        self._spawn(self._forget(name))

    def learn(self, name: str, count: int) -> None:
        """Another instance saw ``name`` reach ``count``."""
        known = self._shared.get(name, (0, 0.0))[0]
        self._shared[name] = (max(count, known), self._clock() + self.lockout_s)

    def _count_shared(self, table: dict[Any, deque[float]], key: Any) -> None:
        self._spawn(self._hit(*self._key(table, key)))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _hit(self, name: str, limit: int) -> None:
        try:
            count = await self.cluster.hit(name, self.lockout_s)
        except ClusterUnavailable:
            return  # this instance's own count still holds
        self.learn(name, count)
        if count >= limit and self.on_limit is not None:
            await self.on_limit(name, count)

    async def _forget(self, name: str) -> None:
        with contextlib.suppress(ClusterUnavailable):
            await self.cluster.forget(name)
