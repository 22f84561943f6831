"""The patient without a card types the booking code of the SMS: keypad, the portal's
answers as the screen says them, the ways in (idle, card faults) and out (walk-in, leave).

The cabin's side (the check with a real portal) is tested in tests/appointments/
test_kiosk_code.py; here a small stand-in holds the four members the screens read.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from PyQt6.QtCore import QPoint, Qt

from kiosk.session import (
    BookingCodeRequested,
    CardInserted,
    CardReadFailed,
    CardRemoved,
    ContinueWithoutCard,
    EndSession,
    Fault,
    FaultKind,
    State,
)
from portal.appointments.rules import CODE_ALPHABET as PORTAL_ALPHABET
from tests.ui.helpers import all_text, click, touch_px
from tests.ui.test_screens import go_to
from ui.bridge import SessionBridge
from ui.screens.booking_code import CODE_ALPHABET, CODE_LENGTH, BookingCodeScreen

BAD_CODE = {
    "fr": "Ce code est introuvable. Vérifiez le SMS que vous avez reçu et réessayez.",
    "en": "This code was not found. Check the SMS you received and try again.",
}
RATE_LIMITED = {
    "fr": "Trop d'essais. Insérez votre carte Vitale, ou appelez le personnel.",
    "en": "Too many tries. Please insert your Carte Vitale, or call the staff.",
}
NO_ANSWER = {
    "fr": "Votre code ne peut pas être vérifié pour le moment. Réessayez dans un instant, "
    "ou appelez le personnel.",
    "en": "Your code cannot be checked right now. Try again in a moment, or call the staff.",
}
SITE = "rdv.cabine.example"


class CodeCabin:
    """What ``kiosk.cabin.Cabin`` offers the screens about booking codes, answered by hand."""

    def __init__(self, session: Any, *, takes: bool = True) -> None:
        self.session = session
        self.takes_booking_codes = takes
        self.booking_code_status: dict[str, Any] | None = None
        self.checkin_answer: dict[str, Any] | None = None
        self.submitted: list[str] = []

    def submit_booking_code(self, code: str) -> bool:
        if self.session.state is not State.BOOKING_CODE:
            return False
        self.submitted.append(code)
        self.booking_code_status = {"state": "checking"}
        return True

    def accept(self) -> None:
        self.booking_code_status = {"state": "accepted"}
        self.session.send(ContinueWithoutCard(self.submitted[-1]))

    def refuse(self, reason: str, *, walk_in: bool | None = None) -> None:
        status: dict[str, Any] = {"state": "refused", "reason": reason}
        if walk_in is not None:
            status.update(walk_in=walk_in, booking_site=SITE)
        self.booking_code_status = status

    def continue_without_card(self) -> bool:
        status = self.booking_code_status
        if status is None or not status.get("walk_in"):
            return False
        self.session.send(ContinueWithoutCard())
        return True


@pytest.fixture
def cabin(kiosk_app) -> CodeCabin:
    cabin = CodeCabin(kiosk_app.runtime.session)
    kiosk_app.bridge.runtime = cabin
    return cabin


def code_screen(app) -> BookingCodeScreen:
    screen = app.window.current
    assert isinstance(screen, BookingCodeScreen)
    return screen


def start(app, qtbot) -> BookingCodeScreen:
    """From idle, as the patient does: the idle screen's "no card?" button."""
    idle = app.window.current
    idle.refresh()  # as on entering idle (the cabin stand-in came after)
    click(qtbot, idle.code_button)
    assert app.runtime.session.state is State.BOOKING_CODE
    return code_screen(app)


def type_code(qtbot, screen: BookingCodeScreen, code: str) -> None:
    for char in code:
        click(qtbot, screen.keys[char])


def boxes(screen: BookingCodeScreen) -> str:
    return "".join(box.text() for box in screen.boxes)


