"""The hub's side of a shared backend: several instances acting as one portal.

Each cabin's socket is held by one instance, its *home*: the cabin's patient lives in that
instance's :class:`~portal.hub.Hub` and is mirrored into the shared waiting room (with the
cabin's presence) at each change and each heartbeat, so a Redis that restarted empty is
filled again within one heartbeat. A doctor on another instance sees it in the merged
waiting room; their ``take``, ``answer`` and ``hangup`` for it are forwarded to the cabin's
home and handled there by the same relay code, with a :class:`RemotePeer` standing for the
doctor's socket (its answers travel back). A cabin's messages for its doctor reach every
instance where that doctor is present. A message for an instance that died is refused by
the backend (its presence expired) and the sender is told; a Redis that does not answer
makes the mesh *unavailable* (``/api/health`` says 503) while the instance keeps its own
state and republishes it when Redis is back.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any

from portal import auth, security
from portal.cluster.base import CABIN, DOCTOR, INSTANCE, Cluster, ClusterUnavailable, RoomEntry
from portal.cluster.base import queue_order as order
from portal.cluster.pace import Paced
from portal.cluster.status import StateMirror
from portal.cluster.throttle import SharedThrottle
from portal.cluster.windows import PREFIX as BOOKING
from portal.cluster.windows import SharedWindow
from protocol import ErrorCode, ProtocolError

if TYPE_CHECKING:
    from portal.hub import Hub
    from portal.presence import Patient, Peer

log = security.escaped_logger(__name__)

#: A blocking read of the backend lasts at most this long (seconds).
BLOCK_S = 1.0
#: The least time between two rounds of the shared room in a burst (:mod:`.pace`).
PACE_S = 0.2

#: A doctor's message handled on this instance (refusals answered to the peer).
DoctorHandler = Callable[["Peer", dict[str, Any]], Awaitable[None]]


class _NoSocket:
    closed = False

    async def close(self, **_: Any) -> None:
        return None


class RemotePeer:
    """A doctor's socket held by another instance: what is sent to it travels there."""

    def __init__(self, mesh: Mesh, instance: str, ident: str, sock: str) -> None:
        self.mesh, self.instance, self.ident, self.sock = mesh, instance, ident, sock
        self.kind = "doctor"
        self.ws = _NoSocket()
        #: Never forwarded again: its message came from another instance.
        self.remote = True

    async def send(self, msg_type: str, **fields: Any) -> None:
        message = {"op": "to_sock", "sock": self.sock, "type": msg_type, "fields": fields,
                   "from": self.mesh.instance}  # fmt: skip
        if not await self.mesh.post(self.instance, message):
            log.info("doctor %s: %s not sent, their instance is gone", self.ident, msg_type)

    async def refuse(self, exc: ProtocolError) -> None:
        from portal.presence import Peer  # the same refusal as a local socket's

        await Peer.refuse(self, exc)  # type: ignore[arg-type]


