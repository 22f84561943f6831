"""What every page of the booking site shares: the language, the rendering, the site object
(:class:`~portal.appointments.site.BookingSite`) of the app, the request's source."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from markupsafe import Markup, escape

from portal.appointments import api as appointments_api
from portal.appointments.site import BookingSite
from portal.appointments.verification import Flows
from portal.booking import i18n
from portal.limits import GUARD

JINJA: web.AppKey[Any] = web.AppKey("booking_jinja")
_ISOLATED = re.compile("([\u2066\u2068])([^\u2066\u2068\u2069]*)\u2069")


def _span(found: re.Match[str]) -> str:
    """An isolate as a left-to-right span; U+2066 (an example, a number) also unbroken."""
    nobr = ' class="nobr"' if found.group(1) == "\u2066" else ""
    return f'<span dir="ltr"{nobr}>{found.group(2)}</span>'


FLOWS: web.AppKey[Flows] = web.AppKey("booking_flows")


class SiteHolder:
    """The app's booking site, made at its first request (the database opens with the app)."""

    site: BookingSite | None = None


SITE: web.AppKey[SiteHolder] = web.AppKey("booking_site")


def site(request: web.Request) -> BookingSite:
    holder = request.app[SITE]
    if holder.site is None:
        service = request.app[appointments_api.APPOINTMENTS].service
        if service is None:
            raise unavailable(request)
        holder.site = BookingSite(service, request.app[FLOWS])
    return holder.site


def lang_of(request: web.Request) -> str:
    lang = request.match_info.get("lang", "fr")
    if lang not in i18n.LANGS:
        raise web.HTTPNotFound()
    return lang


def source(request: web.Request) -> str:
    return request.app[GUARD].source(request)


def a11y_label(request: web.Request, lang: str) -> str:
    status = request.app[SITE_CFG].rgaa_status
    return i18n.text(lang, {"full": "a11y_full", "none": "a11y_none"}.get(status, "a11y"))


SITE_CFG: web.AppKey[Any] = web.AppKey("booking_cfg")


def render(
    request: web.Request,
    template: str,
    lang: str,
    *,
    title: str,
    status: int = 200,
    errors: list[tuple[str, str]] | None = None,
    **context: Any,
) -> web.Response:
    """A page in ``lang``: its title, an error summary when ``errors`` (field id, message)."""
    path = request.path
    rest = path[len(f"/book/{lang}") :] if path.startswith(f"/book/{lang}") else "/"
    query = f"?{request.query_string}" if request.query_string else ""
    languages = [(code, i18n.NAMES[code], f"/book/{code}{rest}{query}") for code in i18n.LANGS]

    def t(key: str, **fields: object) -> Markup:
        # what reads left to right (a phone number, a date example) as an LTR span: the
        # isolate characters alone did not keep "06 12 34 56 78" in order in Chromium
        escaped = str(escape(i18n.text(lang, key, **fields)))
        return Markup(_ISOLATED.sub(_span, escaped))

    response = aiohttp_jinja2.render_template(
        template,
        request,
        {
            "lang": lang,
            "dir": "rtl" if lang in i18n.RTL else "ltr",
            "t": t,
            "title": title,
            "errors": errors or [],
            "error_of": dict(errors or []),
            "languages": languages,
            "a11y_label": a11y_label(request, lang),
            "weekday": lambda key: i18n.weekday(lang, key),
            "long_date": lambda iso: i18n.long_date(lang, date.fromisoformat(iso)),
            "days_list": lambda keys: (
                i18n.text(lang, "every_day")
                if len(set(keys)) == 7
                else ", ".join(i18n.weekday(lang, k) for k in keys)
            ),
            "status": status,
            "step": 0,
            "notice": "",
            **context,
        },
        status=status,
        app_key=JINJA,
    )
    return response


def message(
    request: web.Request, lang: str, *, title: str, body: str, status: int, link: str = ""
) -> web.Response:
    """A page of one message, with a link to start again."""
    return render(
        request,
        "message.html",
        lang,
        title=title,
        status=status,
        body=body,
        link=link or f"/book/{lang}/",
    )


def unavailable(request: web.Request) -> web.HTTPException:
    lang = request.match_info.get("lang", "fr")
    lang = lang if lang in i18n.LANGS else "fr"
    page = message(
        request,
        lang,
        title=i18n.text(lang, "site"),
        body=i18n.text(lang, "unavailable"),
        status=503,
    )
    return web.HTTPServiceUnavailable(
        text=page.text, content_type="text/html", headers={"Retry-After": "60"}
    )
