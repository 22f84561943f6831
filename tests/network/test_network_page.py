"""The cabin's network notice on the doctor's page: a calm banner over the patient's picture
(the voice alone, or a smaller picture), in the page's language, gone when the video is back,
without an accessibility violation. A real call; the notice on its data channel."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from kiosk.call import CabinCall
from kiosk.call.bandwidth import Plan
from portal import server
from tests.e2e import axe
from tests.helpers.call import Recorder, connected_call
from tests.portal.conftest import DoctorPage
from tests.portal.test_call import PATIENT, connected, take_patient

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

BANNER = (
    "const b = document.getElementById('network-banner');return b && !b.hidden ? b.innerText : '';"
)
HIDDEN = "const b = document.getElementById('network-banner'); return !b || b.hidden;"
SHOTS = Path(__file__).resolve().parents[2] / ".cache" / "screenshots" / "network"


@pytest_asyncio.fixture
async def cabin_call(netns_portal: server.Running) -> AsyncIterator[CabinCall]:
    async with connected_call(netns_portal.url, devices=lambda: {}) as call:
        yield call


async def test_the_doctor_is_told_the_cabin_sends_its_voice_alone(
    doctor_page: DoctorPage, cabin_call: CabinCall
) -> None:
    page, call = doctor_page, cabin_call
    recorder = Recorder(call)
    await call.check_in("sess-net", identity=PATIENT)
    await take_patient(page, "sess-net")
    await connected(page, call, recorder)
    await page.click("button.lang[data-lang='fr']")
    assert not await page.js(BANNER)

    call._on_network(Plan.for_estimate(60, video=False))
    text = await page.until("the banner", lambda: page.js(BANNER))
    assert "la vidéo est coupée, le son continue" in text
    assert call.network is not None and not call.network.video
    found = await axe.violations(page)
    assert not found, f"axe-core with the banner:\n{axe.readable(found)}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(SHOTS / "doctor-voice-only-fr.png")

    await page.click("button.lang[data-lang='en']")
    await page.until(
        "said again in English",
        lambda: page.js(BANNER.replace("b.innerText", "b.innerText.includes('sound goes on')")),
    )

    call._on_network(Plan.for_estimate(300))
    await page.until(
        "a smaller picture",
        lambda: page.js(BANNER.replace("b.innerText", "b.innerText.includes('320×240')")),
    )
    assert "Weak network at the cabin: smaller picture (320×240)." in await page.js(BANNER)
    await page.screenshot(SHOTS / "doctor-reduced-en.png")

    call._on_network(Plan.for_estimate(1600))
    await page.until("no banner with the full picture", lambda: page.js(HIDDEN))
