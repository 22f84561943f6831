"""The patient's microphone and the doctor's written messages on the cabin's screens: a real
session, a real CabinCall (its data channel a stand-in recording what it sends) and the
session binding between them, as in a cabin."""

from __future__ import annotations

import asyncio
import logging

import pytest

from drivers.media import audio_rms
from kiosk.call.binding import SessionBinding
from kiosk.call.mute import MutableMicrophone
from kiosk.domain import ReadingKind
from kiosk.session import EndSession, MeasurementRequested, State
from tests.portal.test_call_unit import feed, make_call
from tests.ui.helpers import all_text, click, layout_problems, smallest_pt, touch_px
from tests.ui.test_screens import go_to

WORDS = "Pouvez-vous retirer votre manteau, s'il vous plaît ?"


class _NoPortal:
    """The binding's tasks with no portal to reach: hanging up and checking out are dropped."""

    def spawn(self, coro, name):
        coro.close()


@pytest.fixture
def bound(kiosk_app):
    """The kiosk in a call, with a call bound to its session."""
    go_to(kiosk_app, State.IN_CALL)
    call, channel = make_call()
    binding = SessionBinding(call, kiosk_app.bridge.session)
    binding._tasks = _NoPortal()
    yield call, channel
    binding.close()


def test_the_patient_mutes_and_unmutes_the_microphone(kiosk_app, qtbot, bound):
    call, channel = bound
    screen = kiosk_app.window.current
    assert screen.mute_button.text() == "Couper mon micro"
    assert not screen.muted_notice.isVisible()

    click(qtbot, screen.mute_button)
    assert [m["muted"] for m in channel.of_type("mute")] == [True]
    assert call.microphone_muted
    assert screen.mute_button.text() == "Rallumer mon micro"
    assert screen.mute_button.property("on") is True
    assert screen.muted_notice.isVisible()
    assert "le médecin ne vous entend pas" in screen.muted_notice.text()
    assert screen.mute_button.height() >= touch_px(screen)

    click(qtbot, screen.mute_button)
    assert [m["muted"] for m in channel.of_type("mute")] == [True, False]
    assert not call.microphone_muted
    assert not screen.muted_notice.isVisible()
    assert screen.mute_button.text() == "Couper mon micro"


def test_the_muted_microphone_sends_silence_and_the_next_patient_starts_unmuted(
    kiosk_app, qtbot, bound
):
    call, _channel = bound

    microphone = MutableMicrophone(call.media.tracks()[1])
    call._microphone = microphone

    async def level() -> float:
        return audio_rms(await microphone.recv())

    loop = asyncio.new_event_loop()
    try:
        assert loop.run_until_complete(level()) > 100
        click(qtbot, kiosk_app.window.current.mute_button)
        assert loop.run_until_complete(level()) == 0.0
        # the session ends: its data is wiped; the next check-in starts unmuted
        assert kiosk_app.bridge.send(EndSession())  # -> goodbye
        assert kiosk_app.bridge.send(EndSession())  # -> wiping
        assert not kiosk_app.bridge.microphone_muted()
        call._new_session()
        assert not call.microphone_muted and not microphone.muted
        assert loop.run_until_complete(level()) > 100
    finally:
        call.media.stop()
        loop.close()


def test_the_mute_is_told_again_on_a_new_data_channel(bound, kiosk_app, qtbot):
    call, channel = bound
    click(qtbot, kiosk_app.window.current.mute_button)
    channel.sent.clear()
    call._on_channel_open(channel)  # a reconnection: the page learns it again
    assert [m["muted"] for m in channel.of_type("mute")] == [True]
    click(qtbot, kiosk_app.window.current.mute_button)  # unmuted while the link is down
    channel.sent.clear()
    call._on_channel_open(channel)
    assert [m["muted"] for m in channel.of_type("mute")] == [False]


