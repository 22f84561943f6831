"""The bus santé's weak network on the patient's call screen: a real CabinCall (its data
channel a stand-in) goes reconnecting, then on the voice alone, then back; a real Cabin passes
its ``network_notice`` on (``CabinView.call_network``), the bridge reads it, and the call
screen's timer shows a calm line, in every language, gone when the call is well again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kiosk.cabin import Cabin
from kiosk.call import CabinCall, CallStatus
from kiosk.call.bandwidth import Plan
from kiosk.config import LANGUAGES
from kiosk.session import State
from tests.portal.test_call_unit import make_call
from tests.ui.test_screens import go_to

#: What the patient reads, per language: (the voice alone, reconnecting).
WORDS = {
    "fr": (
        "Connexion faible : le médecin vous entend, la vidéo reviendra",
        "Reconnexion en cours… restez devant l'écran",
    ),
    "en": (
        "Weak connection: the doctor can hear you, the video will come back",
        "Reconnecting… please stay in front of the screen",
    ),
    "ar": ("الاتصال ضعيف: الطبيب يسمعك، وستعود الصورة", "جارٍ إعادة الاتصال… ابقَ أمام الشاشة"),
    "es": (
        "Conexión débil: el médico le oye, el vídeo volverá",
        "Reconectando… quédese delante de la pantalla",
    ),
}


@pytest.fixture
def bus(kiosk_app: Any, kiosk_config: Any) -> Iterator[tuple[Any, CabinCall, Any, Any]]:
    """The kiosk in a call carried by a real CabinCall, read through a real Cabin."""
    go_to(kiosk_app, State.IN_CALL)
    call, channel = make_call()
    call.session_id = kiosk_app.runtime.session.data.session_id
    cabin = Cabin(kiosk_config, runtime=kiosk_app.runtime, card=False, call=call, tick=False)
    kiosk_app.bridge.runtime = cabin
    call._joined = True  # the doctor took the patient (DoctorJoined)
    call._set_status(CallStatus.CONNECTED)
    yield kiosk_app, call, channel, kiosk_app.window.current
    kiosk_app.bridge.runtime = kiosk_app.runtime
    cabin._session_unsubscribe()
    cabin.staff.close()


def shown(screen: Any) -> str:
    label = screen.network_notice
    return "" if label.isHidden() else str(label.text())


def test_the_line_comes_and_goes_with_the_call(qtbot: Any, bus: Any) -> None:
    app, call, channel, screen = bus
    assert shown(screen) == "" and app.bridge.call_network() == ""
    said: list[str] = []
    screen.announce.connect(said.append)

    # no media for the grace time: the call is kept, the patient is asked to stay
    call._set_status(CallStatus.RECONNECTING)
    assert app.bridge.call_network() == "reconnecting"
    qtbot.waitUntil(lambda: shown(screen) == WORDS["fr"][1], timeout=3000)
    assert said == [WORDS["fr"][1]]  # said once, not at every poll
    assert screen.speaking.isHidden()  # a call reconnecting hears nobody

    # back, but too thin for the picture: the voice alone
    call._set_status(CallStatus.CONNECTED)
    call._on_network(Plan.for_estimate(60))
    qtbot.waitUntil(lambda: shown(screen) == WORDS["fr"][0], timeout=3000)
    # the doctor's page was told as well
    assert channel.of_type("network")[-1]["video"] is False

    # the bandwidth comes back: the line goes
    call._on_network(Plan.for_estimate(900))
    qtbot.waitUntil(lambda: shown(screen) == "", timeout=3000)
    # the call given up (a fault screen takes over): nothing said here any more
    call._set_status(CallStatus.ENDED)
    assert app.bridge.call_network() == ""


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_says_it_calmly(qtbot: Any, bus: Any, language: str) -> None:
    app, call, _channel, screen = bus
    app.bridge.on_language(language)
    call._set_status(CallStatus.RECONNECTING)
    qtbot.waitUntil(lambda: shown(screen) == WORDS[language][1], timeout=3000)
    call._set_status(CallStatus.CONNECTED)
    call._on_network(Plan.for_estimate(60))
    qtbot.waitUntil(lambda: shown(screen) == WORDS[language][0], timeout=3000)
    # not a warning: the calm notice's colours
    assert not screen.network_notice.property("warning")


def test_on_a_portrait_screen_the_line_stands_beside_the_picture(qtbot: Any, bus: Any) -> None:
    """Under the microphone, beside the doctor's picture: the side below has no room left
    while the doctor's words show (``tests/ui/test_screen_sizes.py`` checks the fit)."""
    _app, call, _channel, screen = bus
    call._set_status(CallStatus.RECONNECTING)
    qtbot.waitUntil(lambda: shown(screen) != "", timeout=3000)
    screen.set_portrait(True)
    assert screen._microphone.indexOf(screen.network_notice) == 2  # after mute, its notice
    assert screen._side_layout.indexOf(screen.network_notice) < 0
    assert not screen.network_notice.isHidden()
    screen.set_portrait(False)
    assert screen._side_layout.indexOf(screen.network_notice) == 0
    assert not screen.network_notice.isHidden()
