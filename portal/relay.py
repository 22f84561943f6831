"""The signalling relay: each peer's socket read to its end, each message routed by its type.

A cabin's presence and check-in go to the :class:`~portal.hub.Hub`; a call's messages
(take, offer, answer, restart, hangup) are forwarded between the cabin and the doctor
holding the call, and one for a call id that is no longer current is refused.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import WSMsgType

import protocol
from portal import auth, direct, security
from portal.hub import Hub
from portal.presence import CabinPresence, Patient, Peer
from protocol import ErrorCode, ProtocolError

log = security.escaped_logger(__name__)

#: A message's handler: the hub, the peer that sent it, the validated message.
Handler = Callable[[Hub, Peer, dict[str, Any]], Awaitable[None]]


# -- WebSocket plumbing ----------------------------------------------------------------------


async def pump(
    peer: Peer,
    handler: Callable[[Peer, dict[str, Any]], Any],
    first: dict[str, Any] | None = None,
) -> None:
    """Read the socket to its end; each message validated, rate-limited, then handled."""
    if first is not None:
        await handle(peer, handler, first)
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
        await handle(peer, handler, msg)


async def handle(
    peer: Peer, handler: Callable[[Peer, dict[str, Any]], Any], msg: dict[str, Any]
) -> None:
    """Handle one message; whatever it raises is refused to the peer, never closes the socket."""
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


# -- routing ---------------------------------------------------------------------------------


async def from_cabin(hub: Hub, peer: Peer, msg: dict[str, Any]) -> None:
    """A cabin's message: any message is a sign of life; then its type's handler."""
    hub.cabins[peer.ident].last_heartbeat = hub.clock()
    handler = FROM_CABIN.get(msg["type"])
    if handler is None:
        raise ProtocolError(ErrorCode.UNKNOWN_TYPE, "not a cabin message", ref=msg["type"])
    await handler(hub, peer, msg)


async def from_doctor(hub: Hub, peer: Peer, msg: dict[str, Any]) -> None:
    """A doctor's message: its type's handler (here, or where the patient's cabin is)."""
    if hub.mesh is not None and await hub.mesh.forward(peer, msg):
        return
    handler = FROM_DOCTOR.get(msg["type"])
    if handler is None:
        raise ProtocolError(ErrorCode.UNKNOWN_TYPE, "not a doctor message", ref=msg["type"])
    await handler(hub, peer, msg)


async def _pong(_hub: Hub, peer: Peer, _msg: dict[str, Any]) -> None:
    await peer.send("pong")


# -- the cabin's side of a call --------------------------------------------------------------


def _cabin_call(hub: Hub, peer: Peer, msg: dict[str, Any]) -> Patient:
    """The cabin's patient whose current call the message names, else ``stale_call``."""
    patient = hub.patients.get(peer.ident)
    if patient is None or not patient.call_id or patient.call_id != msg["call_id"]:
        raise ProtocolError(ErrorCode.STALE_CALL, "not the current call", ref=msg["type"])
    return patient


async def _offer(hub: Hub, peer: Peer, msg: dict[str, Any]) -> None:
    patient = _cabin_call(hub, peer, msg)
    log.info("cabin %s: offer for call %s", peer.ident, msg["call_id"])
    await hub.to_doctor(patient.taken_by, "offer", call_id=msg["call_id"], sdp=msg["sdp"])


async def _restart(hub: Hub, peer: Peer, msg: dict[str, Any]) -> None:
    patient = _cabin_call(hub, peer, msg)
    call_id = msg["call_id"]
    patient.call_id = hub.call_ids.new(patient.taken_by)
    log.info("cabin %s: call %s restarts as %s", peer.ident, call_id, patient.call_id)
    await hub.to_doctor(patient.taken_by, "hangup", call_id=call_id, reason="restart")
    await hub.to_doctor(
        patient.taken_by, "taken", session_id=patient.session_id, call_id=patient.call_id
    )
    await peer.send("call", call_id=patient.call_id, session_id=patient.session_id)


async def _cabin_hangup(hub: Hub, peer: Peer, msg: dict[str, Any]) -> None:
    patient = _cabin_call(hub, peer, msg)
    call_id, reason = msg["call_id"], msg.get("reason", "ended")
    log.info("cabin %s: hangup of call %s (%s)", peer.ident, call_id, reason)
    await hub.to_doctor(patient.taken_by, "hangup", call_id=call_id, reason=reason)
    patient.call_id, patient.taken_by = "", ""
    if hub.mesh is not None:
        await hub.mesh.release(patient.cabin_id, call_id)
    if reason in ("ended", "gone"):
        # the consultation is over at the cabin: nobody may take this patient again
        await hub.leave(peer, patient, f"left ({reason})")
    else:
        await hub.broadcast()


# -- the doctor's side of a call -------------------------------------------------------------


async def _take(hub: Hub, peer: Peer, msg: dict[str, Any]) -> None:
    session_id = msg["session_id"]
    patient = next((p for p in hub.patients.values() if p.session_id == session_id), None)
    cabin = hub.cabins.get(patient.cabin_id) if patient else None
    if patient is None or cabin is None or cabin.peer is None:
        raise ProtocolError(ErrorCode.NOT_FOUND, "no such waiting patient", ref="take")
    direct.check_take(patient, peer.ident)  # a nurse called another doctor
    if patient.taken_by and patient.taken_by != peer.ident:
        log.info("doctor %s: session %s already taken", peer.ident, session_id)
        raise ProtocolError(ErrorCode.TAKEN, "another doctor took this patient", ref="take")
    if patient.busy(hub.clock(), hub.cfg.limits.reclaim_grace_s):
        log.info("doctor %s: session %s is in a call of another doctor", peer.ident, session_id)
        raise ProtocolError(ErrorCode.TAKEN, "this patient is in a call", ref="take")
    if patient.call_id:
        # the same doctor again (page reloaded), or an unclaimed call past its grace
        # time: the old call is stale from now on
        await cabin.peer.send("hangup", call_id=patient.call_id, reason="restart")
    call_id = hub.call_ids.new(peer.ident)
    if hub.mesh is not None and not await hub.mesh.claim(patient, peer.ident, call_id):
        # another instance won the same take
        raise ProtocolError(ErrorCode.TAKEN, "another doctor took this patient", ref="take")
    patient.taken_by, patient.unclaimed_since = peer.ident, None
    patient.call_id = call_id
    log.info("doctor %s: takes session %s, call %s", peer.ident, session_id, patient.call_id)
    await peer.send("taken", session_id=session_id, call_id=patient.call_id)
    await cabin.peer.send("call", call_id=patient.call_id, session_id=session_id)
    await hub.broadcast()


def _doctor_call(hub: Hub, peer: Peer, msg: dict[str, Any]) -> tuple[Patient, CabinPresence | None]:
    """The patient of the call the doctor names (claimed for them), and its cabin."""
    call_id = msg["call_id"]
    patient = next(
        (p for p in hub.patients.values() if p.call_id and auth.same_secret(call_id, p.call_id)),
        None,
    )
    if patient is None or (patient.taken_by and patient.taken_by != peer.ident):
        raise ProtocolError(ErrorCode.STALE_CALL, "not a current call of yours", ref=msg["type"])
    # knowing the call id proves whose call it is (after a restart, too)
    patient.taken_by, patient.unclaimed_since = patient.taken_by or peer.ident, None
    return patient, hub.cabins.get(patient.cabin_id)


async def _answer(hub: Hub, peer: Peer, msg: dict[str, Any]) -> None:
    patient, cabin = _doctor_call(hub, peer, msg)
    if cabin is None or cabin.peer is None:
        raise ProtocolError(ErrorCode.NOT_FOUND, "the cabin is offline", ref="answer")
    log.info("doctor %s: answer for call %s", peer.ident, patient.call_id)
    await cabin.peer.send("answer", call_id=patient.call_id, sdp=msg["sdp"])


async def _doctor_hangup(hub: Hub, peer: Peer, msg: dict[str, Any]) -> None:
    patient, cabin = _doctor_call(hub, peer, msg)
    if cabin is None or cabin.peer is None:
        # The doctor may end a call while the cabin's network is down: the call ends here
        # now, and the cabin hears of it when it reconnects.
        log.info("doctor %s: hangup of call %s, cabin offline", peer.ident, patient.call_id)
        hub.ended_offline[patient.call_id] = patient.session_id
        while len(hub.ended_offline) > 1000:
            hub.ended_offline.pop(next(iter(hub.ended_offline)))
    else:
        log.info("doctor %s: hangup of call %s", peer.ident, patient.call_id)
        await cabin.peer.send("hangup", call_id=patient.call_id, reason="ended")
    del hub.patients[patient.cabin_id]
    await hub.broadcast()


#: What a cabin may send, by type: its presence and check-in go to the hub, its call's
#: messages to the doctor holding the call.
FROM_CABIN: dict[str, Handler] = {
    "heartbeat": Hub.heartbeat,
    "ping": _pong,
    "checkin": Hub.checkin,
    "check_code": Hub.check_code,
    "staff_call": Hub.staff_call,
    "reprint_result": Hub.reprint_result,
    "checkout": Hub.checkout,
    "doctors_ask": direct.ask,
    "offer": _offer,
    "restart": _restart,
    "hangup": _cabin_hangup,
}

#: What a doctor may send, by type.
FROM_DOCTOR: dict[str, Handler] = {
    "ping": _pong,
    "take": _take,
    "answer": _answer,
    "hangup": _doctor_hangup,
}
