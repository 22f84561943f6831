"""The doctor's prescription form, fast to prescribe: lines added and removed freely, the
measured weight offered, per-line "non substituable" and ALD, errors named in the page (not the
browser's bubble), per-doctor favourites, and a preview of the paper before it is sent.

A real call, as in ``test_call``: the kiosk's aiortc offers, a real headless Chromium answers,
readings and the form travel on the call's data channel; axe-core checks each new part shown.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from kiosk.call import CabinCall, PrescriptionFormReceived
from kiosk.documents.inputs import Prescription
from kiosk.documents.prescription import compose_prescription
from kiosk.domain import DeviceInfo, Reading, ReadingKind, Unit
from kiosk.services.printing import prescription_input
from portal import server
from tests.documents.conftest import load, pdf_text
from tests.e2e import axe
from tests.helpers.call import Recorder, connected_call
from tests.portal.conftest import CABIN_ID, DOCTORS, DoctorPage
from tests.portal.test_cardless_page import CARD_PATIENT, take

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

CONSENT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
WEIGHT = Reading(
    kind=ReadingKind.WEIGHT,
    unit=Unit.KG,
    values={"weight": 72.44},
    device=DeviceInfo(id="scale", model="A&D UC-321"),
    received_at=datetime(2026, 11, 23, 9, 35, tzinfo=UTC),
)

LINES = """
return [...document.querySelectorAll('.rx-line')].map((f) => ({
  legend: f.querySelector('legend').textContent,
  remove: f.querySelector('.rx-remove').textContent,
  medicine: f.querySelector('.rx-medicine').value,
  dose: f.querySelector('.rx-dose').value,
  wide: f.querySelector('.rx-medicine').offsetWidth / f.clientWidth,
}));
"""
ERRORS = """
const s = document.getElementById('rx-errors');
return {shown: !s.hidden && !!s.offsetParent, focused: document.activeElement === s,
        items: [...s.querySelectorAll('li a')].map((a) => [a.textContent, a.getAttribute('href')]),
        invalid: [...document.querySelectorAll('[aria-invalid=true]')].map((e) => e.id)};
