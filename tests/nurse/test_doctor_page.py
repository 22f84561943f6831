"""The doctor sees the nurse assisting the consultation: a real call (the kiosk's aiortc, a
real headless Chromium as the doctor), the ``assistance`` message on the data channel."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio

from kiosk.call import CabinCall
from kiosk.domain import Beneficiary
from kiosk.nurse import Assistance, CarePlace, Profession, assistance_fields, sign_in
from portal import server
from tests.e2e import axe
from tests.helpers.call import Recorder, connected_call
from tests.nurse.test_rpps import RPPS
from tests.portal.conftest import (  # noqa: F401 - the portal in its namespace, the page
    DOCTORS,
    DoctorPage,
    doctor_page,
    loopback_netns,
    netns_portal,
    portal_config,
)
from tests.portal.test_cardless_page import CARD_PATIENT, take

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

CONSENT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
NURSE = sign_in(RPPS, "Claire Dubois", Profession.NURSE, now=CONSENT, timezone="Europe/Paris")
TYPED = Beneficiary(last_name="Benali", first_name="Amina", birth_date="19800101", nir="", rank=1)


@pytest_asyncio.fixture
async def cabin_call(netns_portal: server.Running) -> AsyncIterator[CabinCall]:  # noqa: F811
    async with connected_call(netns_portal.url, devices=lambda: {}) as call:
        yield call


async def test_the_doctor_sees_who_assists_and_where(
    doctor_page: DoctorPage,  # noqa: F811
    cabin_call: CabinCall,
    tmp_path: Path,
) -> None:
    page, call = doctor_page, cabin_call
    recorder = Recorder(call)
    await page.login("dr-a", DOCTORS["dr-a"])
    await page.click("button.lang[data-lang='fr']")

    # 1. a patient without a card, typed by the nurse at the patient's home
    assisted = Assistance(NURSE, CarePlace.HOME, typed_identity=True, sex="F")
    call.assistance = assistance_fields(replace(assisted, consent_witnessed=True))
    await call.check_in("sess-nurse", identity=TYPED, consent_time=CONSENT)
    await take(page, recorder, "sess-nurse", "card")
    await page.until("the nurse line", lambda: page.js("return window.cabineAssistance().shown"))
    line = await page.text("assist-line")
    assert line == (
        "Consultation assistée par Claire Dubois, infirmier·ère, RPPS 10003456786"
        " · Lieu : domicile du patient · consentement recueilli en sa présence"
    )
    assert await page.text("id-name") == "BENALI Amina"
    assert await page.text("id-sex") == "F"
    note = await page.text("identity-note")
    assert note.startswith("Pas de carte Vitale : identité saisie par l'infirmier·ère")
    # the line is in the identity header, under the identity's note
    assert (
        await page.js("return document.getElementById('identity-note').nextElementSibling.id")
        == "assist-line"
    )
    await page.screenshot(tmp_path / "doctor-page-nurse.png")  # for a look when it fails
    found = await axe.violations(page)
    assert not found, f"axe-core on the call view with the nurse:\n{axe.readable(found)}"
    await page.click("button.lang[data-lang='en']")
    line = await page.text("assist-line")
    assert "Assisted consultation by Claire Dubois, nurse, RPPS 10003456786" in line
    assert "Place: patient's home" in line
    assert (await page.text("identity-note")).startswith("No Carte Vitale: identity typed")
    await page.click("button.lang[data-lang='fr']")

    # 2. the next patient, in a cabin (no nurse): nothing of the last one remains
    await call.hang_up()
    await call.check_out()
    await page.until(
        "back in the waiting room",
        lambda: page.js("return window.cabine.snapshot().view === 'room-view'"),
    )
    call.assistance = None
    await call.check_in("sess-card", identity=CARD_PATIENT, consent_time=CONSENT)
    await take(page, recorder, "sess-card", "card")
    assert await page.text("id-name") == "LEFÈVRE Jeanne"
    assert not await page.js("return window.cabineAssistance().shown")
    assert "lue sur la carte Vitale" in await page.text("identity-note")
    await call.hang_up()
    await call.check_out()