def test_the_doctors_message_shows_large_and_is_acknowledged(kiosk_app, qtbot, bound, caplog):
    call, channel = bound
    caplog.set_level(logging.DEBUG)
    screen = kiosk_app.window.current
    assert not screen.chat.isVisible()
    assert screen.readings.isVisible()
    feed(call, {"type": "chat", "id": "c1", "text": WORDS})
    assert channel.of_type("ack") == [{"type": "ack", "id": "c1"}]
    assert screen.chat.isVisible()
    assert not screen.readings.isVisible()  # the message takes the readings' room
    assert screen.chat.shown_texts == [WORDS]
    assert screen.chat.large_label is not None  # the newest message in large type
    assert screen.chat.large_label.text() == WORDS
    assert "Le médecin vous écrit" in all_text(screen)
    # the doctor's face is not covered: the panel is beside the video
    video = screen.doctor_video.geometry()
    panel = screen.chat.mapTo(screen, screen.chat.rect().topLeft())
    assert not video.contains(panel)
    qtbot.waitUntil(lambda: not layout_problems(screen), timeout=3000)
    for n in range(2, 6):
        feed(call, {"type": "chat", "id": f"c{n}", "text": f"Message {n}"})
    shown = screen.chat.shown_texts
    assert shown[-1] == "Message 5" and shown == [f"Message {n}" for n in range(6 - len(shown), 6)]
    assert screen.chat.large_label.text() == "Message 5"
    qtbot.waitUntil(lambda: not layout_problems(screen), timeout=3000)
    assert WORDS not in caplog.text  # health data: never in a log


def test_the_patient_answers_with_a_preset_button(kiosk_app, qtbot, bound):
    call, channel = bound
    screen = kiosk_app.window.current
    feed(call, {"type": "chat", "id": "c1", "text": "Avez-vous mal ?"})
    buttons = screen.chat.answer_buttons
    assert [b.text() for b in buttons.values()] == ["Oui", "Non", "Je n'entends pas", "Répétez"]
    assert min(b.height() for b in buttons.values()) >= touch_px(screen)
    qtbot.waitUntil(lambda: not layout_problems(screen), timeout=3000)
    click(qtbot, buttons["no"])
    assert channel.of_type("chat_answer")[-1]["answer"] == "no"
    assert screen.chat.shown_texts[-1] == "Vous avez répondu : Non"
    assert smallest_pt(screen.chat) >= 24 * 0.5


def test_a_message_while_measuring_shows_under_the_doctor(kiosk_app, qtbot, bound):
    call, channel = bound
    assert kiosk_app.bridge.send(MeasurementRequested(ReadingKind.TEMPERATURE))
    screen = kiosk_app.window.current
    assert kiosk_app.bridge.session.state is State.MEASURING
    feed(call, {"type": "chat", "id": "c1", "text": "Gardez le bras immobile."})
    assert channel.of_type("ack")[-1]["id"] == "c1"
    assert screen.chat.isVisible()
    assert screen.chat.shown_texts == ["Gardez le bras immobile."]
    assert not screen.chat.answer_buttons


def test_a_message_no_screen_can_show_is_refused_and_gone_at_session_end(kiosk_app, qtbot, bound):
    call, channel = bound
    feed(call, {"type": "chat", "id": "c1", "text": WORDS})
    data = kiosk_app.bridge.session.data
    assert data is not None and [line.text for line in data.chat] == [WORDS]
    assert WORDS in data.sensitive_strings()
    assert kiosk_app.bridge.send(EndSession())  # -> goodbye: no call screen
    feed(call, {"type": "chat", "id": "c2", "text": "Encore là ?"})
    refused = channel.of_type("error")[-1]
    assert refused["ref"] == "c2" and refused["code"] == "not_found"
    kiosk_app.bridge.send(EndSession())  # -> wiping: the exchange is gone
    assert not kiosk_app.bridge.chat()
    assert data.chat == [] and data.empty


def test_an_empty_message_is_refused(bound):
    call, channel = bound
    feed(call, {"type": "chat", "id": "c1", "text": "   "})
    assert channel.of_type("error")[-1]["code"] == "bad_field"


def test_the_doctor_calls_the_staff_for_the_patient(kiosk_app, qtbot, bound):
    call, channel = bound
    seen = []
    kiosk_app.bridge.staff_called.connect(lambda: seen.append(True))
    feed(call, {"type": "call_staff", "id": "s1"})
    assert channel.of_type("ack")[-1]["id"] == "s1"
    assert seen == [True]  # as if the patient had pressed "call staff"
