"""The screens off the main path (issue #20): each card a patient may insert, the call that
is connecting, ended by the doctor or not restored, the generic error, the PIN pad locked,
the out-of-service screen; each reachable, saying the right thing, its button acting."""

from __future__ import annotations

import pytest
from PyQt6.QtWidgets import QLabel

from drivers.card.sim import load_profile
from harness.screenshot_states import CARDS, card_event
from kiosk.domain import ReadingKind, Unit
from kiosk.session import (
    CallEnded,
    CardInserted,
    Fault,
    FaultKind,
    MeasurementRequested,
    ReadingReceived,
    State,
)
from tests.ui.helpers import all_text, click, layout_problems, reading
from tests.ui.test_screens import go_to

#: Per card of the screenshots: the reason the driver gives, what the screen must say (in
#: French, the demo's language) and what it must not.
CARD_TEXTS = {
    "vitale1": (
        "vitale1",
        ("ancien modèle", "ameli.fr", "introduisez une carte Vitale"),
        "pharmacie",
    ),
    "cps": (
        "not_vitale",
        ("n'est pas une carte Vitale", "introduisez une carte Vitale"),
        "remettez",
    ),
    "bank": (
        "not_vitale",
        ("n'est pas une carte Vitale", "introduisez une carte Vitale"),
        "remettez",
    ),
    "empty": ("unreadable", ("Les informations de cette carte n'ont pas pu être lues",), "puce"),
    "mute": ("mute", ("puce", "remettez-la pour réessayer"), "ameli"),
}


def _profile(name: str, emptied: bool):
    profile = load_profile(name)
    return profile.but(beneficiaries=()) if emptied else profile


@pytest.mark.parametrize("shot, name, emptied", CARDS, ids=[c[0] for c in CARDS])
def test_each_card_says_what_to_do_next(kiosk_app, qtbot, shot, name, emptied):
    key = "empty" if emptied else name
    reason, says, never = CARD_TEXTS[key]
    event = card_event(_profile(name, emptied))
    assert getattr(event, "reason", None) == reason  # what the real driver path gives
    send = kiosk_app.bridge.send
    assert send(CardInserted())
    assert send(event)
    session = kiosk_app.runtime.session
    assert session.state is State.FAULT
    screen = kiosk_app.window.current
    assert screen.title.text() == "Nous n'avons pas pu lire votre carte"
    for text in says:
        assert text in screen.body.text(), (shot, text)
    assert never not in screen.body.text()
    assert screen.finish_button.isVisible()
    click(qtbot, screen.finish_button)
    assert session.state in (State.CLEANING, State.IDLE)


def test_card_texts_are_translated_in_arabic(kiosk_app):
    kiosk_app.bridge.on_language("ar")
    send = kiosk_app.bridge.send
    send(CardInserted())
    send(card_event(load_profile("vitale1")))
    body = kiosk_app.window.current.body.text()
    assert "نموذج قديم" in body and "ameli.fr" in body
    assert "Carte Vitale" not in body


def test_a_call_connecting_says_the_picture_is_coming(kiosk_app):
    go_to(kiosk_app, State.IN_CALL)
    screen = kiosk_app.window.current
    assert screen.title.text() == "Vous êtes avec le médecin"
    assert not screen.doctor_video.has_frame
    assert screen.doctor_video.placeholder == "L'image du médecin arrive…"
    assert screen.end_button.isVisible()


def test_the_doctor_ending_the_call_during_a_fault_says_so(kiosk_app, qtbot):
    send = kiosk_app.bridge.send
    go_to(kiosk_app, State.IN_CALL)
    send(ReadingReceived(reading("weight", {"weight": 70}, unit=Unit.KG)))
    send(MeasurementRequested(ReadingKind.WEIGHT))
    send(Fault(FaultKind.INSTRUMENT_UNPLUGGED, "balance"))
    assert send(CallEnded())
    screen = kiosk_app.window.current
    assert screen.title.text() == "Le médecin a terminé la consultation"
    assert "vos papiers vont être imprimés" in screen.body.text()
    # The consultation is over: no unplugged device in the picture, no measurement to skip.
    assert screen.picture.name == "goodbye"
    assert not screen.skip_button.isVisible()
    click(qtbot, screen.finish_button)
    assert kiosk_app.runtime.session.state is State.PRINTING


def test_a_call_not_restored_before_any_paper_says_nothing_was_kept(kiosk_app, qtbot):
    send = kiosk_app.bridge.send
    go_to(kiosk_app, State.IN_CALL)
    send(Fault(FaultKind.NETWORK_LOST, "call_lost", resumable=False))
    screen = kiosk_app.window.current
    assert screen.title.text() == "La liaison avec le médecin n'a pas pu être rétablie"
    assert "Rien n'a été conservé" in screen.body.text()
    assert screen.picture.name == "network_lost"
    click(qtbot, screen.finish_button)
    assert kiosk_app.runtime.session.state in (State.CLEANING, State.IDLE)


def test_a_fault_without_words_of_its_own_says_the_generic_ones(kiosk_app, qtbot):
    send = kiosk_app.bridge.send
    go_to(kiosk_app, State.IN_CALL)
    send(Fault(FaultKind.NETWORK_LOST))
    screen = kiosk_app.window.current
    screen.kind = screen.detail = ""  # as the screenshots show it
    screen.retranslate_screen()
    assert screen.title.text() == "Un problème est survenu"
    assert "Appelez le personnel" in screen.body.text()
    assert screen.finish_button.isVisible()
    click(qtbot, screen.finish_button)
    assert kiosk_app.runtime.session.state is not State.FAULT


class FakeClock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_a_locked_pin_pad_counts_down_then_lets_codes_in_again(qtbot):
    from ui.screens.pin import PinGate, PinScreen

    clock = FakeClock()
    screen = PinScreen(PinGate("2468", clock=clock, free_tries=3, lockout_s=30))
    qtbot.addWidget(screen)
    screen.show()
    for _ in range(3):
        screen.on_digit("1")
        click(qtbot, screen.ok_button)
    assert screen.message.text() == "Too many wrong codes. Try again in 30 seconds."
    timer = screen.findChild(type(screen._lockout_timer), "pin-lockout")
    assert timer is not None and timer.isActive()
    clock.t += 10.5
    screen.tick_lockout()
    assert screen.message.text() == "Too many wrong codes. Try again in 20 seconds."
    clock.t += 20
    screen.tick_lockout()
    assert screen.message.text() == ""
    assert not timer.isActive()
    accepted = []
    screen.accepted.connect(lambda: accepted.append(True))
    for digit in "2468":
        screen.on_digit(digit)
    click(qtbot, screen.ok_button)
    assert accepted == [True]


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080), (1080, 1920)])
def test_the_out_of_service_screen_fits_every_display(qtbot, size):
    from harness.screenshot_states import out_of_service
    from ui.fault_screen import EMERGENCY, MESSAGES

    window = out_of_service(size, cabin="cab-7")
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    texts = [label.text() for label in window.findChildren(QLabel)]
    for title, body in MESSAGES:
        assert title in texts and body in texts
    assert set(EMERGENCY) <= set(texts)
    assert not layout_problems(window), layout_problems(window)
    assert "cab-7" in all_text(window)