def test_the_keypad_has_the_codes_characters_only_on_big_keys(kiosk_app, cabin, qtbot):
    assert CODE_ALPHABET == PORTAL_ALPHABET
    screen = start(kiosk_app, qtbot)
    assert set(screen.keys) == set(CODE_ALPHABET) and len(screen.keys) == 25
    for look_alike in "0O1IL2Z5S8B":
        assert look_alike not in screen.keys
    for button in [*screen.keys.values(), screen.erase_button, screen.check_button]:
        assert button.isVisible()
        assert button.width() >= touch_px(button) and button.height() >= touch_px(button)
    assert len(screen.boxes) == CODE_LENGTH == 6
    assert "Vous pouvez aussi insérer votre carte Vitale à tout moment." in all_text(screen)


def test_typing_erasing_and_checking_the_code(kiosk_app, cabin, qtbot):
    screen = start(kiosk_app, qtbot)
    assert boxes(screen) == "" and not screen.check_button.isEnabled()
    assert not screen.erase_button.isEnabled()
    type_code(qtbot, screen, "K7M")
    assert boxes(screen) == "K7M"
    click(qtbot, screen.erase_button)
    assert boxes(screen) == "K7"
    type_code(qtbot, screen, "MP3")
    assert not screen.check_button.isEnabled()  # five characters
    type_code(qtbot, screen, "X")
    assert screen.check_button.isEnabled()
    assert screen.check_button.text() == "✓  Vérifier mon code"
    click(qtbot, screen.keys["A"])  # a seventh press does nothing
    assert boxes(screen) == "K7MP3X"
    click(qtbot, screen.check_button)
    assert cabin.submitted == ["K7MP3X"]
    assert screen.message.isVisible()
    assert screen.message.text() == "Vérification de votre code…"
    assert not any(key.isEnabled() for key in screen.keys.values())
    assert not screen.erase_button.isEnabled() and not screen.check_button.isEnabled()
    cabin.accept()
    session = kiosk_app.runtime.session
    assert session.state is State.CONSENT
    assert session.data.without_card and session.data.booking_code == "K7MP3X"


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("reason", ["bad_code", "rate_limited", "no_answer"])
def test_each_refusal_is_said_calmly(kiosk_app, cabin, qtbot, language, reason):
    texts = {"bad_code": BAD_CODE, "rate_limited": RATE_LIMITED, "no_answer": NO_ANSWER}[reason]
    kiosk_app.bridge.on_language(language)
    screen = start(kiosk_app, qtbot)
    type_code(qtbot, screen, "K7MP3X")
    click(qtbot, screen.check_button)
    cabin.refuse(reason)
    # The screen polls the cabin: the answer shows without any session event.
    qtbot.waitUntil(lambda: screen.message.text() == texts[language], timeout=3000)
    assert screen.message.isVisible()
    assert screen.check_button.isEnabled()  # the patient may correct and try again
    assert all(key.isEnabled() for key in screen.keys.values())
    assert boxes(screen) == "K7MP3X"  # kept, to compare with the SMS
    assert not screen.walk_in_button.isVisible()
    assert not screen.booking_site.isVisible()  # the portal said nothing about walk-ins
    assert kiosk_app.runtime.session.state is State.BOOKING_CODE


def test_waiting_without_appointment_only_where_walk_ins_are_seen(kiosk_app, cabin, qtbot):
    screen = start(kiosk_app, qtbot)
    type_code(qtbot, screen, "K7MP3X")
    click(qtbot, screen.check_button)
    cabin.refuse("bad_code", walk_in=False)
    screen.refresh()
    assert not screen.walk_in_button.isVisible()
    assert screen.booking_site.isVisible()
    assert SITE in screen.booking_site.text()
    assert "ne reçoit que sur rendez-vous" in screen.booking_site.text()
    kiosk_app.bridge.on_language("es")
    assert "solo atiende con cita" in screen.booking_site.text()
    cabin.refuse("bad_code", walk_in=True)
    screen.refresh()
    assert not screen.booking_site.isVisible()
    assert screen.walk_in_button.text() == "Esperar sin cita"
    click(qtbot, screen.walk_in_button)
    session = kiosk_app.runtime.session
    assert session.state is State.CONSENT
    assert session.data.without_card and session.data.booking_code == ""