"""
SHOWN = (
    "return Object.fromEntries(arguments[0].map((id) => [id, !document.getElementById(id).hidden]))"
)
MODE_IDS = ["rx-fields", "rx-preview", "rx-check", "rx-send", "rx-back", "rx-edit"]


@pytest_asyncio.fixture
async def cabin_call(netns_portal: server.Running) -> AsyncIterator[CabinCall]:
    async with connected_call(netns_portal.url, devices=lambda: {"scale": "ok"}) as call:
        yield call


async def lines(page: DoctorPage) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = await page.js(LINES)
    return found


async def fill(page: DoctorPage, n: int, **values: str) -> None:
    await page.js(
        "const f = document.querySelectorAll('.rx-line')[arguments[0]];"
        "for (const [k, v] of Object.entries(arguments[1])) f.querySelector('.rx-' + k).value = v;",
        n - 1,
        values,
    )


async def shot(page: DoctorPage, where: Path, name: str, element: str) -> None:
    await page.js(f"document.getElementById({element!r}).scrollIntoView({{block: 'start'}})")
    await page.screenshot(where / f"rx-{name}.png")


async def no_axe_violation(page: DoctorPage, what: str) -> None:
    found = await axe.violations(page)
    assert not found, f"axe-core with {what}:\n{axe.readable(found)}"


async def test_prescribing_fast_lines_weight_errors_favourites_and_preview(
    doctor_page: DoctorPage, cabin_call: CabinCall, tmp_path: Path
) -> None:
    page, call = doctor_page, cabin_call
    recorder = Recorder(call)
    # another doctor's favourite in the same browser: never offered to dr-a
    await page.login("dr-a", DOCTORS["dr-a"])
    await page.js(
        "localStorage.setItem('cabine-rx-favourites:dr-b', JSON.stringify("
        "[{medicine: 'Autre médecin', dose: 'x', duration: 'y'}]))"
    )
    await page.click("button.lang[data-lang='fr']")
    await call.check_in("sess-rx", identity=CARD_PATIENT, consent_time=CONSENT)
    await take(page, recorder, "sess-rx", "card")

    # a. lines added and removed freely, numbered, wide; focus follows
    assert [line["legend"] for line in await lines(page)] == ["Ligne 1"]
    await page.click("#rx-add")
    await page.click("#rx-add")
    found = await lines(page)
    assert [line["remove"] for line in found] == [f"Retirer la ligne {n}" for n in (1, 2, 3)]
    assert all(line["wide"] > 0.85 for line in found)
    assert await page.js("return document.activeElement.classList.contains('rx-medicine')")
    await fill(page, 2, medicine="Ibuprofène 400 mg")
    await page.click(".rx-line .rx-remove")  # the first line goes; the others renumber
    found = await lines(page)
    assert [(line["legend"], line["medicine"]) for line in found] == [
        ("Ligne 1", "Ibuprofène 400 mg"),
        ("Ligne 2", ""),
    ]
    await page.click(".rx-line:last-of-type .rx-remove")
    await page.click(".rx-line .rx-remove")  # the only line: a blank one takes its place
    assert [(line["legend"], line["medicine"]) for line in await lines(page)] == [("Ligne 1", "")]

    # a. the measured weight, offered beside the field once the scale has read it
    assert await page.js("return document.getElementById('rx-weight-use').hidden")
    assert call.send_reading(WEIGHT, seq=1)
    await page.until(
        "the weight offered",
        lambda: page.js("return !document.getElementById('rx-weight-use').hidden"),
    )
    assert await page.text("rx-weight-use") == "Reprendre la pesée : 72,4 kg"
    await page.click("#rx-weight-use")
    assert await page.js("return document.getElementById('rx-weight').value") == "72.4"

    # c. errors in the page, each naming what is missing and linking to its field
    await page.click("#rx-check")
    errors = await page.js(ERRORS)
    assert errors["shown"] and errors["focused"]
    assert [text for text, _ in errors["items"]] == ["Ajoutez au moins une ligne à l'ordonnance"]
    await fill(page, 1, medicine="Paracétamol 1 g")
    await page.click("#rx-add")
    await fill(page, 2, dose="1 gélule le matin")
    await page.click("#rx-check")
    errors = await page.js(ERRORS)
    assert [text for text, _ in errors["items"]] == [
        "Ligne 1 : indiquez la posologie",
        "Ligne 1 : indiquez la durée ou la quantité",
        "Ligne 2 : indiquez le médicament",
        "Ligne 2 : indiquez la durée ou la quantité",
    ]
    dose_id = errors["items"][0][1][1:]
    assert dose_id in errors["invalid"] and len(errors["invalid"]) == 4
    await page.click("#rx-errors li a")
    assert await page.js("return document.activeElement.id") == dose_id
    await no_axe_violation(page, "the error summary")
    await shot(page, tmp_path, "errors-fr", "prescription-form")
    await page.click("button.lang[data-lang='en']")
    errors = await page.js(ERRORS)
    assert errors["items"][0][0] == "Line 1: enter the dosage"
    assert await page.text("rx-errors-title") == "There is a problem"
    await shot(page, tmp_path, "errors-en", "prescription-form")
    await page.click("button.lang[data-lang='fr']")
    assert not [u for u in recorder.seen if isinstance(u, PrescriptionFormReceived)]

    # b. + d. per-line "non substituable" and ALD; a line saved as a favourite, used again
    await fill(page, 1, dose="1 comprimé 3 fois par jour", duration="5 jours")
    await page.click(".rx-line .rx-fav-save")
    assert await page.text("rx-fav-status") == "Favori enregistré : Paracétamol 1 g"
    stored = await page.js("return JSON.parse(localStorage.getItem('cabine-rx-favourites:dr-a'))")
    assert stored == [
        {"medicine": "Paracétamol 1 g", "dose": "1 comprimé 3 fois par jour", "duration": "5 jours"}
    ]
    options = await page.js(
        "return [...document.querySelectorAll('#rx-fav-select option')].map((o) => o.textContent)"
    )
    assert options == ["— choisir un favori —", "Paracétamol 1 g — 1 comprimé 3 fois par jour"]
    assert await page.js("return document.querySelector('#rx-dose-presets option').value") == (
        "1 comprimé 3 fois par jour"
    )
    await fill(page, 2, medicine="Lévothyroxine 75 µg", duration="3 mois")
    await page.click(".rx-line:last-of-type .rx-nonsub")
    await page.click(".rx-line:last-of-type .rx-ald")
    await page.js("document.getElementById('rx-fav-select').value = '0'")
    await page.click("#rx-fav-use")  # a third line, filled from the favourite
    found = await lines(page)
    assert [line["medicine"] for line in found] == [
        "Paracétamol 1 g",
        "Lévothyroxine 75 µg",
        "Paracétamol 1 g",
    ]
    assert found[2]["dose"] == "1 comprimé 3 fois par jour"
    assert await page.text("rx-fav-status") == "Favori ajouté à la ligne 3."
    await page.click(".rx-line:last-of-type .rx-remove")
    await shot(page, tmp_path, "lines-fr", "rx-lines")
    await no_axe_violation(page, "the lines, favourites and the weight offered")

    # e. the preview of the paper: two zones, the mention; "back" keeps everything typed
    await page.click("#rx-check")
    assert not (await page.js(ERRORS))["shown"]
    assert await page.js(SHOWN, MODE_IDS) == {
        "rx-fields": False, "rx-preview": True, "rx-check": False,
        "rx-send": True, "rx-back": True, "rx-edit": False,
    }  # fmt: skip
    paper = " ".join(
        (await page.js("return document.getElementById('rx-paper').innerText")).split()
    )
    assert "Dr" in paper and "Poids : 72,4 kg" in paper
    upper, lower = paper.index("AFFECTION EXONÉRANTE"), paper.index("MALADIES INTERCURRENTES")
    assert upper < paper.index("1. Lévothyroxine 75 µg — Non substituable") < lower
    assert lower < paper.index("2. Paracétamol 1 g") and "Durée : 5 jours" in paper
    assert await page.js("return document.activeElement.id") == "rx-preview"
    await no_axe_violation(page, "the preview")
    await shot(page, tmp_path, "preview-fr", "rx-preview")
    await page.click("button.lang[data-lang='en']")
    await shot(page, tmp_path, "preview-en", "rx-preview")
    await page.click("button.lang[data-lang='fr']")
    await page.click("#rx-back")
    assert (await page.js(SHOWN, MODE_IDS))["rx-fields"]
    assert [line["medicine"] for line in await lines(page)] == [
        "Paracétamol 1 g",
        "Lévothyroxine 75 µg",
    ]
    assert not [u for u in recorder.seen if isinstance(u, PrescriptionFormReceived)]

    # sent from the preview: the kiosk receives the flags, and its PDF prints the zones
    await page.click("#rx-check")
    await page.click("#rx-send")
    received = await recorder.wait(
        "prescription", lambda u: isinstance(u, PrescriptionFormReceived)
    )
    assert [(x["non_substitutable"], x["ald"]) for x in received.form["lines"]] == [
        (False, False),
        (True, True),
    ]
    assert received.form["patient"] == {"weight_kg": 72.4}
    shown = await page.js(SHOWN, MODE_IDS)
    assert shown["rx-edit"] and not shown["rx-send"] and not shown["rx-check"]
    merged = prescription_input(received.form, CARD_PATIENT, cabin_id=CABIN_ID)
    merged["prescriber"] = load("prescription.json")["prescriber"]  # the test doctor has less
    text = pdf_text(compose_prescription(Prescription.from_json(merged)).pdf)
    assert text.index("AFFECTION EXONÉRANTE") < text.index("Non substituable")
    assert text.index("Non substituable") < text.index("MALADIES INTERCURRENTES")
    assert text.index("MALADIES INTERCURRENTES") < text.index("Paracétamol")
    # no health data kept by the favourites: only what the doctor saved, no patient
    kept = await page.js("return JSON.stringify({...localStorage})")
    assert "Lefèvre" not in kept and "72" not in kept and json.loads(kept)
    await call.hang_up()
    await call.check_out()


async def test_without_a_card_the_identity_is_named_in_the_errors_and_on_the_preview(
    doctor_page: DoctorPage, cabin_call: CabinCall
) -> None:
    page, call = doctor_page, cabin_call
    recorder = Recorder(call)
    await page.login("dr-a", DOCTORS["dr-a"])
    await page.click("button.lang[data-lang='fr']")
    await call.check_in("sess-nocard", booking_code="K7P2QX", without_card=True)
    await take(page, recorder, "sess-nocard", "booking_code")
    await fill(page, 1, medicine="Amoxicilline 1 g", dose="1 matin et soir", duration="6 jours")
    await page.js("document.getElementById('rx-first-name').value = 'Élodie'")
    await page.js("document.getElementById('rx-weight').value = '900'")
    await page.click("#rx-check")
    errors = await page.js(ERRORS)
    assert errors["items"] == [
        ["Indiquez le nom du patient (vérifié sur pièce)", "#rx-last-name"],
        ["Indiquez le sexe du patient", "#rx-sex"],
        ["Indiquez une date de naissance valide", "#rx-birth"],
        ["Le poids est un nombre de 0 à 500 kg", "#rx-weight"],
    ]
    await page.js(
        "document.getElementById('rx-last-name').value = 'Martin';"
        "document.getElementById('rx-sex').value = 'F';"
        "document.getElementById('rx-birth').value = '1988-04-09';"
        "document.getElementById('rx-weight').value = '';"
    )
    await page.click("#rx-check")
    assert not (await page.js(ERRORS))["shown"]
    paper = await page.js("return document.getElementById('rx-paper').innerText")
    assert "Patient : MARTIN Élodie — Né(e) le 09/04/1988" in paper
    assert "1. Amoxicilline 1 g" in paper and "AFFECTION" not in paper
    await page.click("#rx-send")
    received = await recorder.wait(
        "prescription", lambda u: isinstance(u, PrescriptionFormReceived)
    )
    assert received.form["patient"]["last_name"] == "Martin"
    assert received.form["lines"] == [
        {
            "medicine": "Amoxicilline 1 g",
            "dose": "1 matin et soir",
            "duration": "6 jours",
            "renewals": 0,
            "non_substitutable": False,
            "ald": False,
        }
    ]
    await call.hang_up()
    await call.check_out()
