"""A real call: the kiosk's aiortc offers, a real headless Chromium answers on the doctor page.

Everything runs in a private network namespace on loopback (see ``loopback_netns``).
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import io
import json
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from reportlab.pdfgen import canvas

from kiosk.call import (
    CabinCall,
    CallOptions,
    CallStatus,
    PrescriptionFormReceived,
)
from kiosk.domain import Beneficiary, DeviceInfo, Reading, ReadingKind, Unit
from kiosk.session import CallEnded, DoctorJoined, DocumentReceived, Fault, MeasurementRequested
from portal import server
from tests.helpers.call import Recorder, connected_call
from tests.helpers.waiting import until
from tests.portal.conftest import CABIN_ID, CABIN_TOKEN, DOCTORS, TURN_SECRET, DoctorPage, chromium

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

PATIENT = Beneficiary(
    last_name="Lefèvre", first_name="Jeanne", birth_date="19470312", nir="247037512345678"
)


def spo2_reading(value: float) -> Reading:
    return Reading(
        kind=ReadingKind.SPO2,
        unit=Unit.PERCENT,
        values={"spo2": value, "pulse": 72.0},
        units={"pulse": Unit.PER_MINUTE},
        device=DeviceInfo(id="oximeter", model="Nonin 3150", serial="SN42"),
        received_at=datetime.now(UTC),
    )


@pytest_asyncio.fixture
async def cabin_call(netns_portal: server.Running) -> AsyncIterator[CabinCall]:
    async with connected_call(netns_portal.url, devices=lambda: {"oximeter": "ok"}) as call:
        yield call


async def take_patient(page: DoctorPage, session_id: str) -> None:
    await page.login("dr-a", DOCTORS["dr-a"])
    row = f"tr[data-session={json.dumps(session_id)}] button.take"
    await page.until(
        "patient in the waiting room", lambda: page.js(f"return !!document.querySelector({row!r})")
    )
    await page.click(row)


async def connected(page: DoctorPage, call: CabinCall, recorder: Recorder) -> None:
    await recorder.wait("DoctorJoined", lambda u: isinstance(u, DoctorJoined))
    await page.until(
        "640x480 video decoded",
        lambda: page.js(
            "const s = window.cabine.snapshot();"
            "return s.connection === 'connected' && s.video.width === 640 && s.video.height === 480"
            " && s.stats.framesDecoded > 10 && s.stats.audioBytes > 0"
        ),
    )
    await until(lambda: call.stats.remote_video_frames > 10, "doctor's video at the kiosk")


async def test_consultation_end_to_end(
    doctor_page: DoctorPage,
    cabin_call: CabinCall,
    netns_portal: server.Running,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    page, call = doctor_page, cabin_call
    recorder = Recorder(call)
    consent = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    await call.check_in("sess-e2e", identity=PATIENT, consent_time=consent)
    await take_patient(page, "sess-e2e")
    await connected(page, call, recorder)
    assert call.status is CallStatus.CONNECTED
    assert call.stats.remote_video_size == (640, 480)

    # identity and consent time arrive on the data channel
    await page.until("identity shown", lambda: page.text("id-name"))
    assert await page.text("id-name") == "LEFÈVRE Jeanne"
    assert await page.text("id-birth") == "12/03/1947"
    assert await page.text("id-consent") != "—"

    # a reading from the kiosk is shown with its device
    assert call.send_reading(spo2_reading(97.0))
    shown = await page.until(
        "reading on the page",
        lambda: page.js(
            "const r = document.querySelector('#readings li'); return r && r.textContent"
        ),
    )
    assert "97" in shown and "Nonin 3150" in shown

    # a measurement request from the page reaches the kiosk, and is acknowledged
    await page.click("button.measure[data-kind='temperature']")
    request = await recorder.wait(
        "MeasurementRequested", lambda u: isinstance(u, MeasurementRequested)
    )
    assert request.kind is ReadingKind.TEMPERATURE
    await page.until(
        "ack shown",
        lambda: page.js(
            "return document.getElementById('measure-status').textContent.includes('✓')"
        ),
    )

    # malformed messages get an error and crash nothing
    errors_before = (await page.snapshot())["errors"]
    for raw in ("{oops", '{"type": "launch"}', '{"type": "measure", "kind": "mood", "id": "x1"}'):
        await page.js("state.channel.send(arguments[0])", raw)
    await until(lambda: call.stats.data_errors_sent >= 3, "kiosk refused three messages")
    await page.until(
        "page got the errors",
        lambda: page.js(f"return window.cabine.snapshot().errors >= {errors_before + 3}"),
    )
    assert call.status is CallStatus.CONNECTED

    # the prescription form and an uploaded PDF reach the kiosk
    await page.js(
        "document.querySelector('.rx-medicine').value = 'Paracétamol 1 g';"
        "document.querySelector('.rx-dose').value = '1 comprimé 3 fois par jour';"
        "document.querySelector('.rx-duration').value = '5 jours';"
        "document.getElementById('rx-weight').value = '61.5';"
    )
    await page.click("#rx-send")
    form = (
        await recorder.wait("prescription", lambda u: isinstance(u, PrescriptionFormReceived))
    ).form
    assert form["lines"][0]["medicine"] == "Paracétamol 1 g"
    assert form["patient"] == {"weight_kg": 61.5}
    assert form["prescriber"]["rpps"] == "10000000001"

    pdf_path = tmp_path / "ordonnance.pdf"
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pageCompression=0)
    for i in range(6):  # two chunks, and pages the cabin prints (10 at most)
        for line in range(60):
            sheet.drawString(72, 60 + 12 * line, f"Ordonnance page {i} ligne {line} " + "x" * 60)
        sheet.showPage()
    sheet.save()
    pdf_path.write_bytes(buffer.getvalue())
    from selenium.webdriver.common.by import By

    await page.run(lambda: page.driver.find_element(By.ID, "pdf-file").send_keys(str(pdf_path)))
    await page.click("#pdf-send")
    document = (await recorder.wait("document", lambda u: isinstance(u, DocumentReceived))).document
    assert document.sha256 == hashlib.sha256(pdf_path.read_bytes()).hexdigest()
    await page.until(
        "upload acknowledged",
        lambda: page.js("return document.getElementById('pdf-status').textContent.includes('✓')"),
    )

    # call quality from getStats, three levels
    await page.until("quality level", lambda: page.js("return window.cabine.snapshot().quality"))
    assert (await page.snapshot())["quality"] in ("good", "fair", "poor")

    # the portal drops and comes back: the call goes on, the cabin reconnects
    port = int(netns_portal.url.rsplit(":", 1)[1])
    await netns_portal.stop()
    await until(lambda: not call.link.connected.is_set(), "kiosk saw the portal go", timeout=5)
    restarted = await server.start(netns_portal.app[server.CONFIG], host="127.0.0.1", port=port)
    try:
        await until(lambda: call.link.connections >= 2, "kiosk back on the portal", timeout=15)
        assert call.status is CallStatus.CONNECTED
        assert call.send_reading(spo2_reading(95.0))
        await page.until(
            "reading after the drop",
            lambda: page.js("return document.querySelectorAll('#readings li').length === 2"),
        )
        snap = await page.snapshot()
        assert snap["view"] == "call-view" and snap["connection"] == "connected"

        # the doctor ends the consultation
        await page.click("#end-call")
        await page.click("#end-confirm")  # the page asks first
        await recorder.wait("CallEnded", lambda u: isinstance(u, CallEnded))
        # the page leaves the call and is back in the waiting room of the restarted portal:
        # the signed session cookie outlived the restart
        await page.until(
            "back in the waiting room",
            lambda: page.js(
                "const s = window.cabine.snapshot(); return s.view === 'room-view' && !s.connection"
            ),
        )
        assert call.status is CallStatus.ENDED
        await call.check_out()
    finally:
        await restarted.stop()
    assert "sess-e2e" in caplog.text
    for secret in (PATIENT.last_name, PATIENT.first_name, PATIENT.nir, "Paracétamol"):
        assert secret not in caplog.text


async def test_lost_peer_rebuilt_then_given_up(
    doctor_page: DoctorPage, cabin_call: CabinCall
) -> None:
    page, call = doctor_page, cabin_call
    recorder = Recorder(call)
    await call.check_in("sess-drop", identity=PATIENT)
    await take_patient(page, "sess-drop")
    await connected(page, call, recorder)
    first_call_id = call.call_id
    recorder.seen.clear()

    # the doctor's peer connection vanishes without a word: no media for the grace time,
    # then a new peer connection under a new call id, and the page answers it
    await page.js("state.pc.close()")
    await recorder.wait(
        "reconnecting", lambda u: getattr(u, "status", None) is CallStatus.RECONNECTING, timeout=10
    )
    await recorder.wait(
        "connected again", lambda u: getattr(u, "status", None) is CallStatus.CONNECTED, timeout=20
    )
    assert call.call_id != first_call_id
    assert call.stats.peer_connections == 2
    await page.until(
        "page connected again",
        lambda: page.js("return window.cabine.snapshot().connection === 'connected'"),
    )
    assert not any(isinstance(u, DoctorJoined) for u in recorder.seen)  # joined once

    # the doctor's browser goes away for good: after the limit, a clear fault
    await page.run(page.driver.get, "about:blank")
    fault = await recorder.wait("Fault", lambda u: isinstance(u, Fault), timeout=30)
    assert fault.kind.value == "network_lost"
    assert fault.detail == "call_lost"
    assert fault.resumable is False  # nothing to come back to: the patient books again
    assert call.status is CallStatus.ENDED


@pytest_asyncio.fixture
async def turn_portal(coturn: str, portal_config: Any) -> AsyncIterator[server.Running]:
    cfg = dataclasses.replace(
        portal_config,
        ice=dataclasses.replace(
            portal_config.ice,
            turn_servers=(coturn,),
            turn_secret=TURN_SECRET,
            turn_ttl_s=600.0,
            relay_only=True,
        ),
    )
    running = await server.start(cfg, host="127.0.0.1", port=0)
    try:
        yield running
    finally:
        await running.stop()


async def test_relay_only_call_through_coturn_with_exam_camera(
    turn_portal: server.Running, tmp_path: Path
) -> None:
    """Both peers relay-only, credentials issued by the portal: the call goes through TURN.

    The cabin also offers its exam camera, shown apart on the doctor's page.
    """
    options = CallOptions(
        portal_url=turn_portal.url,
        cabin_id=CABIN_ID,
        token=CABIN_TOKEN,
        synthetic_media=True,
        relay_only=True,
        exam_camera=True,
    )
    call = CabinCall(options)
    recorder = Recorder(call)
    await call.start()
    try:
        async with chromium(turn_portal.url, tmp_path) as page:
            await until(call.link.connected.is_set, "portal link")
            (issued,) = call.link.issued_ice
            assert issued.username.endswith(f":{CABIN_ID}")  # short-lived, per cabin
            await call.check_in("sess-turn", identity=PATIENT)
            await take_patient(page, "sess-turn")
            await connected(page, call, recorder)
            assert call.stats.local_candidate_types == {"relay"}
            assert not call.stats.relay_missing
            await page.until(
                "exam camera shown apart",
                lambda: page.js(
                    "const s = window.cabine.snapshot();"
                    "return s.exam.width === 640 && !document.getElementById('exam').hidden"
                ),
            )
            await page.until(
                "page on a relayed pair",
                lambda: page.js("return window.cabine.snapshot().stats.localCandidate === 'relay'"),
            )
    finally:
        await call.close()


async def test_turn_refusing_credentials_is_reported(
    coturn: str, portal_config: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """TURN configured but no relay candidate (wrong secret): said in the log and health."""
    cfg = dataclasses.replace(
        portal_config,
        ice=dataclasses.replace(
            portal_config.ice, turn_servers=(coturn,), turn_secret="not-the-secret"
        ),
    )
    running = await server.start(cfg, host="127.0.0.1", port=0)
    options = CallOptions(
        portal_url=running.url,
        cabin_id=CABIN_ID,
        token=CABIN_TOKEN,
        synthetic_media=True,
        heartbeat_s=0.5,
    )
    call = CabinCall(options, devices=lambda: {"thermometer": "ok"})
    await call.start()
    jar = aiohttp.CookieJar(unsafe=True)
    try:
        async with aiohttp.ClientSession(cookie_jar=jar) as http:
            await until(call.link.connected.is_set, "portal link")
            await call.check_in("sess-noturn")
            login = {"username": "dr-a", "password": DOCTORS["dr-a"]}
            async with http.post(f"{running.url}/api/login", json=login) as response:
                assert response.status == 200
            # a doctor without a browser: takes the patient, then only watches
            ws = await http.ws_connect(running.url.replace("http", "ws") + "/ws/doctor")
            await ws.send_str(json.dumps({"type": "take", "session_id": "sess-noturn"}))
            await until(lambda: call.stats.offers > 0, "offer gathered", timeout=20)
            assert call.stats.relay_missing
            assert "relay" not in call.stats.local_candidate_types
            assert "TURN configured but no relay candidate gathered" in caplog.text

            async def cabin_health() -> dict[str, str]:
                async with http.get(f"{running.url}/api/waiting-room") as r:
                    room = await r.json()
                return next(c for c in room["cabins"] if c["cabin_id"] == CABIN_ID)["devices"]

            loop = asyncio.get_running_loop()
            deadline = loop.time() + 10
            while (await cabin_health()).get("turn") != "no relay candidate":
                assert loop.time() < deadline, "the portal never heard of the missing relay"
                await asyncio.sleep(0.1)
            assert (await cabin_health())["thermometer"] == "ok"
            await ws.close()
    finally:
        await call.close()
        await running.stop()
