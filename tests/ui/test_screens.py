"""Each screen driven through the session, asserting what the patient sees and can press."""

from __future__ import annotations

import pytest
from PyQt6.QtWidgets import QPushButton

from kiosk.domain import ReadingKind, Unit
from kiosk.session import (
    BeneficiaryChosen,
    CallEnded,
    CardInserted,
    CardRead,
    CardReadFailed,
    CardRemoved,
    ConsentGiven,
    DoctorJoined,
    Fault,
    FaultKind,
    MeasurementRequested,
    PrintingDone,
    ReadingReceived,
    State,
)
from tests.ui.helpers import FAMILY, all_text, click, reading


def go_to(app, state: State) -> None:
    send = app.bridge.send
    assert send(CardInserted())
    assert send(CardRead(FAMILY))
    if state is State.CONFIRM_IDENTITY:
        return
    assert send(BeneficiaryChosen(1))
    if state is State.CONSENT:
        return
    assert send(ConsentGiven())
    if state is State.WAITING_ROOM:
        return
    assert send(DoctorJoined())
    assert app.runtime.session.state is State.IN_CALL


def test_confirm_identity_lists_the_card_family(kiosk_app, qtbot):
    go_to(kiosk_app, State.CONFIRM_IDENTITY)
    screen = kiosk_app.window.current
    assert screen.title.text() == "Qui consulte le médecin aujourd'hui ?"
    people = screen.people
    assert set(people) == {1, 2}
    assert "Anne DUPONT" in people[1].text()
    assert "04/07/1945" in people[1].text()
    # A lunar date (month 00) is not a calendar date: only the year is shown.
    assert "1943" in people[2].text()
    assert "00" not in people[2].text()
    click(qtbot, people[2])
    session = kiosk_app.runtime.session
    assert session.state is State.CONSENT
    assert session.data.chosen.rank == 2


def test_nobody_on_the_card_ends_the_session(kiosk_app, qtbot):
    go_to(kiosk_app, State.CONFIRM_IDENTITY)
    click(qtbot, kiosk_app.window.current.none_button)
    assert kiosk_app.runtime.session.state is State.GOODBYE
    assert kiosk_app.window.current.title.text() == "Au revoir"  # no doctor was seen


def test_goodbye_names_the_consultation_and_the_papers_only_when_there_were_some(kiosk_app):
    go_to(kiosk_app, State.IN_CALL)
    assert kiosk_app.bridge.send(CallEnded())  # nothing measured, nothing sent: no papers
    assert kiosk_app.runtime.session.state is State.GOODBYE
    goodbye = kiosk_app.window.current
    assert goodbye.title.text() == "La consultation est terminée"
    assert goodbye.body.text().startswith("Reprenez votre carte Vitale.\n")


@pytest.mark.parametrize(
    ("button", "state"), [("agree_button", State.WAITING_ROOM), ("refuse_button", State.GOODBYE)]
)
def test_consent_in_plain_words(kiosk_app, qtbot, button, state):
    go_to(kiosk_app, State.CONSENT)
    screen = kiosk_app.window.current
    text = all_text(screen)
    assert "vidéo" in text and "numéro de sécurité sociale" in text
    assert screen.agree_button.text().startswith("✓")  # a mark, not only a colour
    assert screen.refuse_button.text().startswith("✗")
    click(qtbot, getattr(screen, button))
    assert kiosk_app.runtime.session.state is state
    assert (kiosk_app.runtime.session.data.consent_time is not None) is (
        state is State.WAITING_ROOM
    )


def test_waiting_room_shows_queue_and_sick_note_rule(kiosk_app):
    runtime = kiosk_app.runtime
    go_to(kiosk_app, State.WAITING_ROOM)
    screen = kiosk_app.window.current
    assert not screen.queue.isVisible()  # the runtime has no queue: nothing invented
    runtime.queue_position = 3
    runtime.queue_estimate_s = 600.0
    screen.refresh()
    assert (
        screen.queue.text() == "Votre place dans la file : 3.\nAttente prévue : environ 10 minutes."
    )
    text = all_text(screen)
    assert "pièce d'identité" in text
    assert "3 jours" in text and "médecin traitant" in text
    # a patient who may be in danger reads where to call at the door
    emergency = "Pas pour les urgences : en cas d'urgence, appelez le 15 ou le 112."
    assert kiosk_app.window.screens[State.IDLE].emergency.text() == emergency


