"""The accounts on the portal: opened with the app (the config file's imported, the live copy
loaded and followed), the admin page ``/admin`` and its API, and the sockets closed when an
account goes.

Every ``/api/admin`` call needs an admin's login cookie (401 without, 403 for another role);
writes are guarded against other sites by :func:`portal.security.same_origin_writes`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

from aiohttp import web

from portal import auth, security
from portal.accounts.repository import CABIN, DOCTOR, KINDS, AccountExists, AccountRepository
from portal.accounts.service import Accounts, BadAccount, NoAccount, stop
from portal.appointments.repository import Repository
from portal.config import PortalConfig
from portal.http import SESSIONS, STATIC

log = security.escaped_logger(__name__)

ACCOUNTS: web.AppKey[Accounts] = web.AppKey("accounts")


async def close_peers(hub: Any, kind: str, login: str) -> int:
    """Close this instance's sockets of a cabin or a doctor whose account went (disabled, or
    a cabin's token reset); the cabin's reconnection is then refused. Returns how many."""
    peers: list[Any] = []
    if kind == CABIN:
        presence = hub.cabins.get(login)
        if presence is not None and presence.peer is not None:
            peers.append(presence.peer)
    elif kind == DOCTOR:
        peers = [p for p in list(hub.doctors) if p.ident == login]
    for peer in peers:
        if not peer.ws.closed:
            await peer.ws.close(code=4003, message=b"account disabled")
    if peers:
        log.info("%s %s: %d socket(s) closed, account gone", kind, login, len(peers))
    return len(peers)


def setup(app: web.Application, cfg: PortalConfig, hub: Any) -> None:
    """With ``[appointments] database``: accounts in the database, and ``/admin``. Without
    one, nothing: the config file's accounts are read as they are."""
    if not cfg.appointments.database:
        return
    # the config file's accounts, before the live copy replaces them
    toml = replace(cfg, doctors=dict(cfg.doctors), staff=dict(cfg.staff), cabins=dict(cfg.cabins))

    async def lifetime(app: web.Application) -> AsyncIterator[None]:
        repo = await Repository.open(cfg.appointments.database)
        accounts = Accounts(
            AccountRepository(repo.engine), cfg,
            on_gone=lambda kind, login: close_peers(hub, kind, login),
        )  # fmt: skip
        await accounts.import_config(toml)
        await accounts.load()
        app[ACCOUNTS] = accounts
        task = asyncio.create_task(accounts.watch(), name="accounts-watch")
        yield
        await stop(task)
        await repo.close()

    app.cleanup_ctx.append(lifetime)
    router = app.router
    router.add_get("/admin", admin_page)
    router.add_get("/api/admin/accounts", listing)
    router.add_post("/api/admin/accounts", add)
    router.add_post("/api/admin/accounts/{kind}/{login}/{action}", act)


def _admin(request: web.Request) -> str:
    session = request.app[SESSIONS].get(request.cookies.get(auth.COOKIE))
    if session is None:
        raise _error(401, "login", "log in first")
    if session.role != auth.ADMIN or session.doctor_id not in request.app[ACCOUNTS].cfg.admins:
        raise _error(403, "not_admin", "this login is not an administrator's")
    return session.doctor_id


def _error(status: int, code: str, message: str) -> web.HTTPException:
    exc = web.HTTPException(
        text=web.json_response({"error": code, "message": message}).text,
        content_type="application/json",
    )
    exc.set_status(status)
    return exc


async def admin_page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "admin.html")


async def listing(request: web.Request) -> web.Response:
    me = _admin(request)
    rows = await request.app[ACCOUNTS].list()
    return web.json_response({"me": me, "accounts": [r.public() for r in rows]})


async def add(request: web.Request) -> web.Response:
    me = _admin(request)
    try:
        body = await security.read_json(request)
        if not isinstance(body, dict):
            raise TypeError
        kind, login = str(body.get("kind", "")), str(body.get("login", "")).strip()
        name = str(body.get("name", ""))
        cabins = tuple(c.strip() for c in str(body.get("cabins", "")).split(",") if c.strip())
        details = body.get("details") or {}
        if not isinstance(details, dict):
            raise TypeError
        details = {str(k): str(v).strip() for k, v in details.items() if str(v).strip()}
        psc_only = body.get("psc_only") is True
    except (security.BadInput, TypeError) as exc:
        raise _error(400, "bad_request", "a JSON object is expected") from exc
    try:
        row, secret = await request.app[ACCOUNTS].add(
            kind, login, name=name, cabins=cabins, details=details, psc_only=psc_only
        )
    except BadAccount as exc:
        raise _error(400, "bad_account", str(exc)) from exc
    except AccountExists as exc:
        raise _error(409, "exists", "this login is taken") from exc
    log.info("admin %s: %s %s added", me, kind, login)
    return web.json_response({"account": row.public(), "secret": secret}, status=201)


async def act(request: web.Request) -> web.Response:
    me = _admin(request)
    kind, login = request.match_info["kind"], request.match_info["login"]
    action = request.match_info["action"]
    accounts = request.app[ACCOUNTS]
    if kind not in KINDS or action not in ("disable", "enable", "reset"):
        raise _error(404, "not_found", "no such account or action")
    if action == "disable" and kind == "admin" and login == me:
        raise _error(409, "self", "an administrator cannot disable their own account")
    try:
        if action == "reset":
            secret = await accounts.reset(kind, login)
            log.info("admin %s: %s %s reset", me, kind, login)
            return web.json_response({"secret": secret})
        await accounts.set_enabled(kind, login, action == "enable")
    except NoAccount as exc:
        raise _error(404, "not_found", "no such account") from exc
    log.info("admin %s: %s %s %sd", me, kind, login, action)
    return web.json_response({"ok": True})
