"""Walking the booking site's steps as a browser without JavaScript would."""

from __future__ import annotations

import html
import re

import aiohttp

from tests.booking.conftest import Page, SmsSink, get, post
from tests.portal.conftest import CABIN_ID

ZOE = {
    "who": "self",
    "last_name": "Lefèvre",
    "first_name": "Zoé",
    "birth_day": "14",
    "birth_month": "3",
    "birth_year": "1985",
}
MOBILE = "06 12 34 56 78"
E164 = "+33612345678"


def flow_id(page: Page) -> str:
    found = re.search(r'name="f" value="([^"]+)"', page.html)
    assert found, page.text[:500]
    return found.group(1)


async def slot_page(http: aiohttp.ClientSession, url: str, lang: str = "fr") -> Page:
    page = await get(http, f"{url}/book/{lang}/cabin/{CABIN_ID}")
    assert page.status == 200, page.text[:400]
    return page


async def pick(
    http: aiohttp.ClientSession, url: str, lang: str = "fr", *, index: int = 0, flow: str = ""
) -> Page:
    """Pick the ``index``-th free slot of the first day offered that has that many (late in
    the evening today's last slots may be fewer); the who page (or what came)."""
    page = await get(http, f"{url}/book/{lang}/cabin/{CABIN_ID}" + (f"?f={flow}" if flow else ""))
    form = page.form("/cabin/")
    days = [html.unescape(h) for h in re.findall(r'href="([^"]*day=[0-9-]{10}[^"]*)"', page.html)]
    for link in days[1:]:
        if len(form["radios"]) > index:
            break
        page = await get(http, url + link)
        form = page.form("/cabin/")
    return await post(http, url, form, slot=form["radios"][index])


async def up_to_code(
    http: aiohttp.ClientSession,
    url: str,
    lang: str = "fr",
    *,
    index: int = 0,
    phone: str = MOBILE,
    person: dict[str, str] | None = None,
) -> Page:
    """From a slot to the code page."""
    who = await pick(http, url, lang, index=index)
    assert who.status == 200 and "/who" in who.url, who.text[:600]
    phone_page = await post(http, url, who.form("/who"), **(person or ZOE))
    assert "/phone" in phone_page.url, phone_page.errors
    code_page = await post(http, url, phone_page.form("/phone"), phone=phone)
    assert "/code" in code_page.url, code_page.errors
    return code_page


async def book(
    http: aiohttp.ClientSession, url: str, sink: SmsSink, lang: str = "fr", *, index: int = 0
) -> Page:
    code_page = await up_to_code(http, url, lang, index=index)
    done = await post(http, url, code_page.form("/code"), code=sink.last_code())
    assert done.status == 200 and "/done" in done.url, (done.url, done.errors)
    return done