def test_waiting_room_place_follows_the_portal(kiosk_app, qtbot):
    runtime = kiosk_app.runtime
    go_to(kiosk_app, State.WAITING_ROOM)
    screen = kiosk_app.window.current
    runtime.queue_position = 1
    qtbot.waitUntil(lambda: screen.queue.text().startswith("Vous êtes le prochain"), timeout=3000)


def test_waiting_room_says_the_appointment_or_where_to_book(kiosk_app, qtbot):
    runtime = kiosk_app.runtime
    go_to(kiosk_app, State.WAITING_ROOM)
    screen = kiosk_app.window.current
    assert not screen.appointment.isVisible()
    runtime.checkin_answer = {"booked": True, "slot_start": "14:30"}
    qtbot.waitUntil(lambda: "14:30" in screen.appointment.text(), timeout=3000)
    assert screen.appointment.text().startswith("Votre rendez-vous est à 14:30.")
    runtime.checkin_answer = {"booked": False, "walk_in": False, "booking_site": "rdv.example"}
    qtbot.waitUntil(lambda: "rdv.example" in screen.appointment.text(), timeout=3000)
    assert "ne reçoit que sur rendez-vous" in screen.appointment.text()
    kiosk_app.bridge.on_language("es")
    qtbot.waitUntil(lambda: "solo atiende con cita" in screen.appointment.text(), timeout=3000)
    runtime.checkin_answer = {"booked": False, "walk_in": True}
    qtbot.waitUntil(lambda: not screen.appointment.isVisible(), timeout=3000)


def test_time_limit_is_announced_and_extendable(kiosk_app, qtbot):
    session = kiosk_app.runtime.session
    go_to(kiosk_app, State.CONSENT)
    screen = kiosk_app.window.current
    assert not screen.banner.isVisible()
    for _ in range(session.timeouts.max_extensions):
        session.clock.advance(session.time_left() - session.timeouts.warning + 1)
        with qtbot.waitSignal(kiosk_app.bridge.warning):
            session.tick()
        assert screen.banner.isVisible()
        assert "Avez-vous besoin de plus de temps ?" in screen.banner_text.text()
        assert "secondes" in screen.banner_text.text()
        before = session.time_left()
        with qtbot.waitSignal(kiosk_app.bridge.extended):
            click(qtbot, screen.extend_button)
        assert session.time_left() == before + session.timeouts.extension
        assert not screen.banner.isVisible()
    session.clock.advance(session.time_left() - session.timeouts.warning + 1)
    session.tick()
    # No extension left: still announced, without the button.
    assert screen.banner.isVisible()
    assert not screen.extend_button.isVisible()
    assert "Cet écran se fermera dans" in screen.banner_text.text()


def test_in_call_readings_never_show_a_missing_value_as_a_number(kiosk_app):
    go_to(kiosk_app, State.IN_CALL)
    send = kiosk_app.bridge.send
    send(
        ReadingReceived(
            reading(
                "blood_pressure",
                {"systolic": 128, "diastolic": 79, "pulse": 64},
                units={"pulse": Unit.PER_MINUTE},
            )
        )
    )
    send(
        ReadingReceived(
            reading(
                "spo2",
                {"pulse": 70},
                missing={"spo2": "out_of_range"},
                units={"pulse": Unit.PER_MINUTE},
                unit=Unit.PERCENT,
            )
        )
    )
    screen = kiosk_app.window.current
    rows = screen.readings.texts()
    spo2, bp = rows[0], rows[1]  # newest first
    assert "128 / 79 mmHg" in bp and "Pouls : \u206664 /min\u2069" in bp
    # The device by its kind in the patient's language, not by its id in the config.
    assert "Appareil : tensiomètre (\u2066SunTech\u00a0Advantage\u2069)" in bp
    assert "tensio-1" not in bp
    assert "Oxygène : pas de mesure valable (hors de ce que l'appareil peut mesurer)" in spo2
    assert "%" not in spo2  # the missing oxygen value has no number and no unit


def test_in_call_video_and_who_speaks(kiosk_app):
    go_to(kiosk_app, State.IN_CALL)
    screen = kiosk_app.window.current
    assert screen.doctor_video.isVisible()
    assert screen.own_video.isVisible()
    assert not screen.speaking.isVisible()
    kiosk_app.runtime.speaking = "doctor"
    screen.refresh()
    assert screen.speaking.text().endswith("Le médecin parle")


