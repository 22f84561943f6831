"""The Redis backend: several portal instances share one Redis (redis-py's asyncio client).

Delivery between instances uses **streams**, not pub/sub: each instance reads its own stream
(``inbox:<instance>``) with ``XREAD`` from the last id it handled. Pub/sub is fire and
forget: a message published while an instance's subscription is being re-established (a
Redis restart, a network blip) is lost, and nobody knows. With a stream the reader resumes
from its last id, so a brief gap loses nothing and repeats nothing (exactly once, one reader
per stream), and the order of ``XADD`` is the order read (in order per call: one call's
messages come from one socket, handled one after the other). A stream whose instance died
expires with it (``PEXPIRE``, renewed by its reader), and ``send`` to an instance whose
presence expired answers False: the sender tells its peer.

Presence is a sorted set per kind (score: expiry, ms) with a hash naming the instance;
call ownership is claimed by a Lua script (atomic: of two instances answering the same
``take`` exactly one wins); counters are sorted sets (sliding windows) and token buckets.
The cabins' states are one hash (cabin -> JSON naming its instance) with a version counter
bumped at each write: a reader gets the states only when the version moved, and a state
whose cabin is not present on its writer's instance is removed as it is read. Their last
heartbeats' times, refreshed once a beat, are a hash of their own with its own version.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from typing import Any, TypeVar

import redis.asyncio as aioredis
from redis import exceptions as rexc
from redis.utils import HIREDIS_AVAILABLE

from portal import security
from portal.cluster.base import (
    CABIN,
    INSTANCE,
    Cluster,
    ClusterUnavailable,
    RoomEntry,
    new_instance_id,
    queue_order,
)
from portal.cluster.cabin_state import CabinState

log = security.escaped_logger(__name__)

T = TypeVar("T")

#: Bound on every Redis call (connect, answer).
TIMEOUT_S = 2.0
#: Messages kept in one instance's stream (approximately), and how long a stream nobody
#: reads lives (its instance died).
INBOX_CAP = 10_000
INBOX_TTL_MS = 60_000
#: How long one XREAD waits for news.
BLOCK_MS = 1000

_ABSENT = """
if redis.call('HGET', KEYS[2], ARGV[1]) == ARGV[2] then
  redis.call('ZREM', KEYS[1], ARGV[1]); redis.call('HDEL', KEYS[2], ARGV[1])
end
return 0
"""
_ROOM_DROP = """
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if not cur then return 0 end
if ARGV[2] ~= '' and cjson.decode(cur)['session_id'] ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
return 1
"""
_STAFF_CALL = """
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur then return cjson.decode(cur)[1] end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({tonumber(ARGV[2]), ''}))
return ARGV[2]
"""
_STAFF_COMING = """
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if not cur then return 0 end
local call = cjson.decode(cur)
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({call[1], ARGV[2]}))
return 1
"""
_CLAIM = """
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur then
  local held = cjson.decode(cur)
  if held[3] == ARGV[2] and held[1] ~= ARGV[3] then return held[1] end
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({ARGV[3], ARGV[4], ARGV[2]}))
return ARGV[3]
"""
_RELEASE = """
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur and (ARGV[2] == '' or cjson.decode(cur)[2] == ARGV[2]) then
  redis.call('HDEL', KEYS[1], ARGV[1])
end
return 0
"""
_STATE_DROP = """
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur and cjson.decode(cur)['instance'] == ARGV[2] then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[3], ARGV[1])
  redis.call('INCR', KEYS[2])
