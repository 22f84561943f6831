"""What a GP expects besides (issue 21, item 12): a consultation timer, notes kept in the
browser only and cleared with the patient, and keyboard shortcuts for measure, mute and end
that never act while the doctor types in a field.

A real call, as in ``test_call``: the kiosk's aiortc offers, a real headless Chromium answers;
the shortcuts are real key presses (WebDriver's actions), not synthetic events.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio

from kiosk.call import CabinCall
from kiosk.domain import ReadingKind
from kiosk.session import CallEnded, MeasurementRequested
from portal import server
from tests.e2e import axe
from tests.helpers.call import Recorder, connected_call
from tests.portal.conftest import DOCTORS, DoctorPage
from tests.portal.test_cardless_page import take

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

CONSENT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
NOTE = "Toux depuis 3 jours, pas de fièvre"
TIMER_OF = "document.getElementById('call-timer').textContent"
MUTED_OF = "document.getElementById('mute').getAttribute('aria-pressed')"
TIMER = f"return {TIMER_OF}"
MUTED = f"return {MUTED_OF}"
AUDIO_ON = "return state.local.getAudioTracks().every((t) => t.enabled)"


@pytest_asyncio.fixture
async def cabin_call(netns_portal: server.Running) -> AsyncIterator[CabinCall]:
    async with connected_call(netns_portal.url, devices=lambda: {}) as call:
        yield call


async def press(page: DoctorPage, key: str) -> None:
    """Alt+Shift+``key``, pressed on whatever has the focus."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    def chord() -> None:
        actions = ActionChains(page.driver).key_down(Keys.ALT).key_down(Keys.SHIFT)
        actions.send_keys(key).key_up(Keys.SHIFT).key_up(Keys.ALT).perform()

    await page.run(chord)


async def type_into(page: DoctorPage, element_id: str, text: str) -> None:
    from selenium.webdriver.common.by import By

    await page.run(lambda: page.driver.find_element(By.ID, element_id).send_keys(text))


