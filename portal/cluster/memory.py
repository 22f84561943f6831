"""The embedded backend: the shared state in this process's memory (one portal instance).

Several :class:`MemoryCluster` objects may share one :class:`MemoryStore` (tests run two
instances in one process this way); by default each has its own. Delivery is an
:class:`asyncio.Queue` per instance: in order, each message once.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from portal.cluster.base import CABIN, INSTANCE, Cluster, RoomEntry, new_instance_id, queue_order
from portal.cluster.cabin_state import CabinState

#: Messages kept for an instance that does not read them (beyond: the oldest dropped).
INBOX_CAP = 10_000


@dataclass
class MemoryStore:
    """What the instances of one process share."""

    clock: Callable[[], float] = time.time
    presence: dict[tuple[str, str], tuple[str, float]] = field(default_factory=dict)
    room: dict[str, RoomEntry] = field(default_factory=dict)
    staff: dict[str, tuple[float, str]] = field(default_factory=dict)
    calls: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    events: dict[str, deque[float]] = field(default_factory=dict)
    buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    inboxes: dict[str, asyncio.Queue[dict[str, Any]]] = field(default_factory=dict)
    states: dict[str, CabinState] = field(default_factory=dict)
    states_version: int = 0
    beats: dict[str, float] = field(default_factory=dict)
    beats_version: int = 0


class MemoryCluster(Cluster):
    """The shared state in memory; ``shared`` only when a store is given (tests)."""

    def __init__(self, store: MemoryStore | None = None, *, instance: str = "") -> None:
        self.shared = store is not None
        self.store = store or MemoryStore()
        self.instance = instance or new_instance_id()
        self.store.inboxes.setdefault(self.instance, asyncio.Queue(INBOX_CAP))
        self.store.presence[(INSTANCE, self.instance)] = (self.instance, float("inf"))

    # -- presence ----------------------------------------------------------------------

    async def present(self, kind: str, ident: str, ttl_s: float) -> None:
        self.store.presence[(kind, ident)] = (self.instance, self.store.clock() + ttl_s)

    async def absent(self, kind: str, ident: str) -> None:
        held = self.store.presence.get((kind, ident))
        if held is not None and held[0] == self.instance:
            del self.store.presence[(kind, ident)]

    async def presence(self, kind: str) -> dict[str, str]:
        now = self.store.clock()
        expired = [k for k, (_, until) in self.store.presence.items() if until <= now]
        for key in expired:
            del self.store.presence[key]
        return {k[1]: inst for k, (inst, _) in self.store.presence.items() if k[0] == kind}

    # -- the waiting room --------------------------------------------------------------

    async def room_put(self, entry: RoomEntry) -> None:
        self.store.room[entry.cabin_id] = entry

    async def room_drop(self, cabin_id: str, session_id: str = "") -> bool:
        entry = self.store.room.get(cabin_id)
        if entry is None or (session_id and entry.session_id != session_id):
            return False
        del self.store.room[cabin_id]
        return True

    async def room(self) -> list[RoomEntry]:
        return sorted(self.store.room.values(), key=queue_order)

    # -- staff calls -------------------------------------------------------------------

    async def staff_call(self, cabin_id: str, since: float) -> float:
        first = self.store.staff.setdefault(cabin_id, (since, ""))
        return first[0]

    async def staff_coming(self, cabin_id: str, by: str) -> bool:
        call = self.store.staff.get(cabin_id)
        if call is None:
            return False
        self.store.staff[cabin_id] = (call[0], by)
        return True

    async def staff_end(self, cabin_id: str) -> None:
        self.store.staff.pop(cabin_id, None)

    async def staff_calls(self) -> dict[str, tuple[float, str]]:
        return dict(self.store.staff)

    # -- call ownership ----------------------------------------------------------------

    async def claim(self, cabin_id: str, session_id: str, doctor_id: str, call_id: str) -> str:
        # no await between the read and the write: atomic on one loop
        held = self.store.calls.get(cabin_id)
        if held is not None and held[2] == session_id and held[0] != doctor_id:
            return held[0]
        self.store.calls[cabin_id] = (doctor_id, call_id, session_id)
        return doctor_id

    async def release(self, cabin_id: str, call_id: str = "") -> None:
        held = self.store.calls.get(cabin_id)
        if held is not None and (not call_id or held[1] == call_id):
            del self.store.calls[cabin_id]

    async def owner(self, cabin_id: str) -> tuple[str, str, str] | None:
        return self.store.calls.get(cabin_id)

    # -- the cabins' reported state ----------------------------------------------------

    async def states_put(self, states: list[CabinState]) -> None:
        for state in states:
            self.store.states[state.cabin_id] = replace(state, instance=self.instance)
        self.store.states_version += 1

    async def state_drop(self, cabin_id: str) -> None:
        held = self.store.states.get(cabin_id)
        if held is not None and held.instance == self.instance:
            del self.store.states[cabin_id]
            self.store.beats.pop(cabin_id, None)
            self.store.states_version += 1

    async def states(self, known: int = -1) -> tuple[int, dict[str, CabinState] | None]:
        version = self.store.states_version
        if version == known:
            return version, None
        where = await self.presence(CABIN)
        for cabin_id in [c for c, s in self.store.states.items() if where.get(c) != s.instance]:
            del self.store.states[cabin_id]
            self.store.beats.pop(cabin_id, None)
        return version, dict(self.store.states)

    async def beat(self, times: dict[str, float]) -> list[str]:
        self.store.beats.update(times)
        self.store.beats_version += 1
        return [c for c in times if c not in self.store.states]

    async def beats(self, known: int = -1) -> tuple[int, dict[str, float] | None]:
        version = self.store.beats_version
        return version, None if version == known else dict(self.store.beats)

    # -- counters ----------------------------------------------------------------------

    def _recent(self, key: str, window_s: float) -> deque[float]:
        times = self.store.events.setdefault(key, deque())
        horizon = self.store.clock() - window_s
        while times and times[0] <= horizon:
            times.popleft()
        return times

    async def hit(self, key: str, window_s: float) -> int:
        times = self._recent(key, window_s)
        times.append(self.store.clock())
        return len(times)

    async def hits(self, key: str, window_s: float) -> int:
        times = self._recent(key, window_s)
        if not times:
            del self.store.events[key]
        return len(times)

    async def forget(self, key: str) -> None:
        self.store.events.pop(key, None)
        self.store.buckets.pop(key, None)

    async def allow(self, key: str, rate: float, burst: int) -> bool:
        now = self.store.clock()
        tokens, at = self.store.buckets.get(key, (float(burst), now))
        tokens = min(float(burst), tokens + (now - at) * rate)
        ok = tokens >= 1.0
        self.store.buckets[key] = (tokens - 1.0 if ok else tokens, now)
        return ok

    # -- delivery ----------------------------------------------------------------------

    async def send(self, instance: str, message: dict[str, Any]) -> bool:
        inbox = self.store.inboxes.get(instance)
        if inbox is None or instance not in await self.presence(INSTANCE):
            return False
        if inbox.full():
            inbox.get_nowait()
        inbox.put_nowait(message)
        return True

    async def listen(self) -> AsyncIterator[dict[str, Any]]:
        inbox = self.store.inboxes[self.instance]
        while True:
            yield await inbox.get()

    # -- life --------------------------------------------------------------------------

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        self.store.presence.pop((INSTANCE, self.instance), None)
        self.store.inboxes.pop(self.instance, None)
