"""The exam instruments on the doctor's page, in a real headless Chromium against a real
cabin call (aiortc) whose exam camera and stethoscope are simulator sources: switched on and
off from the page, the camera in a large tile (freeze, zoom), a still at the camera's full
resolution over the data channel (kept in the cabin's session spool), the stethoscope through
WebAudio with a volume and a WAV clip recorded in the browser; an unplugged camera is said;
everything goes with the page's patient reset; no axe-core violation with it all shown."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from drivers.media import sim
from kiosk.call import CabinCall
from kiosk.call.exam import ExamInstruments
from kiosk.exam import ExamGuide
from kiosk.privacy import Spool
from portal import server
from tests.e2e import axe
from tests.helpers.call import Recorder, call_options
from tests.helpers.waiting import until
from tests.portal.conftest import DOCTORS, DoctorPage
from tests.portal.test_cardless_page import take

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

CONSENT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
CAMERA = sim.camera_url(offer=(1280, 720))
STETHOSCOPE = "lavfi:sine=frequency=200:sample_rate=48000?rate=48000&channels=1"
EXAM = "return window.cabine.exam()"


@contextlib.asynccontextmanager
async def exam_call(portal_url: str, urls: dict[str, str], spool: Path) -> AsyncIterator[CabinCall]:
    """A started call whose cabin has the instruments ``urls`` (stills kept in ``spool``)."""
    exam = ExamInstruments(urls)
    exam.spool = Spool(spool, require_memory=False)
    call = CabinCall(call_options(portal_url), devices=lambda: {}, exam=exam)
    await call.start()
    try:
        await until(call.link.connected.is_set, "portal link")
        yield call
    finally:
        await call.close()


async def exam(page: DoctorPage) -> dict[str, Any]:
    result: dict[str, Any] = await page.js(EXAM)
    return result


async def start(page: DoctorPage, call: CabinCall, session_id: str) -> None:
    await page.login("dr-a", DOCTORS["dr-a"])
    await page.click("button.lang[data-lang='fr']")
    await call.check_in(session_id, booking_code="K7P2QX", without_card=True, consent_time=CONSENT)
    await take(page, Recorder(call), session_id, "booking_code")
    await page.until("the instruments offered", lambda: page.js(
        "return window.cabine.exam().offered.length > 0 && window.cabine.snapshot().channel === 'open'"
    ))  # fmt: skip


async def switch(page: DoctorPage, which: str, *, on: bool) -> str:
    """Press an instrument's switch; its status line once the cabin answered."""
    instrument = {"camera": "exam_camera", "steth": "stethoscope"}[which]
    await page.until(f"the {which} switch usable",
                     lambda: page.js(f"return !document.getElementById('exam-{which}-switch').disabled"))  # fmt: skip
    await page.click(f"#exam-{which}-switch")

    async def answered() -> bool:
        got = await exam(page)
        state = got["states"].get(instrument)
        return state is not None and state["on"] is on and instrument not in got["asking"]

    await page.until(f"{which} {'on' if on else 'off'}", answered, timeout=25)
    return await page.text(f"exam-{which}-state")


WAV = """
const done = arguments[arguments.length - 1];
const a = document.querySelector('#exam-clips a');
exam.clips[0].blob.arrayBuffer().then((buf) => {  // the page's CSP forbids fetch(blob:)
  const v = new DataView(buf);
  const head = String.fromCharCode(...new Uint8Array(buf, 0, 4)) + String.fromCharCode(...new Uint8Array(buf, 8, 4));
  let sum = 0; const n = (buf.byteLength - 44) / 2;
  for (let i = 0; i < n; i++) { const s = v.getInt16(44 + 2 * i, true) / 32768; sum += s * s; }
  done({head, rate: v.getUint32(24, true), channels: v.getUint16(22, true), samples: n,
        rms: Math.sqrt(sum / Math.max(n, 1)), download: a.download});
});
"""