def test_who_speaks_follows_the_voice_without_session_events(kiosk_app, qtbot):
    go_to(kiosk_app, State.IN_CALL)
    screen = kiosk_app.window.current
    kiosk_app.runtime.speaking = "doctor"
    qtbot.waitUntil(lambda: screen.speaking.isVisible(), timeout=2000)
    kiosk_app.runtime.speaking = ""
    qtbot.waitUntil(lambda: not screen.speaking.isVisible(), timeout=2000)


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("blood_pressure", "bras GAUCHE"),
        ("temperature", "front"),
        ("weight", "balance"),
        ("spo2", "pince"),
    ],
)
def test_measuring_guides_step_by_step(kiosk_app, qtbot, kind, words):
    go_to(kiosk_app, State.IN_CALL)
    send = kiosk_app.bridge.send
    assert send(MeasurementRequested(ReadingKind(kind)))
    screen = kiosk_app.window.current
    assert kiosk_app.runtime.session.state is State.MEASURING
    assert screen.picture.name == kind and screen.picture.isVisible()
    assert words in screen.steps.text()
    assert screen.steps.text().startswith("1.")
    assert screen.readings.texts() == ["Pas encore de mesure."]
    click(qtbot, screen.stop_button)
    assert kiosk_app.runtime.session.state is State.IN_CALL


def test_measurement_result_comes_back_to_the_call(kiosk_app):
    go_to(kiosk_app, State.IN_CALL)
    send = kiosk_app.bridge.send
    send(MeasurementRequested(ReadingKind.TEMPERATURE))
    send(ReadingReceived(reading("temperature", {"temperature": 38.45}, unit=Unit.CELSIUS)))
    assert kiosk_app.runtime.session.state is State.IN_CALL
    assert "Température : \u206638,5 °C\u2069" in kiosk_app.window.current.readings.texts()[0]


def test_printing_goodbye_cleaning_idle(kiosk_app, qtbot):
    go_to(kiosk_app, State.IN_CALL)
    send = kiosk_app.bridge.send
    send(ReadingReceived(reading("weight", {"weight": 71.2}, unit=Unit.KG)))
    send(CallEnded())
    window = kiosk_app.window
    assert window.current.title.text() == "Impression de vos documents…"
    assert send(PrintingDone())
    assert "carte Vitale" in window.current.body.text()
    click(qtbot, window.current.done_button)
    assert kiosk_app.runtime.session.state is State.CLEANING
    assert window.current.title.text() == "La cabine est en cours de nettoyage"
    click(qtbot, window.current.confirm_button)
    assert kiosk_app.runtime.session.state is State.IDLE


FAULTS = {
    FaultKind.CARD_PULLED: ("Votre carte a été retirée", "remettez votre carte", True),
    FaultKind.CARD_UNREADABLE: ("Nous n'avons pas pu lire votre carte", "réessayer", True),
    FaultKind.NETWORK_LOST: ("La liaison avec le médecin est coupée", "conservée", False),
    FaultKind.INSTRUMENT_UNPLUGGED: ("Le tensiomètre ne répond pas", "câble", False),
    FaultKind.PRINTER_PROBLEM: ("L'imprimante a un problème", "Appeler le personnel", True),
}


@pytest.mark.parametrize("kind", list(FaultKind))
def test_fault_screens_say_what_happens_next(kiosk_app, kind):
    send = kiosk_app.bridge.send
    if kind is FaultKind.CARD_PULLED:
        go_to(kiosk_app, State.CONSENT)
        send(CardRemoved())
    elif kind is FaultKind.CARD_UNREADABLE:
        send(CardInserted())
        send(CardReadFailed("vitale1"))
    elif kind is FaultKind.PRINTER_PROBLEM:
        go_to(kiosk_app, State.IN_CALL)
        send(ReadingReceived(reading("weight", {"weight": 70}, unit=Unit.KG)))
        send(CallEnded())
        send(Fault(kind))
    elif kind is FaultKind.INSTRUMENT_UNPLUGGED:
        go_to(kiosk_app, State.IN_CALL)
        send(MeasurementRequested(ReadingKind.BLOOD_PRESSURE))
        send(Fault(kind, "tensiometre"))
    else:
        go_to(kiosk_app, State.IN_CALL)
        send(Fault(kind))
    screen = kiosk_app.window.current
    title, next_step, can_finish = FAULTS[kind]
    assert kiosk_app.runtime.session.state is State.FAULT
    assert screen.title.text() == title
    assert next_step in screen.body.text()
    assert screen.picture.name == kind.value
    assert screen.finish_button.isVisible() is can_finish
    if kind is FaultKind.CARD_UNREADABLE:
        assert "ancien modèle" in screen.body.text()
    if kind is FaultKind.INSTRUMENT_UNPLUGGED:
        assert "tensiometre" not in all_text(screen)  # its config id is no name for a patient


