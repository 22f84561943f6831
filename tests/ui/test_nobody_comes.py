"""When nobody comes to the waiting room (no doctor on duty, the cabin closed, a long wait):
an apology with "keep waiting", "call staff" and "how to book"; and "Yes, I'm here" answers
"Are you still there?", however many times."""

from __future__ import annotations

from kiosk.session import State
from tests.ui.helpers import all_text, click
from tests.ui.test_screens import go_to
from ui.screens.waiting_room import CLOSED, LATE, NO_DOCTOR, WaitingRoomScreen

SORRY = "Nous sommes désolés"


def waiting(kiosk_app) -> WaitingRoomScreen:
    go_to(kiosk_app, State.WAITING_ROOM)
    screen = kiosk_app.window.current
    assert isinstance(screen, WaitingRoomScreen)
    return screen


def test_no_doctor_on_duty_apologises_at_once_and_keep_waiting_stays(kiosk_app, qtbot):
    runtime, session = kiosk_app.runtime, kiosk_app.runtime.session
    screen = waiting(kiosk_app)
    runtime.queue_position, runtime.queue_estimate_s = 2, 300.0
    runtime.waiting_room_news = {"doctors": 1}
    screen.refresh()
    assert screen.reason == "" and not screen.apology.isVisible()
    runtime.waiting_room_news = {"doctors": 0}
    with qtbot.waitSignal(screen.announce) as said:  # read aloud when it comes by itself
        qtbot.waitUntil(lambda: screen.reason == NO_DOCTOR, timeout=3000)
    assert SORRY in said.args[0]
    assert screen.title.text() == SORRY
    assert "Aucun médecin n'est disponible en ce moment." in screen.body.text()
    assert "vous gardez votre place dans la file" in screen.body.text()
    text = all_text(screen)
    assert "Continuer d'attendre" in text and "Comment prendre rendez-vous" in text
    assert "pièce d'identité" not in text and not screen.queue.isVisible()
    # a doctor logs in before the patient answers: the usual waiting room again
    runtime.waiting_room_news = {"doctors": 1}
    screen.refresh()
    assert screen.reason == "" and screen.queue.isVisible()
    runtime.waiting_room_news = {"doctors": 0}
    screen.refresh()
    # keep waiting: still in the queue, the session's wait starts again, no apology until
    # [timeouts] nobody_comes has passed again
    session.clock.advance(100)
    before = session.time_left()
    click(qtbot, screen.keep_button)
    assert session.state is State.WAITING_ROOM
    assert session.time_left() > before
    assert screen.reason == "" and not screen.apology.isVisible()
    session.clock.advance(session.timeouts.nobody_comes - 1)
    screen.refresh()
    assert screen.reason == ""
    session.clock.advance(1)
    screen.refresh()
    assert screen.reason == NO_DOCTOR


def test_a_closed_cabin_says_so(kiosk_app):
    runtime = kiosk_app.runtime
    screen = waiting(kiosk_app)
    runtime.waiting_room_news = {"doctors": 2, "open": False}
    screen.refresh()
    assert screen.reason == CLOSED
    assert "La cabine est fermée à cette heure" in screen.body.text()


def test_a_long_wait_apologises_then_shows_how_to_book_and_calls_staff(kiosk_app, qtbot):
    runtime, session = kiosk_app.runtime, kiosk_app.runtime.session
    screen = waiting(kiosk_app)
    runtime.waiting_room_news = {"doctors": 3, "open": True, "booking_site": "rdv.example.org"}
    session.clock.advance(session.timeouts.nobody_comes - 1)
    screen.refresh()
    assert screen.reason == ""
    session.clock.advance(1)
    screen.refresh()
    assert screen.reason == LATE
    assert "Le médecin n'est pas encore venu" in screen.body.text()
    assert "rdv.example.org" not in screen.body.text()
    with qtbot.waitSignal(screen.announce) as said:
        click(qtbot, screen.book_button)
    booking = "Demandez au personnel de l'accueil, ou prenez rendez-vous sur"
    assert booking in said.args[0] and "rdv.example.org" in said.args[0]
    assert (
        booking in screen.body.text() and "Le médecin n'est pas encore venu" in screen.body.text()
    )
    kiosk_app.bridge.on_language("es")
    assert "pida cita en" in screen.body.text() and screen.title.text() == "Lo sentimos"
    with qtbot.waitSignal(kiosk_app.bridge.staff_called):
        click(qtbot, screen.staff_big_button)
    assert session.state is State.WAITING_ROOM


def test_without_a_booking_site_the_staff_books(kiosk_app, qtbot):
    session = kiosk_app.runtime.session
    screen = waiting(kiosk_app)
    session.clock.advance(session.timeouts.nobody_comes)
    screen.refresh()
    assert screen.reason == LATE  # nothing known of the doctors: the wait alone
    click(qtbot, screen.book_button)
    assert screen.body.text().endswith(
        "Demandez au personnel de l'accueil de vous donner un rendez-vous."
    )


def test_yes_i_am_here_answers_are_you_still_there_however_many_times(kiosk_app, qtbot):
    session = kiosk_app.runtime.session
    screen = waiting(kiosk_app)
    for _ in range(session.timeouts.max_extensions + 2):
        session.clock.advance(session.time_left() - session.timeouts.warning + 1)
        with qtbot.waitSignal(kiosk_app.bridge.warning):
            session.tick()
        assert screen.banner.isVisible()
        assert "Êtes-vous toujours là ?" in screen.banner_text.text()
        assert screen.extend_button.text() == "Oui, je suis là"
        click(qtbot, screen.extend_button)
        assert not screen.banner.isVisible()
        assert session.state is State.WAITING_ROOM
    # other screens still ask for more time
    consent = kiosk_app.window.screens[State.CONSENT]
    assert consent.extend_button.text() == "Plus de temps"
