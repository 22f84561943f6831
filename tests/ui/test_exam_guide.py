"""The exam the doctor leads, on the patient's call screen: a real CabinCall takes the page's
``exam_guide`` and ``exam_phrase`` (its data channel a stand-in), the screens read it through
the bridge as from a cabin, and the guidance panel shows the drawing, the exam camera's
picture, the phrase (said aloud by the real espeak-ng, into a WAV file) and, while the doctor
listens with the stethoscope, that the loudspeaker is off."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from harness.screenshots import doctor_frame
from kiosk.call import CabinCall, CallOptions
from kiosk.call.exam import ExamInstruments, ExamState
from kiosk.session import State
from tests.helpers.waiting import until
from tests.portal.test_call_unit import StandInChannel, feed
from tests.ui.test_screens import go_to
from ui.speech import Speaker


class CallView:
    """What a cabin passes on to the screens of its call (``kiosk.cabin.Cabin``'s members)."""

    def __init__(self, call: CabinCall) -> None:
        self.call = call

    @property
    def exam_guide(self) -> Any:
        return self.call.exam_guide

    @property
    def exam_frame(self) -> Any:
        return self.call.exam_frame


@pytest.fixture
def guided(kiosk_app: Any, tmp_path: Path) -> Any:
    """The kiosk in a call whose cabin has a stethoscope; phrases spoken into a WAV file."""
    go_to(kiosk_app, State.IN_CALL)
    options = CallOptions(portal_url="ws://127.0.0.1:9/", cabin_id="c1", token="t",
                          synthetic_media=True)  # fmt: skip
    call = CabinCall(options, exam=ExamInstruments({"stethoscope": "alsa://stethoscope"}))
    channel = StandInChannel()
    call._channel = channel  # type: ignore[assignment]
    call.session_id = kiosk_app.runtime.session.data.session_id
    kiosk_app.bridge.runtime = CallView(call)
    screen = kiosk_app.window.current
    panel = screen.exam_guide
    panel.speaker = Speaker(wav_out=tmp_path / "said.wav", parent=panel)
    panel.speaker.set_enabled(True)
    return kiosk_app, call, channel, panel


def test_the_doctor_guides_the_patient_to_the_left_ear(qtbot: Any, guided: Any) -> None:
    app, call, channel, panel = guided
    assert panel.isHidden()  # nothing led yet: the readings have the room
    feed(call, {"type": "exam_guide", "id": "g1", "exam": "ear_left"})
    assert [m["id"] for m in channel.of_type("ack")] == ["g1"]
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    assert panel.instruction.text() == "Placez doucement l'otoscope dans votre oreille gauche"
    assert (panel.drawing.exam, panel.drawing.point) == ("ear_left", 0)
    assert panel.drawing.isVisible() and panel.preview.isVisible()
    assert panel.preview_caption.text() == "Ce que voit le médecin"
    assert panel.preview.placeholder == "La caméra d'examen est éteinte"
    assert not panel.phrase.isVisible() and not panel.listening.isVisible()
    # the exam camera on: its picture, as sent to the doctor, in the preview
    call.exam._taps["exam_camera"] = SimpleNamespace(last=doctor_frame(640, 360))  # type: ignore[assignment]
    qtbot.waitUntil(lambda: panel.preview.has_frame, timeout=3000)

    with qtbot.waitSignal(panel.speaker.started, timeout=3000) as said:
        feed(call, {"type": "exam_phrase", "id": "p1", "phrase": "higher"})
    assert said.args == ["Un peu plus haut"]
    assert panel.phrase.text() == "Un peu plus haut" and panel.phrase.isVisible()
    # the same phrase again is said again
    with qtbot.waitSignal(panel.speaker.started, timeout=3000):
        feed(call, {"type": "exam_phrase", "id": "p2", "phrase": "higher"})

    app.bridge.on_language("ar")
    qtbot.waitUntil(lambda: panel.instruction.text() == "ضع منظار الأذن برفق في أذنك اليسرى",
                    timeout=3000)  # fmt: skip
    assert panel.phrase.text() == "أعلى قليلًا"
    assert panel.layoutDirection().name == "RightToLeft"


def test_auscultation_points_and_the_doctor_listening(qtbot: Any, guided: Any) -> None:
    _app, call, channel, panel = guided
    feed(call, {"type": "exam_guide", "id": "g1", "exam": "heart", "point": 3})
    qtbot.waitUntil(lambda: panel.drawing.point == 3, timeout=3000)
    assert panel.instruction.text() == "Posez le stéthoscope sur le point 3"
    assert panel.drawing.exam == "heart" and not panel.preview.isVisible()

    # the stethoscope on: the patient is told, and a phrase is shown but not said (the
    # loudspeaker would sound into the chest piece)
    call.exam.states["stethoscope"] = ExamState("stethoscope", True, "48000 Hz, 1 channel(s)")
    qtbot.waitUntil(panel.listening.isVisible, timeout=3000)
    assert panel.listening.text() == "Le médecin écoute : le haut-parleur est coupé"
    spoken: list[str] = []
    panel.speaker.started.connect(spoken.append)
    feed(call, {"type": "exam_phrase", "id": "p1", "phrase": "hold_breath"})
    qtbot.waitUntil(lambda: panel.phrase.text() == "Retenez votre respiration", timeout=3000)
    assert spoken == []

    feed(call, {"type": "exam_guide", "id": "g2", "exam": "lungs_back", "point": 6})
    qtbot.waitUntil(lambda: panel.drawing.exam == "lungs_back", timeout=3000)
    assert panel.instruction.text() == "Posez le stéthoscope sur le point 6, dans le dos"
    assert panel.phrase.text() == ""  # a new exam: the last phrase goes

    # a point the exam does not have, or a point where there is none: refused, kept as was
    feed(call, {"type": "exam_guide", "id": "g3", "exam": "heart", "point": 5})
    feed(call, {"type": "exam_guide", "id": "g4", "exam": "throat", "point": 1})
    assert [(m["ref"], m["code"]) for m in channel.of_type("error")] == [
        ("g3", "bad_field"), ("g4", "bad_field")]  # fmt: skip
    assert call.exam_guide.exam == "lungs_back"

    call.exam.states["stethoscope"] = ExamState("stethoscope", False)
    feed(call, {"type": "exam_guide", "id": "g5", "exam": "none"})
    qtbot.waitUntil(panel.isHidden, timeout=3000)


def test_guidance_stays_with_its_session(qtbot: Any, guided: Any) -> None:
    app, call, channel, panel = guided
    feed(call, {"type": "exam_guide", "id": "g1", "exam": "throat"})
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    assert panel.instruction.text() == "Ouvrez grand la bouche, la caméra devant"
    call.session_id = "another-patient"  # the next session: nothing of this one shows
    qtbot.waitUntil(panel.isHidden, timeout=3000)
    call._left = True
    feed(call, {"type": "exam_phrase", "id": "p1", "phrase": "cough"})
    assert channel.of_type("error")[-1]["code"] == "wrong_session"
    # the call screen hidden (a measurement, the end): the panel stops and clears
    call._left, call.session_id = False, app.runtime.session.data.session_id
    feed(call, {"type": "exam_guide", "id": "g2", "exam": "skin"})
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    app.window.current.hide()
    assert panel.isHidden() and panel.guide.exam == ""


@pytest.fixture
def failing(kiosk_app: Any) -> Any:
    """The kiosk in a call whose exam camera gives one second of picture (then is "unplugged")
    and whose stethoscope is not there; the instruments on a real aiortc peer connection, on
    an event loop of the test's own (``run``)."""
    from aiortc import RTCPeerConnection

    go_to(kiosk_app, State.IN_CALL)
    options = CallOptions(portal_url="ws://127.0.0.1:9/", cabin_id="c1", token="t",
                          synthetic_media=True)  # fmt: skip
    exam = ExamInstruments({"exam_camera": "lavfi:testsrc2=size=640x480:rate=30:duration=1",
                            "stethoscope": "alsa://otoscope"})  # fmt: skip
    call = CabinCall(options, exam=exam)
    channel = StandInChannel()
    call._channel = channel  # type: ignore[assignment]
    call.session_id = kiosk_app.runtime.session.data.session_id
    loop = asyncio.new_event_loop()

    async def peer() -> Any:  # aiortc's senders take the running loop as theirs
        pc = RTCPeerConnection()
        exam.attach(pc)
        return pc

    try:
        pc = loop.run_until_complete(peer())
        try:
            kiosk_app.bridge.runtime = CallView(call)
            panel = kiosk_app.window.current.exam_guide
            yield kiosk_app, call, channel, panel, loop.run_until_complete
        finally:
            exam.detach()
            loop.run_until_complete(pc.close())
    finally:
        loop.close()


def test_an_instrument_that_fails_is_told_to_the_patient_too(qtbot: Any, failing: Any) -> None:
    app, call, channel, panel, run = failing
    feed(call, {"type": "exam_guide", "id": "g1", "exam": "ear_left"})
    # what the doctor's exam_on runs (the message's path: tests/media/test_exam_call.py)
    assert run(call.exam.switch("exam_camera", True)).on
    qtbot.waitUntil(panel.instruction.isVisible, timeout=3000)
    assert panel.trouble.isHidden()

    async def unplugged() -> None:  # the camera's one second runs out
        await until(lambda: not call.exam.states["exam_camera"].on, "camera lost", timeout=10)

    run(unplugged())
    # the doctor told, the patient told calmly; the exam goes on
    told = channel.of_type("exam_state")[-1]
    assert (told["instrument"], told["on"]) == ("exam_camera", False)
    assert told["detail"].endswith("[ended]")
    qtbot.waitUntil(panel.trouble.isVisible, timeout=3000)
    assert panel.trouble.text() == "La caméra d'examen ne répond pas : le médecin est prévenu"
    assert panel.instruction.isVisible()

    # the stethoscope is not there: both lines
    assert not run(call.exam.switch("stethoscope", True)).on
    assert channel.of_type("exam_state")[-1]["detail"].endswith("[cannot_open]")
    qtbot.waitUntil(lambda: "stéthoscope" in panel.trouble.text(), timeout=3000)
    assert panel.trouble.text().splitlines() == [
        "La caméra d'examen ne répond pas : le médecin est prévenu",
        "Le stéthoscope ne répond pas : le médecin est prévenu",
    ]
    assert not panel.listening.isVisible()  # it never came on: the loudspeaker stays on

    app.bridge.on_language("ar")
    qtbot.waitUntil(lambda: panel.trouble.text().startswith("كاميرا الفحص لا تستجيب"),
                    timeout=3000)  # fmt: skip
    app.bridge.on_language("fr")

    # the doctor switches the camera off (done with it): its line goes; the exam ends, the
    # stethoscope's line still shows, until the doctor switches it off too
    run(call.exam.switch("exam_camera", False))
    qtbot.waitUntil(lambda: "caméra" not in panel.trouble.text(), timeout=3000)
    feed(call, {"type": "exam_guide", "id": "g2", "exam": "none"})
    qtbot.waitUntil(lambda: not panel.instruction.isVisible(), timeout=3000)
    assert panel.isVisible() and panel.trouble.isVisible()
    run(call.exam.switch("stethoscope", False))
    qtbot.waitUntil(panel.isHidden, timeout=3000)
    assert call.exam_guide.trouble == ()
