"""The "call staff" notice: every screen says where the patient's call stands (calling,
someone coming, no way to call from here), follows it by polling, reads a change aloud once
and hides when the call ends with the session. The cabin and portal side of the call is
tested in tests/cabin/test_staff_call.py; here a stand-in says what the cabin would."""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from PyQt6.QtCore import QPoint, Qt

from kiosk.session import (
    CardRemoved,
    CleaningConfirmed,
    ConsentGiven,
    EndSession,
    Notice,
    State,
    Update,
)
from tests.ui.helpers import all_text, click
from tests.ui.test_screens import go_to
from ui.bridge import SessionBridge

POLL_TIMEOUT_MS = 3000  # the window reads the call again every second

CALLING = {
    "fr": "Le personnel a été appelé. Merci de rester ici : quelqu'un va venir.",
    "en": "The staff has been called. Please stay here: someone will come.",
}
COMING = {
    "fr": "Quelqu'un arrive pour vous aider.",
    "en": "Someone is on their way to help you.",
}
UNREACHABLE = {
    "fr": "Le personnel n'a pas pu être appelé d'ici. Allez à l'accueil ou demandez de l'aide "
    "à une personne près de vous.",
    "en": "We could not call the staff from here. Please go to the reception desk, "
    "or ask someone nearby.",
}
TEXTS = {"calling": CALLING, "coming": COMING, "unreachable": UNREACHABLE}


class StaffCabin:
    """What ``kiosk.cabin.Cabin.staff_call`` says, moved by hand. Like the cabin, it hears of
    the press after the screens (it subscribes to the session after the bridge)."""

    def __init__(self, session: Any, *, portal: bool = True) -> None:
        self.portal = portal
        self.state = ""
        self.reads = 0
        #: Who answered (the cabin keeps it): never shown on the patient's screen.
        self.answered_by = ""
        self.unsubscribe = session.subscribe(self._on_update)

    @property
    def staff_call(self) -> Any:
        self.reads += 1
        return self.state

    def _on_update(self, update: Update) -> None:
        if update.notice is Notice.STAFF_CALLED:
            self.state = "calling" if self.portal else "unreachable"
        elif update.notice is Notice.TRANSITION and update.state is State.IDLE:
            self.state = ""

    def answer(self, by: str) -> None:
        self.answered_by = by
        self.state = "coming"


@pytest.fixture
def cabin(kiosk_app):
    cabin = StaffCabin(kiosk_app.runtime.session)
    kiosk_app.bridge.runtime = cabin
    yield cabin
    cabin.unsubscribe()


def notice(app) -> str:
    label = app.window.current.staff_notice
    return label.text() if label.isVisible() else ""


def press(app, qtbot) -> None:
    with qtbot.waitSignal(app.bridge.staff_called):
        click(qtbot, app.window.current.staff_button)


def back_to_idle(app) -> None:
    send = app.bridge.send
    assert send(EndSession())
    assert send(CardRemoved())
    if app.runtime.session.state is State.CLEANING:
        assert send(CleaningConfirmed())
    assert app.runtime.session.state is State.IDLE


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("state", ["calling", "coming", "unreachable"])
def test_each_state_is_said_on_the_screen(kiosk_app, cabin, qtbot, language, state):
    kiosk_app.bridge.on_language(language)
    go_to(kiosk_app, State.WAITING_ROOM)
    assert notice(kiosk_app) == ""
    cabin.portal = state != "unreachable"
    press(kiosk_app, qtbot)
    if state == "coming":
        cabin.answer("Dr Claire Martin")
    qtbot.waitUntil(lambda: notice(kiosk_app) == TEXTS[state][language], timeout=POLL_TIMEOUT_MS)
    assert "Martin" not in all_text(kiosk_app.window.current)  # no staff name for the patient


def test_the_notice_follows_the_call_by_polling_alone(kiosk_app, cabin, qtbot):
    window = kiosk_app.window
    go_to(kiosk_app, State.WAITING_ROOM)
    poll = window._staff_poll
    assert not poll.isActive()  # no call, no polling
    press(kiosk_app, qtbot)
    qtbot.waitUntil(lambda: notice(kiosk_app) == CALLING["fr"], timeout=POLL_TIMEOUT_MS)
    assert poll.isActive()
    cabin.answer("Claire")  # nothing else happens: the poll brings it
    qtbot.waitUntil(lambda: notice(kiosk_app) == COMING["fr"], timeout=POLL_TIMEOUT_MS)
    cabin.state = "unreachable"  # the network went down
    qtbot.waitUntil(lambda: notice(kiosk_app) == UNREACHABLE["fr"], timeout=POLL_TIMEOUT_MS)
    cabin.state = "calling"  # back: the cabin tells the portal again
    qtbot.waitUntil(lambda: notice(kiosk_app) == CALLING["fr"], timeout=POLL_TIMEOUT_MS)
    cabin.state = ""
    qtbot.waitUntil(lambda: notice(kiosk_app) == "", timeout=POLL_TIMEOUT_MS)
    assert not window.current.staff_notice.isVisible()
    assert not poll.isActive()  # the call is over: the screens stop asking


