"""The doctor downloads the readings as FHIR (issue 19): the button waits for a reading and
the link, asks the cabin, saves the bundle it sends (in Chromium's download folder) under a
name with the session id and the date, says so in the page's language, says why when the
cabin has nothing, refuses a piece nobody asked for, forgets it all with the call; no WCAG
A/AA violation found by axe-core.

Real parts: the cabin (session, call) on the portal, the doctor's page in a real headless
Chromium, in a private network namespace (see ``loopback_netns``). Set ``DOCTOR_SHOTS`` to a
folder to keep the screenshots (fr and en); they go to the test's temporary folder otherwise.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from harness.fhir_download import download_bundle
from kiosk.cabin import Cabin
from kiosk.session import ReadingReceived
from portal import server
from tests.core.helpers import beneficiary
from tests.e2e import axe
from tests.e2e.conftest import cabin_on_portal, check_in, take
from tests.portal.conftest import DOCTORS, DoctorPage
from tests.records.consultation import readings

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

BUTTON = """
const b = document.getElementById('fhir-download');
return {text: b.textContent, disabled: b.disabled,
        status: document.getElementById('fhir-status').textContent,
        after: b.closest('div').previousElementSibling.id};
"""


@pytest_asyncio.fixture
async def cabin(
    netns_portal: server.Running, sims: dict[str, Any], shm_spool: Path
) -> AsyncIterator[Cabin]:
    async with cabin_on_portal(netns_portal, sims, shm_spool, max_reconnects=2) as started:
        yield started


async def shots(page: DoctorPage, name: str) -> None:
    folder = Path(os.environ.get("DOCTOR_SHOTS") or page.failures)
    folder.mkdir(parents=True, exist_ok=True)
    for code in ("fr", "en"):
        await page.click(f"button.lang[data-lang='{code}']")
        await page.js("document.getElementById('fhir-download').scrollIntoView({block: 'center'})")
        await asyncio.sleep(0.1)
        await page.run(page.driver.save_screenshot, str(folder / f"fhir-{name}-{code}.png"))
    await page.click("button.lang[data-lang='fr']")


async def test_the_doctor_downloads_the_readings_as_fhir(
    doctor_page: DoctorPage, cabin: Cabin
) -> None:
    page, session = doctor_page, cabin.session
    await page.login("dr-a", DOCTORS["dr-a"])
    await page.click("button.lang[data-lang='fr']")
    session_id = check_in(cabin, beneficiary(0))
    await take(page, cabin, session_id)

    # no reading yet: the button waits, under the readings
    shown = await page.js(BUTTON)
    assert shown == {
        "text": "Télécharger les mesures (FHIR)",
        "disabled": True,
        "status": "",
        "after": "readings",
    }

    for reading in readings():
        session.send(ReadingReceived(reading))
    await page.until(
        "the readings on the page",
        lambda: page.js("return !document.getElementById('fhir-download').disabled"),
    )
    name, text = await download_bundle(page)
    assert name == f"mesures-fhir-{session_id}-{date.today().isoformat()}.json"
    bundle = json.loads(text)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("Observation") == 10 and kinds.count("Device") == 4
    assert (await page.js(BUTTON))["status"] == f"Fichier enregistré : {name}"
    await page.click("button.lang[data-lang='en']")
    assert (await page.js(BUTTON))["status"] == f"File saved: {name}"
    assert (await page.js(BUTTON))["text"] == "Download the readings (FHIR)"
    found = await axe.violations(page)
    assert not found, f"axe-core on the call view:\n{axe.readable(found)}"
    await shots(page, "saved")

    # a piece the page did not ask for is refused, not kept
    refused = await page.js(
        "try { onFhirBundle({type: 'fhir_bundle', session_id: arguments[0], ref: 'x',"
        " index: 0, chunks: 1, data: '{}'}); return false; } catch (e) { return true; }",
        session_id,
    )
    assert refused is True

    # the cabin has nothing (its readings gone): the doctor is told why, in words
    assert session.data is not None
    session.data.readings.clear()
    await page.click("button.lang[data-lang='fr']")
    await page.click("#fhir-download")
    said = await page.until(
        "the page's word",
        lambda: page.js("const f = window.cabine.fhir(); return f.state === 'asking' ? null : f"),
    )
    assert said == {"state": "failed", "file": "", "why": "not_found"}
    assert (await page.js(BUTTON))["status"] == (
        "Fichier non reçu : aucune mesure dans cette consultation. Réessayez."
    )
    await page.click("button.lang[data-lang='en']")  # the reason follows the language
    assert (await page.js(BUTTON))["status"] == (
        "File not received: no reading in this consultation. Try again."
    )
    await shots(page, "failed")
    # the cabin's "no reading" is the one error the page heard: every piece was valid
    assert (await page.snapshot())["errors"] == 1

    # the call ends: nothing of the bundle stays on the page
    await page.js(
        "document.getElementById('end-call').click();"
        "document.getElementById('end-confirm').click();"
    )
    await page.until(
        "the waiting room", lambda: page.js("return window.cabine.snapshot().view === 'room-view'")
    )
    assert await page.js("return window.cabine.fhir()") == {"state": "idle", "file": "", "why": ""}
    assert await page.js("return fhir.pending") is None
