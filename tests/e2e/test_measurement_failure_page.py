"""The doctor is told when a measurement fails: the page shows the failure, why, and an
"ask again" button that sends the same request again.

Real parts: the cabin (session, measurement service, call) with instrument simulators on
ptys, the portal, and the doctor's page in a real headless Chromium, in a private network
namespace (see ``loopback_netns``); the call's data channel carries the states.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from kiosk.cabin import Cabin
from kiosk.config import DeviceConfig
from kiosk.domain import ReadingKind
from kiosk.session import (
    MeasurementRequested,
    State,
)
from portal import server
from tests.core.helpers import beneficiary
from tests.e2e.conftest import cabin_on_portal, check_in
from tests.helpers.call import Recorder
from tests.helpers.waiting import until
from tests.portal.conftest import DOCTORS, DoctorPage

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

#: What the page shows of one instrument's measurement, and its "ask again" button.
LINE = """
const li = document.querySelector(`#measure-states li[data-kind="${arguments[0]}"]`);
if (!li) return null;
const again = li.querySelector('button.ask-again');
return {state: li.dataset.state, reason: li.dataset.reason || '',
        text: li.querySelector('.text').textContent,
        again: again ? again.textContent : null, shown: li.offsetParent !== null};
"""


@pytest_asyncio.fixture
async def cabin(
    netns_portal: server.Running,
    sims: dict[str, Any],
    shm_spool: Path,
) -> AsyncIterator[Cabin]:
    """A started cabin whose patient waits for the doctor; its scale gives up after 1 s."""
    scale = DeviceConfig(
        driver="and-weight", kind="weight", port=str(sims["dir"] / "scale"), measure_timeout=1.0
    )
    async with cabin_on_portal(
        netns_portal, sims, shm_spool, max_reconnects=2, scale=scale
    ) as started:
        check_in(started, beneficiary(0))
        yield started


#: Keeps each new text of one instrument's line in ``window.__lines``, as the doctor sees it.
WATCH = """
const kind = arguments[0];
window.__lines = [];
const read = () => {
  const li = document.querySelector(`#measure-states li[data-kind="${kind}"] .text`);
  const text = li ? li.textContent : '';
  if (text && window.__lines[window.__lines.length - 1] !== text) window.__lines.push(text);
};
new MutationObserver(read).observe(document.getElementById('measure-states'),
  {childList: true, subtree: true, characterData: true});
"""


async def line(page: DoctorPage, kind: str) -> dict[str, Any] | None:
    shown: dict[str, Any] | None = await page.js(LINE, kind)
    return shown


async def in_state(page: DoctorPage, kind: str, state: str) -> dict[str, Any] | None:
    """The line of ``kind`` once it shows ``state``, else None."""
    shown = await line(page, kind)
    return shown if shown is not None and shown["state"] == state else None


async def test_a_failed_measurement_is_shown_with_its_reason_and_asked_again(
    doctor_page: DoctorPage,
    cabin: Cabin,
    sims: dict[str, Any],
) -> None:
    page, session = doctor_page, cabin.session
    assert cabin.call is not None
    recorder = Recorder(cabin.call)
    await page.login("dr-a", DOCTORS["dr-a"])
    await page.click("button.lang[data-lang='fr']")
    row = f"tr[data-session={json.dumps(session.session_id)}] button.take"
    await page.until(
        "patient in the waiting room", lambda: page.js(f"return !!document.querySelector({row!r})")
    )
    await page.click(row)
    await until(lambda: session.state is State.IN_CALL, "the patient in the call", timeout=20)
    await page.until(
        "the data channel", lambda: page.js("return window.cabine.snapshot().channel === 'open'")
    )

    # 1. the scale hangs for longer than its time limit: the doctor is told, in words
    sims["scale"].silence(2.5)
    await page.click("button.measure[data-kind='weight']")
    failed = await page.until("the failure on the page", lambda: in_state(page, "weight", "failed"))
    assert failed["reason"] == "timeout"
    assert failed["text"] == "Poids : échec : pas de résultat dans le temps imparti — à refaire"
    assert failed["again"] == "Redemander" and failed["shown"]
    await page.click("button.lang[data-lang='en']")
    failed = await line(page, "weight")
    assert failed is not None
    assert failed["text"] == "Weight: failed: no result in time — do it again"
    assert failed["again"] == "Ask again"
    assert session.state is State.IN_CALL
    assert (await page.snapshot())["measures"] == {
        "weight": {"state": "failed", "reason": "timeout"}
    }

    # 2. "ask again" sends the same request; the cabin measures, the page follows
    await until(lambda: not sims["scale"].silent, "the scale answering again")
    sims["scale"].play([{"weight": {"value": 71.5, "stable": True}}])
    recorder.seen.clear()
    await page.js(WATCH, "weight")
    await page.click('#measure-states li[data-kind="weight"] button.ask-again')
    asked = await recorder.wait(
        "the request asked again", lambda u: isinstance(u, MeasurementRequested)
    )
    assert asked.kind is ReadingKind.WEIGHT
    done = await page.until("done on the page", lambda: in_state(page, "weight", "done"))
    assert done["text"] == "Weight: done" and done["again"] is None
    # every state in turn, each once (the button went with the failure)
    assert await page.js("return window.__lines") == [
        "Weight: asked",
        "Weight: in progress",
        "Weight: done",
    ]
    shown = await page.js(
        "return [...document.querySelectorAll('#readings li')].map((li) => li.textContent)"
    )
    assert any("71.5" in text for text in shown), shown

    # 3. a loose cuff: the device's own reason comes with the failure
    sims["bp"].play([{"measure": {"error": 87}}])
    await page.click("button.measure[data-kind='blood_pressure']")
    failed = await page.until(
        "the cuff's failure", lambda: in_state(page, "blood_pressure", "failed")
    )
    assert failed["reason"] == "no_valid_value"
    # in words, once, with what to do: no raw key
    assert failed["text"] == "Blood pressure: failed: cuff too loose or air leak — do it again"
    assert failed["again"] == "Ask again"
    # the weight's line is still there, as it was
    assert (await line(page, "weight") or {}).get("state") == "done"
    assert (await page.snapshot())["errors"] == 0  # every message the page got was valid
