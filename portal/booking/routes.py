"""The booking site's routes, templates and static files on the portal's application."""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from portal.appointments.verification import Flows
from portal.booking import flow, manage
from portal.booking.pages import FLOWS, JINJA, SITE, SITE_CFG, SiteHolder, unavailable
from portal.config import PortalConfig

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
LANG = "{lang:fr|en|ar|es}"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _calm(handler: Handler) -> Handler:
    """The database away (or its pool exhausted): a calm page saying nothing is booked,
    never a stack trace; logged by the error's type only."""

    @functools.wraps(handler)
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except (SQLAlchemyError, OSError) as exc:
            log.warning("booking site: %s (the database)", type(exc).__name__)
            raise unavailable(request) from exc

    return wrapped


class _Calm:
    """The router, every handler it is given wrapped by :func:`_calm`."""

    def __init__(self, router: web.UrlDispatcher) -> None:
        self.router = router

    def add_get(self, path: str, handler: Handler) -> None:
        self.router.add_get(path, _calm(handler))

    def add_post(self, path: str, handler: Handler) -> None:
        self.router.add_post(path, _calm(handler))

    def add_static(self, prefix: str, path: Path) -> None:
        self.router.add_static(prefix, path)


def setup(app: web.Application, cfg: PortalConfig) -> None:
    """Serve the site when ``[booking] enabled`` (it needs the appointments' database)."""
    if not cfg.booking.enabled or not cfg.appointments.database:
        return
    aiohttp_jinja2.setup(
        app,
        app_key=JINJA,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(default=True),
        undefined=jinja2.StrictUndefined,
    )
    app[SITE_CFG] = cfg.booking
    app[FLOWS] = Flows(cfg.booking, secret=cfg.booking.link_secret)
    holder = app[SITE] = SiteHolder()
    r = _Calm(app.router)
    r.add_static("/book/static/", HERE / "static")
    r.add_get("/book", flow.index)
    r.add_get("/book/", flow.index)
    r.add_get(f"/book/{LANG}/", flow.find)
    r.add_get(f"/book/{LANG}/cabin/{{cabin_id}}", flow.slots_page)
    r.add_post(f"/book/{LANG}/cabin/{{cabin_id}}", flow.pick)
    r.add_get(f"/book/{LANG}/who", flow.who_page)
    r.add_post(f"/book/{LANG}/who", flow.who)
    r.add_get(f"/book/{LANG}/phone", flow.phone_page)
    r.add_post(f"/book/{LANG}/phone", flow.phone)
    r.add_get(f"/book/{LANG}/code", flow.code_page)
    r.add_post(f"/book/{LANG}/code", flow.code)
    r.add_get(f"/book/{LANG}/done", flow.done)
    r.add_get("/b/{token}", manage.short_link)
    r.add_get(f"/book/{LANG}/manage/{{token}}", manage.manage)
    r.add_post(f"/book/{LANG}/manage/{{token}}/move", manage.move)
    r.add_get(f"/book/{LANG}/manage/{{token}}/cancel", manage.cancel_page)
    r.add_post(f"/book/{LANG}/manage/{{token}}/cancel", manage.cancel)
    r.add_get(f"/book/{LANG}/{{page:privacy|legal|accessibility}}", manage.about)
    r.add_get("/api/cabins", manage.api_cabins)
    r.add_get(f"/book/{LANG}/{{tail:.*}}", manage.not_found)

    async def lifetime(app: web.Application) -> AsyncIterator[None]:
        yield
        if holder.site is not None:
            await holder.site.close()
            holder.site = None

    app.cleanup_ctx.append(lifetime)