async def shot(page: DoctorPage, tmp_path: Path, name: str) -> None:
    """The page as the doctor sees it, kept where ``CABINE_SHOTS`` says (for a look)."""
    folder = Path(os.environ.get("CABINE_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    await page.screenshot(folder / name)


async def test_timer_notes_and_shortcuts(
    doctor_page: DoctorPage, cabin_call: CabinCall, tmp_path: Path
) -> None:
    page, call = doctor_page, cabin_call
    recorder = Recorder(call)
    await page.login("dr-a", DOCTORS["dr-a"])
    await page.click("button.lang[data-lang='fr']")
    await call.check_in("sess-aids", booking_code="K7P2QX", without_card=True, consent_time=CONSENT)
    await take(page, recorder, "sess-aids", "booking_code")

    # the timer: mm:ss since the patient was taken, in sight, a timer (not read out each second)
    first = await page.js(TIMER)
    assert re.fullmatch(r"\d\d:\d\d", first)
    timer = await page.js(
        "const t = document.getElementById('call-timer');"
        "return {role: t.getAttribute('role'), live: t.getAttribute('aria-live'),"
        " shown: !!t.offsetParent, name: document.getElementById(t.getAttribute('aria-labelledby')).textContent}"
    )
    assert timer == {
        "role": "timer",
        "live": None,
        "shown": True,
        "name": "Durée de la consultation",
    }
    await page.until("the timer moves", lambda: page.js(f"return {TIMER_OF} > {first!r}"))

    # notes typed; a shortcut pressed in the field is a keystroke, not a command
    await type_into(page, "notes", NOTE)
    await press(page, "m")
    assert await page.js(MUTED) == "false"
    # (whatever the browser makes of the key in the field is the field's: not stopped)
    assert (await page.js("return document.getElementById('notes').value")).startswith(NOTE)
    stored = await page.js(
        "return JSON.stringify({...localStorage}) + JSON.stringify({...sessionStorage})"
    )
    assert "Toux" not in stored, "the notes stay in the page's memory"

    await page.js("document.getElementById('notes-heading').scrollIntoView()")
    await shot(page, tmp_path, "doctor-notes-fr.png")

    # out of the field: Alt+Shift+M mutes the microphone, and again unmutes it
    await page.js("document.activeElement.blur()")
    await press(page, "m")
    await page.until("muted", lambda: page.js(f"return {MUTED_OF} === 'true'"))
    assert not await page.js(AUDIO_ON)
    assert await page.text("mute") == "Rétablir le micro"
    await press(page, "m")
    await page.until("unmuted", lambda: page.js(f"return {MUTED_OF} === 'false'"))
    assert await page.js(AUDIO_ON)

    # Alt+Shift+2: the second measure button (temperature) asks the cabin
    await press(page, "2")
    request = await recorder.wait(
        "MeasurementRequested", lambda u: isinstance(u, MeasurementRequested)
    )
    assert request.kind is ReadingKind.TEMPERATURE
    shortcuts = await page.js(
        "return [...document.querySelectorAll('button.measure')]"
        ".map((b) => b.getAttribute('aria-keyshortcuts'))"
    )
    assert shortcuts == ["Alt+Shift+1", "Alt+Shift+2", "Alt+Shift+3", "Alt+Shift+4"]

    # the help says them, in the page's language; no accessibility violation with it open
    await page.js("document.getElementById('shortcuts').open = true")
    await page.js("document.getElementById('shortcuts').scrollIntoView()")
    help_fr = await page.js("return document.getElementById('shortcuts').innerText")
    assert "Raccourcis clavier" in help_fr and "Maj" in help_fr and "Couper ou rétablir" in help_fr
    found = await axe.violations(page)
    assert not found, f"axe-core with the timer, notes and shortcuts:\n{axe.readable(found)}"
    await shot(page, tmp_path, "doctor-aids-fr.png")
    await page.click("button.lang[data-lang='en']")
    help_en = await page.js("return document.getElementById('shortcuts').innerText")
    assert "Keyboard shortcuts" in help_en and "Shift" in help_en
    assert await page.text("notes-help") == (
        "Kept in this browser only, sent nowhere, cleared when the consultation ends."
    )
    await shot(page, tmp_path, "doctor-aids-en.png")

    # muted, then Alt+Shift+X asks to end (the confirmation, as the button); the shortcuts
    # rest while it is open
    await press(page, "m")
    await page.until("muted", lambda: page.js(f"return {MUTED_OF} === 'true'"))
    await press(page, "x")
    await page.until(
        "end dialog", lambda: page.js("return document.getElementById('end-dialog').open")
    )
    await press(page, "m")
    assert await page.js(MUTED) == "true"
    await page.click("#end-confirm")
    await recorder.wait("CallEnded", lambda u: isinstance(u, CallEnded))
    await page.until(
        "room view", lambda: page.js("return window.cabine.snapshot().view === 'room-view'")
    )

    # the timer stopped, the notes went with the patient, the page holds no trace of them
    assert await page.js(TIMER) == "00:00"
    assert await page.js("return document.getElementById('notes').value") == ""
    assert "Toux" not in await page.js("return document.documentElement.outerHTML")
    # the next call starts with the microphone on: the button says so
    assert await page.js(MUTED) == "false"
    assert await page.text("mute") == "Mute"


FULLSCREEN_OF = "(document.fullscreenElement ? document.fullscreenElement.id : '')"
FULLSCREEN = f"return {FULLSCREEN_OF}"
SELF_AT = """
const s = document.getElementById('stage').getBoundingClientRect();
const v = document.getElementById('local-video').getBoundingClientRect();
return (v.top - s.top < s.bottom - v.bottom ? 't' : 'b') + (v.left - s.left < s.right - v.right ? 'l' : 'r');
"""


async def real_click(page: DoctorPage, element_id: str) -> None:
    """A click as the doctor's (a user gesture: the Fullscreen API asks for one)."""
    from selenium.webdriver.common.by import By

    await page.run(lambda: page.driver.find_element(By.ID, element_id).click())


async def test_full_screen_and_the_self_view_moved(
    doctor_page: DoctorPage, cabin_call: CabinCall, tmp_path: Path
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    page, call = doctor_page, cabin_call
    recorder = Recorder(call)
    await page.login("dr-a", DOCTORS["dr-a"])
    await page.click("button.lang[data-lang='fr']")
    await page.js("localStorage.removeItem('cabine-self-corner')")
    await call.check_in("sess-full", booking_code="K7P2QX", without_card=True, consent_time=CONSENT)
    await take(page, recorder, "sess-full", "booking_code")

    # the self-view: bottom right, then each corner in turn by its button, said in words
    assert await page.js(SELF_AT) == "br"
    assert await page.text("self-move") == "Déplacer mon image (en bas à droite)"
    seen = []
    for _ in range(4):
        await real_click(page, "self-move")
        seen.append((await page.js(SELF_AT), await page.text("self-move")))
    assert seen == [
        ("bl", "Déplacer mon image (en bas à gauche)"),
        ("tl", "Déplacer mon image (en haut à gauche)"),
        ("tr", "Déplacer mon image (en haut à droite)"),
        ("br", "Déplacer mon image (en bas à droite)"),
    ]
    await real_click(page, "self-move")  # bottom left stays for the next call (a preference)
    assert await page.js("return localStorage.getItem('cabine-self-corner')") == "bl"

    # full screen: the stage alone; the button says how to leave; Escape leaves
    await real_click(page, "fullscreen")
    await page.until("full screen", lambda: page.js(f"return {FULLSCREEN_OF} === 'stage'"))
    await page.until(
        "the button says so",
        lambda: page.js(
            "return document.getElementById('fullscreen').textContent.startsWith('Quitter')"
        ),
    )
    assert (
        await page.js("return document.getElementById('fullscreen').getAttribute('aria-pressed')")
        == "true"
    )
    assert await page.text("fullscreen") == "Quitter le plein écran"
    # the patient bar is out of sight: the timer comes along into the stage
    stage_timer = await page.js(
        "const t = document.getElementById('stage-timer');"
        "return {shown: getComputedStyle(t).display !== 'none', text: t.textContent}"
    )
    assert stage_timer["shown"] and re.fullmatch(r"\d\d:\d\d", stage_timer["text"]), stage_timer
    found = await axe.violations(page)
    assert not found, f"axe-core in full screen:\n{axe.readable(found)}"
    await shot(page, tmp_path, "doctor-fullscreen-fr.png")
    await page.run(lambda: ActionChains(page.driver).send_keys(Keys.ESCAPE).perform())
    await page.until("full screen left", lambda: page.js(f"return {FULLSCREEN_OF} === ''"))
    await page.until(
        "the button says so",
        lambda: page.js(
            "return document.getElementById('fullscreen').textContent === 'Plein écran'"
        ),
    )
    assert (
        await page.js("return getComputedStyle(document.getElementById('stage-timer')).display")
        == "none"
    )
    assert (
        await page.js("return document.getElementById('fullscreen').getAttribute('aria-pressed')")
        == "false"
    )

    # the button enters and leaves as well
    await real_click(page, "fullscreen")
    await page.until("full screen again", lambda: page.js(f"return {FULLSCREEN_OF} === 'stage'"))
    await real_click(page, "fullscreen")
    await page.until("full screen left again", lambda: page.js(f"return {FULLSCREEN_OF} === ''"))


DEVICES = """
const sel = (id) => [...document.getElementById(id).options].map((o) => [o.value, o.textContent]);
return {mic: sel('mic-select'), cam: sel('cam-select'),
        micUsed: state.local.getAudioTracks()[0].getSettings().deviceId,
        micValue: document.getElementById('mic-select').value};
"""
SENT_MIC = "const s = state.pc.getSenders().find((sn) => sn.track && sn.track.kind === 'audio');"
SENT = "return s && {id: s.track.getSettings().deviceId, enabled: s.track.enabled, state: s.track.readyState};"


async def test_the_doctor_chooses_another_microphone(
    doctor_page: DoctorPage, cabin_call: CabinCall, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    page, call = doctor_page, cabin_call
    recorder = Recorder(call)
    await page.login("dr-a", DOCTORS["dr-a"])
    await page.click("button.lang[data-lang='fr']")
    await page.js("localStorage.removeItem('cabine-mic'); localStorage.removeItem('cabine-camera')")
    await call.check_in("sess-mic", booking_code="K7P2QX", without_card=True, consent_time=CONSENT)
    await take(page, recorder, "sess-mic", "booking_code")
    await page.until(
        "the microphones listed",
        lambda: page.js("return document.getElementById('mic-select').options.length > 1"),
    )
    devices = await page.js(DEVICES)
    assert devices["micValue"] == devices["micUsed"]
    assert devices["cam"] and devices["cam"][0][0]

    # muted, then another microphone: the call sends it at once, still muted
    await page.click("#mute")
    other = next(v for v, _ in devices["mic"] if v != devices["micUsed"])
    await page.js("document.getElementById('media-setup').open = true")
    await page.run(
        lambda: Select(page.driver.find_element(By.ID, "mic-select")).select_by_value(other)
    )
    await page.until(
        "the other microphone sent",
        lambda: page.js(
            f"{SENT_MIC} return s && s.track.getSettings().deviceId === arguments[0]", other
        ),
    )
    sent = await page.js(SENT_MIC + SENT)
    assert sent == {"id": other, "enabled": False, "state": "live"}
    assert await page.text("media-status") == "Micro changé."
    assert await page.js("return localStorage.getItem('cabine-mic')") == other
    found = await axe.violations(page)
    assert not found, f"axe-core with the devices:\n{axe.readable(found)}"
    await page.js("document.getElementById('media-setup').scrollIntoView()")
    await shot(page, tmp_path, "doctor-devices-fr.png")
