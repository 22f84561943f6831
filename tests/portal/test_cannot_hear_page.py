"""The patient's "I can't hear the doctor" reaches the doctor's page as a banner that stays
until the doctor dismisses it, in the page's language, without an accessibility violation.

A real call, as in ``test_call``: the kiosk's aiortc offers, a real headless Chromium answers,
and the message travels on the call's data channel (never through the portal).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import pytest_asyncio

from kiosk.call import CabinCall
from portal import server
from tests.e2e import axe
from tests.helpers.call import Recorder, connected_call
from tests.portal.conftest import DOCTORS, DoctorPage
from tests.portal.test_cardless_page import take

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

CONSENT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
BANNER = "const b = document.getElementById('hear-alert'); return !b.hidden && !!b.offsetParent;"


@pytest_asyncio.fixture
async def cabin_call(netns_portal: server.Running) -> AsyncIterator[CabinCall]:
    async with connected_call(netns_portal.url, devices=lambda: {}) as call:
        yield call


async def test_the_doctor_sees_the_patient_cannot_hear_until_dismissed(
    doctor_page: DoctorPage, cabin_call: CabinCall
) -> None:
    page, call = doctor_page, cabin_call
    recorder = Recorder(call)
    await page.login("dr-a", DOCTORS["dr-a"])
    await page.click("button.lang[data-lang='fr']")
    await call.check_in("sess-hear", booking_code="K7P2QX", without_card=True, consent_time=CONSENT)
    await take(page, recorder, "sess-hear", "booking_code")
    assert not await page.js(BANNER)

    assert call.tell_cannot_hear()
    await page.until("the banner", lambda: page.js(BANNER))
    text = await page.js("return document.getElementById('hear-alert').innerText")
    assert "ne vous entend pas" in text
    assert await page.js("return document.activeElement.id") == "hear-ok"
    found = await axe.violations(page)
    assert not found, f"axe-core with the banner:\n{axe.readable(found)}"

    await page.click("button.lang[data-lang='en']")
    text = await page.js("return document.getElementById('hear-alert').innerText")
    assert "cannot hear you" in text

    await page.click("#hear-ok")
    await page.until(
        "the banner dismissed",
        lambda: page.js("return document.getElementById('hear-alert').hidden"),
    )
    assert await page.js("return window.cabine.snapshot().channel") == "open"
