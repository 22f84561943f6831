"""The doctor's aids of issue 21 (item 12) in a real call: the patient's mute shown on the
video, a written message shown large at the cabin ("affiché ✓") with the patient's preset
answer, and "call the site's staff" raised from the call and answered.

A real portal and a real headless Chromium; at the cabin a real CabinCall bound to a real
patient session (SessionBinding, the cabin's StaffCall), as a cabin wires them; only the
screens are left out (the session is what they read).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from kiosk.call import CabinCall
from kiosk.call.binding import SessionBinding
from kiosk.clock import ManualClock
from kiosk.services.staff_call import StaffCall
from kiosk.session import ChatAnswered, ConsentGiven, EndSession, MicrophoneMuted, Session, State
from portal import server
from tests.core.test_session import TIMEOUTS, to
from tests.e2e import axe
from tests.e2e.test_doctor_page_glance import shots
from tests.helpers.call import Recorder, connected_call
from tests.helpers.waiting import until
from tests.portal.conftest import CABIN_ID, DOCTORS, DoctorPage
from tests.portal.test_cardless_page import take

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

WORDS = "Pouvez-vous retirer votre manteau ?"
MUTED_SHOWN = (
    "const m = document.getElementById('patient-muted'); return !m.hidden && !!m.offsetParent;"
)
MUTED_HIDDEN = "return document.getElementById('patient-muted').hidden"
STAFF_STATUS = "return document.getElementById('staff-status').textContent"
CHAT_LOG = "return [...document.querySelectorAll('#chat-log li')].map((li) => li.textContent)"


class Cabin:
    """The cabin's side: the call, the session and what binds them."""

    def __init__(self, call: CabinCall) -> None:
        self.call = call
        self.session = Session(timeouts=TIMEOUTS, clock=ManualClock())
        self.binding = SessionBinding(call, self.session)
        self.staff = StaffCall(self.session, call=call)
        self.recorder = Recorder(call)

    def close(self) -> None:
        self.staff.close()
        self.binding.close()