end
return 0
"""
# the states of the cabins present on their writer's instance (the others removed), with
# the version; only the version when it is the caller's
_STATES = """
local v = redis.call('GET', KEYS[2]) or '0'
if v == ARGV[1] then return {v} end
local out, now = {v}, tonumber(ARGV[2])
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local until_ms = tonumber(redis.call('ZSCORE', KEYS[3], all[i]) or '0')
  local where = redis.call('HGET', KEYS[4], all[i])
  local ok, state = pcall(cjson.decode, all[i + 1])
  if ok and until_ms > now and where == state['instance'] then
    out[#out + 1] = all[i + 1]
  else
    redis.call('HDEL', KEYS[1], all[i])
    redis.call('HDEL', KEYS[5], all[i])
  end
end
return out
"""
# the heartbeats' times written, the version bumped; which of these cabins have no state
_BEAT = """
local lost = {}
for i = 1, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  if redis.call('HEXISTS', KEYS[3], ARGV[i]) == 0 then lost[#lost + 1] = ARGV[i] end
end
redis.call('INCR', KEYS[2])
return lost
"""
_BEATS = """
local v = redis.call('GET', KEYS[2]) or '0'
if v == ARGV[1] then return {v} end
return {v, redis.call('HGETALL', KEYS[1])}
"""
_HIT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return redis.call('ZCARD', KEYS[1])
"""
_ALLOW = """
local b = redis.call('HMGET', KEYS[1], 't', 'at')
local burst, rate, now = tonumber(ARGV[2]), tonumber(ARGV[1]), tonumber(ARGV[3])
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + (now - at) / 1000 * rate)
local ok = 0
if tokens >= 1 then tokens = tokens - 1; ok = 1 end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return ok
"""


class RedisCluster(Cluster):
    """The shared state in Redis at ``url`` (``redis://host:port/db`` or ``unix:///path``)."""

    shared = True

    def __init__(
        self,
        url: str,
        *,
        instance: str = "",
        prefix: str = "cabine:",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.url = url
        self.instance = instance or new_instance_id()
        #: Who parses the replies: hiredis (C) reads 5,000 presences in 2.5 ms, redis-py's
        #: Python parser in 34 ms, the portal's loop held meanwhile.
        self.parser = (
            "replies parsed by hiredis"
            if HIREDIS_AVAILABLE
            else ("replies parsed in Python: slow at a region's size, install redis[hiredis]")
        )
        self.prefix = prefix
        self.clock = clock
        self.client = aioredis.Redis.from_url(
            url,
            socket_timeout=TIMEOUT_S,
            socket_connect_timeout=TIMEOUT_S,
            decode_responses=True,
        )
        self._scripts = {
            name: self.client.register_script(text)
            for name, text in {
                "absent": _ABSENT, "room_drop": _ROOM_DROP, "staff_call": _STAFF_CALL,
                "staff_coming": _STAFF_COMING, "claim": _CLAIM, "release": _RELEASE,
                "hit": _HIT, "allow": _ALLOW, "state_drop": _STATE_DROP, "states": _STATES,
                "beat": _BEAT, "beats": _BEATS,
            }.items()
        }  # fmt: skip
        self._seq = 0
        self._closing = False

    def _key(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    def _now_ms(self) -> int:
        return int(self.clock() * 1000)

    async def _call(self, work: Awaitable[T]) -> T:
        try:
            async with asyncio.timeout(2 * TIMEOUT_S):
                return await work
        except (rexc.ConnectionError, rexc.TimeoutError, TimeoutError, OSError) as exc:
            raise ClusterUnavailable(self.url, type(exc).__name__) from exc

    async def _script(self, name: str, keys: list[str], args: list[Any]) -> Any:
        return await self._call(self._scripts[name](keys=keys, args=args))

    async def start(self) -> None:
        """Reach Redis and announce this instance (:class:`ClusterUnavailable` when down)."""
        await self._call(self.client.ping())
        await self.present(INSTANCE, self.instance, INBOX_TTL_MS / 1000)

    # -- presence ----------------------------------------------------------------------

    async def present(self, kind: str, ident: str, ttl_s: float) -> None:
        pipe = self.client.pipeline(transaction=True)
        pipe.zadd(self._key("presence", kind), {ident: self._now_ms() + int(ttl_s * 1000)})
        pipe.hset(self._key("where", kind), ident, self.instance)
        await self._call(pipe.execute())

    async def present_many(self, kind: str, idents: list[str], ttl_s: float) -> None:
        if not idents:
            return
        until = self._now_ms() + int(ttl_s * 1000)
        pipe = self.client.pipeline(transaction=True)  # one round trip for them all
        pipe.zadd(self._key("presence", kind), dict.fromkeys(idents, until))
        pipe.hset(self._key("where", kind), mapping=dict.fromkeys(idents, self.instance))
        await self._call(pipe.execute())

    async def absent(self, kind: str, ident: str) -> None:
        keys = [self._key("presence", kind), self._key("where", kind)]
        await self._script("absent", keys, [ident, self.instance])

    async def presence(self, kind: str) -> dict[str, str]:
        zkey, hkey = self._key("presence", kind), self._key("where", kind)
        pipe = self.client.pipeline(transaction=True)
        pipe.zremrangebyscore(zkey, "-inf", self._now_ms())
        pipe.zrange(zkey, 0, -1)
        pipe.hgetall(hkey)
        _, alive, where = await self._call(pipe.execute())
        return {ident: where.get(ident, "") for ident in alive}

    # -- the waiting room --------------------------------------------------------------

    async def room_put(self, entry: RoomEntry) -> None:
        await self._call(self.client.hset(self._key("room"), entry.cabin_id, entry.dumps()))

    async def room_drop(self, cabin_id: str, session_id: str = "") -> bool:
        return bool(await self._script("room_drop", [self._key("room")], [cabin_id, session_id]))

    async def room(self) -> list[RoomEntry]:
        raw: Any = await self._call(self.client.hgetall(self._key("room")))
        return sorted((RoomEntry.loads(v) for v in raw.values()), key=queue_order)

    # -- staff calls -------------------------------------------------------------------

    async def staff_call(self, cabin_id: str, since: float) -> float:
        return float(await self._script("staff_call", [self._key("staff")], [cabin_id, since]))

    async def staff_coming(self, cabin_id: str, by: str) -> bool:
        return bool(await self._script("staff_coming", [self._key("staff")], [cabin_id, by]))

    async def staff_end(self, cabin_id: str) -> None:
        await self._call(self.client.hdel(self._key("staff"), cabin_id))

    async def staff_calls(self) -> dict[str, tuple[float, str]]:
        raw: Any = await self._call(self.client.hgetall(self._key("staff")))
        calls = {k: json.loads(v) for k, v in raw.items()}
        return {k: (float(v[0]), str(v[1])) for k, v in calls.items()}

    # -- call ownership ----------------------------------------------------------------

    async def claim(self, cabin_id: str, session_id: str, doctor_id: str, call_id: str) -> str:
        args = [cabin_id, session_id, doctor_id, call_id]
        return str(await self._script("claim", [self._key("calls")], args))

    async def release(self, cabin_id: str, call_id: str = "") -> None:
        await self._script("release", [self._key("calls")], [cabin_id, call_id])

    async def owner(self, cabin_id: str) -> tuple[str, str, str] | None:
        raw = await self._call(self.client.hget(self._key("calls"), cabin_id))
        if raw is None:
            return None
        doctor, call_id, session_id = json.loads(raw)
        return str(doctor), str(call_id), str(session_id)

    # -- the cabins' reported state ----------------------------------------------------

    async def states_put(self, states: list[CabinState]) -> None:
        mine = {s.cabin_id: replace(s, instance=self.instance).dumps() for s in states}
        pipe = self.client.pipeline(transaction=True)
        pipe.hset(self._key("state"), mapping=mine)  # type: ignore[arg-type]
        pipe.incr(self._key("state", "version"))
        await self._call(pipe.execute())

    async def state_drop(self, cabin_id: str) -> None:
        keys = [self._key("state"), self._key("state", "version"), self._key("state", "beat")]
        await self._script("state_drop", keys, [cabin_id, self.instance])

    async def states(self, known: int = -1) -> tuple[int, dict[str, CabinState] | None]:
        keys = [self._key("state"), self._key("state", "version"),
                self._key("presence", CABIN), self._key("where", CABIN),
                self._key("state", "beat")]  # fmt: skip
        got = await self._script("states", keys, [known, self._now_ms()])
        version = int(got[0])
        if version == known:
            return version, None
        states = (CabinState.loads(raw) for raw in got[1:])
        return version, {s.cabin_id: s for s in states}

    async def beat(self, times: dict[str, float]) -> list[str]:
        keys = [self._key("state", "beat"), self._key("state", "beats"), self._key("state")]
        args = [x for cabin_id, at in times.items() for x in (cabin_id, f"{at:.1f}")]
        return [str(c) for c in await self._script("beat", keys, args)]

    async def beats(self, known: int = -1) -> tuple[int, dict[str, float] | None]:
        keys = [self._key("state", "beat"), self._key("state", "beats")]
        got = await self._script("beats", keys, [known])
        version = int(got[0])
        if version == known:
            return version, None
        flat = got[1]
        return version, {str(flat[i]): float(flat[i + 1]) for i in range(0, len(flat), 2)}

    # -- counters ----------------------------------------------------------------------

    async def hit(self, key: str, window_s: float) -> int:
        self._seq += 1
        member = f"{self._now_ms()}:{self.instance}:{self._seq}"
        args = [self._now_ms(), max(1, int(window_s * 1000)), member]
        return int(await self._script("hit", [self._key("events", key)], args))

    async def hits(self, key: str, window_s: float) -> int:
        zkey = self._key("events", key)
        low = f"({self._now_ms() - int(window_s * 1000)}"
        return int(await self._call(self.client.zcount(zkey, low, "+inf")))

    async def forget(self, key: str) -> None:
        await self._call(self.client.delete(self._key("events", key), self._key("bucket", key)))

    async def allow(self, key: str, rate: float, burst: int) -> bool:
        args = [rate, burst, self._now_ms()]
        return bool(await self._script("allow", [self._key("bucket", key)], args))

    # -- delivery ----------------------------------------------------------------------

    async def send(self, instance: str, message: dict[str, Any]) -> bool:
        alive = await self._call(self.client.zscore(self._key("presence", INSTANCE), instance))
        if alive is None or alive <= self._now_ms():
            return False
        stream = self._key("inbox", instance)
        pipe = self.client.pipeline(transaction=True)
        pipe.xadd(stream, {"m": json.dumps(message)}, maxlen=INBOX_CAP, approximate=True)
        pipe.pexpire(stream, INBOX_TTL_MS)
        await self._call(pipe.execute())
        return True

    async def listen(self) -> AsyncIterator[dict[str, Any]]:
        """Read this instance's stream from the last id handled; a Redis gap is waited out
        (retrying each second) and the reading resumes where it stopped."""
        stream, last = self._key("inbox", self.instance), "0-0"
        # (redis-py may swallow a task's cancellation during a blocking read: the loop
        # also ends when the client closes)
        while not self._closing:
            try:
                got: Any = await self._call(
                    self.client.xread({stream: last}, count=100, block=BLOCK_MS)
                )
            except ClusterUnavailable:
                await asyncio.sleep(1.0)
                continue
            for _key, entries in got or []:
                for entry_id, fields in entries:
                    last = entry_id
                    yield json.loads(fields["m"])
            if got:
                try:  # what was read is not read again: trim it, keep the stream alive
                    await self._call(self.client.xtrim(stream, minid=last))
                    await self._call(self.client.pexpire(stream, INBOX_TTL_MS))
                except ClusterUnavailable:
                    pass

    # -- life --------------------------------------------------------------------------

    async def ping(self) -> bool:
        try:
            return bool(await self._call(self.client.ping()))
        except ClusterUnavailable:
            return False

    async def close(self) -> None:
        self._closing = True
        with contextlib.suppress(ClusterUnavailable):
            await self.absent(INSTANCE, self.instance)
        await self.client.aclose()
