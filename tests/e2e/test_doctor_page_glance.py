"""The doctor's page reads at a glance (issue 21, items 5-10): each measurement's state with
the cuff's pressure live and "busy" when another runs, readings as a doctor writes them,
the identity always in sight, a lost link made obvious, an end confirmed then summed up,
and a waiting room in the page's language; no WCAG A/AA violation found by axe-core.

Real parts: the cabin (session, measurement service, call) with instrument simulators on
ptys (a slow cuff, a Nonin oximeter, a scale), printing through a private CUPS, the portal,
and the doctor's page in a real headless Chromium, in a private network namespace (see
``loopback_netns``). Set ``DOCTOR_SHOTS`` to a folder to keep the screenshots of each stage
(fr and en, 1440×900 and 1280×720); they go to the test's temporary folder otherwise.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from drivers.and_scale.sim import AndScaleSimulator
from drivers.nonin.sim import NoninSimulator
from drivers.printer.sim import DEFAULT_QUEUE, PrivateCups
from drivers.suntech.sim import SunTechSimulator
from kiosk.cabin import Cabin
from kiosk.config import DeviceConfig
from kiosk.domain import Beneficiary, DeviceInfo, Reading, ReadingKind, Unit
from kiosk.session import (
    ReadingReceived,
    State,
)
from portal import server
from tests.documents.conftest import cups  # noqa: F401
from tests.e2e import axe
from tests.e2e.conftest import cabin_on_portal, check_in, finish, take
from tests.helpers.waiting import until
from tests.portal.conftest import DOCTORS, DoctorPage

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

SIZES = ((1440, 900), (1280, 720))


def nir_of(number13: str) -> str:
    """The 13 digits and their key (97 - number mod 97), as on a card."""
    return number13 + f"{97 - int(number13) % 97:02d}"


JEANNE = Beneficiary(
    last_name="Martin", first_name="Jeanne", birth_date="19850612", nir=nir_of("2850675056078")
)
PAUL = Beneficiary(
    last_name="Durand", first_name="Paul", birth_date="19500101", nir=nir_of("1500175123456")
)


def years_since(birth: date) -> int:
    today = date.today()
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


# --- the rig ---------------------------------------------------------------------------------


@pytest.fixture
def instruments(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A cuff that takes its time (the doctor sees it inflate), a scale, a Nonin oximeter."""
    # a slow cuff (10 s): the measurement still runs while the test asks for another one
    bp = SunTechSimulator(name="g-bp", link=tmp_path / "bp", inflate_s=6.0, deflate_s=4.0)
    scale = AndScaleSimulator(name="g-scale", link=tmp_path / "scale")
    oximeter = NoninSimulator(name="g-spo2", link=tmp_path / "spo2", period=0.1)
    for sim in (bp, scale, oximeter):
        sim.start()
    yield {"bp": bp, "scale": scale, "oximeter": oximeter, "dir": tmp_path}
    for sim in (bp, scale, oximeter):
        sim.stop()


@pytest_asyncio.fixture
async def cabin(
    netns_portal: server.Running,
    instruments: dict[str, Any],
    shm_spool: Path,
    cups: PrivateCups,  # noqa: F811 - the fixture imported above
) -> AsyncIterator[Cabin]:
    """A started cabin on the portal with its three instruments, printing to the private
    CUPS; no patient yet."""
    oximeter = DeviceConfig(
        driver="nonin-oem3",
        kind="spo2",
        port=str(instruments["dir"] / "spo2"),
        measure_timeout=20.0,
    )
    async with cabin_on_portal(
        netns_portal, instruments, shm_spool, cups=cups, max_reconnects=10, oximeter=oximeter
    ) as started:
        yield started


async def lang(page: DoctorPage, code: str) -> None:
    await page.click(f"button.lang[data-lang='{code}']")