async def test_the_doctor_examines_with_the_camera_and_the_stethoscope(
    netns_portal: server.Running, doctor_page: DoctorPage, tmp_path: Path
) -> None:
    page = doctor_page
    urls = {"exam_camera": CAMERA, "stethoscope": STETHOSCOPE}
    async with exam_call(netns_portal.url, urls, tmp_path / "spool") as call:
        await start(page, call, "sess-exam")
        got = await exam(page)
        assert got["offered"] == ["exam_camera", "stethoscope"]
        assert await page.text("exam-camera-state") == "éteinte"
        assert await page.js("return document.getElementById('exam-tile').hidden")

        # the exam camera, large, at what it gives
        assert await switch(page, "camera", on=True) == "allumée : 1280×720, 30 images/s"
        await page.until("the exam picture", lambda: page.js(
            "return document.getElementById('exam-video').videoWidth === 1280"), timeout=25)  # fmt: skip
        width = await page.js("return document.getElementById('exam-video').clientWidth")
        stage = await page.js("return document.getElementById('stage').clientWidth")
        assert width > stage * 0.6  # a large tile, not a thumbnail
        await page.click("#exam-freeze")
        assert (await exam(page))["frozen"]
        assert await page.js("return document.getElementById('exam-freeze').ariaPressed") == "true"
        await page.js("const z = document.getElementById('exam-zoom'); z.value = '2';"
                      " z.dispatchEvent(new Event('change'))")  # fmt: skip
        assert await page.js("return document.getElementById('exam-video').style.transform") == (
            "scale(2)"
        )

        # a still at the camera's full resolution, over the data channel
        await page.click("#exam-still")
        await page.until("the still", lambda: page.js(
            "return window.cabine.exam().stills.length === 1"), timeout=25)  # fmt: skip
        still = (await exam(page))["stills"][0]
        assert (still["w"], still["h"]) == (1280, 720)
        assert still["name"].startswith("photo-examen-sess-exam-") and still["name"].endswith(
            ".jpg"
        )
        assert (
            await page.js("return document.querySelector('#exam-stills img').naturalWidth") == 1280
        )
        assert await page.text("exam-still-status") == "Photo reçue : 1280×720"
        kept = list((tmp_path / "spool" / "sess-exam" / "exam").iterdir())
        assert len(kept) == 1 and kept[0].read_bytes()[:2] == b"\xff\xd8"

        # the stethoscope: WebAudio, a volume, a clip recorded here
        assert await switch(page, "steth", on=True) == "allumé : 48 kHz, mono"
        assert call.speaker is None or call.speaker.muted
        await page.until("WebAudio running", lambda: page.js(
            "return window.cabine.exam().audio === 'running'"))  # fmt: skip
        await page.js("const v = document.getElementById('exam-volume'); v.value = '250';"
                      " v.dispatchEvent(new Event('input'))")  # fmt: skip
        assert (await exam(page))["volume"] == 2.5
        assert await page.text("exam-volume-value") == "250 %"
        await page.click("#exam-record")
        await page.until("two seconds recorded", lambda: page.js(
            "return /: 2 s/.test(document.getElementById('exam-record-time').textContent)"),
            timeout=20)  # fmt: skip
        await page.click("#exam-record")
        clip = (await exam(page))["clips"][0]
        assert clip["seconds"] >= 2 and clip["name"].endswith(".wav")
        wav = await page.run(page.driver.execute_async_script, WAV)
        assert (wav["head"], wav["rate"], wav["channels"]) == ("RIFFWAVE", 48000, 1)
        assert (
            wav["samples"] >= 2 * 48000 and wav["rms"] > 0.01
        )  # the tone came through (silence: 0)

        # guiding the patient: the drawing to show, a quick phrase
        await page.js("const g = document.getElementById('guide-pick'); g.value = 'heart:2';"
                      " g.dispatchEvent(new Event('change'))")  # fmt: skip
        await page.until("the guide shown", lambda: page.js(
            "return document.getElementById('guide-status').textContent.startsWith('Montré')"))  # fmt: skip
        assert await page.text("guide-status") == "Montré au patient : Cœur, foyer 2"
        assert call.exam_guide == ExamGuide("heart", 2, "", 0, listening=True)
        await page.click("button.guide-phrase[data-phrase='cough']")
        await page.until("the phrase said", lambda: page.js(
            "return document.getElementById('guide-status').textContent.startsWith('Dit')"))  # fmt: skip
        assert await page.text("guide-status") == "Dit au patient : « Toussez »"
        assert (call.exam_guide.phrase, call.exam_guide.said) == ("cough", 1)

        found = await axe.violations(page)
        assert not found, f"axe-core with the exam shown:\n{axe.readable(found)}"
        await page.js("document.getElementById('exam').scrollIntoView()")
        await page.screenshot(tmp_path / "exam-page.png")  # kept with the test's files

        await page.click("button.lang[data-lang='en']")
        assert await page.text("exam-camera-state") == "on: 1280×720, 30 frames/s"
        assert await page.text("exam-still-status") == "Still received: 1280×720"
        await page.click("button.lang[data-lang='fr']")

        assert await switch(page, "camera", on=False) == "éteinte"
        # the page's one patient reset: nothing of the exam stays
        await page.js("resetPatient('')")
        got = await exam(page)
        assert (got["stills"], got["clips"], got["states"], got["offered"]) == ([], [], {}, [])
        assert (
            await page.js(
                "return document.querySelectorAll('#exam-stills li, #exam-clips li').length"
            )
            == 0
        )
        assert await page.js("return document.getElementById('guide-pick').value") == "none"
        assert await page.js("return document.getElementById('exam').hidden")


async def test_an_unplugged_camera_is_said_and_no_still_comes(
    netns_portal: server.Running, doctor_page: DoctorPage, tmp_path: Path
) -> None:
    page = doctor_page
    urls = {"exam_camera": "v4l2:///dev/video-unplugged?size=1920x1080"}
    async with exam_call(netns_portal.url, urls, tmp_path / "spool") as call:
        await start(page, call, "sess-unplugged")
        assert (await exam(page))["offered"] == ["exam_camera"]
        assert not await page.js("return document.getElementById('exam-steth-switch').offsetParent")
        assert await switch(page, "camera", on=False) == "éteinte : caméra d'examen débranchée"
        await page.click("#exam-still")
        await page.until("the still refused", lambda: page.js(
            "return !window.cabine.exam().still && !!document.getElementById('exam-still-status').textContent"))  # fmt: skip
        assert await page.text("exam-still-status") == (
            "Photo non reçue : pas de caméra d'examen, ou elle est débranchée."
        )
        found = await axe.violations(page)
        assert not found, f"axe-core with the camera unplugged:\n{axe.readable(found)}"
        assert await page.js("return window.cabine.snapshot().channel") == "open"
