"""One contract, two backends: the in-memory hub state and the Redis one behave alike."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import pytest_asyncio

from portal import cluster
from portal.cluster.base import CABIN, DOCTOR, Cluster, RoomEntry
from portal.cluster.memory import MemoryCluster, MemoryStore
from portal.cluster.redis import RedisCluster
from tests.cluster.conftest import RedisServer

Pair = tuple[Cluster, Cluster]


@pytest_asyncio.fixture(params=["memory", "redis"])
async def pair(request: pytest.FixtureRequest) -> AsyncIterator[Pair]:
    """Two instances sharing one backend."""
    if request.param == "memory":
        store = MemoryStore()
        a, b = MemoryCluster(store, instance="i-a"), MemoryCluster(store, instance="i-b")
    else:
        server: RedisServer = request.getfixturevalue("redis_server")
        a = await cluster.connect(server.url, instance="i-a")
        b = await cluster.connect(server.url, instance="i-b")
    try:
        yield a, b
    finally:
        await a.close()
        await b.close()


def _entry(cabin: str, since: float, slot: int = 0, **kw: Any) -> RoomEntry:
    return RoomEntry(cabin, f"s-{cabin}", since, slot_start=slot, **kw)


@pytest.mark.asyncio
async def test_presence_expires_and_belongs_to_its_instance(pair: Pair) -> None:
    a, b = pair
    await a.present(CABIN, "c1", 0.3)
    await b.present(DOCTOR, "dr-a", 30)
    assert await b.presence(CABIN) == {"c1": "i-a"}
    assert await a.presence(DOCTOR) == {"dr-a": "i-b"}
    await b.absent(CABIN, "c1")  # not b's: no effect
    assert await a.presence(CABIN) == {"c1": "i-a"}
    await asyncio.sleep(0.4)
    assert await a.presence(CABIN) == {}
    await b.absent(DOCTOR, "dr-a")
    assert await a.presence(DOCTOR) == {}


@pytest.mark.asyncio
async def test_many_presences_in_one_call_renew_and_move(pair: Pair) -> None:
    a, b = pair
    await a.present_many(CABIN, [], 30)  # nothing: nothing written
    assert await b.presence(CABIN) == {}
    await a.present_many(CABIN, ["c1", "c2", "c3"], 0.3)
    assert await b.presence(CABIN) == {"c1": "i-a", "c2": "i-a", "c3": "i-a"}
    await b.present_many(CABIN, ["c2"], 30)  # c2 came back through b
    await a.present_many(CABIN, ["c1"], 30)  # a renews c1 only
    await asyncio.sleep(0.4)
    assert await b.presence(CABIN) == {"c1": "i-a", "c2": "i-b"}


@pytest.mark.asyncio
async def test_waiting_room_order_booked_by_slot_then_walk_ins_by_arrival(pair: Pair) -> None:
    a, b = pair
    await a.room_put(_entry("w2", since=20.0))
    await b.room_put(_entry("w1", since=10.0, instance="i-b"))
    await a.room_put(_entry("b2", since=30.0, slot=2000, slot_label="10:30"))
    await b.room_put(_entry("b1", since=40.0, slot=1000, slot_label="10:15"))
    room = await a.room()
    assert [e.cabin_id for e in room] == ["b1", "b2", "w1", "w2"]
    assert room[0] == _entry("b1", since=40.0, slot=1000, slot_label="10:15")
    assert room[2].instance == "i-b"
    # one patient per cabin: an update replaces it
    await a.room_put(_entry("w1", since=10.0, taken_by="dr-a", call_id="k"))
    assert [e.taken_by for e in await b.room()] == ["", "", "dr-a", ""]
    assert not await b.room_drop("w1", "another-session")
    assert await b.room_drop("w1", "s-w1")
    assert not await a.room_drop("w1")
    assert await a.room_drop("w2")
    assert [e.cabin_id for e in await b.room()] == ["b1", "b2"]


@pytest.mark.asyncio
async def test_staff_calls(pair: Pair) -> None:
    a, b = pair
    assert not await b.staff_coming("c1", "Pharmacie")
    assert await a.staff_call("c1", 100.0) == 100.0
    assert await b.staff_call("c1", 150.0) == 100.0  # an open call keeps its time
    assert await b.staff_coming("c1", "Pharmacie")
    assert await a.staff_calls() == {"c1": (100.0, "Pharmacie")}
    await a.staff_end("c1")
    assert await b.staff_calls() == {}


@pytest.mark.asyncio
async def test_call_ownership_one_winner(pair: Pair) -> None:
    a, b = pair
    # two instances answering the same take at once: exactly one wins
    results = await asyncio.gather(
        *(c.claim("c1", "s1", dr, f"call-{dr}") for c, dr in [(a, "dr-a"), (b, "dr-b")] * 5)
    )
    winner = results[0]
    assert set(results) == {winner}
    assert (await b.owner("c1")) == (winner, f"call-{winner}", "s1")
    # the same doctor again (page reloaded): a new call id
    assert await a.claim("c1", "s1", winner, "call-again") == winner
    await b.release("c1", "not-this-call")
    assert (await a.owner("c1")) == (winner, "call-again", "s1")
    await b.release("c1", "call-again")
    assert await a.owner("c1") is None
    loser = "dr-b" if winner == "dr-a" else "dr-a"
    assert await b.claim("c1", "s1", loser, "x") == loser
    # a new session at the cabin: the old hold does not count
    assert await a.claim("c1", "s2", winner, "y") == winner


@pytest.mark.asyncio
async def test_counters_slide_and_buckets_refill(pair: Pair) -> None:
    a, b = pair
    assert [await a.hit("login:dr-a", 0.3) for _ in range(2)] == [1, 2]
    assert await b.hit("login:dr-a", 0.3) == 3
    assert await b.hits("login:dr-a", 0.3) == 3
    await asyncio.sleep(0.35)
    assert await a.hits("login:dr-a", 0.3) == 0
    await a.hit("src", 10)
    await b.forget("src")
    assert await a.hits("src", 10) == 0
    allowed = [await (a if i % 2 else b).allow("ws:c1", 5.0, 3) for i in range(5)]
    assert allowed == [True, True, True, False, False]
    await asyncio.sleep(0.25)  # 5 a second: one more token
    assert await a.allow("ws:c1", 5.0, 3)
    assert not await b.allow("ws:c1", 5.0, 3)


@pytest.mark.asyncio
async def test_delivery_in_order_exactly_once(pair: Pair) -> None:
    a, b = pair
    got: list[dict[str, Any]] = []

    async def read(n: int) -> None:
        async for message in b.listen():
            got.append(message)
            if len(got) == n:
                return

    reader = asyncio.create_task(read(200))
    for i in range(200):
        assert await a.send("i-b", {"call": "k", "n": i})
    await asyncio.wait_for(reader, 10)
    assert [m["n"] for m in got] == list(range(200))
    await asyncio.sleep(0.2)
    assert len(got) == 200


@pytest.mark.asyncio
async def test_send_to_a_dead_instance_is_refused(pair: Pair) -> None:
    a, b = pair
    assert not await a.send("i-nobody", {"n": 1})
    await b.close()
    assert not await a.send("i-b", {"n": 1})


@pytest.mark.asyncio
async def test_memory_backend_is_private_unless_shared() -> None:
    one, two = MemoryCluster(), MemoryCluster()
    assert not one.shared
    await one.room_put(_entry("c1", 1.0))
    assert await two.room() == []
    assert await cluster.connect("") is not None


@pytest.mark.asyncio
async def test_redis_down_at_start_names_the_url(tmp_path: Any) -> None:
    url = f"unix://{tmp_path}/no-redis.sock"
    with pytest.raises(cluster.ClusterUnavailable) as caught:
        await cluster.connect(url)
    assert url in str(caught.value)


@pytest.mark.asyncio
async def test_redis_gap_loses_no_message(redis_server: RedisServer) -> None:
    """A brief Redis outage: the reader waits it out and resumes from its last id."""
    a = RedisCluster(redis_server.url, instance="i-a")
    b = RedisCluster(redis_server.url, instance="i-b")
    await a.start()
    await b.start()
    got: list[int] = []

    async def read() -> None:
        async for message in b.listen():
            got.append(message["n"])

    reader = asyncio.create_task(read())
    try:
        for i in range(3):
            await a.send("i-b", {"n": i})
        await _until(lambda: len(got) == 3)
        redis_server.stop()
        with pytest.raises(cluster.ClusterUnavailable):
            await a.send("i-b", {"n": 99})
        assert not await a.ping()
        redis_server.start()  # empty: no persistence
        await a.start()
        await b.start()
        for i in range(3, 6):
            await a.send("i-b", {"n": i})
        await _until(lambda: len(got) == 6)
        assert got == list(range(6))
    finally:
        reader.cancel()
        await a.close()
        await b.close()


async def _until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)