class Mesh:
    """This instance's part in a shared portal (see the module docstring)."""

    def __init__(
        self, hub: Hub, cluster: Cluster, *, on_doctor: DoctorHandler, ttl_s: float = 0.0
    ) -> None:
        self.hub = hub
        self.cluster = cluster
        self.on_doctor = on_doctor
        self.ttl_s = ttl_s or 3 * hub.cfg.server.heartbeat_s
        #: Other instances' patients (their cabins present), in the room's order.
        self.remote: list[RoomEntry] = []
        #: Cabins held by other instances: cabin -> instance.
        self.remote_cabins: dict[str, str] = {}
        #: Doctors logged in anywhere, and where: doctor -> instances.
        self.on_duty: dict[str, set[str]] = {}
        self.available = True
        self._published: dict[str, RoomEntry] = {}
        self._since: dict[tuple[str, str], float] = {}
        #: The whole shared room as last read, by cabin (a cabin moving here keeps its place).
        self._seen: dict[str, RoomEntry] = {}
        self._present: set[tuple[str, str]] = set()
        self._socks: dict[str, Peer] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._pending: set[asyncio.Task[None]] = set()
        self._stopped = False
        #: Open staff calls of the whole portal (cabin -> since, wall clock; who is coming),
        #: and those of this instance's cabins as last published.
        self.staff: dict[str, tuple[float, str]] = {}
        self._staff_published: dict[str, tuple[float, str]] = {}
        #: The login throttle, told of the limits the other instances see reached.
        self.throttle: SharedThrottle | None = None
        #: The booking site's limits, told of the limits the other instances see reached.
        self.windows: list[SharedWindow] = []
        #: Calls taken from here for a cabin elsewhere: call id -> the cabin's instance.
        self._routes: dict[str, str] = {}
        self._publishing = Paced(self._publish_round, gap_s=PACE_S)
        self._refreshing = Paced(self._refresh_round, gap_s=PACE_S)
        #: Every cabin's reported state (devices, printer...) on every instance.
        self.states = StateMirror(self)

    @property
    def instance(self) -> str:
        return self.cluster.instance

    # -- life --------------------------------------------------------------------------

    async def start(self) -> None:
        await self.cluster.present(INSTANCE, self.instance, self.ttl_s)
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self._listen(), name="mesh-listen"),
            loop.create_task(self._beat(), name="mesh-beat"),
        ]

    async def stop(self) -> None:
        """This instance's patients and peers withdrawn, the backend closed."""
        self._stopped = True
        for task in [*self._tasks, *self._pending]:
            task.cancel()
        with contextlib.suppress(ClusterUnavailable):
            for cabin_id, entry in list(self._published.items()):  # may change meanwhile
                await self.cluster.room_drop(cabin_id, entry.session_id)
            for kind, ident in self._present:
                await self.cluster.absent(kind, ident)
        await self.cluster.close()
        tasks = [*self._tasks, *self._pending]
        if tasks:  # a blocking read ends within its block time once the client closed
            await asyncio.wait(tasks, timeout=2 * BLOCK_S)

    async def _beat(self) -> None:
        """Each heartbeat: this instance and its peers are still here, all republished."""
        while True:
            await asyncio.sleep(self.hub.cfg.server.heartbeat_s)
            try:
                await self._renew()
                await self.publish()
            except Exception as exc:  # one failed beat never ends the loop
                self._down(exc)

    async def _renew(self) -> None:
        """Presences renewed, and what this instance published written again (a Redis
        that restarted empty has it all back within one heartbeat)."""
        await self.cluster.present(INSTANCE, self.instance, self.ttl_s)
        for kind in (CABIN, DOCTOR):  # one round trip per kind, not one per cabin
            idents = [ident for k, ident in self._present if k == kind]
            await self.cluster.present_many(kind, idents, self.ttl_s)
        for entry in self._published.values():
            await self.cluster.room_put(entry)
        for cabin_id, (since, by) in self._staff_published.items():
            await self.cluster.staff_call(cabin_id, since)
            if by:
                await self.cluster.staff_coming(cabin_id, by)
        await self.states.renew()

    def _down(self, exc: Exception) -> None:
        if self.available and not self._stopped:
            log.error("shared state unavailable (%s): serving this instance's own state",
                      type(exc).__name__)  # fmt: skip
        self.available = False
        self._published.clear()  # all republished when it is back
        self._present.clear()
        self._staff_published.clear()
        self.states.clear()

    # -- the shared room ---------------------------------------------------------------

    def entry(self, patient: Patient) -> RoomEntry:
        key = (patient.cabin_id, patient.session_id)
        since = self._since.get(key)
        if since is None:
            seen = self._seen.get(patient.cabin_id)
            if seen is not None and seen.session_id == patient.session_id:
                since = seen.since  # moved here from another instance: keeps its place
            else:  # the hub's clock is its own: arrival on the wall clock
                since = self.hub.wall() - (self.hub.clock() - patient.since)
            self._since[key] = since
        return RoomEntry(
            patient.cabin_id, patient.session_id, since, patient.slot_start, patient.slot_label,
            patient.taken_by, patient.call_id, self.instance,
            patient.doctor_id, patient.nurse_name, patient.nurse_profession,
        )  # fmt: skip

    async def sync(self) -> bool:
        """Publish this instance's changes, read the others'; whether anything of ours
        changed (the others are then told). Redis down: False, and the hub goes on."""
        try:
            await self._pull()  # first: a cabin that moved here keeps its place
            changed = await self._push()
        except ClusterUnavailable as exc:
            self._down(exc)
            return False
        if not self.available:
            log.info("shared state available again")
            self.available = True
        return changed

    async def _push(self) -> bool:
        hub, changed = self.hub, False
        here = {(CABIN, c) for c, cabin in hub.cabins.items() if cabin.peer is not None}
        # only the patients of the cabins connected here: a cabin that went to another
        # instance is published by that one
        entries = {
            p.cabin_id: self.entry(p) for p in hub.patients.values() if (CABIN, p.cabin_id) in here
        }
        for cabin_id, entry in entries.items():
            if self._published.get(cabin_id) != entry:
                await self.cluster.room_put(entry)
                self._published[cabin_id] = entry
                changed = True
        for cabin_id in [c for c in self._published if c not in entries]:
            old = self._published.pop(cabin_id)
            changed = True
            kept = hub.patients.get(cabin_id)
            if kept is None or kept.session_id != old.session_id:  # the patient left
                await self.cluster.room_drop(cabin_id, old.session_id)
        self._since = {k: v for k, v in self._since.items() if k[0] in hub.patients}
        changed = await self._push_staff(here) or changed
        here |= {(DOCTOR, f"{d.ident}@{self.instance}") for d in hub.doctors}
        new = here - self._present
        for kind, ident in new:
            elsewhere = self.remote_cabins.get(ident) if kind == CABIN else None
            if elsewhere:  # a new connection replaces the old one, on any instance
                await self.post(elsewhere, {"op": "replaced", "cabin": ident})
        for kind in (CABIN, DOCTOR):  # (a burst of cabins back: one round trip)
            await self.cluster.present_many(kind, [i for k, i in new if k == kind], self.ttl_s)
        changed = changed or bool(new)
        for kind, ident in self._present - here:
            await self.cluster.absent(kind, ident)
            changed = True
        changed = await self.states.push(here) or changed  # (after the presences)
        self._present = here
        return changed

    async def _push_staff(self, here: set[tuple[str, str]]) -> bool:
        hub, calls = self.hub, {}
        for cabin_id, cabin in hub.cabins.items():
            if (CABIN, cabin_id) in here and cabin.staff_called_at is not None:
                since = hub.wall() - (hub.clock() - cabin.staff_called_at)
                calls[cabin_id] = (round(since, 1), cabin.staff_coming_by)
        changed = False
        for cabin_id, (since, by) in calls.items():
            if self._staff_published.get(cabin_id) != (since, by):
                await self.cluster.staff_call(cabin_id, since)
                if by:
                    await self.cluster.staff_coming(cabin_id, by)
                changed = True
        for cabin_id in [c for c in self._staff_published if c not in calls]:
            gone = hub.cabins.get(cabin_id)
            if gone is None or gone.staff_called_at is None:  # ended (not moved away)
                await self.cluster.staff_end(cabin_id)
            changed = True
        self._staff_published = calls
        return changed

    async def _pull(self) -> None:
        cabins = await self.cluster.presence(CABIN)
        self.remote_cabins = {c: i for c, i in cabins.items() if i != self.instance}
        room = await self.cluster.room()
        self._seen = {e.cabin_id: e for e in room}
        self.remote = [
            e for e in room
            if e.instance != self.instance and self.remote_cabins.get(e.cabin_id) == e.instance
        ]  # fmt: skip
        self.staff = await self.cluster.staff_calls()
        on_duty: dict[str, set[str]] = {}
        for ident, instance in (await self.cluster.presence(DOCTOR)).items():
            on_duty.setdefault(ident.rpartition("@")[0], set()).add(instance)
        self.on_duty = on_duty
        await self.states.pull()

    async def publish(self) -> None:
        """Sync; on a change here, the other instances' doctors and cabins hear of it
        (paced: the changes made while a round runs go in the next one). The rounds run in a
        task of their own: the caller (a cabin's check-in, a doctor's take) goes on at once,
        and the cabin's next message (its call's offer) is not held up by a round's wait."""
        self._soon(self._publishing())

    async def _publish_round(self) -> None:
        if not self._stopped and await self.sync():
            await self.notify()

    async def _refresh_round(self) -> None:
        """Another instance's room changed: read it, tell the doctors and cabins here."""
        try:
            await self._pull()
        except ClusterUnavailable as exc:
            self._down(exc)
        await self.hub.broadcast(local=True)

    async def notify(self, message: dict[str, Any] | None = None) -> None:
        """Every other instance gets ``message`` (by default: the room changed)."""
        try:
            instances = await self.cluster.presence(INSTANCE)
        except ClusterUnavailable as exc:
            self._down(exc)
            return
        for instance in instances:
            if instance != self.instance:
                await self.post(instance, message or {"op": "room"})

    async def limit_reached(self, key: str, count: int) -> None:
        """A login throttle's limit reached here: refused on every instance from now on."""
        await self.notify({"op": "throttle", "key": key, "count": count})

    async def post(self, instance: str, message: dict[str, Any]) -> bool:
        try:
            return await self.cluster.send(instance, message)
        except ClusterUnavailable as exc:
            self._down(exc)
            return False

    # -- what the hub asks -------------------------------------------------------------

    def queue(self, waiting: list[Patient], busy: int) -> tuple[list[Any], int, int]:
        """The whole portal's waiting line (others' patients hold places too), how many
        are in a call, how many doctors are on duty."""
        line: list[Any] = [*waiting, *(e for e in self.remote if not e.taken_by)]
        line.sort(key=lambda p: order(p if isinstance(p, RoomEntry) else self.entry(p)))
        busy += sum(1 for e in self.remote if e.taken_by)
        return line, busy, len(self.on_duty | {d.ident: set() for d in self.hub.doctors})

    async def to_doctor(self, doctor_id: str, msg_type: str, fields: dict[str, Any]) -> None:
        message = {"op": "to_doctor", "doctor": doctor_id, "type": msg_type, "fields": fields,
                   "from": self.instance}  # fmt: skip
        for instance in self.on_duty.get(doctor_id, set()) - {self.instance}:
            await self.post(instance, message)

    async def forward(self, peer: Peer, msg: dict[str, Any]) -> bool:
        """A doctor's message for a patient whose cabin another instance holds: sent there
        (True). False: the hub handles it here. The cabin's instance gone: the room is read
        again (the cabin may be back elsewhere), else the doctor is told."""
        if getattr(peer, "remote", False) or msg["type"] not in ("take", "answer", "hangup"):
            return False
        sock = f"{id(peer):x}"
        message = {"op": "doctor", "from": self.instance, "sock": sock, "doctor": peer.ident,
                   "msg": msg}  # fmt: skip
        tried = ""
        for _ in range(2):
            home = self._home(msg)
            if not home:
                return False
            if home != tried:
                self._socks[sock] = peer
                if await self.post(home, message):
                    return True
                tried = home
            with contextlib.suppress(ClusterUnavailable):
                await self._pull()
        raise ProtocolError(ErrorCode.NOT_FOUND, "the cabin's portal is gone", ref=msg["type"])

    def _home(self, msg: dict[str, Any]) -> str:
        """The instance holding the cabin a doctor's message is for; "" when it is here."""
        patients = self.hub.patients.values()
        if msg["type"] == "take":
            if any(p.session_id == msg["session_id"] for p in patients):
                return ""
            return next((e.instance for e in self.remote if e.session_id == msg["session_id"]), "")
        call_id = msg["call_id"]
        if any(p.call_id and auth.same_secret(call_id, p.call_id) for p in patients):
            return ""
        # where the room says the call's cabin is now (it may have moved: an instance died);
        # else where the take was answered from, the room not yet read
        return next(
            (e.instance for e in self.remote if e.call_id and auth.same_secret(call_id, e.call_id)),
            next((i for c, i in self._routes.items() if auth.same_secret(call_id, c)), ""),
        )

    async def claim(self, patient: Patient, doctor_id: str, call_id: str) -> bool:
        """The patient's call for ``doctor_id`` (atomic across instances): False when another
        doctor holds it. Redis down: this instance, which holds the cabin, decides alone."""
        if patient.call_id:  # the old call (same doctor again, or past its grace) is stale
            await self.release(patient.cabin_id, patient.call_id)
        try:
            held = await self.cluster.claim(
                patient.cabin_id, patient.session_id, doctor_id, call_id
            )
        except ClusterUnavailable as exc:
            self._down(exc)
            return True
        return held == doctor_id

    async def release(self, cabin_id: str, call_id: str) -> None:
        try:
            await self.cluster.release(cabin_id, call_id)
        except ClusterUnavailable as exc:
            self._down(exc)

    def local(self, cabin_id: str) -> bool:
        """Whether the cabin's socket is here (else another instance's, or nobody's)."""
        cabin = self.hub.cabins.get(cabin_id)
        return (cabin is not None and cabin.peer is not None) or cabin_id not in self.remote_cabins

    def cabin_status(self, cabin_id: str) -> dict[str, Any]:
        """The staff page's view of a cabin, wherever its socket is."""
        if self.local(cabin_id):
            return self.hub.cabin_status(cabin_id)
        return self.states.status(cabin_id)

    async def staff_coming(self, cabin_id: str, by: str) -> bool:
        """The staff's answer to a cabin's call, sent to the cabin's instance."""
        if self.local(cabin_id):
            return await self.hub.staff_coming(cabin_id, by)
        message = {"op": "staff_coming", "cabin": cabin_id, "by": by}
        return cabin_id in self.staff and await self.post(self.remote_cabins[cabin_id], message)

    def doctor_left(self, peer: Peer) -> None:
        self._socks.pop(f"{id(peer):x}", None)
        self._soon(self._publishing())

    def _soon(self, work: Coroutine[Any, Any, None]) -> None:
        """``work`` in a task of its own, cancelled when the instance stops."""
        if self._stopped:
            work.close()
            return
        task = asyncio.get_running_loop().create_task(work)
        self._pending.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._pending.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            log.error("mesh: a round failed: %s", type(exc).__name__)

    # -- what the others say -----------------------------------------------------------

    async def _listen(self) -> None:
        while not self._stopped:
            try:
                async for message in self.cluster.listen():
                    try:
                        await self._handle(message)
                    except Exception as exc:  # one message never ends the listening
                        log.error("mesh: %s message failed: %s", message.get("op"),
                                  type(exc).__name__)  # fmt: skip
            except ClusterUnavailable as exc:
                self._down(exc)
                await asyncio.sleep(BLOCK_S)

    async def _handle(self, message: dict[str, Any]) -> None:
        op = message.get("op")
        if message.get("type") == "taken":  # where this call's cabin is, before the room says
            self._routes[message["fields"]["call_id"]] = message["from"]
            while len(self._routes) > 1000:
                self._routes.pop(next(iter(self._routes)))
        if op == "room":  # paced, and off this loop: the calls' messages are not held up
            self._soon(self._refreshing())
        elif op == "replaced":
            cabin = self.hub.cabins.get(str(message["cabin"]))
            if cabin is not None and cabin.peer is not None and not cabin.peer.ws.closed:
                log.info("cabin %s: a connection on another instance replaces this one",
                         message["cabin"])  # fmt: skip
                await cabin.peer.ws.close(code=4000, message=b"replaced")
        elif op == "staff_coming":
            await self.hub.staff_coming(str(message["cabin"]), str(message["by"]))
        elif op == "reprint":  # the staff's "Reprint now" for a cabin held here
            await self.hub.reprint(str(message["cabin"]))
        elif op == "throttle":  # a login's or a booking's limit reached on another instance
            key, count = str(message["key"]), int(message["count"])
            if key.startswith(BOOKING):
                for window in self.windows:
                    window.learn(key, count)
            elif self.throttle is not None:
                self.throttle.learn(key, count)
        elif op == "to_doctor":
            for doctor in list(self.hub.doctors):
                if doctor.ident == message["doctor"]:
                    await doctor.send(message["type"], **message["fields"])
        elif op == "to_sock":
            peer = self._socks.get(message["sock"])
            if peer is not None:
                await peer.send(message["type"], **message["fields"])
        elif op == "doctor":
            remote = RemotePeer(self, message["from"], message["doctor"], message["sock"])
            await self.on_doctor(remote, message["msg"])  # type: ignore[arg-type]
