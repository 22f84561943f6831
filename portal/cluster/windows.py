"""The booking site's abuse limits shared between instances: a code sent to a phone from one
instance counts on all of them.

:class:`verification.Window` decides at once (a booking page does not wait on Redis); a
:class:`SharedWindow` also counts each event in the shared state (:meth:`Cluster.hit`, a
sliding window) and decides on the larger of its own count and the portal-wide one it last
learned. A count that reaches its limit is told to every instance (``on_limit``, as the login
throttle's). An event taken back (a code the SMS gateway did not take) is counted under a key
of its own and subtracted. HAProxy keeps a browser on one instance; a sender that drops the
cookie to reach the others finds the same counts. Redis down: each instance counts on its own.
The shared keys carry a keyed hash of the phone number or the address, never the number.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from portal.appointments.verification import Flows, Window
from portal.cluster.base import Cluster, ClusterUnavailable

#: Told when a shared count reached its limit: (key, count).
OnLimit = Callable[[str, int], Awaitable[None]]
#: The prefix of the shared keys (the mesh routes a limit reached by it).
PREFIX = "book:"


class SharedWindow(Window):
    """A :class:`Window` (``name``: which of the booking site's limits) also counted in
    ``cluster``."""

    def __init__(
        self, window: Window, name: str, cluster: Cluster, *, secret: bytes,
        on_limit: OnLimit | None = None,
    ) -> None:  # fmt: skip
        super().__init__(window.limit, window.window_s, window.clock)
        self.name, self.cluster, self.on_limit = name, cluster, on_limit
        self._secret = secret
        #: The portal-wide counts learned: shared key -> (count, valid until).
        self._shared: dict[str, tuple[int, float]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def shared_key(self, key: str) -> str:
        digest = hmac.new(self._secret, f"{self.name}\0{key}".encode(), hashlib.sha256)
        return f"{PREFIX}{self.name}:{digest.hexdigest()[:32]}"

    def full(self, key: str) -> bool:
        if super().full(key):
            return True
        learned = self._shared.get(self.shared_key(key))
        return learned is not None and learned[1] > self.clock() and learned[0] >= self.limit

    def add(self, key: str) -> None:
        super().add(key)
        self._spawn(self._count(self.shared_key(key), taken_back=False))

    def undo(self, key: str) -> None:
        super().undo(key)
        self._spawn(self._count(self.shared_key(key), taken_back=True))

    def learn(self, name: str, count: int) -> None:
        """Another instance saw ``name`` reach ``count`` (a key of another limit: ignored)."""
        if name.startswith(f"{PREFIX}{self.name}:"):
            known = self._shared.get(name, (0, 0.0))[0]
            self._shared[name] = (max(count, known), self.clock() + self.window_s)

    async def settled(self) -> None:
        """Until the counts sent are counted (tests)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _count(self, name: str, *, taken_back: bool) -> None:
        try:
            if taken_back:
                undone = await self.cluster.hit(f"{name}:undone", self.window_s)
                hits = await self.cluster.hits(name, self.window_s)
            else:
                hits = await self.cluster.hit(name, self.window_s)
                undone = await self.cluster.hits(f"{name}:undone", self.window_s)
        except ClusterUnavailable:
            return  # this instance's own count still holds
        count = max(0, hits - undone)
        self._shared[name] = (count, self.clock() + self.window_s)
        if count >= self.limit and not taken_back and self.on_limit is not None:
            await self.on_limit(name, count)


#: The booking site's limits (:class:`verification.Flows`' windows), each shared.
LIMITS = ("codes_phone", "codes_source", "tries_phone", "tries_source", "bookings_source")


def share(
    flows: Flows, cluster: Cluster, *, secret: str, on_limit: OnLimit | None = None
) -> list[SharedWindow]:
    """``flows``' limits counted in ``cluster`` from now on (the windows it holds)."""
    shared = []
    for name in LIMITS:
        window = SharedWindow(getattr(flows, name), name, cluster, secret=secret.encode(),
                              on_limit=on_limit)  # fmt: skip
        setattr(flows, name, window)
        shared.append(window)
    return shared