#: The identity line as it is seen: without what only a screen reader says, nor hidden parts.
ID_LINE = """
const line = document.querySelector('.id-line').cloneNode(true);
for (const el of line.querySelectorAll('.visually-hidden, [hidden]')) el.remove();
return line.textContent.replace(/\\s+/g, ' ').trim();
"""


def text(value: str) -> str:
    """What the page shows, with its non-breaking spaces as plain ones."""
    return value.replace("\u00a0", " ").replace("\u202f", " ")


async def texts(page: DoctorPage, css: str) -> list[str]:
    found: list[str] = await page.js(
        "return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent)", css
    )
    return [text(t) for t in found]


async def shots(page: DoctorPage, stage: str, folder: Path) -> None:
    """The page as it is now, in French and English, at each size."""
    was = await page.js("return document.documentElement.lang")
    for code in ("fr", "en"):
        await lang(page, code)
        for width, height in SIZES:
            await page.run(
                page.driver.execute_cdp_cmd,
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            )
            await page.js("renderLive()")  # the curve follows the canvas's new width
            await asyncio.sleep(0.2)
            path = folder / f"{stage}-{code}-{width}x{height}.png"
            await page.run(page.driver.save_screenshot, str(path))
    await lang(page, was)
    await page.run(page.driver.execute_cdp_cmd, "Emulation.clearDeviceMetricsOverride", {})