def test_a_check_that_cannot_start_says_so(kiosk_app, qtbot):
    # No cabin behind the bridge (or it refused to start the check).
    kiosk_app.bridge.send(BookingCodeRequested())
    screen = code_screen(kiosk_app)
    type_code(qtbot, screen, "ACDEFG")
    click(qtbot, screen.check_button)
    assert screen.message.text() == NO_ANSWER["fr"]
    assert screen.check_button.isEnabled()


def test_leave_ends_the_session_and_goodbye_fits_a_patient_without_card(kiosk_app, cabin, qtbot):
    screen = start(kiosk_app, qtbot)
    type_code(qtbot, screen, "K7")
    click(qtbot, screen.leave_button)
    assert kiosk_app.runtime.session.state is State.GOODBYE
    goodbye = kiosk_app.window.current
    assert goodbye.title.text() == "Au revoir"  # no doctor was seen
    assert goodbye.body.text().startswith("Reprenez vos affaires.")  # no card was read
    assert not goodbye.no_appointment.isVisible()


def test_the_idle_button_shows_only_when_codes_are_taken(kiosk_app, qtbot):
    idle = kiosk_app.window.current
    assert not idle.code_button.isVisible()  # the demo runtime has no portal
    cabin = CodeCabin(kiosk_app.runtime.session, takes=False)
    kiosk_app.bridge.runtime = cabin
    idle.refresh()
    assert not idle.code_button.isVisible()
    cabin.takes_booking_codes = True  # the portal came back: the screen finds out alone
    qtbot.waitUntil(idle.code_button.isVisible, timeout=4000)
    assert idle.code_button.text() == "Pas de carte Vitale ? Tapez votre code de rendez-vous"
    assert idle.code_button.height() >= touch_px(idle)
    cabin.takes_booking_codes = False
    qtbot.waitUntil(lambda: not idle.code_button.isVisible(), timeout=4000)


@pytest.mark.parametrize("fault", ["card_unreadable", "card_pulled"])
def test_a_card_fault_offers_the_booking_code(kiosk_app, cabin, qtbot, fault):
    send = kiosk_app.bridge.send
    assert send(CardInserted())
    assert send(CardReadFailed("not_vitale") if fault == "card_unreadable" else CardRemoved())
    screen = kiosk_app.window.current
    assert kiosk_app.runtime.session.state is State.FAULT
    assert screen.code_button.isVisible()
    assert screen.code_button.text() == "Utiliser mon code de rendez-vous"
    session_id = kiosk_app.runtime.session.session_id
    click(qtbot, screen.code_button)
    assert kiosk_app.runtime.session.state is State.BOOKING_CODE
    assert kiosk_app.runtime.session.session_id == session_id  # the same session goes on


def test_no_booking_code_button_when_codes_are_not_taken(kiosk_app, cabin):
    cabin.takes_booking_codes = False  # the portal is away
    send = kiosk_app.bridge.send
    assert send(CardInserted())
    assert send(CardRemoved())
    screen = kiosk_app.window.current
    assert kiosk_app.runtime.session.state is State.FAULT
    assert screen.finish_button.isVisible()
    assert not screen.code_button.isVisible()


def test_no_booking_code_button_for_other_faults(kiosk_app, cabin):
    go_to(kiosk_app, State.IN_CALL)
    assert kiosk_app.bridge.send(Fault(FaultKind.NETWORK_LOST))
    assert kiosk_app.runtime.session.state is State.FAULT
    assert not kiosk_app.window.current.code_button.isVisible()


