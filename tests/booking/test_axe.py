"""Issue 17's acceptance: axe-core (injected into the real Chromium) finds no WCAG A/AA
violation on any page or state of the booking site, errors included, in the four languages;
and no page scrolls sideways at 320 CSS pixels wide nor at 200 % zoom (a 1280-pixel window
zoomed twice lays the page out 640 CSS pixels wide, at twice the pixel density).

``BOOKING_SHOTS=<folder>`` also saves each state at phone size (390 x 844) there."""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path

import pytest

from portal import server
from tests.booking.browser import horizontal_overflow, viewport, wait_path
from tests.booking.conftest import SmsSink
from tests.e2e import axe
from tests.portal.conftest import DoctorPage, chromium

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]

SUBMIT = """const forms = Array.from(document.forms).filter(f => f.getAttribute('action').includes(arguments[0]));
const keys = Object.keys(arguments[1]);
const f = forms.find(f => keys.every(k => f.elements[k])) || forms[0];
for (const [k, v] of Object.entries(arguments[1])) {
  const e = f.elements[k];
  if (e && e.type === 'radio') { f.querySelector(`[name="${k}"][value="${v}"]`).checked = true; }
  else if (e) { e.value = v; }
}
f.submit();"""


class States:
    """Each state is checked as it is reached: axe, then 320 px, then 200 % zoom."""

    def __init__(self, page: DoctorPage, lang: str, shots: Path | None = None) -> None:
        self.page, self.lang, self.failures, self.seen = page, lang, list[str](), list[str]()
        self.shots = shots

    async def check(self, name: str) -> None:
        page = self.page
        self.seen.append(name)
        found = await axe.violations(page)
        if found:
            self.failures.append(f"[{self.lang}] {name}: axe\n{axe.readable(found)}")
        for width, height, scale, label in ((320, 640, 1.0, "320 px"), (640, 450, 2.0, "200 %")):
            await viewport(page, width, height, scale)
            overflow = await horizontal_overflow(page)
            if overflow:
                self.failures.append(f"[{self.lang}] {name} at {label}: {overflow}")
        if self.shots is not None:
            await self.shoot(name)
        await page.run(page.driver.execute_cdp_cmd, "Emulation.clearDeviceMetricsOverride", {})

    async def shoot(self, name: str) -> None:
        """The whole page at phone size (390 x 844 CSS pixels), as one tall PNG."""
        page, number = self.page, len(self.seen)
        await viewport(page, 390, 844)
        height = await page.js("return document.documentElement.scrollHeight")
        await viewport(page, 390, max(844, int(height)))
        shot = await page.run(
            page.driver.execute_cdp_cmd, "Page.captureScreenshot", {"format": "png"}
        )
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        assert self.shots is not None
        (self.shots / f"{self.lang}-{number:02d}-{slug}.png").write_bytes(
            base64.b64decode(shot["data"])
        )

    async def go(self, path: str, name: str, part: str = "") -> None:
        await self.page.run(self.page.driver.get, self.page.url + path)
        await wait_path(self.page, part or path.split("?", maxsplit=1)[0])
        await self.check(name)

    async def submit(self, action: str, values: dict[str, str], name: str, part: str) -> None:
        await self.page.js(SUBMIT, action, values)
        await wait_path(self.page, part)
        await self.page.until(
            "the page",
            lambda: self.page.js(
                "return document.readyState === 'complete' && !!document.querySelector('main')"
            ),
        )
        await self.check(name)


async def walk_every_state(page: DoctorPage, lang: str, sink: SmsSink, states: States) -> None:
    """Every page and state of the site, in ``lang``."""
    base = f"/book/{lang}"
    await states.go(f"{base}/", "find")
    await states.go(f"{base}/?q=78000", "find: results", "q=78000")
    await states.go(f"{base}/?q=rambouillet", "find: the bus santé", "q=rambouillet")
    await states.go(f"{base}/?q=+", "find: empty (error)", "q=")
    await states.go(f"{base}/?q=Brest", "find: none", "q=Brest")
    await states.go(f"{base}/cabin/cabin-test-01", "slots")
    await states.submit("/cabin/", {}, "slots: none picked (error)", "/cabin/")
    first = await page.js("return document.querySelector('input[name=slot]').value")
    await states.submit("/cabin/", {"slot": first}, "who", "/who")
    await states.submit("/who", {}, "who: empty (errors)", "/who")
    await states.submit(
        "/who",
        {"who": "self", "last_name": "Иванов", "first_name": "Léa", "birth_day": "1",
         "birth_month": "1", "birth_year": "2999"},
        "who: Cyrillic name, birth in the future (errors)", "/who",
    )  # fmt: skip
    await states.submit(
        "/who",
        {"who": "child", "last_name": "Haddad", "first_name": "Inès", "birth_day": "2",
         "birth_month": "5", "birth_year": "2016"},
        "phone", "/phone",
    )  # fmt: skip
    await states.submit("/phone", {"phone": "+44 7700 900123"}, "phone: foreign (error)", "/phone")
    sink.up = False
    await states.submit("/phone", {"phone": "06 12 34 56 78"}, "phone: SMS down (error)", "/phone")
    sink.up = True
    await states.submit("/phone", {"phone": "06 12 34 56 78"}, "code", "/code")
    await states.submit("/code", {"code": "12"}, "code: wrong (error)", "/code")
    await states.submit("/code", {"action": "resend"}, "code: a new one sent", "n=1")
    await states.submit("/code", {"code": sink.last_code()}, "done", "/done")
    manage = await page.js("return document.querySelector('a[href*=\"/manage/\"]').href")
    manage = re.sub(r"^https?://[^/]+", "", manage)
    await states.go(manage, "manage", "/manage/")
    await states.submit("/move", {}, "manage: move without a slot (error)", "/move")
    await states.go(manage + "/cancel", "cancel", "/cancel")
    await states.submit("/cancel", {}, "cancelled", "/cancel")
    await states.go(f"{base}/manage/abcdefghjkAAAAAAAAAAAAAAAA", "a bad link", "/manage/")
    await states.go(f"{base}/who?f=gone", "a lost booking", "/who")
    await states.go(f"{base}/nowhere", "not found", "/nowhere")
    for about in ("privacy", "legal", "accessibility"):
        await states.go(f"{base}/{about}", about)


@pytest.mark.parametrize("lang", ["fr", "en", "ar", "es"])
async def test_no_violation_and_no_sideways_scroll_on_any_page(
    site_portal: server.Running, sms_sink: SmsSink, tmp_path: Path, lang: str
) -> None:
    async with chromium(site_portal.url, tmp_path) as page:
        shots = os.environ.get("BOOKING_SHOTS")
        states = States(page, lang, Path(shots) if shots else None)
        await walk_every_state(page, lang, sms_sink, states)
    assert len(states.seen) == 27
    assert not states.failures, "\n".join(states.failures)