@pytest.fixture
def shot_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("DOCTOR_SHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def no_violations(page: DoctorPage, where: str) -> None:
    found = await axe.violations(page)
    assert not found, f"axe-core on {where}:\n{axe.readable(found)}"


# --- items 5, 6, 7: measurements, readings, identity; axe in a call ---------------------------

MEASURE_LINE = """
const li = document.querySelector(`#measure-states li[data-kind="${arguments[0]}"]`);
return li ? {state: li.dataset.state, text: li.querySelector('.text').textContent,
             again: !!li.querySelector('button.ask-again')} : null;
"""


async def measure_line(page: DoctorPage, kind: str) -> dict[str, Any] | None:
    line: dict[str, Any] | None = await page.js(MEASURE_LINE, kind)
    if line:
        line["text"] = text(line["text"])
    return line


def reading(kind: ReadingKind, unit: Unit, values: dict[str, float], **extra: Any) -> Reading:
    return Reading(
        kind=kind,
        unit=unit,
        values=values,
        device=extra.pop("device", DeviceInfo(id="dev", model="Modèle X", serial="SN42")),
        received_at=datetime.now(UTC),
        **extra,
    )


READINGS = [
    reading(
        ReadingKind.BLOOD_PRESSURE,
        Unit.MM_HG,
        {"systolic": 142, "diastolic": 88, "map": 106, "pulse": 81},
        units={"pulse": Unit.PER_MINUTE},
        flags={"irregular_pulse"},
    ),
    reading(ReadingKind.TEMPERATURE, Unit.CELSIUS, {"temperature": 37.2}, flags={"site:tympanum"}),
    reading(
        ReadingKind.SPO2,
        Unit.PERCENT,
        {"spo2": 96, "pulse": 72},
        units={"pulse": Unit.PER_MINUTE},
        flags={"perfusion_green"},
    ),
    reading(
        ReadingKind.WEIGHT, Unit.KG, {"weight": 72.5, "bmi": 24.1}, units={"bmi": Unit.KG_PER_M2}
    ),
    reading(
        ReadingKind.SPO2,
        Unit.PERCENT,
        {},
        missing={"spo2": "out_of_track", "pulse": "out_of_track"},
        units={"pulse": Unit.PER_MINUTE},
    ),
]
RAW = ("systolic", "diastolic", "Cel", "mm[Hg]", "perfusion_green", "out_of_track", "site:")


async def test_measurements_readings_and_identity_read_at_a_glance(
    doctor_page: DoctorPage, cabin: Cabin, instruments: dict[str, Any], shot_dir: Path
) -> None:
    page, session = doctor_page, cabin.session
    await page.login("dr-a", DOCTORS["dr-a"])
    await lang(page, "fr")
    await take(page, cabin, check_in(cabin, JEANNE), video=True)

    # 7. the identity: one line, the NIR grouped and masked, the INS note plain to see
    await page.until("identity shown", lambda: page.js("return state.identity !== null"))
    line = text(await page.js(ID_LINE))
    age = years_since(date(1985, 6, 12))
    assert line == f"MARTIN Jeanne · F · {age} ans · 12/06/1985"
    assert await page.text("id-nir") == "• •• •• •• ••• ••• ••"
    await page.click("#nir-reveal")
    assert await page.text("id-nir") == "2 85 06 75 056 078 " + JEANNE.nir[-2:]
    assert await page.js("return document.getElementById('nir-reveal').ariaPressed") == "true"
    await page.run(
        page.driver.execute_cdp_cmd,
        "Browser.grantPermissions",
        {"origin": page.url, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
    )
    await page.click("#nir-copy")
    await page.until(
        "copied", lambda: page.js("return document.getElementById('nir-status').textContent")
    )
    assert await page.text("nir-status") == "NIR copié ✓"
    pasted = await page.run(
        page.driver.execute_async_script,
        "const done = arguments[0]; navigator.clipboard.readText().then(done, (e) => done(String(e)));",
    )
    assert pasted == JEANNE.nir
    await page.click("#nir-reveal")  # masked again
    assert "•" in await page.text("id-nir")
    note = await page.js(
        """const n = document.getElementById('identity-note'); const r = n.getBoundingClientRect();
        return {text: n.textContent, size: parseFloat(getComputedStyle(n).fontSize),
                shown: r.top >= 0 && r.bottom <= innerHeight && n.offsetParent !== null};"""
    )
    assert note["text"].startswith("Identité non qualifiée (INS)")
    assert note["shown"] and note["size"] >= 14
    # the header stays in sight when the page scrolls to the prescription
    await page.run(
        page.driver.execute_cdp_cmd,
        "Emulation.setDeviceMetricsOverride",
        {"width": 1280, "height": 720, "deviceScaleFactor": 1, "mobile": False},
    )
    await page.js("document.getElementById('pdf-send').scrollIntoView(); window.scrollBy(0, 2000);")
    bar = await page.js(
        "const r = document.getElementById('patient-bar').getBoundingClientRect();"
        "return {top: r.top, bottom: r.bottom, height: innerHeight};"
    )
    assert bar["top"] >= 0 and bar["bottom"] <= bar["height"], bar
    await page.js("window.scrollTo(0, 0)")
    await page.run(page.driver.execute_cdp_cmd, "Emulation.clearDeviceMetricsOverride", {})

    # 5. the cuff inflates: its pressure live, in words and as a curve
    instruments["bp"].play([{"measure": {"systolic": 142, "diastolic": 88, "pulse": 81}}])
    await page.click("button.measure[data-kind='blood_pressure']")
    live = await page.until(
        "the cuff pressure live",
        lambda: page.js(
            "const f = document.getElementById('live');"
            "return !f.hidden && state.curve.length >= 3 && {caption: f.querySelector('figcaption').textContent,"
            " label: document.getElementById('live-curve').getAttribute('aria-label')}"
        ),
    )
    assert re.fullmatch(r"Brassard \d+ mmHg", text(live["caption"])), live
    assert text(live["label"]) == text(live["caption"])
    line = await measure_line(page, "blood_pressure")
    assert line is not None and line["state"] == "in_progress"
    assert re.fullmatch(r"Tension : en cours — Brassard \d+ mmHg", line["text"]), line
    await shots(page, "3-call-measuring", shot_dir)

    # another measurement asked meanwhile: "busy", never "received"
    await page.click("button.measure[data-kind='spo2']")
    busy = await page.until(
        "the cabin's answer",
        lambda: page.js(
            "const s = document.getElementById('measure-status').textContent;"
            "return s.includes('occupée') && s"
        ),
    )
    assert text(busy) == (
        "SpO₂ : cabine occupée, une mesure est déjà en cours (Tension) : redemandez ensuite."
    )
    assert session.requested is not None and session.requested.kind is ReadingKind.BLOOD_PRESSURE
    await lang(page, "en")  # a status follows the language switch
    assert text(await page.text("measure-status")) == (
        "SpO₂: the cabin is busy, a measurement is already running (Blood pressure):"
        " ask again afterwards."
    )
    await lang(page, "fr")
    await page.until(
        "the pressure measured",
        lambda: page.js("return state.measures.blood_pressure.state === 'done'"),
        timeout=30,
    )
    assert await page.js("return document.getElementById('live').hidden")
    assert (await measure_line(page, "blood_pressure") or {})["text"] == "Tension : terminée"

    # the oximeter waits for a valid value: a finger out first is shown, not taken
    instruments["oximeter"].play(
        [{"sample": {"finger_out": True, "seconds": 3}}, {"sample": {"spo2": 96, "pulse": 72}}]
    )
    await page.click("button.measure[data-kind='spo2']")
    waiting = await page.until(
        "the finger out, live",
        lambda: page.js(
            "const li = document.querySelector('#measure-states li[data-kind=spo2] .text');"
            "return li && li.textContent.includes('doigt') && li.textContent"
        ),
    )
    assert text(waiting) == "SpO₂ : en cours — signal perdu (doigt retiré ?)"
    await page.until(
        "the oximeter's value",
        lambda: page.js("return state.measures.spo2.state === 'done'"),
        timeout=20,
    )
    # an instrument unplugged says so, with no "do it again"
    await page.js(
        "onData({type: 'measuring', kind: 'weight', state: 'requested'});"
        "onData({type: 'measuring', kind: 'weight', state: 'failed', reason: 'unplugged'});"
    )
    assert (await measure_line(page, "weight") or {})["text"] == (
        "Poids : échec : appareil débranché ou introuvable"
    )

    # 6. readings as a doctor writes them: the latest of each kind, then every one
    for r in READINGS:
        session.send(ReadingReceived(r))
    await page.until(
        "every reading",
        lambda: page.js("return document.querySelectorAll('#readings li').length >= 7"),
    )
    latest = await page.js(
        "return [...document.querySelectorAll('#latest tbody tr')].map((tr) =>"
        " [tr.dataset.kind, tr.children[0].textContent, tr.children[1].textContent,"
        "  tr.dataset.failed])"
    )
    assert [(k, text(v), f) for k, v, _, f in latest] == [
        ("blood_pressure", "TA 142/88 mmHg · FC 81/min", "false"),
        ("spo2", "SpO2 96 % · FC 72/min", "false"),  # the latest valid one
        ("temperature", "T° 37,2 °C (tympan)", "false"),
        ("weight", "Poids 72,5 kg (IMC 24,1)", "false"),
    ]
    assert all(re.fullmatch(r"\d\d:\d\d", when) for _, _, when, _ in latest)
    shown = await texts(page, "#readings li .value")
    assert shown[0] == "✗ SpO₂ : pas de mesure valide — signal perdu (doigt retiré ?)"
    assert (
        await page.js(
            "const li = document.querySelector('#readings li');"
            "return li.dataset.failed === 'true' && getComputedStyle(li.querySelector('.value')).color"
        )
        == "rgb(179, 38, 30)"
    )  # the failure colour
    metas = await texts(page, "#readings li .meta")
    assert "PAM 106 mmHg · pouls irrégulier · Modèle X n° SN42" in metas
    assert "perfusion bonne · Modèle X n° SN42" in metas
    body = await page.js("return document.getElementById('call-view').innerText")
    assert not [raw for raw in RAW if raw in body], body
    await page.run(page.driver.execute_cdp_cmd, "Emulation.clearDeviceMetricsOverride", {})
    await no_violations(page, "the call (fr)")
    await shots(page, "4-call-readings", shot_dir)

    await lang(page, "en")
    assert [text(v) for v in (await texts(page, "#latest tbody th"))] == [
        "BP 142/88 mmHg · HR 81/min",
        "SpO2 96% · HR 72/min",
        "T° 37.2 °C (tympanum)",
        "Weight 72.5 kg (BMI 24.1)",
    ]
    line = text(await page.js(ID_LINE))
    assert line == f"MARTIN Jeanne · F · {age} years · 12/06/1985"
    body = text(await page.js("return document.getElementById('call-view').innerText"))
    assert not re.search(r"[^\d\s] :", body), "a French space before a colon in English"
    await no_violations(page, "the call (en)")

    # asked during a failed attempt: the failure's own line says why, and what to do (fed
    # to the page again after the language switch: a cabin that re-sends where its own
    # measurement stands, after a data-channel hiccup on a loaded machine, would say "done")
    failed = (
        "onData({type: 'measuring', kind: 'blood_pressure', state: 'requested'});"
        "onData({type: 'reading', seq: 99, reading: {kind: 'blood_pressure', unit: 'mm[Hg]',"
        " values: {}, missing: {systolic: 'air_leak_or_loose_cuff'}, units: {}, flags: [],"
        " device: {id: 'bp'}, received_at: new Date().toISOString()}});"
        "onData({type: 'measuring', kind: 'blood_pressure', state: 'failed',"
        " reason: 'no_valid_value'});"
    )

    async def shows_failed(text: str) -> None:
        # fed until it holds: the cabin may re-send "done" for its own measurement meanwhile
        async def fed() -> bool:
            await page.js(failed)
            return bool((await measure_line(page, "blood_pressure") or {}).get("text") == text)

        await page.until(f"the failed line {text!r}", fed)

    await shows_failed("Blood pressure: failed: cuff too loose or air leak — do it again")
    assert (await measure_line(page, "blood_pressure") or {})["text"] == (
        "Blood pressure: failed: cuff too loose or air leak — do it again"
    )
    await lang(page, "fr")
    await shows_failed("Tension : échec : brassard mal serré ou fuite d'air — à refaire")
    assert (await measure_line(page, "blood_pressure") or {})["text"] == (
        "Tension : échec : brassard mal serré ou fuite d'air — à refaire"
    )
    assert (await measure_line(page, "blood_pressure") or {})["again"]
    await shots(page, "5-call-failed", shot_dir)
    await no_violations(page, "a failed measurement (fr)")


# --- item 8: a network drop is obvious ------------------------------------------------------

#: UDP on the namespace's loopback (the call's media and data channel) slowed to nothing;
#: TCP (the portal's sockets) goes on. No netem in these kernels: htb, u32 and a tbf whose
#: burst is smaller than any packet do.
CHOKE = (
    "tc qdisc add dev lo root handle 1: htb default 10",
    "tc class add dev lo parent 1: classid 1:10 htb rate 1gbit",
    "tc class add dev lo parent 1: classid 1:20 htb rate 8bit ceil 8bit",
    "tc filter add dev lo parent 1: protocol ip u32 match ip protocol 17 0xff flowid 1:20",
    "tc qdisc add dev lo parent 1:20 handle 20: tbf rate 8bit burst 20 limit 1",
)


def udp(blocked: bool) -> None:
    for command in CHOKE if blocked else ("tc qdisc del dev lo root",):
        done = subprocess.run(command.split(), capture_output=True, text=True, check=False)
        if done.returncode != 0:
            pytest.fail(f"{command}: {done.stderr.strip()}")


LOST = """
const v = document.getElementById('remote-video');
return {lost: document.getElementById('stage').dataset.lost,
        shown: !document.getElementById('lost').hidden,
        text: document.getElementById('lost').textContent,
        filter: getComputedStyle(v).filter};
"""
#: The same, once the overlay shows (null before).
LOST_SHOWN = LOST.replace("return {", "const o = {", 1) + "return o.shown ? o : null;"


async def test_a_network_drop_dims_the_video_and_says_since_when(
    doctor_page: DoctorPage, cabin: Cabin, shot_dir: Path
) -> None:
    page = doctor_page
    await page.login("dr-a", DOCTORS["dr-a"])
    await lang(page, "en")
    await take(page, cabin, check_in(cabin, JEANNE), video=True)
    assert (await page.js(LOST))["shown"] is False

    udp(blocked=True)
    try:
        await page.until(
            "the drop shown",
            lambda: page.js("return document.getElementById('stage').dataset.lost === 'true'"),
        )
        await page.until("the snapshot saying so", lambda: page.js("return cabine.snapshot().lost"))
        first = await page.until("the overlay", lambda: page.js(LOST_SHOWN))
        assert first["lost"] == "true" and first["shown"]
        assert "brightness" in first["filter"]
        assert re.fullmatch(r"Connection lost for \d+ s", text(first["text"])), first
        start = int(re.sub(r"\D", "", text(first["text"])))

        async def counted() -> bool:
            later = int(re.sub(r"\D", "", text((await page.js(LOST))["text"])))
            return later >= start + 2

        await page.until("the seconds counting up", counted)  # it counts
        await lang(page, "fr")
        assert re.fullmatch(r"Connexion perdue depuis \d+ s", text((await page.js(LOST))["text"]))
        await no_violations(page, "a lost connection (fr)")
        await shots(page, "6-connection-lost", shot_dir)
    finally:
        udp(blocked=False)
    await page.until(
        "the picture back",
        lambda: page.js("return !window.cabine.snapshot().lost && state.lastFrameAt > 0"),
        timeout=45,
    )
    back = await page.js(LOST)
    assert back["lost"] == "false" and not back["shown"] and back["filter"] == "none"


# --- item 9: ending, confirmed, then summed up ------------------------------------------------

FILL = """
document.querySelector('.rx-medicine').value = 'Paracétamol 1 g';
document.querySelector('.rx-dose').value = '1 comprimé 3 fois par jour';
document.querySelector('.rx-duration').value = '5 jours';
"""
TABBABLE = """
const all = [...document.querySelectorAll('#call-view button, #call-view input, #call-view select')];
return all.filter((e) => !e.disabled && e.offsetParent !== null && e.tabIndex >= 0)
  .map((e) => e.id || e.className);
"""


async def prescribe(page: DoctorPage) -> None:
    await page.js(FILL)
    await page.click("#rx-send")
    await page.until(
        "the prescription received",
        lambda: page.js("return document.getElementById('rx-status').textContent.includes('✓')"),
    )


async def keys(page: DoctorPage, *sequence: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    def press() -> None:
        chain = ActionChains(page.driver)
        for key in sequence:
            chain.send_keys(key)
        chain.perform()

    await page.run(press)


async def summary(page: DoctorPage) -> list[str]:
    return await texts(page, "#summary-lines li")


async def test_ending_asks_first_then_sums_up_what_was_sent_and_printed(
    doctor_page: DoctorPage,
    cabin: Cabin,
    cups: PrivateCups,  # noqa: F811
    shot_dir: Path,
) -> None:
    from selenium.webdriver.common.keys import Keys

    page, session = doctor_page, cabin.session
    await page.login("dr-a", DOCTORS["dr-a"])
    await lang(page, "fr")
    await take(page, cabin, check_in(cabin, JEANNE), video=True)
    await prescribe(page)
    session.send(ReadingReceived(READINGS[0]))
    await page.until("the reading", lambda: page.js("return state.readings.length === 1"))

    # the End button stands apart: never next to a measure button in the tab order
    order = await page.js(TABBABLE)
    end = order.index("end-call")
    measures = [i for i, name in enumerate(order) if name == "measure"]
    assert order[end + 1 : end + 3] == ["mute", "camera"] and end + 1 < measures[0] - 1, order
    # reached from the keyboard, it shows a focus ring
    await page.js("document.getElementById('nir-copy').focus()")
    await keys(page, Keys.TAB)
    ring = await page.js(
        "const e = document.activeElement, s = getComputedStyle(e);"
        "return {id: e.id, visible: e.matches(':focus-visible'), style: s.outlineStyle,"
        " width: parseFloat(s.outlineWidth)};"
    )
    assert ring == {"id": "end-call", "visible": True, "style": "solid", "width": 3}

    # a confirmation first, saying what will print; Escape keeps the consultation
    await keys(page, Keys.ENTER)
    dialog = await page.js(
        "const d = document.getElementById('end-dialog');"
        "return {open: d.open, focus: document.activeElement.id,"
        " what: document.getElementById('end-what').textContent};"
    )
    assert dialog == {
        "open": True,
        "focus": "end-cancel",
        "what": "La cabine imprimera : ordonnance (formulaire, version 1), relevé des mesures.",
    }
    await no_violations(page, "the end's confirmation (fr)")
    await shots(page, "7-end-confirm", shot_dir)
    await keys(page, Keys.ESCAPE)
    assert not await page.js("return document.getElementById('end-dialog').open")
    assert await page.js("return document.activeElement.id") == "end-call"
    assert session.state is State.IN_CALL and (await page.snapshot())["view"] == "call-view"

    # confirmed: the summary says what was sent, and what the cabin's printer says
    await page.click("#end-call")
    await page.click("#end-confirm")
    await page.until(
        "the summary", lambda: page.js("return !document.getElementById('summary').hidden")
    )
    await finish(cabin)
    await until(lambda: len(cups.printed()) == 2, "the papers")
    lines = await page.until(
        "the printer's word",
        lambda: page.js(
            "const l = [...document.querySelectorAll('#summary-lines li')].map((e) => e.textContent);"
            "return l.some((x) => x.includes('imprimante prête')) && l"
        ),
        timeout=20,
    )
    lines = [text(x) for x in lines]
    assert re.fullmatch(
        r"Cabine Test cabin · \d\d:\d\d–\d\d:\d\d \(\d+ min\) · terminée par vous", lines[0]
    ), lines
    assert lines[1:] == [
        "Documents envoyés : ordonnance (formulaire, version 1) reçue ✓",
        "Relevé des mesures (1) à imprimer par la cabine",
        "Impression à la cabine : ✓ imprimante prête, aucune erreur signalée",
    ]
    # no patient data in it: the patient's data left the page with the call
    body = await page.js("return document.body.textContent")
    assert not [s for s in ("MARTIN", "Jeanne", JEANNE.nir, "Paracétamol") if s in body]
    assert await page.js("return document.activeElement.id") == "summary"
    await no_violations(page, "the summary (fr)")
    await shots(page, "8-summary", shot_dir)
    await lang(page, "en")
    assert (await summary(page))[1:] == [
        "Documents sent: prescription (form, version 1) received ✓",
        "Readings sheet (1) to be printed by the cabin",
        "Printing at the cabin: ✓ printer ready, no error reported",
    ]
    await no_violations(page, "the summary (en)")

    # the next patient's papers meet an empty tray: the summary says so
    cups.set_fault(DEFAULT_QUEUE, "paper-out")
    await take(page, cabin, check_in(cabin, PAUL), video=True)
    assert await page.js("return document.getElementById('summary').hidden")  # a new call
    await prescribe(page)
    await page.click("#end-call")
    await page.click("#end-confirm")
    lines = await page.until(
        "the printer's fault",
        lambda: page.js(
            "const l = [...document.querySelectorAll('#summary-lines li')].map((e) => e.textContent);"
            "return l.some((x) => x.includes('✗')) && l"
        ),
        timeout=40,
    )
    assert text(lines[-1]) == "Printing at the cabin: ✗ printer stopped: out of paper", lines
    await lang(page, "fr")
    assert (await summary(page))[-1] == (
        "Impression à la cabine : ✗ imprimante arrêtée : plus de papier"
    )
    await page.click("#summary-close")
    assert await page.js("return document.getElementById('summary').hidden")


# --- item 10: the waiting room, in the page's language ----------------------------------------

ROOM = """
const rows = [...document.querySelectorAll('#patients tbody tr[data-session]')];
const cabins = [...document.querySelectorAll('#cabins tbody tr')];
return {patients: rows.map((tr) => [...tr.children].slice(0, 4).map((td) => td.textContent)),
        cabins: cabins.map((tr) => [...tr.children].map((td) => td.textContent)),
        text: document.getElementById('room-view').innerText};
"""


async def test_the_waiting_room_names_cabins_counts_live_and_speaks_the_pages_language(
    doctor_page: DoctorPage, cabin: Cabin, shot_dir: Path
) -> None:
    page = doctor_page
    await page.run(page.driver.get, page.url + "/")
    await page.until(
        "login form", lambda: page.js("return !document.getElementById('login-view').hidden")
    )
    await shots(page, "1-login", shot_dir)
    session_id = check_in(cabin, JEANNE)
    await page.login("dr-a", DOCTORS["dr-a"])
    await lang(page, "fr")
    row = f"tr[data-session={json.dumps(session_id)}]"
    await page.until("the patient", lambda: page.js(f"return !!document.querySelector({row!r})"))
    await page.until(
        "the cabin's devices",
        lambda: page.js(
            "const cell = document.querySelector('#cabins tbody tr td:nth-child(4)');"
            "return !!cell && cell.textContent.includes('Tensiomètre')"
        ),
    )
    room = await page.js(ROOM)
    (patient,) = room["patients"]
    assert patient[0] == "Test cabin"  # the cabin's name, not its id
    assert patient[1] == "—" and patient[3] == "en attente"
    assert re.fullmatch(r"\d+ s", text(patient[2])), patient
    await asyncio.sleep(2.2)  # the waiting time goes on between two lists of the portal
    later = (await page.js(ROOM))["patients"][0][2]
    assert int(text(later).split()[0]) > int(text(patient[2]).split()[0]), (patient, later)
    (cab,) = room["cabins"]
    assert cab[0] == "Test cabin" and cab[1] == "oui"
    assert re.fullmatch(r"il y a \d+ s", text(cab[2])), cab
    devices = text(cab[3])
    assert "Tensiomètre : " in devices and "Balance : " in devices and "Oxymètre : " in devices
    assert "tensiometer" not in devices and "unknown" not in devices
    assert "non vérifié" in devices  # nothing measured yet: in words
    await no_violations(page, "the waiting room (fr)")

    await lang(page, "en")
    room = await page.js(ROOM)
    assert room["patients"][0][3] == "waiting"
    devices = text(room["cabins"][0][3])
    assert "Blood pressure monitor: " in devices and "Scale: " in devices
    assert re.fullmatch(r"\d+ s ago", text(room["cabins"][0][2]))
    assert not re.search(r"[^\d\s] :", text(room["text"])), room["text"]
    await no_violations(page, "the waiting room (en)")

    # what the portal may say of a patient (no health data): the screen's language, an age group
    await page.js(
        "const room = JSON.parse(JSON.stringify(state.room));"
        "room.patients[0].language = 'ar'; room.patients[0].age_group = '40-49';"
        "onSignal({type: 'waiting_room', ...room});"
    )
    assert (await page.js(ROOM))["patients"][0][1] == "Arabic · aged 40–49"
    await lang(page, "fr")
    assert (await page.js(ROOM))["patients"][0][1] == "arabe · 40–49 ans"
    await shots(page, "2-waiting-room", shot_dir)

    # every text follows the switch, a banner's included
    await page.js("banner('patient_left')")
    await lang(page, "en")
    assert await page.text("banner") == "This patient has left the cabin."
    await lang(page, "fr")
    assert await page.text("banner") == "Ce patient a quitté la cabine."