def test_the_notice_stays_on_every_screen_and_ends_with_the_session(kiosk_app, cabin, qtbot):
    window = kiosk_app.window
    go_to(kiosk_app, State.CONSENT)
    press(kiosk_app, qtbot)
    qtbot.waitUntil(lambda: notice(kiosk_app) == CALLING["fr"], timeout=POLL_TIMEOUT_MS)
    for screen in window.screens.values():  # a screen shown next says it too
        assert screen.staff_notice_text() == CALLING["fr"], screen
    assert kiosk_app.bridge.send(ConsentGiven())
    assert window.current is window.screens[State.WAITING_ROOM]
    assert notice(kiosk_app) == CALLING["fr"]
    back_to_idle(kiosk_app)
    assert window.current is window.screens[State.IDLE]
    qtbot.waitUntil(lambda: not window._staff_poll.isActive(), timeout=POLL_TIMEOUT_MS)
    assert notice(kiosk_app) == ""
    for screen in window.screens.values():
        assert not screen.staff_notice.isVisibleTo(screen), screen


def test_without_a_cabin_nobody_is_promised(kiosk_app, qtbot):
    """No cabin behind the screens (a bare session): nothing carries the call."""
    window = kiosk_app.window
    go_to(kiosk_app, State.WAITING_ROOM)
    assert kiosk_app.bridge.staff_call() == ""
    press(kiosk_app, qtbot)
    qtbot.waitUntil(lambda: notice(kiosk_app) == UNREACHABLE["fr"], timeout=POLL_TIMEOUT_MS)
    assert "arrive" not in all_text(window.current)
    back_to_idle(kiosk_app)
    assert kiosk_app.bridge.staff_call() == ""
    qtbot.waitUntil(lambda: not window._staff_poll.isActive(), timeout=POLL_TIMEOUT_MS)
    assert notice(kiosk_app) == ""


def test_without_a_cabin_a_call_from_the_idle_screen_ends_by_itself(kiosk_app, qtbot, monkeypatch):
    """No session end takes a call pressed on the idle screen away: its age does."""
    window = kiosk_app.window
    assert kiosk_app.bridge.session.state is State.IDLE
    press(kiosk_app, qtbot)
    qtbot.waitUntil(lambda: notice(kiosk_app) == UNREACHABLE["fr"], timeout=POLL_TIMEOUT_MS)
    assert window._staff_poll.isActive()
    monkeypatch.setattr("ui.bridge.STAFF_CALL_MAX_S", 0.0)
    qtbot.waitUntil(lambda: notice(kiosk_app) == "", timeout=POLL_TIMEOUT_MS)
    assert kiosk_app.bridge.staff_call() == ""
    qtbot.waitUntil(lambda: not window._staff_poll.isActive(), timeout=POLL_TIMEOUT_MS)


def test_the_bridge_reads_the_call_defensively(kiosk_app, cabin):
    bridge = SessionBridge(kiosk_app.runtime.session, runtime=cabin)
    try:
        assert bridge.staff_call() == ""
        for state in ("calling", "coming", "unreachable"):
            cabin.state = state
            assert bridge.staff_call() == state
        for odd in ("Calling", "on its way", 1, None, {"state": "coming"}, b"coming"):
            cabin.state = odd
            assert bridge.staff_call() == "", odd
        cabin.state = "calling"
        bridge.runtime = None
        assert bridge.staff_call() == ""  # no cabin and nobody pressed
    finally:
        bridge.close()


