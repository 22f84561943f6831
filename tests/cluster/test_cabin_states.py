"""Every cabin's reported state on every instance (issue #18): the backends' contract (memory
and a real redis-server), the mirror's writes (on a change, not at each heartbeat), and two
real portal instances where the doctor on B sees the cabin on A as a local one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

import protocol
from portal import app as portal_app
from portal import server
from portal.cluster import connect
from portal.cluster.base import CABIN, Cluster
from portal.cluster.cabin_state import CabinState
from portal.cluster.memory import MemoryCluster, MemoryStore
from portal.cluster.mesh import Mesh
from portal.config import parse as parse_portal_config
from portal.hub import Hub
from portal.presence import CabinPresence
from tests.cluster.conftest import RedisServer
from tests.cluster.test_instances import Instances, instances  # noqa: F401 (a fixture)
from tests.helpers.waiting import until
from tests.portal.conftest import portal_toml
from tests.portal.test_portal import CABIN_ID, cabin, doctor, recv

Pair = tuple[Cluster, Cluster]


@pytest_asyncio.fixture(params=["memory", "redis"])
async def pair(request: pytest.FixtureRequest) -> AsyncIterator[Pair]:
    """Two instances sharing one backend."""
    if request.param == "memory":
        store = MemoryStore()
        a, b = MemoryCluster(store, instance="i-a"), MemoryCluster(store, instance="i-b")
    else:
        redis: RedisServer = request.getfixturevalue("redis_server")
        a = await connect(redis.url, instance="i-a")
        b = await connect(redis.url, instance="i-b")
    try:
        yield a, b
    finally:
        await a.close()
        await b.close()


def _state(cabin_id: str, **kw: Any) -> CabinState:
    fields: dict[str, Any] = {
        "devices": {"tensiometer": "missing", "scale": "ok"}, "version": "1.4.2",
        "started_at": 1_700_000_000.0, "printer": "stopped", "printer_detail": "paper_jam",
        "papers_held": 2, "papers_since": "2026-12-03T09:15:00+00:00",
        "heartbeat_at": 1_700_000_500.5,
    }  # fmt: skip
    return CabinState(cabin_id, **{**fields, **kw})


# -- the contract, both backends -------------------------------------------------------------


@pytest.mark.asyncio
async def test_states_read_back_whole_and_only_when_changed(pair: Pair) -> None:
    a, b = pair
    await a.present(CABIN, "c1", 30)
    await a.states_put([_state("c1", instance="i-whoever")])
    version, states = await b.states()
    assert states == {"c1": _state("c1", instance="i-a")}  # marked as its writer's
    assert states["c1"].uptime_at(states["c1"].heartbeat_at) == 500.5
    assert await b.states(version) == (version, None)  # unchanged: nothing read
    await a.states_put([_state("c1", printer="idle", printer_detail="", started_at=None)])
    newer, states = await b.states(version)
    assert newer != version and states is not None
    assert (states["c1"].printer, states["c1"].uptime_at(0.0)) == ("idle", None)


@pytest.mark.asyncio
async def test_a_state_counts_only_while_its_cabin_is_present_on_its_writer(pair: Pair) -> None:
    a, b = pair
    await a.present(CABIN, "c1", 0.3)
    await a.present(CABIN, "c2", 30)
    await a.states_put([_state("c1"), _state("c2"), _state("nowhere")])
    _, states = await b.states()
    assert states is not None and sorted(states) == ["c1", "c2"]
    await asyncio.sleep(0.4)  # c1's instance stopped renewing it: its state expired with it
    _, states = await b.states()
    assert states is not None and sorted(states) == ["c2"]
    # c2 moves to b: a's state of it no longer counts, and a cannot withdraw b's
    await b.present(CABIN, "c2", 30)
    _, states = await a.states()
    assert states == {}
    await b.states_put([_state("c2", printer="idle")])
    await a.state_drop("c2")
    _, states = await a.states()
    assert states is not None and states["c2"].instance == "i-b"
    await b.state_drop("c2")
    _, states = await a.states()
    assert states == {}


@pytest.mark.asyncio
async def test_heartbeat_times_in_one_write_and_read_only_when_changed(pair: Pair) -> None:
    a, b = pair
    await a.present(CABIN, "c1", 30)
    await a.states_put([_state("c1")])
    version, _ = await b.beats()
    # c9's state is not there (a Redis that restarted empty): the writer is told
    assert await a.beat({"c1": 1_700_000_600.2, "c9": 1_700_000_601.0}) == ["c9"]
    newer, beats = await b.beats(version)
    assert newer != version and beats == {"c1": 1_700_000_600.2, "c9": 1_700_000_601.0}
    assert await b.beats(newer) == (newer, None)
    await a.state_drop("c1")  # the cabin left: its time goes with its state
    _, beats = await b.beats()
    assert beats is not None and "c1" not in beats


# -- the mirror: a write when a cabin's state changes, not at each heartbeat -----------------


class _Counting(MemoryCluster):
    def __init__(self) -> None:
        super().__init__()
        self.writes: list[list[str]] = []
        self.beat_writes = 0

    async def states_put(self, states: list[CabinState]) -> None:
        self.writes.append([s.cabin_id for s in states])
        await super().states_put(states)

    async def beat(self, times: dict[str, float]) -> list[str]:
        self.beat_writes += 1
        return await super().beat(times)


class _Socket:
    closed = False


@pytest.mark.asyncio
async def test_heartbeats_that_say_the_same_write_nothing() -> None:
    now = [1000.0]
    hub = Hub(parse_portal_config(portal_toml(), source="t.toml"), clock=lambda: now[0],
              wall=lambda: now[0] + 1_700_000_000)  # fmt: skip
    backend = _Counting()
    mesh = Mesh(hub, backend, on_doctor=lambda peer, msg: asyncio.sleep(0))
    peer: Any = type("P", (), {"ws": _Socket(), "ident": CABIN_ID})()
    hub.cabins[CABIN_ID] = CabinPresence(CABIN_ID, peer=peer)
    here = {(CABIN, CABIN_ID)}
    beat = {"devices": {"tensiometer": "ok"}, "version": "1.0", "printer": "idle"}
    for n in range(50):  # 50 heartbeats, 10 s apart, the kiosk's uptime growing
        now[0] += 10.0
        hub.cabins[CABIN_ID].last_heartbeat = now[0]
        await hub.heartbeat(peer, {**beat, "uptime_s": 100.0 + 10.0 * n + 0.3 * (n % 2)})
        await mesh.states.push(here)
    assert backend.writes == [[CABIN_ID]]
    await hub.heartbeat(peer, {**beat, "devices": {"tensiometer": "missing"}})
    assert await mesh.states.push(here)
    assert len(backend.writes) == 2
    await mesh.states.renew()  # the beat: every cabin's heartbeat time in one small write
    assert (len(backend.writes), backend.beat_writes) == (2, 1)
    backend.store.states.clear()  # a Redis that restarted empty: written again at the beat
    await mesh.states.renew()
    assert backend.writes[-1] == [CABIN_ID] and CABIN_ID in backend.store.states
    assert await mesh.states.push(set())  # the cabin left: its state withdrawn
    _, states = await backend.states()
    assert states == {}


# -- two real instances on a real Redis -------------------------------------------------------


async def _cabin_row(ws: Any, check: Any, what: str) -> dict[str, Any]:
    """The next waiting room whose row of the test cabin passes ``check`` (within 15 s)."""
    try:
        async with asyncio.timeout(15):
            while True:
                room = await recv(ws, "waiting_room", timeout=15)
                row = next(c for c in room["cabins"] if c["cabin_id"] == CABIN_ID)
                if check(row):
                    return row
    except TimeoutError:
        raise AssertionError(f"{what}: not within 15 s") from None


@pytest.mark.asyncio
async def test_doctor_on_b_sees_the_cabin_on_a_with_its_tensiometer_unplugged_and_printer_jammed(
    instances: Instances,  # noqa: F811 (the fixture)
) -> None:
    a, b = instances
    hub_b = b.app[server.HUB]
    http_doc, doc = await doctor(b.url, "dr-a")
    async with aiohttp.ClientSession() as http:
        ws = await cabin(http, a.url)
        heartbeat = {
            "devices": {"tensiometer": "missing", "scale": "ok"}, "version": "2.1.0",
            "printer": "stopped", "printer_detail": "paper_jam",
            "papers_held": 2, "papers_since": "2026-12-03T09:15:00+00:00",
        }  # fmt: skip

        async def beating() -> None:  # the kiosk's heartbeats, the same state each time
            for n in range(10_000):
                uptime = 300.0 + 0.25 * n
                await ws.send_str(protocol.signal("heartbeat", uptime_s=uptime, **heartbeat))
                await asyncio.sleep(0.25)

        beats = asyncio.create_task(beating())
        try:
            row = await _cabin_row(
                doc, lambda r: r["devices"].get("tensiometer") == "missing", "B sees A's cabin"
            )
            assert row["online"] and row["devices"] == heartbeat["devices"]
            assert (row["printer"], row["printer_detail"]) == ("stopped", "paper_jam")
            assert row["version"] == "2.1.0" and row["uptime_s"] >= 300.0
            assert 0.0 <= row["heartbeat_age_s"] < 3.0
            # exactly the fields of a local row (the doctor on A's)
            local = a.app[server.HUB].snapshot("dr-a")["cabins"]
            assert set(row) == set(next(c for c in local if c["cabin_id"] == CABIN_ID))
            # the staff page on B: printer and the papers held, and "Reprint now" reaches A
            status = portal_app._cabin_status(hub_b, CABIN_ID)
            assert status["printer"] == "stopped" and status["online"]
            assert status["papers"] == {
                "count": 2,
                "since": heartbeat["papers_since"],
                "reprint": "",
            }
            assert hub_b.mesh is not None and await hub_b.mesh.states.reprint(CABIN_ID)
            await recv(ws, "reprint")
            await until(
                lambda: (
                    (portal_app._cabin_status(hub_b, CABIN_ID)["papers"] or {}).get("reprint")
                    == "sent"
                ),
                "B sees the reprint sent",
            )
        finally:
            beats.cancel()
        # the cabin leaves: B shows it offline, not a stale "all fine"
        await ws.close()
        row = await _cabin_row(doc, lambda r: not r["online"], "B shows the cabin offline")
        assert row["devices"] == {} and row["printer"] == ""
        assert not portal_app._cabin_status(hub_b, CABIN_ID)["online"]
    await doc.close()
    await http_doc.close()


@pytest.mark.asyncio
async def test_the_cabins_state_expires_with_its_dead_instance(
    instances: Instances,  # noqa: F811 (the fixture)
) -> None:
    a, b = instances
    hub_b = b.app[server.HUB]
    assert hub_b.mesh is not None
    async with aiohttp.ClientSession() as http:
        ws = await cabin(http, a.url)
        beat = {"devices": {"oximeter": "fault"}, "printer": "idle", "uptime_s": 5.0}
        await ws.send_str(protocol.signal("heartbeat", **beat))
        await until(
            lambda: hub_b.mesh.states._live(CABIN_ID) is not None,  # type: ignore[union-attr]
            "B reads the state",
        )
        # A dies: nothing of it withdrawn, its beats stop
        mesh_a = a.app[server.HUB].mesh
        assert mesh_a is not None
        mesh_a._published.clear()
        mesh_a._present.clear()
        await mesh_a.stop()

        def offline() -> bool:
            row = next(c for c in hub_b.snapshot("dr-a")["cabins"] if c["cabin_id"] == CABIN_ID)
            return not row["online"] and row["devices"] == {}

        await until(offline, "B shows the dead instance's cabin offline", timeout=10)
        await ws.close()
