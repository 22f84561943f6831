"""The portal assembled and served: the aiohttp application (its routes, middlewares and
background work) and the running server, plain or TLS.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from portal import auth, cluster, credentials, http, limits, papers, relay, security, sockets
from portal.accounts import web as accounts_web
from portal.appointments import api as appointments_api
from portal.booking import setup as booking_setup
from portal.booking.pages import FLOWS
from portal.cluster import windows
from portal.cluster.mesh import Mesh
from portal.cluster.throttle import SharedThrottle
from portal.config import ALL_CABINS, PortalConfig
from portal.http import CONFIG, SESSIONS
from portal.hub import HUB, Hub
from portal.oidc import web as psc_web

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
    await hub.stop_rounds()
    for peer in [*hub.doctors, *(c.peer for c in hub.cabins.values() if c.peer)]:
        await peer.ws.close(code=1001, message=b"portal stopping")


async def _cluster(app: web.Application) -> AsyncIterator[None]:
    """The shared state of ``[cluster]``: Redis reached and this instance announced (else
    :class:`cluster.ClusterUnavailable`, naming the URL), or the hub's own memory."""
    hub, url = app[HUB], app[CONFIG].cluster.redis_url
    if not url:
        yield
        return
    shared = await cluster.connect(url)
    doctor = functools.partial(relay.from_doctor, hub)
    hub.mesh = Mesh(
        hub, shared, on_doctor=lambda peer, msg: relay.handle(peer, doctor, msg),
        ttl_s=app[CONFIG].cluster.presence_ttl_s,
    )  # fmt: skip
    guard = app[limits.GUARD]  # failed logins count on every instance
    guard.throttle = hub.mesh.throttle = SharedThrottle.like(
        guard.throttle, shared, hub.mesh.limit_reached
    )
    if FLOWS in app:  # the booking site's limits: a code sent anywhere counts everywhere
        hub.mesh.windows = windows.share(
            app[FLOWS], shared, secret=app[CONFIG].booking.link_secret,
            on_limit=hub.mesh.limit_reached,
        )  # fmt: skip
    await hub.mesh.start()
    log.info("portal: instance %s sharing its state in Redis (%s)", shared.instance,
             getattr(shared, "parser", ""))  # fmt: skip
    yield
    await hub.mesh.stop()


async def _health(request: web.Request) -> web.Response:
    """``/api/health``: 503 while the shared state is out of reach (HAProxy then sends the
    cabins to another instance, or they retry)."""
    mesh = request.app[HUB].mesh
    if mesh is not None and not await mesh.cluster.ping():
        return web.json_response(
            {"ok": False, "error": "unavailable", "message": "shared state unreachable"},
            status=503,
        )
    return await http.health(request)


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
    app.router.add_get("/api/health", _health)
    papers.setup(app, cfg.prescriptions)
    app.router.add_get("/ws/cabin", sockets.cabin_socket)
    app.router.add_get("/ws/doctor", sockets.doctor_socket)
    app.cleanup_ctx.append(_cluster)
    app.cleanup_ctx.append(_refresh)
    app.on_cleanup.append(lambda app: _close_pool(app[limits.GUARD]))
    hub = app[HUB]
    accounts_web.setup(app, cfg, hub)  # accounts in the database, and /admin
    psc_web.setup(app, cfg, app[SESSIONS])  # Pro Santé Connect sign-in ([psc])
    appointments_api.setup(
        app,
        cfg,
        staff_access=_staff_access,
        on_ready=lambda service: setattr(hub, "appointments", service),
        cabin_status=functools.partial(_cabin_status, hub),
        staff_coming=functools.partial(_staff_coming, hub),
    )
    booking_setup(app, cfg)  # the patients' booking site at /book ([booking] enabled)
    return app


def _cabin_status(hub: Hub, cabin_id: str) -> dict[str, Any]:
    """A cabin for the staff page, wherever its socket is (``[cluster]``)."""
    return (hub.mesh or hub).cabin_status(cabin_id)


async def _staff_coming(hub: Hub, cabin_id: str, by: str) -> bool:
    return await (hub.mesh or hub).staff_coming(cabin_id, by)


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
    try:
        await runner.setup()
    except cluster.ClusterUnavailable as exc:  # the portal exits saying why
        log.error("portal: %s", exc)
        await runner.cleanup()
        raise SystemExit(f"portal: {exc} (is Redis running? see [cluster] redis_url)") from exc
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
