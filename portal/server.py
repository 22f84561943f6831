"""The portal's aiohttp application: doctor login, waiting room, cabin health, signalling relay.

The relay sees cabin ids, session ids, call ids, times and SDP, never health data (that goes
on the call's data channel). Every WebSocket message is size-capped, rate-limited and
validated with :mod:`protocol`; a bad one is answered with an ``error`` and logged by
type only. A message for a call id that is no longer current is dropped.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import ssl
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web

import protocol
from portal import auth, credentials, limits, security
from portal.appointments import api as appointments_api
from portal.appointments.service import Appointments
from portal.config import ALL_CABINS, PortalConfig
from protocol import ErrorCode, ProtocolError, RateLimiter

log = security.escaped_logger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
#: aiohttp closes a socket whose frame exceeds this; below it, an oversize message gets an
#: ``error`` answer from the protocol's own cap.
_WS_FRAME_CAP = 4 * protocol.MAX_SIGNAL_BYTES
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob: mediastream:; connect-src 'self' ws: wss:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)

HUB: web.AppKey[Hub] = web.AppKey("hub")
CONFIG: web.AppKey[PortalConfig] = web.AppKey("config")
SESSIONS: web.AppKey[auth.Sessions] = web.AppKey("sessions")
THROTTLE: web.AppKey[auth.LoginThrottle] = web.AppKey("throttle")


class Peer:
    """One WebSocket (a cabin's or a doctor's), with its own rate limit."""

    def __init__(self, ws: web.WebSocketResponse, *, kind: str, ident: str, cfg: PortalConfig):
        self.ws = ws
        self.kind = kind
        self.ident = ident
        self.limiter = RateLimiter(rate=cfg.limits.rate, burst=cfg.limits.burst)
        self.violations = 0
        self.max_violations = cfg.limits.max_violations

    async def send(self, msg_type: str, **fields: Any) -> None:
        if self.ws.closed:
            return
        try:
            await self.ws.send_str(protocol.signal(msg_type, **fields))
        except (ConnectionError, RuntimeError) as exc:
            log.info("%s %s: send failed: %s", self.kind, self.ident, type(exc).__name__)
        except Exception as exc:
            # One peer's message that cannot be sent never breaks a broadcast to the others.
            log.error("%s %s: %s not sent: %s", self.kind, self.ident, msg_type, type(exc).__name__)

    async def refuse(self, exc: ProtocolError) -> None:
        # an unknown type name is the peer's text: not logged
        ref = exc.ref if exc.ref in protocol.SIGNAL_SCHEMAS else "a"
        log.warning("%s %s: refused %s message: %s", self.kind, self.ident, ref, exc.code.value)
        await self.send("error", **protocol.error_fields(exc))


@dataclass
class Patient:
    """A cabin's checked-in patient, known only by the kiosk's random session id."""

    cabin_id: str
    session_id: str
    since: float
    taken_by: str = ""
    call_id: str = ""
    #: Checked in for an appointment: its slot (epoch, and local "HH:MM"); else a walk-in.
    slot_start: int = 0
    slot_label: str = ""
    #: Back after a portal restart with a call whose doctor is unknown: since when (hub
    #: clock). The patient stays "in a call", out of other doctors' reach, for a grace time.
    unclaimed_since: float | None = None

    def busy(self, now: float, grace_s: float) -> bool:
        """In a call: taken, or an unclaimed call still within its grace time."""
        if self.taken_by:
            return True
        return self.unclaimed_since is not None and now - self.unclaimed_since < grace_s


@dataclass
class Cabin:
    cabin_id: str
    peer: Peer | None = None
    last_heartbeat: float = 0.0
    devices: dict[str, str] = field(default_factory=dict)
    #: From the heartbeats: the kiosk's version and uptime, its printer's state and reason.
    version: str = ""
    uptime_s: float | None = None
    printer: str = ""
    printer_detail: str = ""
    #: The patient pressed "call staff" at this time (hub clock), until the call ends.
    staff_called_at: float | None = None
    #: Who on site said they are coming (their display name), "" until then.
    staff_coming_by: str = ""


class Hub:
    """The portal's live state: cabins, doctors' sockets, the waiting room, current calls."""

    def __init__(self, cfg: PortalConfig, *, clock: Callable[[], float] = time.monotonic):
        self.cfg = cfg
        self.clock = clock
        self.cabins: dict[str, Cabin] = {}
        self.doctors: set[Peer] = set()
        self.patients: dict[str, Patient] = {}  # by cabin id: one patient per cabin
        #: Set when the portal has appointments (its database is open).
        self.appointments: Appointments | None = None
        #: Calls a doctor ended while their cabin was offline (call id -> session id): the
        #: cabin is told when it comes back, and its patient does not return to the room.
        self.ended_offline: dict[str, str] = {}
        #: Call ids bound to their doctor (under the session key), known after a restart.
        self.call_ids = auth.CallIds(cfg.server.session_secret.encode())

    # -- views ---------------------------------------------------------------------------

    def snapshot(self, doctor_id: str) -> dict[str, Any]:
        now = self.clock()
        stale_after = 3 * self.cfg.server.heartbeat_s
        booking = self.appointments is not None
        grace = self.cfg.limits.reclaim_grace_s
        patients = [
            {
                "cabin_id": p.cabin_id,
                "session_id": p.session_id,
                "waiting_s": round(now - p.since, 1),
                "state": "taken" if p.busy(now, grace) else "waiting",
                "mine": p.taken_by == doctor_id,
                "call_id": p.call_id if p.taken_by == doctor_id else "",
                # with appointments: booked (and its slot) or a walk-in
                **({"booked": bool(p.slot_start), "slot": p.slot_label} if booking else {}),
            }
            # booked patients first, by their slot; then walk-ins, by arrival
            for p in sorted(
                self.patients.values(),
                key=lambda p: (0, p.slot_start, p.since) if p.slot_start else (1, 0, p.since),
            )
            if self._online(self.cabins.get(p.cabin_id), now, stale_after)
        ]
        cabins = []
        for cabin_id in sorted(set(self.cfg.cabins) | set(self.cabins)):
            cabin = self.cabins.get(cabin_id)
            account = self.cfg.cabins.get(cabin_id)
            cabins.append(
                {
                    "cabin_id": cabin_id,
                    "name": account.name if account else "",
                    "online": self._online(cabin, now, stale_after),
                    "heartbeat_age_s": (
                        round(now - cabin.last_heartbeat, 1) if cabin and cabin.peer else None
                    ),
                    "devices": dict(cabin.devices) if cabin else {},
                    "version": cabin.version if cabin else "",
                    "uptime_s": cabin.uptime_s if cabin else None,
                    "printer": cabin.printer if cabin else "",
                    "printer_detail": cabin.printer_detail if cabin else "",
                    "staff_call": self._staff_call(cabin, now),
                }
            )
        return {"patients": patients, "cabins": cabins}

    @staticmethod
    def _staff_call(cabin: Cabin | None, now: float) -> dict[str, Any] | None:
        if cabin is None or cabin.staff_called_at is None:
            return None
        return {"since_s": round(now - cabin.staff_called_at, 1), "coming": cabin.staff_coming_by}

    def cabin_status(self, cabin_id: str) -> dict[str, Any]:
        """A cabin as the staff page shows it: online, printer, and its staff call if any."""
        now = self.clock()
        cabin = self.cabins.get(cabin_id)
        return {
            "online": self._online(cabin, now, 3 * self.cfg.server.heartbeat_s),
            "printer": cabin.printer if cabin else "",
            "printer_detail": cabin.printer_detail if cabin else "",
            "staff_call": self._staff_call(cabin, now),
        }

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
    def _online(cabin: Cabin | None, now: float, stale_after: float) -> bool:
        return bool(cabin and cabin.peer and now - cabin.last_heartbeat <= stale_after)

    async def broadcast(self) -> None:
        for doctor in list(self.doctors):
            await doctor.send("waiting_room", **self.snapshot(doctor.ident))
        await self._tell_queue()

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
                and self._online(self.cabins.get(p.cabin_id), now, stale_after)
            ),
            key=lambda p: (0, p.slot_start, p.since) if p.slot_start else (1, 0, p.since),
        )
        busy = sum(1 for p in self.patients.values() if p.busy(now, grace))
        doctors = max(1, len({d.ident for d in self.doctors}))
        for index, patient in enumerate(waiting):
            cabin = self.cabins.get(patient.cabin_id)
            if cabin is None or cabin.peer is None:
                continue
            # Everyone before this patient, plus the consultations under way, shared by
            # the doctors logged in.
            ahead = index + busy
            estimate = round(ahead * self.cfg.server.consultation_s / doctors)
            await cabin.peer.send(
                "queue", session_id=patient.session_id, position=index + 1, estimate_s=estimate
            )

    def _patient_of_call(self, call_id: str) -> Patient | None:
        for patient in self.patients.values():
            if patient.call_id and auth.same_secret(call_id, patient.call_id):
                return patient
        return None

    async def _to_doctor(self, doctor_id: str, msg_type: str, **fields: Any) -> None:
        for doctor in list(self.doctors):
            if doctor.ident == doctor_id:
                await doctor.send(msg_type, **fields)

    # -- cabins --------------------------------------------------------------------------

    async def cabin_joined(self, peer: Peer) -> None:
        cabin = self.cabins.setdefault(peer.ident, Cabin(peer.ident))
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

    async def from_cabin(self, peer: Peer, msg: dict[str, Any]) -> None:
        cabin = self.cabins[peer.ident]
        kind = msg["type"]
        cabin.last_heartbeat = self.clock()
        patient = self.patients.get(peer.ident)
        if kind == "heartbeat":
            devices = msg.get("devices") or {}
            cabin.devices = {
                str(k)[:64]: str(v)[:32] for k, v in devices.items() if isinstance(v, str)
            }
            cabin.version = msg.get("version", cabin.version)
            uptime = msg.get("uptime_s")
            cabin.uptime_s = float(uptime) if uptime is not None else cabin.uptime_s
            cabin.printer = msg.get("printer", cabin.printer)
            cabin.printer_detail = msg.get("printer_detail", cabin.printer_detail)
        elif kind == "ping":
            await peer.send("pong")
        elif kind == "checkin":
            sid = msg["session_id"]
            ended = self.ended_offline.get(msg.get("call_id", ""))
            if ended == sid:
                del self.ended_offline[msg["call_id"]]
                log.info("cabin %s: call %s was ended by the doctor while offline",
                         peer.ident, msg["call_id"])  # fmt: skip
                await peer.send("hangup", call_id=msg["call_id"], reason="ended")
                return
            if patient is None or patient.session_id != sid or not patient.slot_start:
                patient = await self._check_in(peer, patient, msg)
                if patient is None:
                    return
            if msg.get("call_id") and not patient.call_id:
                self._resume(peer, patient, msg["call_id"])
            await self.broadcast()
        elif kind == "check_code":
            await self._check_code(peer, msg)
        elif kind == "staff_call":
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
        elif kind == "checkout":
            # (a checkout for a session the room no longer holds is no error: a cabin sends
            # it again on reconnecting when it was out of reach as the patient left)
            if patient is not None and patient.session_id == msg["session_id"]:
                await self._leave(peer, patient, "checked out")
        elif kind in ("offer", "restart", "hangup"):
            await self._cabin_call_message(peer, patient, msg)
        else:
            raise ProtocolError(ErrorCode.UNKNOWN_TYPE, "not a cabin message", ref=kind)

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

    async def _check_code(self, peer: Peer, msg: dict[str, Any]) -> None:
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

    async def _cabin_call_message(
        self, peer: Peer, patient: Patient | None, msg: dict[str, Any]
    ) -> None:
        kind, call_id = msg["type"], msg["call_id"]
        if patient is None or not patient.call_id or patient.call_id != call_id:
            raise ProtocolError(ErrorCode.STALE_CALL, "not the current call", ref=kind)
        if kind == "offer":
            log.info("cabin %s: offer for call %s", peer.ident, call_id)
            await self._to_doctor(patient.taken_by, "offer", call_id=call_id, sdp=msg["sdp"])
        elif kind == "restart":
            patient.call_id = self.call_ids.new(patient.taken_by)
            log.info("cabin %s: call %s restarts as %s", peer.ident, call_id, patient.call_id)
            await self._to_doctor(patient.taken_by, "hangup", call_id=call_id, reason="restart")
            await self._to_doctor(
                patient.taken_by, "taken", session_id=patient.session_id, call_id=patient.call_id
            )
            await peer.send("call", call_id=patient.call_id, session_id=patient.session_id)
        else:  # hangup
            reason = msg.get("reason", "ended")
            log.info("cabin %s: hangup of call %s (%s)", peer.ident, call_id, reason)
            await self._to_doctor(patient.taken_by, "hangup", call_id=call_id, reason=reason)
            patient.call_id, patient.taken_by = "", ""
            if reason in ("ended", "gone"):
                # the consultation is over at the cabin: nobody may take this patient again
                await self._leave(peer, patient, f"left ({reason})")
            else:
                await self.broadcast()

    async def _leave(self, peer: Peer, patient: Patient, why: str) -> None:
        """The patient's session ended at the cabin: out of the room at once; a doctor still
        holding its call is told."""
        if self.patients.get(peer.ident) is patient:
            del self.patients[peer.ident]
        if patient.taken_by and patient.call_id:
            await self._to_doctor(
                patient.taken_by, "hangup", call_id=patient.call_id, reason="ended"
            )
        log.info("cabin %s: session %s %s", peer.ident, patient.session_id, why)
        await self.broadcast()

    # -- doctors -------------------------------------------------------------------------

    async def doctor_joined(self, peer: Peer) -> None:
        self.doctors.add(peer)
        await peer.send("waiting_room", **self.snapshot(peer.ident))

    def doctor_left(self, peer: Peer) -> None:
        self.doctors.discard(peer)

    async def from_doctor(self, peer: Peer, msg: dict[str, Any]) -> None:
        kind = msg["type"]
        if kind == "ping":
            await peer.send("pong")
        elif kind == "take":
            await self._take(peer, msg["session_id"])
        elif kind in ("answer", "hangup"):
            patient = self._patient_of_call(msg["call_id"])
            if patient is None or (patient.taken_by and patient.taken_by != peer.ident):
                raise ProtocolError(ErrorCode.STALE_CALL, "not a current call of yours", ref=kind)
            # knowing the call id proves whose call it is (after a restart, too)
            patient.taken_by, patient.unclaimed_since = patient.taken_by or peer.ident, None
            cabin = self.cabins.get(patient.cabin_id)
            if (cabin is None or cabin.peer is None) and kind == "hangup":
                # The doctor may end a call while the cabin's network is down: the call ends
                # here now, and the cabin hears of it when it reconnects.
                log.info("doctor %s: hangup of call %s, cabin offline", peer.ident, patient.call_id)
                self.ended_offline[patient.call_id] = patient.session_id
                while len(self.ended_offline) > 1000:
                    self.ended_offline.pop(next(iter(self.ended_offline)))
                del self.patients[patient.cabin_id]
                await self.broadcast()
                return
            if cabin is None or cabin.peer is None:
                raise ProtocolError(ErrorCode.NOT_FOUND, "the cabin is offline", ref=kind)
            if kind == "answer":
                log.info("doctor %s: answer for call %s", peer.ident, patient.call_id)
                await cabin.peer.send("answer", call_id=patient.call_id, sdp=msg["sdp"])
            else:
                log.info("doctor %s: hangup of call %s", peer.ident, patient.call_id)
                await cabin.peer.send("hangup", call_id=patient.call_id, reason="ended")
                del self.patients[patient.cabin_id]
                await self.broadcast()
        else:
            raise ProtocolError(ErrorCode.UNKNOWN_TYPE, "not a doctor message", ref=kind)

    async def _take(self, peer: Peer, session_id: str) -> None:
        patient = next((p for p in self.patients.values() if p.session_id == session_id), None)
        cabin = self.cabins.get(patient.cabin_id) if patient else None
        if patient is None or cabin is None or cabin.peer is None:
            raise ProtocolError(ErrorCode.NOT_FOUND, "no such waiting patient", ref="take")
        if patient.taken_by and patient.taken_by != peer.ident:
            log.info("doctor %s: session %s already taken", peer.ident, session_id)
            raise ProtocolError(ErrorCode.TAKEN, "another doctor took this patient", ref="take")
        if patient.busy(self.clock(), self.cfg.limits.reclaim_grace_s):
            log.info("doctor %s: session %s is in a call of another doctor", peer.ident, session_id)
            raise ProtocolError(ErrorCode.TAKEN, "this patient is in a call", ref="take")
        if patient.call_id:
            # the same doctor again (page reloaded), or an unclaimed call past its grace
            # time: the old call is stale from now on
            await cabin.peer.send("hangup", call_id=patient.call_id, reason="restart")
        patient.taken_by, patient.unclaimed_since = peer.ident, None
        patient.call_id = self.call_ids.new(peer.ident)
        log.info("doctor %s: takes session %s, call %s", peer.ident, session_id, patient.call_id)
        await peer.send("taken", session_id=session_id, call_id=patient.call_id)
        await cabin.peer.send("call", call_id=patient.call_id, session_id=session_id)
        await self.broadcast()


# -- WebSocket plumbing ----------------------------------------------------------------------


async def _pump(
    peer: Peer,
    handler: Callable[[Peer, dict[str, Any]], Any],
    first: dict[str, Any] | None = None,
) -> None:
    """Read the socket to its end; each message validated, rate-limited, then handled."""
    if first is not None:
        await _handle(peer, handler, first)
    async for message in peer.ws:
        if message.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
            continue
        try:
            peer.limiter.check()
        except ProtocolError as exc:
            peer.violations += 1
            if peer.violations == 1 or peer.violations % 10 == 0:
                await peer.refuse(exc)
            if peer.violations >= peer.max_violations:
                log.warning("%s %s: closed for flooding", peer.kind, peer.ident)
                await peer.ws.close(code=1008, message=b"rate limit")
                break
            continue
        try:
            msg = protocol.decode_signal(message.data)
            security.check_message(msg)
        except ProtocolError as exc:
            await peer.refuse(exc)
            continue
        await _handle(peer, handler, msg)


async def _handle(
    peer: Peer, handler: Callable[[Peer, dict[str, Any]], Any], msg: dict[str, Any]
) -> None:
    try:
        await handler(peer, msg)
    except ProtocolError as exc:
        await peer.refuse(exc)
    except Exception as exc:
        # A message nobody foresaw must not close the socket (a doctor's, the whole call):
        # refused, logged by its type only (its text may quote the message).
        ref = str(msg.get("type", ""))
        ref = ref if ref in protocol.SIGNAL_SCHEMAS else "a"
        log.error("%s %s: %s message failed: %s", peer.kind, peer.ident, ref, type(exc).__name__)
        await peer.refuse(ProtocolError(ErrorCode.MALFORMED, "could not be handled", ref=ref))


async def cabin_socket(request: web.Request) -> web.WebSocketResponse:
    hub, cfg = request.app[HUB], request.app[CONFIG]
    guard = request.app[limits.GUARD]
    source = guard.source(request)
    if guard.throttle.source_blocked(source):
        raise web.HTTPTooManyRequests(text="too many failed attempts, try again later")
    ws = web.WebSocketResponse(max_msg_size=_WS_FRAME_CAP, heartbeat=30.0)
    await ws.prepare(request)
    try:
        message = await ws.receive(timeout=cfg.limits.hello_timeout)
        hello = protocol.decode_signal(message.data) if message.type == WSMsgType.TEXT else {}
        security.check_message(hello)
    except (TimeoutError, ProtocolError, TypeError):
        hello = {}
    cabin_id = hello.get("cabin_id", "") if hello.get("type") == "hello" else ""
    try:
        await request.app[credentials.CREDENTIALS].cabin(
            cabin_id, hello.get("token", ""), source=source
        )
    except credentials.Refused as exc:
        if exc.reason == "wrong" or guard.pace.allow(f"hello {source}"):
            log.warning("cabin connection from %s refused: %s hello (cabin id %r)",
                        source, exc.reason, cabin_id)  # fmt: skip
        if not ws.closed:
            if exc.reason == "wrong":
                code, detail, close = ErrorCode.UNAUTHORIZED, "cabin id or token refused", 4001
            else:  # "try again later": nothing was checked
                code, detail, close = ErrorCode.RATE_LIMITED, "too many attempts, retry", 1013
            error = ProtocolError(code, detail, ref="hello")
            await ws.send_str(protocol.signal("error", **protocol.error_fields(error)))
            await ws.close(code=close, message=exc.reason.encode())
        return ws
    peer = Peer(ws, kind="cabin", ident=cabin_id, cfg=cfg)
    log.info("cabin %s: connected", cabin_id)
    extra: dict[str, Any] = {}
    if hub.appointments is not None:
        extra["checkin_key"] = hub.appointments.checkin_key(cabin_id)
        extra["walk_ins"] = hub.appointments.walk_ins(cabin_id)
    await peer.send(
        "welcome",
        heartbeat_s=cfg.server.heartbeat_s,
        ice_servers=ice_servers(cfg, cabin_id),
        **extra,
    )
    await hub.cabin_joined(peer)
    try:
        await _pump(peer, hub.from_cabin)
    finally:
        log.info("cabin %s: disconnected", cabin_id)
        await hub.cabin_left(peer)
    return ws


async def doctor_socket(request: web.Request) -> web.StreamResponse:
    hub, cfg = request.app[HUB], request.app[CONFIG]
    session = request.app[SESSIONS].get(request.cookies.get(auth.COOKIE))
    # a staff login, or an account removed since, is refused like no login at all
    if session is None or session.role != auth.DOCTOR or session.doctor_id not in cfg.doctors:
        raise web.HTTPUnauthorized(text="log in first")
    origin = request.headers.get("Origin", "")
    if origin and origin.split("://", 1)[-1] != request.host:
        log.warning("doctor %s: WebSocket from another origin refused", session.doctor_id)
        raise web.HTTPForbidden(text="cross-origin WebSocket refused")
    ws = web.WebSocketResponse(max_msg_size=_WS_FRAME_CAP, heartbeat=30.0)
    await ws.prepare(request)
    peer = Peer(ws, kind="doctor", ident=session.doctor_id, cfg=cfg)
    log.info("doctor %s: connected", session.doctor_id)
    await hub.doctor_joined(peer)
    try:
        await _pump(peer, hub.from_doctor)
    finally:
        hub.doctor_left(peer)
        log.info("doctor %s: disconnected", session.doctor_id)
    return ws


# -- HTTP ------------------------------------------------------------------------------------


def _doctor(request: web.Request) -> tuple[str, Any]:
    session = request.app[SESSIONS].get(request.cookies.get(auth.COOKIE))
    if session is None or session.role != auth.DOCTOR:  # staff logins see no room, no call
        raise web.HTTPUnauthorized(text="log in first")
    account = request.app[CONFIG].doctors.get(session.doctor_id)
    if account is None:  # removed from the config since login
        raise web.HTTPUnauthorized(text="log in first")
    return session.doctor_id, account


async def login(request: web.Request) -> web.Response:
    """Password login of a doctor or a staff account (``[staff.<login>]``, same form and
    lockout, see :class:`auth.LoginThrottle`); another login method only has to end in
    ``Sessions.open``. Anything but a JSON object of two texts is a 400."""
    cfg = request.app[CONFIG]
    guard = request.app[limits.GUARD]
    try:
        body = await security.read_json(request)
        username, password = str(body["username"])[:64], str(body["password"])[:256]
    except (security.BadInput, KeyError, TypeError) as exc:
        raise web.HTTPBadRequest(text="username and password expected") from exc
    try:
        account, role = await request.app[credentials.CREDENTIALS].password(
            username, password, source=guard.source(request)
        )
    except credentials.Refused as exc:
        if exc.reason == "wrong":
            raise web.HTTPUnauthorized(text="wrong username or password") from exc
        raise web.HTTPTooManyRequests(text="too many attempts, try again later") from exc
    session = request.app[SESSIONS].open(username, role=role)
    log.info("%s %s: logged in", role, username)
    if role == auth.STAFF:
        who = {"id": username, "name": account.name, "cabins": list(account.cabins)}
        response = web.json_response({"staff": who, "role": role, "next": "/staff"})
    else:
        response = web.json_response({"doctor": _doctor_json(username, account), "role": role})
    response.set_cookie(
        auth.COOKIE,
        session.token,
        httponly=True,
        secure=cfg.server.secure_cookies,
        samesite="Strict",
        path="/",
        max_age=int(cfg.server.session_hours * 3600),
    )
    return response


async def logout(request: web.Request) -> web.Response:
    request.app[SESSIONS].close(request.cookies.get(auth.COOKIE))
    response = web.json_response({"ok": True})
    response.del_cookie(auth.COOKIE, path="/")
    return response


def _doctor_json(doctor_id: str, account: Any) -> dict[str, str]:
    return {
        "id": doctor_id,
        "name": account.name,
        "specialty": account.specialty,
        "rpps": account.rpps,
        "address": account.address,
        "phone": account.phone,
        "email": account.email,
    }


def ice_servers(cfg: PortalConfig, who: str, *, now: float | None = None) -> list[dict[str, Any]]:
    """ICE servers for one doctor or cabin; TURN credentials short-lived when a secret is set.

    With coturn's TURN REST API (``use-auth-secret``) the username is ``expiry:who`` and the
    password the base64 HMAC-SHA1 of that username under the shared secret.
    """
    servers: list[dict[str, Any]] = [{"urls": u} for u in cfg.ice.stun_servers]
    if cfg.ice.turn_servers:
        username, password = cfg.ice.turn_username, cfg.ice.turn_password
        if cfg.ice.turn_secret:
            expiry = int((time.time() if now is None else now) + cfg.ice.turn_ttl_s)
            username = f"{expiry}:{who}"
            digest = hmac.new(cfg.ice.turn_secret.encode(), username.encode(), hashlib.sha1)
            password = base64.b64encode(digest.digest()).decode()
        servers.append(
            {"urls": list(cfg.ice.turn_servers), "username": username, "credential": password}
        )
    return servers


async def me(request: web.Request) -> web.Response:
    doctor_id, account = _doctor(request)
    cfg = request.app[CONFIG]
    return web.json_response(
        {
            "doctor": _doctor_json(doctor_id, account),
            "ice_servers": ice_servers(cfg, doctor_id),
            "ice_transport_policy": "relay" if cfg.ice.relay_only else "all",
        }
    )


async def waiting_room(request: web.Request) -> web.Response:
    doctor_id, _ = _doctor(request)
    return web.json_response(request.app[HUB].snapshot(doctor_id))


async def health(request: web.Request) -> web.Response:
    hub = request.app[HUB]
    online = sum(1 for c in hub.snapshot("")["cabins"] if c["online"])
    return web.json_response({"ok": True, "cabins_online": online})


async def index(request: web.Request) -> web.StreamResponse:
    session = request.app[SESSIONS].get(request.cookies.get(auth.COOKIE))
    if session is not None and session.role == auth.STAFF:
        # the doctor's page is not for staff logins: their page is the staff page
        if request.app[CONFIG].appointments.database:
            raise web.HTTPFound("/staff")
        return web.Response(
            text="This login is a staff account: its page, /staff, needs appointments "
            "([appointments] database) on this portal.\n"
        )
    return web.FileResponse(STATIC / "index.html")


_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@web.middleware
async def same_origin_writes(
    request: web.Request, handler: Callable[[web.Request], Any]
) -> web.StreamResponse:
    """A write a browser sends with the login cookie must come from the portal's own pages:
    SameSite=Strict stops other sites, not a page on a sibling subdomain (a form posted to
    "J'y vais" would tell a patient that someone is coming). The booking site's calls, with
    their bearer token and no cookie, are not concerned; nor is a client that says nothing
    of where it comes from (no browser leaves both headers out)."""
    if request.method in _WRITES and auth.COOKIE in request.cookies:
        site = request.headers.get("Sec-Fetch-Site")
        origin = request.headers.get("Origin")
        if site is not None:  # every current browser says it
            foreign = site not in ("same-origin", "none")
        else:  # the host only: a TLS proxy in front changes the scheme
            foreign = origin is not None and urlsplit(origin).netloc != request.host
        if foreign:
            log.warning("portal: a %s from another site refused", request.method)
            return web.json_response(
                {"error": "cross_site", "message": "writes come from the portal's own pages"},
                status=403,
            )
    response: web.StreamResponse = await handler(request)
    return response


@web.middleware
async def security_headers(
    request: web.Request, handler: Callable[[web.Request], Any]
) -> web.StreamResponse:
    response: web.StreamResponse = await handler(request)
    response.headers.setdefault("Content-Security-Policy", _CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("Permissions-Policy", "camera=(self), microphone=(self)")
    return response


async def _refresh(app: web.Application) -> AsyncIterator[None]:
    """Push the waiting room to doctors now and then, so cabin health stays current."""
    hub = app[HUB]

    async def loop() -> None:
        while True:
            await asyncio.sleep(hub.cfg.server.heartbeat_s)
            try:
                await hub.broadcast()
            except Exception as exc:  # one failed pass never ends the loop
                log.error("waiting room refresh failed: %s", type(exc).__name__)

    task = asyncio.create_task(loop(), name="portal-refresh")
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    for peer in [*hub.doctors, *(c.peer for c in hub.cabins.values() if c.peer)]:
        await peer.ws.close(code=1001, message=b"portal stopping")


def make_app(cfg: PortalConfig) -> web.Application:
    app = web.Application(
        middlewares=[
            security_headers,
            limits.body_deadline(cfg.limits.body_timeout_s),
            same_origin_writes,
        ],
        client_max_size=64 * 1024,
    )
    app[CONFIG] = cfg
    app[HUB] = Hub(cfg)
    app[SESSIONS] = auth.Sessions(
        ttl_s=cfg.server.session_hours * 3600, secret=cfg.server.session_secret.encode()
    )
    guard = app[limits.GUARD] = limits.Guard.from_config(cfg.limits)
    app[THROTTLE] = guard.throttle
    app[credentials.CREDENTIALS] = credentials.Credentials(cfg, guard)
    app.router.add_get("/", index)
    app.router.add_static("/static/", STATIC)
    app.router.add_post("/api/login", login)
    app.router.add_post("/api/logout", logout)
    app.router.add_get("/api/me", me)
    app.router.add_get("/api/waiting-room", waiting_room)
    app.router.add_get("/api/health", health)
    app.router.add_get("/ws/cabin", cabin_socket)
    app.router.add_get("/ws/doctor", doctor_socket)
    app.cleanup_ctx.append(_refresh)
    app.on_cleanup.append(lambda app: _close_pool(app[limits.GUARD]))
    hub = app[HUB]
    appointments_api.setup(
        app,
        cfg,
        staff_access=_staff_access,
        on_ready=lambda service: setattr(hub, "appointments", service),
        cabin_status=hub.cabin_status,
        staff_coming=hub.staff_coming,
    )
    return app


async def _close_pool(guard: limits.Guard) -> None:
    guard.hashes.close()


def _staff_access(request: web.Request) -> appointments_api.StaffAccess | None:
    """Who may use the staff page (book, move, cancel): a doctor, for every cabin; a staff
    account, for its own cabins (``cabins = ["*"]``: every cabin). None: no valid login."""
    session = request.app[SESSIONS].get(request.cookies.get(auth.COOKIE))
    if session is None:
        return None
    cfg, login = request.app[CONFIG], session.doctor_id
    if session.role == auth.DOCTOR and login in cfg.doctors:
        return appointments_api.StaffAccess(login, auth.DOCTOR, None, cfg.doctors[login].name)
    staff = cfg.staff.get(login) if session.role == auth.STAFF else None
    if staff is None:  # removed from the config since login
        return None
    cabins = None if staff.cabins == (ALL_CABINS,) else frozenset(staff.cabins)
    return appointments_api.StaffAccess(login, auth.STAFF, cabins, staff.name)


def ssl_context(cfg: PortalConfig) -> ssl.SSLContext | None:
    if not cfg.server.tls_cert:
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cfg.server.tls_cert, cfg.server.tls_key)
    return context


@dataclass
class Running:
    """A started portal: its URL and how to stop it."""

    runner: web.AppRunner
    url: str
    app: web.Application

    async def stop(self) -> None:
        await self.runner.cleanup()


async def start(cfg: PortalConfig, *, host: str | None = None, port: int | None = None) -> Running:
    """Start the portal on the running loop (``port=0``: any free port).

    A connection without a complete request ``idle_timeout_s`` after it opened or after its
    last answer is closed (idle keep-alive and header-dripping clients alike); a handler
    whose client went away is cancelled; connections are capped per source and in all.
    """
    app = make_app(cfg)
    runner = web.AppRunner(
        app, access_log=None, handle_signals=False, shutdown_timeout=2.0,
        **limits.runner_options(cfg.limits),
    )  # fmt: skip
    await runner.setup()
    context = ssl_context(cfg)
    site = limits.site(
        runner,
        host or cfg.server.host,
        cfg.server.port if port is None else port,
        limits=cfg.limits,
        ssl_context=context,
    )
    await site.start()
    bound = site.bound
    scheme = "https" if context else "http"
    return Running(runner, f"{scheme}://{bound[0]}:{bound[1]}", app)