def test_a_changed_notice_is_read_aloud_once(kiosk_app, cabin, qtbot, tmp_path):
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is not installed (package espeak-ng): run `make setup`")
    window = kiosk_app.window
    go_to(kiosk_app, State.WAITING_ROOM)
    assert window.speaker is not None
    window.speaker.wav_out = tmp_path / "notice.wav"
    window.set_speech(True)
    said: list[str] = []
    window.speaker.started.connect(said.append)
    press(kiosk_app, qtbot)
    qtbot.waitUntil(lambda: said == [CALLING["fr"]], timeout=POLL_TIMEOUT_MS)
    reads = cabin.reads
    qtbot.waitUntil(lambda: cabin.reads >= reads + 2, timeout=2 * POLL_TIMEOUT_MS)
    assert said == [CALLING["fr"]]  # polled again, the same notice is not said again
    cabin.answer("Claire")
    qtbot.waitUntil(lambda: len(said) == 2, timeout=POLL_TIMEOUT_MS)
    assert said[1] == COMING["fr"]
    reads = cabin.reads
    qtbot.waitUntil(lambda: cabin.reads >= reads + 2, timeout=2 * POLL_TIMEOUT_MS)
    assert len(said) == 2
    press(kiosk_app, qtbot)  # pressed again: the patient hears where the call stands
    qtbot.waitUntil(lambda: len(said) == 3, timeout=POLL_TIMEOUT_MS)
    assert said[2] == CALLING["fr"]  # the cabin called again: nobody has answered that call
    cabin.state = ""
    qtbot.waitUntil(lambda: notice(kiosk_app) == "", timeout=POLL_TIMEOUT_MS)
    assert len(said) == 3  # the end of the call is not a notice
    window.set_speech(False)
    qtbot.waitUntil(lambda: window.speaker.wav_out.exists(), timeout=POLL_TIMEOUT_MS)


def test_read_aloud_off_says_nothing(kiosk_app, cabin, qtbot):
    window = kiosk_app.window
    assert window.speaker is not None and not window.speaker.enabled
    said: list[str] = []
    window.speaker.started.connect(said.append)
    press(kiosk_app, qtbot)
    qtbot.waitUntil(lambda: notice(kiosk_app) == CALLING["fr"], timeout=POLL_TIMEOUT_MS)
    assert said == []


def test_arabic_reads_right_to_left(kiosk_app, cabin, qtbot):
    kiosk_app.bridge.on_language("ar")
    go_to(kiosk_app, State.WAITING_ROOM)
    press(kiosk_app, qtbot)
    expected = "تم استدعاء الموظفين. ابقَ هنا من فضلك: سيأتي أحدهم إليك."
    qtbot.waitUntil(lambda: notice(kiosk_app) == expected, timeout=POLL_TIMEOUT_MS)
    screen = kiosk_app.window.current
    label = screen.staff_notice
    qtbot.wait(10)  # one layout pass
    assert label.layoutDirection() is Qt.LayoutDirection.RightToLeft
    assert label.isRightToLeft()
    # Beside "call staff", on the reading side: the button at the left end, the notice after.
    assert label.geometry().left() > screen.staff_button.geometry().right()
    # The language changes while the notice is shown: it changes with the screen.
    kiosk_app.bridge.on_language("fr")
    assert notice(kiosk_app) == CALLING["fr"]
    assert not label.isRightToLeft()
    qtbot.wait(10)  # one layout pass
    assert label.geometry().right() < screen.staff_button.geometry().left()


def assert_fits(screen) -> None:
    """The notice, the time-limit banner and the bottom buttons all on the page, apart."""
    page = screen.rect()
    boxes = {}
    for widget in [screen.banner, screen.staff_notice, screen.staff_button]:
        assert widget.isVisibleTo(screen), widget.objectName()
        top_left = widget.mapTo(screen, QPoint(0, 0))
        box = widget.rect().translated(top_left)
        assert page.contains(box), (widget.objectName(), box, page)
        boxes[widget.objectName()] = box
    assert boxes["banner"].bottom() < boxes["notice"].top()  # under the banner, apart
    assert not boxes["notice"].intersects(boxes["staff"])  # beside the button it answers
    assert boxes["notice"].height() <= 2 * boxes["staff"].height()


@pytest.mark.parametrize("language", ["fr", "en", "ar", "es"])
def test_the_notice_and_the_time_warning_fit_the_screen(kiosk_app, cabin, qtbot, language):
    window = kiosk_app.window
    window.resize(1920, 1080)
    kiosk_app.bridge.on_language(language)
    cabin.portal = False  # the longest notice
    go_to(kiosk_app, State.IN_CALL)
    press(kiosk_app, qtbot)
    qtbot.waitUntil(lambda: window.current.staff_notice.isVisible(), timeout=POLL_TIMEOUT_MS)
    for state, screen in window.screens.items():
        screen.refresh()
        screen.show_time_warning(20, can_extend=True)
        hint = screen.minimumSizeHint()
        assert hint.width() <= 1920 and hint.height() <= 1080, (state, language, hint)
    for state in (State.IN_CALL, State.WAITING_ROOM):
        screen = window.screens[state]
        window.stack.setCurrentWidget(screen)
        qtbot.waitUntil(lambda s=screen: s.isVisible(), timeout=POLL_TIMEOUT_MS)
        qtbot.wait(10)  # one layout pass
        assert_fits(screen)
