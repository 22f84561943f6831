"""Fixtures of the booking site's tests: a portal with appointments (SQLite) and the site on,
an SMS gateway that records what it is asked to send (or the real Kannel where said), and a
small reader of the site's pages (forms, fields, errors)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import aiohttp
import pytest_asyncio
from aiohttp import web

from portal import auth, server
from portal.appointments.api import APPOINTMENTS
from portal.booking.pages import FLOWS
from portal.config import PortalConfig
from portal.config import parse as parse_portal_config
from tests.appointments.conftest import (  # noqa: F401 (Kannel's fixtures, shared)
    appointments_toml,
    free_port,
    kannel,
    kannel_stopped,
)

BUS = "bus-sante-01"
LINK_SECRET = "test-link-secret-0123456789"


def site_toml(database: str, *, sendsms_url: str, base_url: str = "", **site: Any) -> str:
    """The appointments' test portal, its test cabin in Versailles open every day all day, a
    bus santé on Tuesdays, and the booking site on."""
    text = appointments_toml(database, sendsms_url=sendsms_url)
    # the test cabin's directory keys, after its [hours] table's last key
    text = text.replace(
        "walk_ins = true\n",
        'walk_ins = true\ncommune = "Versailles"\npostcode = "78000"\nstep_free = true\n'
        'hearing_loop = true\nlanguages = ["fr", "en", "ar"]\n',
        1,
    )
    extra = {
        "enabled": True,
        "base_url": base_url,
        "link_secret": LINK_SECRET,
        "days_ahead": 7,
        "controller": "Département des Yvelines",
        "controller_address": "2 place André Mignot, 78000 Versailles",
        "controller_contact": "rdv-cabine@example.org",
        **site,
    }
    lines = [f"{k} = {json.dumps(v)}" for k, v in extra.items()]
    bus_token = auth.hash_secret("bus-token", n=2**10)
    return (
        text
        + "\n[booking]\n"
        + "\n".join(lines)
        + f"""

[cabins.{BUS}]
name = "Bus santé"
token = "{bus_token}"

[hours.{BUS}]
timezone = "Europe/Paris"
days = ["tue", "thu"]
opens = "09:00"
closes = "17:00"
slot_min = 20
address = "Dépôt du bus, 78120 Rambouillet"
commune = "Rambouillet"
postcode = "78120"
walk_ins = false
companion_seat = true
languages = ["fr"]
locations = ["tue 09:00-12:00 | Place de la Mairie | 78120 Rambouillet",
             "thu 14:00-17:00 | Parking du marché | 78730 Saint-Arnoult-en-Yvelines"]
"""
    )


def site_config(database: str, **kwargs: Any) -> PortalConfig:
    return parse_portal_config(site_toml(database, **kwargs), source="test.toml")


@dataclass
class SmsSink:
    """An HTTP endpoint answering as Kannel's sendsms does; ``up`` false answers 503."""

    url: str = ""
    got: list[dict[str, str]] = field(default_factory=list)
    up: bool = True

    def texts(self, to: str = "") -> list[str]:
        return [m["text"] for m in self.got if not to or m["to"] == to]

    def last_code(self, to: str = "") -> str:
        for text in reversed(self.texts(to)):
            found = re.search(r"\b(\d{6})\b", text)
            if found:
                return found.group(1)
        raise AssertionError(f"no code SMS among {self.texts(to)}")


@pytest_asyncio.fixture
async def sms_sink() -> AsyncIterator[SmsSink]:
    sink = SmsSink()

    async def sendsms(request: web.Request) -> web.Response:
        if not sink.up:
            return web.Response(status=503, text="down")
        sink.got.append(dict(request.query))
        return web.Response(status=202, text="0: Accepted for delivery")

    app = web.Application()
    app.router.add_get("/cgi-bin/sendsms", sendsms)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    sink.url = f"http://127.0.0.1:{port}/cgi-bin/sendsms"
    try:
        yield sink
    finally:
        await runner.cleanup()


@pytest_asyncio.fixture
async def site_portal(tmp_path: Path, sms_sink: SmsSink) -> AsyncIterator[server.Running]:
    """The portal with the booking site, SMS to the sink."""
    port = free_port()
    cfg = site_config(
        f"sqlite+aiosqlite:///{tmp_path / 'a.db'}",
        sendsms_url=sms_sink.url,
        base_url=f"http://127.0.0.1:{port}",
    )
    running = await server.start(cfg, host="127.0.0.1", port=port)
    try:
        yield running
    finally:
        await running.stop()


def flows_of(running: server.Running) -> Any:
    return running.app[FLOWS]


def service_of(running: server.Running) -> Any:
    return running.app[APPOINTMENTS].get()


# -- reading pages -------------------------------------------------------------------------


def plain(markup_text: str) -> str:
    """Text as read: entities decoded, direction isolates dropped, no-break spaces as spaces."""
    text = html.unescape(markup_text).replace("\u00a0", " ")
    return re.sub("[\u2066\u2068\u2069]", "", text)


class Page(HTMLParser):
    """A page's forms (action, fields), links, error summary, title, lang and dir."""

    def __init__(self, status: int, url: str, page: str) -> None:
        super().__init__()
        self.status, self.url, self.html = status, url, page
        self.forms: list[dict[str, Any]] = []
        self.links: list[str] = []
        self.attrs_html: dict[str, str] = {}
        self._in_summary = False
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.attrs_html = a
        elif tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": {}, "radios": []})
        elif tag == "input" and self.forms:
            if a.get("type") == "radio":
                self.forms[-1]["radios"].append(a.get("value", ""))
            else:
                self.forms[-1]["fields"][a.get("name", "")] = a.get("value", "")
        elif tag == "a" and "href" in a:
            self.links.append(a["href"])

    @property
    def text(self) -> str:
        return plain(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", self.html)))

    @property
    def errors(self) -> list[str]:
        found = re.search(r'<div class="error-summary".*?</div>', self.html, re.S)
        if not found:
            return []
        return [
            plain(re.sub(r"<[^>]+>", "", m).strip())
            for m in re.findall(r"<li>(.*?)</li>", found.group(), re.S)
        ]

    def form(self, action_part: str) -> dict[str, Any]:
        return next(f for f in self.forms if action_part in f["action"])


async def get(http: aiohttp.ClientSession, url: str) -> Page:
    async with http.get(url) as response:
        return Page(response.status, str(response.url), await response.text())


async def post(http: aiohttp.ClientSession, base: str, form: dict[str, Any], **values: str) -> Page:
    data = {**form["fields"], **values}
    async with http.post(base + form["action"], data=data) as response:
        return Page(response.status, str(response.url), await response.text())
