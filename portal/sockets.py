"""The portal's two WebSockets: a cabin's (its hello checked, then its messages relayed)
and a doctor's (their login cookie checked, then the waiting room and their calls).
"""

from __future__ import annotations

import functools
from typing import Any

from aiohttp import WSMsgType, web

import protocol
from portal import auth, credentials, limits, relay, security
from portal.http import CONFIG, SESSIONS, ice_servers
from portal.hub import HUB
from portal.presence import Peer
from protocol import ErrorCode, ProtocolError

log = security.escaped_logger(__name__)

#: aiohttp closes a socket whose frame exceeds this; below it, an oversize message gets an
#: ``error`` answer from the protocol's own cap.
_WS_FRAME_CAP = 4 * protocol.MAX_SIGNAL_BYTES


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
        await relay.pump(peer, functools.partial(relay.from_cabin, hub))
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
        await relay.pump(peer, functools.partial(relay.from_doctor, hub))
    finally:
        hub.doctor_left(peer)
        log.info("doctor %s: disconnected", session.doctor_id)
    return ws
