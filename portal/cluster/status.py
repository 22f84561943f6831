"""Every cabin's reported state on every instance: what the mesh shares of the heartbeats.

The instance holding a cabin's socket publishes the cabin's state (:class:`CabinState`:
instruments, version, printer, papers held, the last heartbeat's time) when it *changes*,
in the mesh's push round, after the cabin's presence; the heartbeats' times are refreshed
with the presences, all the instance's cabins in one small write per beat, never one write
per heartbeat. The other instances read the states and the times in their pull round, each
only when the backend's version of it moved (one call each, most rounds answering
"unchanged"), so a doctor's snapshot costs no round trip. A state counts only while its
cabin is present on the instance that wrote it: a cabin that leaves has its state withdrawn,
one whose instance died expires with its presence, and the doctors see it offline, not a
stale "all fine".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from portal.cluster.base import CABIN
from portal.cluster.cabin_state import STARTED_JITTER_S, CabinState

if TYPE_CHECKING:
    from portal.cluster.mesh import Mesh
    from portal.presence import CabinPresence

#: Beats a reader may lag behind a cabin's heartbeat: the holder refreshes its time once a
#: beat and the reader reads once a beat, so a remote cabin is stale this much later.
MIRROR_LAG_BEATS = 2


class StateMirror:
    """The mesh's part for the cabins' states (see the module docstring)."""

    def __init__(self, mesh: Mesh) -> None:
        self.mesh = mesh
        #: The other instances' cabins' states as last read (maybe not present any more).
        self.remote: dict[str, CabinState] = {}
        #: Every cabin's last heartbeat (wall clock) as last read: refreshed once a beat.
        self.beats: dict[str, float] = {}
        self._version = self._beats_version = -1
        #: This instance's cabins' states as last written, and what they were made of.
        self._published: dict[str, CabinState] = {}
        self._made_of: dict[str, tuple[Any, ...]] = {}

    # -- this instance's cabins ----------------------------------------------------------

    def _heard(self, cabin: CabinPresence) -> float:
        """The cabin's last heartbeat on the wall clock."""
        hub = self.mesh.hub
        return round(hub.wall() - (hub.clock() - cabin.last_heartbeat), 1)

    @staticmethod
    def _parts(cabin: CabinPresence) -> tuple[Any, ...]:
        return (cabin.devices, cabin.version, cabin.printer, cabin.printer_detail,
                cabin.papers_held, cabin.papers_since, cabin.reprint)  # fmt: skip

    def state(self, cabin: CabinPresence) -> CabinState:
        heard = self._heard(cabin)
        started = None if cabin.uptime_s is None else round(heard - cabin.uptime_s, 1)
        return CabinState(
            cabin.cabin_id, dict(cabin.devices), cabin.version, started, cabin.printer,
            cabin.printer_detail, cabin.papers_held, cabin.papers_since, cabin.reprint,
            heard, self.mesh.instance,
        )  # fmt: skip

    def _unchanged(self, cabin: CabinPresence, old: CabinState | None) -> bool:
        """Cheap: whether the cabin says what was written (most heartbeats do)."""
        if old is None or self._made_of.get(cabin.cabin_id) != self._parts(cabin):
            return False
        if cabin.uptime_s is None or old.started_at is None:
            return cabin.uptime_s is None and old.started_at is None
        started = self._heard(cabin) - cabin.uptime_s
        return abs(started - old.started_at) <= STARTED_JITTER_S

    async def push(self, here: set[tuple[str, str]]) -> bool:
        """Write the states of this instance's cabins that changed, withdraw those of the
        cabins gone (after their presence: a reader never drops a fresh state); whether
        anything was written."""
        hub, cluster = self.mesh.hub, self.mesh.cluster
        changed = []
        for kind, cabin_id in here:
            cabin = hub.cabins.get(cabin_id)
            if kind != CABIN or cabin is None:
                continue
            if cabin.reprint:
                hub._papers(cabin)  # a reprint's word is news for a while only
            old = self._published.get(cabin_id)
            if self._unchanged(cabin, old):
                continue
            state = self.state(cabin)
            self._made_of[cabin_id] = self._parts(cabin)
            if not state.same(old):
                changed.append(state)
        if changed:
            await cluster.states_put(changed)
            self._published.update((s.cabin_id, s) for s in changed)
        gone = [c for c in self._published if (CABIN, c) not in here]
        for cabin_id in gone:
            await cluster.state_drop(cabin_id)
            del self._published[cabin_id]
            self._made_of.pop(cabin_id, None)
        return bool(changed or gone)

    async def renew(self) -> None:
        """Once a beat: the heartbeats' times of this instance's cabins, in one write; the
        states the backend lost (a Redis that restarted empty) are written again at once."""
        cabins, times = self.mesh.hub.cabins, {}
        for cabin_id in self._published:
            cabin = cabins.get(cabin_id)
            if cabin is not None and cabin.peer is not None:
                times[cabin_id] = self._heard(cabin)
        if not times:
            return
        lost = await self.mesh.cluster.beat(times)
        for cabin_id in lost:
            del self._published[cabin_id]
            self._made_of.pop(cabin_id, None)
        if lost:
            await self.mesh.cluster.states_put([self.state(cabins[c]) for c in lost])
            self._published.update((c, self.state(cabins[c])) for c in lost)

    def clear(self) -> None:
        """The backend was out of reach: everything is written again when it is back."""
        self._published.clear()
        self._made_of.clear()
        self._version = self._beats_version = -1

    # -- the other instances' cabins -----------------------------------------------------

    async def pull(self) -> None:
        """The other instances' states and heartbeats, each read only when they changed."""
        cluster = self.mesh.cluster
        version, states = await cluster.states(self._version)
        if states is not None:
            mine = self.mesh.instance
            self.remote = {c: s for c, s in states.items() if s.instance != mine}
        self._version = version
        self._beats_version, beats = await cluster.beats(self._beats_version)
        if beats is not None:
            self.beats = beats

    def _live(self, cabin_id: str) -> CabinState | None:
        """The cabin's state if its writer still holds the cabin (else it is not news)."""
        state = self.remote.get(cabin_id)
        if state is None or self.mesh.remote_cabins.get(cabin_id) != state.instance:
            return None
        return state

    def _heard_last(self, state: CabinState) -> float:
        return max(state.heartbeat_at, self.beats.get(state.cabin_id, 0.0))

    def _online(self, state: CabinState | None) -> tuple[bool, float | None]:
        """Online (as the hub judges a local cabin: heard lately), and since when heard."""
        if state is None:  # present elsewhere, its state not read yet
            return True, None
        beat = self.mesh.hub.cfg.server.heartbeat_s
        age = max(0.0, self.mesh.hub.wall() - self._heard_last(state))
        return age <= (3 + MIRROR_LAG_BEATS) * beat, round(age, 1)

    def _staff_call(self, cabin_id: str) -> dict[str, Any] | None:
        call = self.mesh.staff.get(cabin_id)
        if call is None:
            return None
        return {"since_s": round(self.mesh.hub.wall() - call[0], 1), "coming": call[1]}

    def overlay(self, rows: list[dict[str, Any]]) -> None:
        """``Hub.snapshot``'s cabins: a cabin on another instance shown as a local one."""
        for row in rows:
            cabin_id = row["cabin_id"]
            if self.mesh.local(cabin_id):
                continue
            state = self._live(cabin_id)
            online, age = self._online(state)
            row.update(online=online, heartbeat_age_s=age, staff_call=self._staff_call(cabin_id))
            if state is not None:
                row.update(
                    devices=dict(state.devices), version=state.version,
                    uptime_s=state.uptime_at(self._heard_last(state)),
                    printer=state.printer, printer_detail=state.printer_detail,
                )  # fmt: skip

    def status(self, cabin_id: str) -> dict[str, Any]:
        """``Hub.cabin_status`` of a cabin on another instance (the staff page)."""
        state = self._live(cabin_id)
        return {
            "online": self._online(state)[0],
            "printer": state.printer if state else "",
            "printer_detail": state.printer_detail if state else "",
            "staff_call": self._staff_call(cabin_id),
            "papers": state.papers() if state else None,
        }

    async def reprint(self, cabin_id: str) -> bool:
        """The staff's "Reprint now", sent to the cabin's instance (only the command)."""
        if self.mesh.local(cabin_id):
            return await self.mesh.hub.reprint(cabin_id)
        home = self.mesh.remote_cabins[cabin_id]
        return await self.mesh.post(home, {"op": "reprint", "cabin": cabin_id})