@pytest.fixture
def shot_dir(tmp_path: Path) -> Path:
    """Where the stages' screenshots go: ``DOCTOR_SHOTS`` (as for the other stages of the
    page), else the test's temporary folder."""
    folder = Path(os.environ.get("DOCTOR_SHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest_asyncio.fixture
async def cabin(netns_portal: server.Running) -> AsyncIterator[Cabin]:
    async with connected_call(netns_portal.url, devices=lambda: {}) as call:
        cabin = Cabin(call)
        try:
            yield cabin
        finally:
            cabin.close()


async def in_call(page: DoctorPage, cabin: Cabin, lang: str = "fr") -> str:
    """The patient consents (the binding checks them in); the doctor takes them."""
    await page.login("dr-a", DOCTORS["dr-a"])
    await page.click(f"button.lang[data-lang='{lang}']")
    to(cabin.session, State.CONSENT)
    cabin.session.send(ConsentGiven())
    assert cabin.session.data is not None
    session_id = cabin.session.data.session_id
    await take(page, cabin.recorder, session_id, "card")
    await until(lambda: cabin.session.state is State.IN_CALL, "the session in the call")
    return session_id


async def test_the_patients_mute_shows_on_the_video_until_unmuted_or_the_call_ends(
    doctor_page: DoctorPage, cabin: Cabin, shot_dir: Path
) -> None:
    page = doctor_page
    await in_call(page, cabin)
    assert not await page.js(MUTED_SHOWN)

    cabin.session.send(MicrophoneMuted(True))  # the patient's button, on the call screen
    await page.until("the mute shown", lambda: page.js(MUTED_SHOWN))
    text = await page.js("return document.getElementById('patient-muted').innerText")
    assert "Le patient a coupé son micro" in text
    found = await axe.violations(page)
    assert not found, f"axe-core with the mute shown:\n{axe.readable(found)}"
    await shots(page, "9-call-patient-muted", shot_dir)
    await page.click("button.lang[data-lang='en']")
    text = await page.js("return document.getElementById('patient-muted').innerText")
    assert "The patient muted their microphone" in text

    cabin.session.send(MicrophoneMuted(False))
    await page.until("the mute cleared", lambda: page.js(MUTED_HIDDEN))

    cabin.session.send(MicrophoneMuted(True))
    await page.until("the mute shown again", lambda: page.js(MUTED_SHOWN))
    await page.click("#end-call")
    await page.click("#end-confirm")
    await page.until(
        "the waiting room", lambda: page.js("return window.cabine.snapshot().view === 'room-view'")
    )
    assert await page.js(MUTED_HIDDEN)


async def test_a_written_message_is_shown_at_the_cabin_and_answered(
    doctor_page: DoctorPage, cabin: Cabin, shot_dir: Path
) -> None:
    page = doctor_page
    await in_call(page, cabin)
    # nothing written: said in the page, nothing sent
    await page.click("#chat-send")
    assert "Écrivez un message" in await page.text("chat-status")

    await page.js("document.getElementById('chat-text').value = arguments[0]", WORDS)
    await page.click("#chat-send")
    await page.until(
        "shown at the cabin", lambda: page.js(CHAT_LOG + ".some((t) => t.includes('affiché ✓'))")
    )
    data = cabin.session.data
    assert data is not None
    assert [(line.sender, line.text) for line in data.chat] == [("doctor", WORDS)]
    assert await page.js("return document.getElementById('chat-text').value") == ""
    log: list[str] = await page.js(CHAT_LOG)
    assert WORDS in log[0]

    cabin.session.send(ChatAnswered("cannot_hear"))  # the patient's preset button
    await page.until("the answer", lambda: page.js(CHAT_LOG + ".length === 2"))
    log = await page.js(CHAT_LOG)
    assert "Le patient répond : Je n'entends pas" in log[1]
    found = await axe.violations(page)
    assert not found, f"axe-core with the exchange:\n{axe.readable(found)}"
    await shots(page, "10-call-chat", shot_dir)
    await page.click("button.lang[data-lang='en']")
    log = await page.js(CHAT_LOG)
    assert "shown ✓" in log[0] and "The patient answers: I can't hear" in log[1]

    # the patient leaves: the page's copy goes with the call, the cabin's with the session
    cabin.session.send(EndSession())
    await page.until(
        "the waiting room", lambda: page.js("return window.cabine.snapshot().view === 'room-view'")
    )
    assert await page.js(CHAT_LOG) == []
    cabin.session.send(EndSession())  # goodbye -> wiping
    assert data.chat == []


async def test_a_message_the_cabin_cannot_show_says_so(
    doctor_page: DoctorPage, cabin: Cabin
) -> None:
    page = doctor_page
    await in_call(page, cabin)
    cabin.binding.close()  # a session that no longer hears the call: nothing shows it
    cabin.call.subscribe(
        lambda update: (
            cabin.call.chat_settled(update.msg_id, shown=False)
            if type(update).__name__ == "ChatReceived"
            else None
        )
    )
    await page.js("document.getElementById('chat-text').value = 'Bonjour'")
    await page.click("#chat-send")
    await page.until(
        "refused", lambda: page.js(CHAT_LOG + ".some((t) => t.includes('non affiché'))")
    )


async def test_the_doctor_calls_the_site_staff_and_sees_them_coming(
    doctor_page: DoctorPage, cabin: Cabin, netns_portal: server.Running, shot_dir: Path
) -> None:
    page = doctor_page
    await in_call(page, cabin)
    await page.click("#staff-call")  # twice: one call
    await page.click("#staff-call")
    await page.until(
        "the staff call raised",
        lambda: page.js(STAFF_STATUS + ".includes('Personnel appelé')"),
    )
    # the cabin's own staff call is on: its screens tell the patient someone is coming
    assert cabin.staff.state(max_s=60) == "calling"
    hub: Any = netns_portal.app[server.HUB]
    assert hub.cabins[CABIN_ID].staff_called_at is not None  # the staff page shows it

    assert await hub.staff_coming(CABIN_ID, "Pharmacie A")
    await page.until(
        "the staff coming",
        lambda: page.js(STAFF_STATUS + " === 'Pharmacie A arrive.'"),
    )
    await until(lambda: cabin.staff.state(max_s=60) == "coming", "the patient told")
    # every aid shown at once: the page still has no A/AA violation
    cabin.session.send(MicrophoneMuted(True))
    await page.until("the mute shown", lambda: page.js(MUTED_SHOWN))
    await page.js("document.getElementById('chat-text').value = arguments[0]", WORDS)
    await page.click("#chat-send")
    await page.until("shown", lambda: page.js(CHAT_LOG + ".some((t) => t.includes('affiché'))"))
    cabin.session.send(ChatAnswered("yes"))
    await page.until("the answer", lambda: page.js(CHAT_LOG + ".length === 2"))
    found = await axe.violations(page)
    assert not found, f"axe-core with every aid shown:\n{axe.readable(found)}"
    await shots(page, "11-call-aids", shot_dir)
