"""The portal assembled and served: the aiohttp application (its routes, middlewares and
background work) and the running server, plain or TLS.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass

from aiohttp import web

from portal import auth, credentials, http, limits, security, sockets
from portal.appointments import api as appointments_api
from portal.config import ALL_CABINS, PortalConfig
from portal.http import CONFIG, SESSIONS
from portal.hub import HUB, Hub

log = security.escaped_logger(__name__)


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
    """The portal's application: its routes, middlewares, live hub, logins and appointments."""
    app = web.Application(
        middlewares=[
            security.security_headers,
            limits.body_deadline(cfg.limits.body_timeout_s),
            security.same_origin_writes,
        ],
        client_max_size=64 * 1024,
    )
    app[CONFIG] = cfg
    app[HUB] = Hub(cfg)
    app[SESSIONS] = auth.Sessions(
        ttl_s=cfg.server.session_hours * 3600, secret=cfg.server.session_secret.encode()
    )
    guard = app[limits.GUARD] = limits.Guard.from_config(cfg.limits)
    app[credentials.CREDENTIALS] = credentials.Credentials(cfg, guard)
    app.router.add_get("/", http.index)
    app.router.add_static("/static/", http.STATIC)
    app.router.add_post("/api/login", http.login)
    app.router.add_post("/api/logout", http.logout)
    app.router.add_get("/api/me", http.me)
    app.router.add_get("/api/waiting-room", http.waiting_room)
    app.router.add_get("/api/health", http.health)
    app.router.add_get("/ws/cabin", sockets.cabin_socket)
    app.router.add_get("/ws/doctor", sockets.doctor_socket)
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
