"""The doctor's page never mixes patients up, never prints twice, keeps what a dropped link
would lose, and keeps no patient data after the call (issue 21 items 1-4, security item 7).

Real parts: the cabin (session, call, printing through a private CUPS with a cups-pdf queue),
the portal, and the doctor's page in a real headless Chromium, in a private network namespace
(see ``loopback_netns``). Each check reads the page's DOM, the cabin's session, and the paper.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from drivers.printer.sim import PrivateCups
from kiosk.cabin import Cabin
from kiosk.domain import Beneficiary, DocumentKind, ReadingKind
from kiosk.session import (
    EndSession,
    MeasurementRequested,
    ReadingReceived,
    State,
)
from portal import server
from tests.core.helpers import reading
from tests.documents.conftest import cups, pdf_text  # noqa: F401
from tests.e2e.conftest import cabin_on_portal, check_in, finish, row, take
from tests.helpers.call import Recorder
from tests.helpers.waiting import until
from tests.portal.conftest import CABIN_ID, DOCTORS, DoctorPage

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

FIRST = Beneficiary(
    last_name="Lefèvre", first_name="Jeanne", birth_date="19470312", nir="247037512345678"
)
SECOND = Beneficiary(
    last_name="Martin", first_name="Paul", birth_date="19500101", nir="150017512345603"
)
#: What must not stay on the page once the first patient's call is over.
FIRST_SECRETS = ("LEFÈVRE", "Jeanne", "247037512345678", "12/03/1947", "Paracétamol", "Ibuprofène")
TWO_LINES = [
    {"medicine": "Paracétamol 1 g", "dose": "1 comprimé 3 fois par jour", "duration": "5 jours"},
    {"medicine": "Ibuprofène 400 mg", "dose": "1 comprimé le soir", "duration": "3 jours"},
]


@pytest_asyncio.fixture
async def cabin(
    netns_portal: server.Running,
    sims: dict[str, Any],
    shm_spool: Path,
    cups: PrivateCups,  # noqa: F811 - the fixture imported above
) -> AsyncIterator[Cabin]:
    """A started cabin on the portal, printing to the private CUPS; no patient yet."""
    async with cabin_on_portal(netns_portal, sims, shm_spool, cups=cups) as started:
        yield started


#: Everything patient-related the call view holds, read from the DOM.
PATIENT_DOM = """
const v = (id) => document.getElementById(id);
const values = [...document.querySelectorAll('input, select')].map((i) => i.value);
return {
  identity: ['id-name', 'id-birth', 'id-nir', 'id-consent'].map((id) => v(id).textContent),
  readings: document.querySelectorAll('#readings li').length,
  measures: document.querySelectorAll('#measure-states li').length,
  lines: [...document.querySelectorAll('.rx-line')].map(
    (f) => [...f.querySelectorAll('input')].map((i) => i.value)),
  typed: ['rx-last-name', 'rx-first-name', 'rx-sex', 'rx-birth', 'rx-weight', 'pdf-file']
    .map((id) => v(id).value),
  statuses: ['measure-status', 'rx-status', 'pdf-status'].map((id) => v(id).textContent),
  locked: Boolean(v('rx-fields') && v('rx-fields').disabled),
  all: document.body.innerHTML + ' ' + document.body.textContent + ' ' + values.join(' '),
};
"""


async def assert_blank(page: DoctorPage, secrets: tuple[str, ...]) -> None:
    dom = await page.js(PATIENT_DOM)
    assert dom["identity"] == ["—"] * 4
    assert dom["readings"] == 0 and dom["measures"] == 0
    assert dom["lines"] == [["", "", "", "0"]]  # one empty line, no renewal
    assert dom["typed"] == [""] * 6
    assert dom["statuses"] == ["", "", ""]
    assert not dom["locked"]
    left = [s for s in secrets if s.lower() in dom["all"].lower()]
    assert not left, f"still on the page: {left}"


FILL = """
const [lines, weight] = arguments;
document.getElementById('rx-weight').value = weight;
while (document.querySelectorAll('.rx-line').length < lines.length) {
  document.getElementById('rx-add').click();
}
const sets = document.querySelectorAll('.rx-line');
lines.forEach((l, i) => {
  sets[i].querySelector('.rx-medicine').value = l.medicine;
  sets[i].querySelector('.rx-dose').value = l.dose;
  sets[i].querySelector('.rx-duration').value = l.duration;
});
"""


async def received(page: DoctorPage, what: str = "the prescription") -> None:
    await page.until(
        f"{what} acknowledged",
        lambda: page.js("return document.getElementById('rx-status').textContent.includes('✓')"),
    )


def prescriptions(cabin: Cabin) -> list[Any]:
    data = cabin.session.data
    assert data is not None
    return [d for d in data.documents if d.kind is DocumentKind.PRESCRIPTION]


async def test_the_patients_data_leaves_the_page_and_the_form_serves_one_session(
    doctor_page: DoctorPage,
    cabin: Cabin,
    cups: PrivateCups,  # noqa: F811
) -> None:
    page, session = doctor_page, cabin.session
    await page.login("dr-a", DOCTORS["dr-a"])
    await page.click("button.lang[data-lang='fr']")

    # 1. the first patient: identity, a reading, a two-line prescription with the weight
    first = check_in(cabin, FIRST)
    await take(page, cabin, first)
    await page.until("identity shown", lambda: page.text("id-name"))
    assert await page.text("id-name") == "LEFÈVRE Jeanne"
    session.send(ReadingReceived(reading()))
    await page.until(
        "the reading", lambda: page.js("return document.querySelectorAll('#readings li').length")
    )
    await page.js(FILL, TWO_LINES, "61.5")
    await page.click("#rx-send")
    await received(page)
    assert len(prescriptions(cabin)) == 1

    # 2. the doctor hangs up: nothing of the patient stays in the page (security item 7)
    await page.click("#end-call")
    await page.click("#end-confirm")  # the page asks first
    await page.until("the waiting room", lambda: page.js("return !window.cabine.snapshot().callId"))
    await assert_blank(page, FIRST_SECRETS)
    await finish(cabin)  # results and prescription printed for the first patient
    await until(lambda: len(cups.printed()) == 2, "the first patient's papers")

    # 3. the next patient starts on a blank page, and the form is bound to their session
    second = check_in(cabin, SECOND)
    await take(page, cabin, second)
    await page.until(
        "identity shown",
        lambda: page.js("return document.getElementById('id-name').textContent === 'MARTIN Paul'"),
    )
    dom = await page.js(PATIENT_DOM)
    assert dom["readings"] == 0 and dom["lines"] == [["", "", "", "0"]]
    assert dom["typed"] == [""] * 6 and dom["statuses"] == ["", "", ""]
    assert (await page.snapshot())["rx"] == {"version": 0, "locked": False}

    # a prescription written for the first patient's session is refused by the cabin: an
    # error back to the page, nothing kept, nothing printed
    await page.js(
        """
        const [sid, form] = arguments;
        window.__stale = null;
        state.pending.set('stale-rx', {msg: null, resend: false,
                                       done: (ok, why) => { window.__stale = why || 'ack'; }});
        state.channel.send(JSON.stringify({type: 'prescription', id: 'stale-rx', session_id: sid,
                                           rx_id: 'rx-old', version: 1, form}));
        """,
        first,
        {"lines": TWO_LINES, "patient": {}, "prescriber": {}},
    )
    assert await page.until("the cabin's answer", lambda: page.js("return window.__stale")) == (
        "wrong_session"
    )
    assert prescriptions(cabin) == []

    # and the page refuses a send from a form opened for another session
    await page.js(FILL, TWO_LINES[:1], "")
    await page.js("state.rx.sessionId = arguments[0]", first)
    await page.click("#rx-send")
    assert await page.text("rx-status") == (
        "Cette ordonnance a été ouverte pour un autre patient : non envoyée."
    )
    assert (await page.snapshot())["rx"] == {"version": 0, "locked": False}  # nothing sent
    await page.js("state.rx.sessionId = arguments[0]", second)
    assert prescriptions(cabin) == []

    # 4. logout in the middle of a call: the call ends at the cabin, nothing stays on the page
    session.send(ReadingReceived(reading()))
    await page.until(
        "the reading", lambda: page.js("return document.querySelectorAll('#readings li').length")
    )
    await page.click("#logout")
    await page.until(
        "the login form", lambda: page.js("return !document.getElementById('login-view').hidden")
    )
    await assert_blank(page, ("MARTIN", "Paul", "150017512345603", "Paracétamol"))
    await until(lambda: session.state is not State.IN_CALL, "the cabin heard the end")


async def test_a_prescription_sent_twice_prints_once_and_a_resend_replaces_it(
    doctor_page: DoctorPage,
    cabin: Cabin,
    cups: PrivateCups,  # noqa: F811
) -> None:
    page = doctor_page
    await page.login("dr-a", DOCTORS["dr-a"])
    await page.click("button.lang[data-lang='en']")
    await take(page, cabin, check_in(cabin, FIRST))

    # two clicks on "Send": one prescription; the form locks after the first
    await page.js(FILL, TWO_LINES[:1], "")
    await page.js("const b = document.getElementById('rx-send'); b.click(); b.click();")
    await received(page)
    state = await page.js(
        "const v = (id) => document.getElementById(id);"
        "return {send: v('rx-send').disabled, fields: Boolean(v('rx-fields') && v('rx-fields').disabled),"
        " edit: Boolean(v('rx-edit') && !v('rx-edit').hidden),"
        " medicine: document.querySelector('.rx-medicine').matches(':disabled')}"
    )
    assert state == {"send": True, "fields": True, "edit": True, "medicine": True}
    assert (await page.snapshot())["rx"] == {"version": 1, "locked": True}
    assert len(prescriptions(cabin)) == 1

    # "edit and resend": a later version replaces the first, never adds to it
    await page.click("#rx-edit")
    assert await page.text("rx-status") == (
        "Editing: sending replaces the prescription already sent."
    )
    assert not await page.js("return document.getElementById('rx-fields').disabled")
    await page.js(
        "document.querySelector('.rx-medicine').value = arguments[0].medicine;"
        "document.querySelector('.rx-dose').value = arguments[0].dose;"
        "document.querySelector('.rx-duration').value = arguments[0].duration;",
        TWO_LINES[1],
    )
    await page.click("#rx-send")
    await received(page, "the second version")
    assert (await page.snapshot())["rx"] == {"version": 2, "locked": True}
    (kept,) = prescriptions(cabin)
    text = pdf_text(kept.pdf)
    assert "Ibuprofène" in text and "Paracétamol" not in text

    # the first version sent again (as a page does after a drop) is refused, not printed
    await page.js(
        """
        window.__old = null;
        const rx = state.rx;
        const form = {prescriber: state.me, date: new Date().toISOString(), patient: {},
                      lines: [arguments[0]]};
        state.pending.set('old-rx', {msg: null, resend: false,
                                     done: (ok, why) => { window.__old = why || 'ack'; }});
        state.channel.send(JSON.stringify({type: 'prescription', id: 'old-rx',
          session_id: rx.sessionId, rx_id: rx.rxId, version: 1, form}));
        """,
        TWO_LINES[0],
    )
    assert await page.until("the cabin's answer", lambda: page.js("return window.__old")) == (
        "superseded"
    )
    assert len(prescriptions(cabin)) == 1

    # the consultation ends: the latest prescription prints, once, and nothing else
    await page.click("#end-call")
    await page.click("#end-confirm")  # the page asks first
    await finish(cabin)
    (paper,) = cups.printed()
    text = pdf_text(paper)
    assert "Ordonnance" in text and "Ibuprofène" in text and "Paracétamol" not in text


#: The page's link to the cabin fails silently: what it sends and receives is lost.
SILENT_LINK = """
const ch = state.channel;
ch.send = () => {};
ch.onmessage = null;
"""
#: The cabin's new offers wait until the test lets them through (the link stays down).
HOLD_OFFERS = """
window.__held = [];
window.__offer = onOffer;
onOffer = (msg) => { window.__held.push(msg); };
"""
RELEASE_OFFERS = """
onOffer = window.__offer;
for (const msg of window.__held) onOffer(msg);
"""

READINGS = """
return [...document.querySelectorAll('#readings li')].length
"""


async def test_readings_and_requests_come_through_a_dropped_link(
    doctor_page: DoctorPage, cabin: Cabin
) -> None:
    page, session = doctor_page, cabin.session
    assert cabin.call is not None
    recorder = Recorder(cabin.call)
    await page.login("dr-a", DOCTORS["dr-a"])
    await page.click("button.lang[data-lang='en']")
    await take(page, cabin, check_in(cabin, FIRST))
    for _ in range(3):
        session.send(ReadingReceived(reading()))
    await page.until("three readings", lambda: page.js(f"{READINGS} === 3"))
    first_call = cabin.call.call_id

    # the link dies without a word: a measurement asked now, and a reading sent now, are lost
    await page.js(SILENT_LINK)
    await page.click("button.measure[data-kind='temperature']")
    assert await page.text("measure-status") == "Temperature: request sent…"
    session.send(ReadingReceived(reading()))  # the 4th, into the dead link
    recorder.seen.clear()

    # the cabin rebuilds the call; while it is down the page says so and asks nothing
    await page.js(HOLD_OFFERS)
    await page.js("state.pc.close()")
    await until(lambda: cabin.call is not None and cabin.call.call_id != first_call, "a new call")
    await page.until(
        "the new call's offer held", lambda: page.js("return window.__held.length > 0")
    )
    # taken again under the new call id: what the page held stays through the drop
    assert (await page.snapshot())["callId"] == cabin.call.call_id
    assert await page.js(READINGS) == 3
    await page.until(
        "the link shown down",
        lambda: page.js("return !document.getElementById('link-note').hidden"),
    )
    down = await page.js(
        "return {measure: [...document.querySelectorAll('button.measure')].every((b) => b.disabled),"
        " send: document.getElementById('rx-send').disabled,"
        " note: document.getElementById('link-note').textContent}"
    )
    assert down == {
        "measure": True,
        "send": True,
        "note": "Link to the cabin interrupted: requests wait for it to come back.",
    }
    session.send(ReadingReceived(reading()))  # the 5th, while the link is down

    # back: every reading once, and the measurement asked during the drop reaches the cabin
    await page.js(RELEASE_OFFERS)
    await page.until("the link up again", lambda: page.js("return window.cabine.snapshot().link"))
    asked = await recorder.wait(
        "the measurement asked during the drop", lambda u: isinstance(u, MeasurementRequested)
    )
    assert asked.kind is ReadingKind.TEMPERATURE
    await page.until("five readings", lambda: page.js(f"{READINGS} === 5"))
    assert await page.js("return [...state.readingSeqs].sort()") == [1, 2, 3, 4, 5]
    await page.until(
        "the request acknowledged",
        lambda: page.js(
            "return document.getElementById('measure-status').textContent.includes('✓')"
        ),
    )
    assert await page.js("return document.getElementById('link-note').hidden")
    assert not any(isinstance(u, MeasurementRequested) for u in recorder.seen)  # asked once
    await page.until("still five readings", lambda: page.js(f"{READINGS} === 5"))


async def test_a_patient_who_left_is_gone_at_once_and_cannot_be_taken(
    doctor_page: DoctorPage, cabin: Cabin, netns_portal: server.Running
) -> None:
    page, session = doctor_page, cabin.session
    await page.login("dr-a", DOCTORS["dr-a"])
    await page.click("button.lang[data-lang='en']")

    # 1. the patient leaves the waiting room: off the doctors' list now, not at the wipe
    waiting = check_in(cabin, FIRST)
    await page.until(
        "the patient listed",
        lambda: page.js(f"return !!document.querySelector({row(waiting) + ' button.take'!r})"),
    )
    session.send(EndSession())
    assert session.state is State.GOODBYE
    await page.until(
        "the patient gone from the list",
        lambda: page.js(f"return !document.querySelector({row(waiting)!r})"),
        timeout=5,
    )
    session.send(EndSession())
    assert session.state is State.IDLE

    # 2. a consultation the cabin ended: an older list still showing it cannot bring it back
    ended = check_in(cabin, SECOND)
    await take(page, cabin, ended)
    session.send(EndSession())  # the patient ends it at the cabin
    await page.until("back in the room", lambda: page.js("return !window.cabine.snapshot().callId"))
    stale = {
        "cabin_id": CABIN_ID,
        "session_id": ended,
        "waiting_s": 3.0,
        "state": "waiting",
        "mine": False,
        "call_id": "",
    }
    gone = {**stale, "session_id": "sess-gone", "state": "ended"}
    await page.js(
        "onSignal({type: 'waiting_room', patients: arguments[0], cabins: []})", [stale, gone]
    )
    shown = await page.js(
        """
        return [...document.querySelectorAll('#patients tbody tr[data-session]')].map((tr) => {
          const b = tr.querySelector('button.take');
          return {session: tr.dataset.session, state: tr.dataset.state,
                  text: tr.children[3].textContent, disabled: b ? b.disabled : null};
        });
        """
    )
    assert shown == [
        {"session": ended, "state": "ended", "text": "left", "disabled": True},
        {"session": "sess-gone", "state": "ended", "text": "left", "disabled": True},
    ]
    # even forced, the page does not ask the portal for it
    await page.js(
        "window.__sent = []; const send = state.ws.send.bind(state.ws);"
        "state.ws.send = (m) => { window.__sent.push(JSON.parse(m).type); send(m); };"
        "takePatient(arguments[0]);",
        ended,
    )
    assert await page.text("banner") == "This patient has left the cabin."
    assert await page.js("return window.__sent") == []

    # 3. a patient the portal no longer has: the take is refused, the row goes
    unknown = {**stale, "session_id": "sess-unknown"}
    await page.js(
        "banner(''); onSignal({type: 'waiting_room', patients: [arguments[0]], cabins: []})",
        unknown,
    )
    await page.click(f"{row('sess-unknown')} button.take")
    await page.until(
        "the refusal", lambda: page.js("return document.getElementById('banner').textContent")
    )
    assert await page.text("banner") == "This patient has left the cabin."
    assert await page.js(f"return !document.querySelector({row('sess-unknown')!r})")
    hub = netns_portal.app[server.HUB]
    assert not any(p.session_id in (waiting, ended) for p in hub.patients.values())