def test_a_call_lost_after_papers_came_says_finish_prints_them(kiosk_app, qtbot):
    send = kiosk_app.bridge.send
    go_to(kiosk_app, State.IN_CALL)
    send(ReadingReceived(reading("weight", {"weight": 70}, unit=Unit.KG)))
    send(Fault(FaultKind.NETWORK_LOST, "call_lost", resumable=False))
    screen = kiosk_app.window.current
    assert screen.title.text() == "La liaison avec le médecin n'a pas pu être rétablie"
    assert "vos papiers vont être imprimés" in screen.body.text()
    assert "Rien n'a été conservé" not in screen.body.text()
    click(qtbot, screen.finish_button)
    assert kiosk_app.runtime.session.state is State.PRINTING


def test_a_hangup_while_a_device_is_away_lets_the_patient_finish(kiosk_app, qtbot):
    send = kiosk_app.bridge.send
    go_to(kiosk_app, State.IN_CALL)
    send(Fault(FaultKind.INSTRUMENT_UNPLUGGED, "balance"))
    screen = kiosk_app.window.current
    assert not screen.finish_button.isVisible()  # the consultation goes on when it is back
    send(CallEnded())  # the doctor hangs up meanwhile
    assert screen.title.text() == "Le médecin a terminé la consultation"
    assert screen.body.text() == "Appuyez sur « Terminer » pour partir."  # nothing to print
    assert screen.finish_button.isVisible()
    click(qtbot, screen.finish_button)
    assert kiosk_app.runtime.session.state is not State.FAULT


def test_high_contrast_toggle_is_on_every_screen(kiosk_app, qtbot):
    window = kiosk_app.window
    before = window.styleSheet()
    click(qtbot, window.current.contrast_button)
    assert window.high_contrast and window.styleSheet() != before
    for screen in window.screens.values():
        assert screen.contrast_button.text().startswith("☑")  # ticked box, not only colour
        assert all(p.high_contrast for p in screen.findChildren(type(screen.picture)))
    click(qtbot, window.current.contrast_button)
    assert not window.high_contrast
    assert window.current.contrast_button.text().startswith("☐")


def test_every_button_of_every_screen_has_text(kiosk_app):
    go_to(kiosk_app, State.CONFIRM_IDENTITY)
    for state, screen in kiosk_app.window.screens.items():
        for button in screen.findChildren(QPushButton):
            if button.isVisibleTo(screen):
                assert button.text().strip(), (state, button.objectName())


def test_time_warning_counts_down(kiosk_app):
    session = kiosk_app.runtime.session
    go_to(kiosk_app, State.CONSENT)
    screen = kiosk_app.window.current
    session.clock.advance(session.time_left() - 15)
    session.tick()
    assert "dans 15 secondes" in screen.banner_text.text()
    session.clock.advance(6)
    kiosk_app.window._countdown.timeout.emit()  # the named 1 s timer's tick
    assert "dans 9 secondes" in screen.banner_text.text()


@pytest.mark.parametrize(
    ("state", "banner"),
    [
        (
            State.WAITING_ROOM,
            "Êtes-vous toujours là ?\n"
            "Sans réponse, vous quitterez la file d'attente dans 15 secondes.",
        ),
        (
            State.IN_CALL,
            "Avez-vous besoin de plus de temps ?\nLa consultation s'arrêtera dans 15 secondes.",
        ),
    ],
)
def test_the_time_warning_says_what_the_end_of_time_means_here(kiosk_app, state, banner):
    session = kiosk_app.runtime.session
    go_to(kiosk_app, state)
    session.clock.advance(session.time_left() - 15)
    session.tick()
    assert kiosk_app.window.current.banner_text.text() == banner


def test_no_more_time_question_while_the_machine_works(kiosk_app, qtbot):
    session = kiosk_app.runtime.session
    kiosk_app.bridge.send(CardInserted())  # reading the card: 20 s limit, 20 s warning
    with qtbot.waitSignal(kiosk_app.bridge.warning):
        session.tick()
    assert not kiosk_app.window.current.banner.isVisible()