def test_the_code_is_cleared_when_the_screen_is_entered_anew(kiosk_app, cabin, qtbot):
    screen = start(kiosk_app, qtbot)
    type_code(qtbot, screen, "K7MP3X")
    click(qtbot, screen.check_button)
    cabin.refuse("bad_code")
    screen.refresh()
    assert screen.message.isVisible()
    send = kiosk_app.bridge.send
    assert send(CardInserted())  # the patient tries the card after all...
    assert send(CardReadFailed("unreadable"))  # ...which fails
    click(qtbot, kiosk_app.window.current.code_button)
    assert kiosk_app.window.current is screen
    assert boxes(screen) == ""
    # The cabin still holds this session's last answer: it is not this visit's.
    assert not screen.message.isVisible()
    assert not screen.check_button.isEnabled()


def test_goodbye_says_where_to_book_at_a_cabin_without_walk_ins(kiosk_app, cabin, qtbot):
    go_to(kiosk_app, State.WAITING_ROOM)
    cabin.checkin_answer = {"booked": False, "walk_in": False, "booking_site": SITE}
    assert kiosk_app.bridge.send(EndSession())  # the cabin does this by itself
    goodbye = kiosk_app.window.current
    assert goodbye.title.text() == "Pas de consultation sans rendez-vous"
    assert goodbye.no_appointment.isVisible()
    assert "ne reçoit que sur rendez-vous" in goodbye.no_appointment.text()
    assert SITE in goodbye.no_appointment.text()
    assert goodbye.body.text().startswith("Reprenez votre carte Vitale")
    kiosk_app.bridge.on_language("en")
    assert goodbye.no_appointment.text().startswith(
        "This cabin sees patients with an appointment only. Book at \u2066rdv.cabine.example"
    )
    cabin.checkin_answer = {"booked": False, "walk_in": True}
    goodbye.refresh()
    assert not goodbye.no_appointment.isVisible()
    assert goodbye.title.text() == "Goodbye"  # no doctor was seen


def test_arabic_is_right_to_left_but_the_code_reads_left_to_right(kiosk_app, cabin, qtbot):
    kiosk_app.bridge.on_language("ar")
    screen = start(kiosk_app, qtbot)
    assert screen.layoutDirection() is Qt.LayoutDirection.RightToLeft
    assert screen.title.text() == "أدخل رمز موعدك"
    type_code(qtbot, screen, "K7M")

    def left(widget) -> int:
        return widget.mapTo(screen, QPoint(0, 0)).x()

    xs = [left(box) for box in screen.boxes]
    assert xs == sorted(xs)  # the first character on the left
    assert [box.text() for box in screen.boxes[:3]] == ["K", "7", "M"]
    assert left(screen.keys["A"]) < left(screen.keys["C"]) < left(screen.keys["M"])
    # The rest of the page is mirrored: the title on the right.
    assert left(screen.title) + screen.title.width() > screen.width() // 2


def assert_fits(screen: BookingCodeScreen) -> None:
    """Nothing pushed off the page, no key squeezed under another."""
    page = screen.rect()
    for widget in [screen.staff_button, screen.leave_button, screen.message, screen.keypad]:
        if widget.isVisibleTo(screen):
            top_left = widget.mapTo(screen, QPoint(0, 0))
            assert page.contains(top_left), widget.objectName()
            bottom = top_left.y() + widget.height()
            assert bottom <= page.height(), (widget.objectName(), bottom, page.height())
    assert screen.keypad.height() >= screen.keypad.minimumSizeHint().height()
    rows = [screen.keys["A"], screen.keys["N"], screen.keys["3"]]
    for upper, lower in itertools.pairwise(rows):
        assert upper.geometry().bottom() < lower.geometry().top()
    for key in screen.keys.values():
        assert key.height() >= touch_px(key)


