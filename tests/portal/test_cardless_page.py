"""The doctor's page when no Carte Vitale was read (booking code, walk-in): a plain note, no
identity shown, and the prescription asks for the identity checked on camera.

A real call, as in ``test_call``: the kiosk's aiortc offers, a real headless Chromium answers,
and the identity comes over the call's data channel.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
import pytest_asyncio

from kiosk.call import CabinCall, PrescriptionFormReceived
from kiosk.documents.inputs import PatientOnPaper
from kiosk.domain import Beneficiary
from kiosk.services.printing import prescription_input
from kiosk.session import DoctorJoined
from portal import server
from tests.helpers.call import Recorder, connected_call
from tests.portal.conftest import CABIN_ID, DOCTORS, DoctorPage

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

CARD_PATIENT = Beneficiary(
    last_name="Lefèvre", first_name="Jeanne", birth_date="19470312", nir="247037512345678"
)
CONSENT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
IDENTITY_IDS = ("rx-last-name", "rx-first-name", "rx-sex", "rx-birth")

#: The identity fieldset as the doctor sees it, and the form's own verdict.
FORM_STATE = """
const f = document.getElementById('rx-identity');
const ids = ['rx-last-name', 'rx-first-name', 'rx-sex', 'rx-birth'];
return {
  hidden: f.hidden, disabled: f.disabled, shown: f.offsetParent !== null,
  required: ids.every((id) => document.getElementById(id).required),
  birthType: document.getElementById('rx-birth').type,
  values: ids.map((id) => document.getElementById(id).value),
  valid: document.getElementById('prescription-form').checkValidity(),
  note: document.getElementById('identity-note').textContent,
  source: window.cabine.snapshot().identitySource,
};
"""


@pytest_asyncio.fixture
async def cabin_call(netns_portal: server.Running) -> AsyncIterator[CabinCall]:
    async with connected_call(netns_portal.url, devices=lambda: {}) as call:
        yield call


async def take(page: DoctorPage, recorder: Recorder, session_id: str, source: str) -> None:
    """The doctor takes ``session_id`` from the waiting room; its identity message arrives."""
    row = f"tr[data-session={json.dumps(session_id)}] button.take"
    await page.until(
        "patient in the waiting room", lambda: page.js(f"return !!document.querySelector({row!r})")
    )
    await page.click(row)
    await recorder.wait("DoctorJoined", lambda u: isinstance(u, DoctorJoined))
    await page.until(
        f"identity from {source}",
        lambda: page.js(
            "const s = window.cabine.snapshot();"
            f"return s.channel === 'open' && s.identitySource === {source!r}"
        ),
    )


async def form_state(page: DoctorPage) -> dict[str, Any]:
    state: dict[str, Any] = await page.js(FORM_STATE)
    return state


async def set_values(page: DoctorPage, values: dict[str, str]) -> None:
    await page.js(
        "for (const [id, v] of Object.entries(arguments[0])) document.getElementById(id).value = v",
        values,
    )


async def fill_line(page: DoctorPage) -> None:
    await page.js(
        "document.querySelector('.rx-medicine').value = 'Paracétamol 1 g';"
        "document.querySelector('.rx-dose').value = '1 comprimé 3 fois par jour';"
        "document.querySelector('.rx-duration').value = '5 jours';"
    )


async def next_patient(page: DoctorPage, call: CabinCall) -> None:
    """The cabin ends this session; the page is back in the waiting room (not reloaded)."""
    await call.hang_up()
    await call.check_out()
    await page.until(
        "back in the waiting room",
        lambda: page.js("return window.cabine.snapshot().view === 'room-view'"),
    )


async def test_cardless_patients_then_a_card(
    doctor_page: DoctorPage, cabin_call: CabinCall
) -> None:
    page, call = doctor_page, cabin_call
    recorder = Recorder(call)
    await page.login("dr-a", DOCTORS["dr-a"])
    await page.click("button.lang[data-lang='fr']")

    # 1. a patient with a booking code: no identity shown, a plain note, identity required
    await call.check_in("sess-code", booking_code="K7P2QX", without_card=True, consent_time=CONSENT)
    await take(page, recorder, "sess-code", "booking_code")
    for element in ("id-name", "id-birth", "id-nir"):
        assert await page.text(element) == "—", element
    assert await page.text("id-consent") != "—"
    state = await form_state(page)
    assert "Pas de carte Vitale" in state["note"] and "code de rendez-vous" in state["note"]
    assert "pièce d'identité" in state["note"] and "non qualifiée" not in state["note"]
    assert state["shown"] and not state["hidden"] and not state["disabled"]
    assert state["required"] and state["birthType"] == "date"
    assert state["values"] == ["", "", "", ""]
    await page.click("button.lang[data-lang='en']")
    note = await page.text("identity-note")
    assert "No Carte Vitale" in note and "booking code" in note
    await page.click("button.lang[data-lang='fr']")

    # without the identity, the form does not go: nothing is sent
    await fill_line(page)
    assert not (await form_state(page))["valid"]
    await page.click("#rx-send")
    assert await page.text("rx-status") == ""
    await set_values(page, {"rx-last-name": "   ", "rx-first-name": "Élodie", "rx-sex": "F"})
    await set_values(page, {"rx-birth": "1988-04-09"})
    assert not (await form_state(page))["valid"]  # blanks are not a name

    # with it, the typed identity goes in the form's JSON, and the kiosk accepts it
    await set_values(page, {"rx-last-name": " Martin ", "rx-weight": "58"})
    assert (await form_state(page))["valid"]
    await page.click("#rx-send")
    form = (
        await recorder.wait("prescription", lambda u: isinstance(u, PrescriptionFormReceived))
    ).form
    assert form["patient"] == {
        "weight_kg": 58,
        "last_name": "Martin",
        "first_name": "Élodie",
        "sex": "F",
        "birth_date": "1988-04-09",
    }
    merged = prescription_input(form, None, cabin_id=CABIN_ID)
    patient = PatientOnPaper.from_json(merged["patient"])  # what the prescription is composed with
    assert (patient.last_name, patient.first_name) == ("Martin", "Élodie")
    assert (patient.birth_date, patient.sex, patient.weight_kg) == ("09/04/1988", "F", 58.0)

    # 2. the next patient, a walk-in without a card: nothing typed for the last one remains
    await next_patient(page, call)
    await call.check_in("sess-walk", without_card=True, consent_time=CONSENT)
    await take(page, recorder, "sess-walk", "walk_in")
    state = await form_state(page)
    assert "Pas de carte Vitale" in state["note"] and "sans rendez-vous" in state["note"]
    assert state["shown"] and state["required"]
    assert state["values"] == ["", "", "", ""]
    assert await page.text("id-name") == "—"

    # 3. then a patient with a card: the card's identity, the card note, no identity inputs
    await next_patient(page, call)
    await call.check_in("sess-card", identity=CARD_PATIENT, consent_time=CONSENT)
    await take(page, recorder, "sess-card", "card")
    assert await page.text("id-name") == "LEFÈVRE Jeanne"
    assert await page.text("id-birth") == "12/03/1947"
    state = await form_state(page)
    assert "non qualifiée" in state["note"] and "Pas de carte" not in state["note"]
    assert state["hidden"] and state["disabled"] and not state["shown"]
    # even what a stray script types there is neither required nor sent
    await set_values(page, {"rx-last-name": "Intrus", "rx-weight": "61.5"})
    await fill_line(page)
    assert (await form_state(page))["valid"]
    await page.click("#rx-send")
    form = (
        await recorder.wait("prescription", lambda u: isinstance(u, PrescriptionFormReceived))
    ).form
    assert form["patient"] == {"weight_kg": 61.5}
    await call.hang_up()
    await call.check_out()
