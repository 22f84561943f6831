"""The portal's live state: each cabin's presence, the waiting room, the doctors' sockets.

What a cabin says of itself lands here; the call's own messages pass through
:mod:`portal.relay`. One hub per instance; several share theirs through :mod:`portal.cluster`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from portal import auth, direct, room_view, security
from portal.appointments.service import Appointments
from portal.cluster.base import queue_order
from portal.cluster.mesh import Mesh
from portal.config import PortalConfig
from portal.hours import is_open
from portal.presence import CabinPresence, Patient, Peer
from portal.room_round import Round
from protocol import ErrorCode, ProtocolError

log = security.escaped_logger(__name__)

#: How long the staff page keeps saying how the last reprint went, once nothing is waiting.
REPRINT_SHOWN_S = 300.0
#: How long a reprint command may go unanswered before the staff may send it again.
REPRINT_ANSWER_S = 120.0


class Hub:
    """The portal's live state: cabins, doctors' sockets, the waiting room, current calls."""

    def __init__(
        self,
        cfg: PortalConfig,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ):
        self.cfg = cfg
        self.clock = clock
        #: The time of day (epoch seconds), for the cabins' opening hours.
        self.wall = wall
        self.cabins: dict[str, CabinPresence] = {}
        self.doctors: set[Peer] = set()
        self.patients: dict[str, Patient] = {}  # by cabin id: one patient per cabin
        #: Set when the portal has appointments (its database is open).
        self.appointments: Appointments | None = None
        #: Calls a doctor ended while their cabin was offline (call id -> session id): the
        #: cabin is told when it comes back, and its patient does not return to the room.
        self.ended_offline: dict[str, str] = {}
        #: Call ids bound to their doctor (under the session key), known after a restart.
        self.call_ids = auth.CallIds(cfg.server.session_secret.encode())
        #: The waiting cabins told of a doctor who left (a task each, until done).
        self._telling: set[asyncio.Task[None]] = set()
        self._changed = False  # a change since the round under way began
        self._rounds: asyncio.Task[None] | None = None  # the rounds under way
        #: With ``[cluster] redis_url``: this instance's part in the shared portal.
        self.mesh: Mesh | None = None

    # -- views ---------------------------------------------------------------------------

    def counts(self) -> room_view.Counts:
        """Every cabin the portal knows (configured, connected here or elsewhere), and how
        many are online."""
        now, stale_after = self.clock(), 3 * self.cfg.server.heartbeat_s
        remote = set(self.mesh.remote_cabins) if self.mesh is not None else set()
        here = {c for c, cabin in self.cabins.items() if self.online(cabin, now, stale_after)}
        ids = frozenset(self.cfg.cabins.keys() | self.cabins.keys() | remote)
        calling = frozenset(c for c, cab in self.cabins.items() if cab.staff_called_at is not None)
        return room_view.Counts(ids, len(here | remote), calling)

    def snapshot(self, doctor_id: str) -> dict[str, Any]:
        """A doctor's waiting room (a broadcast round builds it for every doctor at once)."""
        return Round(self).view(doctor_id)

    @staticmethod
    def staff_call_shown(cabin: CabinPresence | None, now: float) -> dict[str, Any] | None:
        if cabin is None or cabin.staff_called_at is None:
            return None
        return {"since_s": round(now - cabin.staff_called_at, 1), "coming": cabin.staff_coming_by}

    def cabin_status(self, cabin_id: str) -> dict[str, Any]:
        """A cabin as the staff page shows it: online, printer, and its staff call if any."""
        now = self.clock()
        cabin = self.cabins.get(cabin_id)
        return {
            "online": self.online(cabin, now, 3 * self.cfg.server.heartbeat_s),
            "printer": cabin.printer if cabin else "",
            "printer_detail": cabin.printer_detail if cabin else "",
            "staff_call": self.staff_call_shown(cabin, now),
            "papers": self._papers(cabin),
        }

    def _papers(self, cabin: CabinPresence | None) -> dict[str, Any] | None:
        if cabin is None:
            return None
        age = self.clock() - cabin.reprint_at
        if (not cabin.papers_held and age > REPRINT_SHOWN_S) or (
            cabin.reprint == "sent" and age > REPRINT_ANSWER_S
        ):
            # "printed" was news for a while, not for the rest of the day; a cabin that never
            # answered the command: the staff may ask again
            cabin.reprint = ""
        if not (cabin.papers_held or cabin.reprint):
            return None
        return {"count": cabin.papers_held, "since": cabin.papers_since, "reprint": cabin.reprint}

    async def reprint(self, cabin_id: str) -> bool:
        """The staff's "Reprint now": the cabin is told to print its held papers (only the
        command goes; the papers never leave the cabin). False when it is offline."""
        cabin = self.cabins.get(cabin_id)
        if cabin is None or cabin.peer is None:
            return False
        cabin.reprint, cabin.reprint_at = "sent", self.clock()
        log.info("cabin %s: reprint asked by the staff", cabin_id)
        await cabin.peer.send("reprint")
        return True

    async def reprint_result(self, peer: Peer, msg: dict[str, Any]) -> None:
        cabin = self.cabins[peer.ident]
        state = msg["state"]
        cabin.reprint = f"failed: {msg.get('detail', '')}"[:128] if state == "failed" else state
        cabin.reprint_at = self.clock()
        if state != "failed":
            cabin.papers_held, cabin.papers_since = 0, ""
        log.info("cabin %s: reprint %s", peer.ident, state)

    async def staff_coming(self, cabin_id: str, by: str) -> bool:
        """Someone on site answers the cabin's staff call; the patient is told. False when
        there is no call to answer (or the cabin is offline: it is told when it is back)."""
        cabin = self.cabins.get(cabin_id)
        if cabin is None or cabin.staff_called_at is None:
            return False
        cabin.staff_coming_by = by[:64] or "?"
        log.info("cabin %s: staff call answered", cabin_id)
        await self.broadcast()
        if cabin.peer is None:
            return False
        await cabin.peer.send("staff_answer", state="coming", by=cabin.staff_coming_by)
        return True

    @staticmethod
    def online(cabin: CabinPresence | None, now: float, stale_after: float) -> bool:
        return bool(cabin and cabin.peer and now - cabin.last_heartbeat <= stale_after)

    async def broadcast(self, *, local: bool = False) -> None:
        """Every doctor's room and every waiting cabin's place, in rounds of their own: the
        caller goes on at once (a cabin's next message, its call's offer, is not held up by a
        round to 200 doctors), and changes made meanwhile go in one more round (a thousand
        cabins joining make a few rounds, not a thousand)."""
        if self.mesh is not None and not local:  # the other instances hear of a change
            await self.mesh.publish()
        self._changed = True
        if self._rounds is None or self._rounds.done():
            self._rounds = asyncio.create_task(self._round_until_settled(), name="room-rounds")

    async def settled(self) -> None:
        """Until the rounds under way are over (what a round sent can then be read)."""
        while self._rounds is not None and not self._rounds.done():
            await asyncio.wait([self._rounds])

    async def stop_rounds(self) -> None:
        if self._rounds is not None:
            self._rounds.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._rounds

    async def _round_until_settled(self) -> None:
        while self._changed:
            self._changed = False
            try:
                rooms = Round(self)  # the rows built once for the round, not once per doctor
                for n, doctor in enumerate(list(self.doctors), start=1):
                    await doctor.send_encoded("waiting_room", rooms.encoded(doctor.ident))
                    if n % 16 == 0:  # the calls' messages are not held up by a long round
                        await asyncio.sleep(0)
                await self._tell_queue()
            except Exception as exc:  # one failed round never stops the next ones
                log.error("waiting room round failed: %s", type(exc).__name__)

    async def _tell_queue(self) -> None:
        """Each waiting patient's cabin learns its place (booked first) and the expected wait."""
        now = self.clock()
        stale_after = 3 * self.cfg.server.heartbeat_s
        grace = self.cfg.limits.reclaim_grace_s
        waiting = sorted(
            (
                p
                for p in self.patients.values()
                if not p.busy(now, grace)
                and self.online(self.cabins.get(p.cabin_id), now, stale_after)
            ),
            key=queue_order,
        )
        busy = sum(1 for p in self.patients.values() if p.busy(now, grace))
        on_duty = len({d.ident for d in self.doctors})
        if self.mesh is not None:  # the whole portal's line and doctors
            waiting, busy, on_duty = self.mesh.queue(waiting, busy)
        doctors = max(1, on_duty)
        site = self.cfg.appointments.booking_site
        # a patient a nurse addressed to one doctor waits in that doctor's own line: they hold
        # no place in the general one (and the general line none in theirs)
        lines: dict[str, list[Any]] = {}
        for patient in waiting:
            lines.setdefault(patient.doctor_id, []).append(patient)
        for doctor_id, line in lines.items():
            # the general line: everyone before, plus the calls under way, shared by the
            # doctors; one doctor's: who waits for them before, plus their call under way
            pace = self.cfg.server.consultation_s / (1 if doctor_id else doctors)
            before = int(direct.doctor_state(self, doctor_id) == "busy") if doctor_id else busy
            for index, patient in enumerate(line):
                await self._tell_place(
                    patient, index + 1, round((index + before) * pace), on_duty, site
                )

    async def _tell_place(
        self, patient: Any, position: int, estimate: int, on_duty: int, site: str
    ) -> None:
        cabin = self.cabins.get(patient.cabin_id)
        if cabin is None or cabin.peer is None:
            return
        hours = self.cfg.hours.get(patient.cabin_id)
        # With no doctor on duty or out of hours, the cabin apologises at once.
        extra: dict[str, Any] = {"doctors": on_duty, **direct.queue_fields(self, patient)}
        if hours is not None:
            extra["open"] = is_open(hours, self.wall())
        if site:
            extra["booking_site"] = site
        await cabin.peer.send(
            "queue", session_id=patient.session_id, position=position, estimate_s=estimate,
            **extra,
        )  # fmt: skip

    async def to_doctor(self, doctor_id: str, msg_type: str, **fields: Any) -> None:
        """Send to every socket of one doctor (a doctor may have the page open twice)."""
        for doctor in list(self.doctors):
            if doctor.ident == doctor_id:
                await doctor.send(msg_type, **fields)
        if self.mesh is not None:
            await self.mesh.to_doctor(doctor_id, msg_type, fields)

    # -- cabins --------------------------------------------------------------------------

    async def cabin_joined(self, peer: Peer) -> None:
        cabin = self.cabins.setdefault(peer.ident, CabinPresence(peer.ident))
        old, cabin.peer = cabin.peer, peer
        cabin.last_heartbeat = self.clock()
        if old is not None and not old.ws.closed:
            log.info("cabin %s: a new connection replaces the old one", peer.ident)
            await old.ws.close(code=4000, message=b"replaced")
        await self.broadcast()

    async def cabin_left(self, peer: Peer) -> None:
        cabin = self.cabins.get(peer.ident)
        if cabin is not None and cabin.peer is peer:
            cabin.peer = None
            await self.broadcast()

    async def heartbeat(self, peer: Peer, msg: dict[str, Any]) -> None:
        cabin = self.cabins[peer.ident]
        devices = msg.get("devices") or {}
        cabin.devices = {str(k)[:64]: str(v)[:32] for k, v in devices.items() if isinstance(v, str)}
        cabin.version = msg.get("version", cabin.version)
        uptime = msg.get("uptime_s")
        cabin.uptime_s = float(uptime) if uptime is not None else cabin.uptime_s
        cabin.printer = msg.get("printer", cabin.printer)
        cabin.printer_detail = msg.get("printer_detail", cabin.printer_detail)
        held = max(0, int(msg.get("papers_held", 0)))
        if held and not cabin.papers_held:
            cabin.reprint = ""  # new papers waiting: the last reprint's word is old news
        cabin.papers_held, cabin.papers_since = held, msg.get("papers_since", "") if held else ""

    async def checkin(self, peer: Peer, msg: dict[str, Any]) -> None:
        sid = msg["session_id"]
        patient = self.patients.get(peer.ident)
        ended = self.ended_offline.get(msg.get("call_id", ""))
        if ended == sid:
            del self.ended_offline[msg["call_id"]]
            log.info("cabin %s: call %s was ended by the doctor while offline",
                     peer.ident, msg["call_id"])  # fmt: skip
            await peer.send("hangup", call_id=msg["call_id"], reason="ended")
            return
        if not await direct.known(self, peer, msg):  # a nurse named no such doctor
            return
        if patient is None or patient.session_id != sid or not patient.slot_start:
            patient = await self._check_in(peer, patient, msg)
            if patient is None:
                return
        await direct.address(peer, patient, msg)
        if msg.get("call_id") and not patient.call_id:
            self._resume(peer, patient, msg["call_id"])
        await self.broadcast()

    def _resume(self, peer: Peer, patient: Patient, call_id: str) -> None:
        """The cabin kept its call through a portal restart: its doctor is named by the call
        id when the session key is the same; else nobody may take the patient for a while."""
        patient.call_id = call_id
        owner = self.call_ids.owner(call_id, self.cfg.doctors)
        if owner is not None:
            patient.taken_by, patient.unclaimed_since = owner, None
            log.info("cabin %s: call %s resumes with doctor %s", peer.ident, call_id, owner)
        else:
            patient.unclaimed_since = self.clock()
            log.info("cabin %s: call %s resumes, its doctor unknown", peer.ident, call_id)

    async def _check_in(
        self, peer: Peer, patient: Patient | None, msg: dict[str, Any]
    ) -> Patient | None:
        """A new session (or a known walk-in with a key or code): look for its appointment.

        Returns the patient now in the room, or None when the cabin sends them to book.
        """
        sid = msg["session_id"]
        if any(p.session_id == sid and p.cabin_id != peer.ident for p in self.patients.values()):
            # session ids are random: the same one at another cabin is a forgery
            log.warning("cabin %s: session %s refused: in use at another cabin", peer.ident, sid)
            raise ProtocolError(ErrorCode.BAD_FIELD, "'session_id' is in use", ref="checkin")
        if patient is None or patient.session_id != sid:
            patient = Patient(peer.ident, sid, self.clock())
        elif not (msg.get("match_key") or msg.get("booking_code")):
            return patient  # a reconnecting walk-in
        if self.appointments is not None:
            found = await self.appointments.check_in(
                peer.ident,
                sid,
                match_key=msg.get("match_key", ""),
                code=msg.get("booking_code", ""),
            )
            await peer.send("checked_in", **found.fields(sid))
            if found.booked:
                patient.slot_start, patient.slot_label = found.slot_start, found.slot_label
            elif not found.walk_in:
                if self.patients.get(peer.ident) is patient:
                    del self.patients[peer.ident]
                    await self.broadcast()
                log.info("cabin %s: session %s has no appointment (%s)",
                         peer.ident, sid, found.reason)  # fmt: skip
                return None
        if self.patients.get(peer.ident) is not patient:
            self.patients[peer.ident] = patient
            log.info("cabin %s: session %s checked in", peer.ident, sid)
        return patient

    async def check_code(self, peer: Peer, msg: dict[str, Any]) -> None:
        """A booking code typed at the cabin, before consent: say whether it is this cabin's
        appointment now; the patient enters the room with the checkin after consent."""
        sid = msg["session_id"]
        if self.appointments is None:
            # no appointments here: no code to check, every patient waits as a walk-in
            await peer.send("checked_in", session_id=sid, booked=False, walk_in=True,
                            reason="none")  # fmt: skip
            return
        found = await self.appointments.check_in(
            peer.ident, sid, code=msg["booking_code"], mark=False
        )
        fields = found.fields(sid)
        if not found.booked:
            # the screen may offer to wait without an appointment where the cabin allows it
            fields["walk_in"] = found.walk_in or self.appointments.walk_ins(peer.ident)
        await peer.send("checked_in", **fields)

    async def staff_call(self, peer: Peer, msg: dict[str, Any]) -> None:
        cabin = self.cabins[peer.ident]
        if msg["active"]:
            if cabin.staff_called_at is None:
                cabin.staff_called_at, cabin.staff_coming_by = self.clock(), ""
                log.info("cabin %s: the patient calls the staff", peer.ident)
            await self.broadcast()
            if cabin.staff_coming_by:
                await peer.send("staff_answer", state="coming", by=cabin.staff_coming_by)
            else:
                await peer.send("staff_answer", state="received")
        elif cabin.staff_called_at is not None:
            cabin.staff_called_at, cabin.staff_coming_by = None, ""
            log.info("cabin %s: staff call ended", peer.ident)
            await self.broadcast()

    async def checkout(self, peer: Peer, msg: dict[str, Any]) -> None:
        # (a checkout for a session the room no longer holds is no error: a cabin sends
        # it again on reconnecting when it was out of reach as the patient left)
        patient = self.patients.get(peer.ident)
        if patient is not None and patient.session_id == msg["session_id"]:
            await self.leave(peer, patient, "checked out")

    async def leave(self, peer: Peer, patient: Patient, why: str) -> None:
        """The patient's session ended at the cabin: out of the room at once; a doctor still
        holding its call is told."""
        if self.patients.get(peer.ident) is patient:
            del self.patients[peer.ident]
        if patient.taken_by and patient.call_id:
            await self.to_doctor(
                patient.taken_by, "hangup", call_id=patient.call_id, reason="ended"
            )
        log.info("cabin %s: session %s %s", peer.ident, patient.session_id, why)
        await self.broadcast()

    # -- doctors -------------------------------------------------------------------------

    async def doctor_joined(self, peer: Peer) -> None:
        self.doctors.add(peer)
        if self.mesh is not None:
            await self.mesh.publish()
        await peer.send("waiting_room", **self.snapshot(peer.ident))

    def doctor_left(self, peer: Peer) -> None:
        self.doctors.discard(peer)
        if self.mesh is not None:
            self.mesh.doctor_left(peer)
        if self.patients and not any(d.ident == peer.ident for d in self.doctors):
            # The waiting patients learn it (the last doctor gone: nobody is on duty).
            task = asyncio.get_running_loop().create_task(self._tell_queue())
            self._telling.add(task)
            task.add_done_callback(self._telling.discard)


#: The application's hub, for the request handlers.
HUB: web.AppKey[Hub] = web.AppKey("hub")
