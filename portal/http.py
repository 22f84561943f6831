"""The portal's HTTP face for doctors and staff: login and logout, the doctor's page and
account, the waiting room, health, and the ICE servers a doctor or a cabin is given.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from pathlib import Path
from typing import Any

from aiohttp import web

from portal import auth, credentials, limits, security
from portal.config import PortalConfig
from portal.hub import HUB

log = security.escaped_logger(__name__)

STATIC = Path(__file__).resolve().parent / "static"

#: The application's config and doctors' and staff's login sessions, for the handlers.
CONFIG: web.AppKey[PortalConfig] = web.AppKey("config")
SESSIONS: web.AppKey[auth.Sessions] = web.AppKey("sessions")


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
    elif role == auth.ADMIN:
        who = {"id": username, "name": account.name}
        response = web.json_response({"admin": who, "role": role, "next": "/admin"})
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


def _doctor_json(doctor_id: str, account: Any) -> dict[str, Any]:
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
    doctor = _doctor_json(doctor_id, account)
    session = request.app[SESSIONS].get(request.cookies.get(auth.COOKIE))
    if session is not None and session.rpps:  # vouched for by Pro Santé Connect at sign-in
        doctor["rpps"], doctor["rpps_verified"] = session.rpps, True
    return web.json_response(
        {
            "doctor": doctor,
            "ice_servers": ice_servers(cfg, doctor_id),
            "ice_transport_policy": "relay" if cfg.ice.relay_only else "all",
        }
    )


async def waiting_room(request: web.Request) -> web.Response:
    doctor_id, _ = _doctor(request)
    return web.json_response(request.app[HUB].snapshot(doctor_id))


async def health(request: web.Request) -> web.Response:
    hub = request.app[HUB]
    return web.json_response({"ok": True, "cabins_online": hub.counts().online})


async def index(request: web.Request) -> web.StreamResponse:
    session = request.app[SESSIONS].get(request.cookies.get(auth.COOKIE))
    if session is not None and session.role == auth.ADMIN:
        raise web.HTTPFound("/admin")
    if session is not None and session.role == auth.STAFF:
        # the doctor's page is not for staff logins: their page is the staff page
        if request.app[CONFIG].appointments.database:
            raise web.HTTPFound("/staff")
        return web.Response(
            text="This login is a staff account: its page, /staff, needs appointments "
            "([appointments] database) on this portal.\n"
        )
    return web.FileResponse(STATIC / "index.html")