@pytest.mark.parametrize("language", ["fr", "en", "ar", "es"])
@pytest.mark.parametrize("reason", ["bad_code", "rate_limited"])
def test_the_longest_answers_and_the_time_warning_fit_the_screen(
    kiosk_app, cabin, qtbot, language, reason
):
    kiosk_app.window.resize(1920, 1080)  # the cabin's display (the fixture shows 1280×800)
    kiosk_app.bridge.on_language(language)
    screen = start(kiosk_app, qtbot)
    type_code(qtbot, screen, "K7MP3X")
    click(qtbot, screen.check_button)
    cabin.refuse(reason, walk_in=False)  # with where to book
    screen.refresh()
    qtbot.wait(10)  # one layout pass
    assert screen.booking_site.isVisible()
    assert screen.hint.isVisible() is (reason == "bad_code")
    assert_fits(screen)
    session = kiosk_app.runtime.session
    session.clock.advance(session.time_left() - session.timeouts.warning + 1)
    with qtbot.waitSignal(kiosk_app.bridge.warning):
        session.tick()
    assert screen.banner.isVisible()
    assert not screen.hint.isVisible()  # its room goes to the banner
    qtbot.wait(10)
    assert_fits(screen)
    click(qtbot, screen.extend_button)
    assert screen.hint.isVisible() is (reason == "bad_code")


def test_the_bridge_reads_the_cabin_defensively(kiosk_app, cabin):
    bridge = SessionBridge(kiosk_app.runtime.session, runtime=None)
    try:
        assert bridge.takes_booking_codes() is False
        assert bridge.booking_code_status() is None
        assert bridge.submit_booking_code("K7MP3X") is False
        assert bridge.continue_without_card() is False
        bridge.runtime = cabin
        assert bridge.takes_booking_codes() is True
        cabin.booking_code_status = {"state": "surprising"}
        assert bridge.booking_code_status() is None
        cabin.takes_booking_codes = "yes"  # not a bool: not trusted
        assert bridge.takes_booking_codes() is False
    finally:
        bridge.close()


def test_an_answer_that_arrives_by_itself_is_read_aloud(kiosk_app, cabin, qtbot, tmp_path):
    import shutil

    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is not installed (package espeak-ng): run `make setup`")
    window = kiosk_app.window
    screen = start(kiosk_app, qtbot)
    assert window.speaker is not None
    window.speaker.wav_out = tmp_path / "answer.wav"
    window.set_speech(True)
    type_code(qtbot, screen, "K7MP3X")
    with qtbot.waitSignal(window.speaker.started, timeout=3000) as checking:
        click(qtbot, screen.check_button)
    assert checking.args == ["Vérification de votre code…"]
    cabin.refuse("bad_code", walk_in=False)
    with qtbot.waitSignal(window.speaker.started, timeout=3000) as refused:
        pass  # the screen's poll brings the answer
    assert refused.args[0].startswith(BAD_CODE["fr"]) and SITE in refused.args[0]
    # Polled again, the same answer is not read out again.
    said = []
    window.speaker.started.connect(said.append)
    screen.refresh()
    assert said == []
    window.set_speech(False)


def test_a_walk_in_cabin_offers_waiting_without_any_code(kiosk_app, cabin, qtbot):
    cabin.takes_walk_ins = True  # the portal said so when the cabin connected

    def walk_in() -> bool:
        kiosk_app.runtime.session.send(ContinueWithoutCard())
        return True

    cabin.continue_without_card = walk_in
    screen = start(kiosk_app, qtbot)
    assert screen.walk_in_button.isVisible()  # no code typed, no refusal needed
    type_code(qtbot, screen, "K7MP3X")
    click(qtbot, screen.check_button)
    assert not screen.walk_in_button.isVisible()  # while the code is checked, its answer rules
    cabin.refuse("bad_code")
    screen.refresh()
    assert screen.walk_in_button.isVisible()
    click(qtbot, screen.walk_in_button)
    assert kiosk_app.runtime.session.state is State.CONSENT
