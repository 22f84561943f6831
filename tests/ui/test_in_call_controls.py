"""The patient in the call: the doctor's volume, "I can't hear", ending the consultation
(asked again on the screen), and the doctor still in sight while measuring."""

from __future__ import annotations

from array import array

import av

from kiosk.call.volume import VOLUME_DEFAULT, VOLUME_MAX, scale_audio, volume_gain
from kiosk.domain import ReadingKind, Unit
from kiosk.session import MeasurementRequested, ReadingReceived, State
from tests.portal.test_call_unit import make_call
from tests.ui.helpers import all_text, click, reading
from tests.ui.test_screens import go_to
from tests.ui.test_video import solid_frame


def _with_call(app):
    """The bridge reaches the call through the cabin's view (``volume``, ``set_volume``,
    ``tell_cannot_hear``): a real CabinCall, whose data channel is a stand-in recording what
    it sends, behind a view offering just those."""
    call, channel = make_call()
    app.bridge.runtime = _CallView(call)
    return call, channel


class _CallView:
    """What a cabin's view passes on to its call, as :class:`kiosk.cabin.Cabin` does."""

    def __init__(self, call) -> None:
        self._call = call

    @property
    def volume(self) -> int:
        return self._call.volume

    def set_volume(self, level: int) -> int:
        return self._call.set_volume(level)

    def tell_cannot_hear(self) -> bool:
        return self._call.tell_cannot_hear()


def test_volume_steps_change_the_gain_of_the_doctors_audio(kiosk_app, qtbot):
    go_to(kiosk_app, State.IN_CALL)
    call, _channel = _with_call(kiosk_app)
    screen = kiosk_app.window.current
    assert f"{VOLUME_DEFAULT} sur {VOLUME_MAX}" in screen.volume_label.text()
    click(qtbot, screen.louder_button)
    assert call.volume == VOLUME_DEFAULT + 1
    assert "4 sur 5" in screen.volume_label.text()
    assert screen.louder_button.accessibleName() == "Plus fort"
    assert screen.volume_blocks.text() == "■■■■□"
    click(qtbot, screen.louder_button)
    assert call.volume == VOLUME_MAX
    assert not screen.louder_button.isEnabled()  # the top: nothing louder to promise
    for _ in range(VOLUME_MAX):
        if screen.quieter_button.isEnabled():
            click(qtbot, screen.quieter_button)
    assert call.volume == 1  # never silent


def test_scaled_audio_is_louder_and_clipped_never_wrapped():
    frame = av.AudioFrame(format="s16", layout="mono", samples=4)
    frame.sample_rate = 48000
    frame.planes[0].update(array("h", [1000, -1000, 30000, -30000]).tobytes())
    out = scale_audio(frame, volume_gain(VOLUME_MAX))
    assert list(array("h", bytes(out.planes[0]))[:4]) == [1995, -1995, 32767, -32768]
    assert volume_gain(VOLUME_DEFAULT) == 1.0


def test_i_cannot_hear_tells_the_doctors_page(kiosk_app, qtbot):
    go_to(kiosk_app, State.IN_CALL)
    _call, channel = _with_call(kiosk_app)
    screen = kiosk_app.window.current
    assert screen.cannot_hear_button.text() == "Je n'entends pas le médecin"
    click(qtbot, screen.cannot_hear_button)
    assert len(channel.of_type("cannot_hear")) == 1
    assert "Le médecin a été prévenu" in all_text(screen)


def test_i_cannot_hear_without_a_link_says_so(kiosk_app, qtbot):
    go_to(kiosk_app, State.IN_CALL)
    screen = kiosk_app.window.current
    click(qtbot, screen.cannot_hear_button)
    assert "n'a pas pu être prévenu" in all_text(screen)
    screen.clear_hear_notice()
    assert not screen.hear_notice.isVisible()
    assert screen.readings.isVisible()


def test_ending_is_asked_again_and_no_keeps_the_call(kiosk_app, qtbot):
    go_to(kiosk_app, State.IN_CALL)
    screen = kiosk_app.window.current
    assert screen.end_button.text() == "Terminer la consultation"
    click(qtbot, screen.end_button)
    assert screen.confirm.isVisible()
    assert "Voulez-vous terminer la consultation" in screen.confirm_text.text()
    assert screen.doctor_video.isVisible()  # the doctor stays in sight while asked
    click(qtbot, screen.confirm_no)
    assert kiosk_app.runtime.session.state is State.IN_CALL
    assert not screen.confirm.isVisible() and screen.end_button.isVisible()


def test_yes_ends_the_call_and_prints_the_papers(kiosk_app, qtbot):
    go_to(kiosk_app, State.IN_CALL)
    kiosk_app.bridge.send(
        ReadingReceived(reading("temperature", {"temperature": 37.2}, unit=Unit.CELSIUS))
    )
    screen = kiosk_app.window.current
    click(qtbot, screen.end_button)
    click(qtbot, screen.confirm_yes)
    # ended by the patient as by the doctor: the results the session holds print first
    assert kiosk_app.runtime.session.state is State.PRINTING


def test_the_doctor_stays_in_sight_while_measuring(kiosk_app, qtbot):
    go_to(kiosk_app, State.IN_CALL)
    doctor, _own = kiosk_app.window.video_sinks()
    assert kiosk_app.bridge.send(MeasurementRequested(ReadingKind.BLOOD_PRESSURE))
    screen = kiosk_app.window.current
    assert screen is kiosk_app.window.screens[State.MEASURING]
    assert screen.doctor_note.text() == "Le médecin vous voit et vous entend."
    assert screen.doctor_video.isVisible()
    with qtbot.waitSignal(screen.doctor_video.frame_painted, timeout=5000):
        doctor(solid_frame(320, 240, (9, 9, 9)))
    assert screen.doctor_video.has_frame
