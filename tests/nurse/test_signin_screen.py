"""The nurse's sign-in, driven through the real screen (pytest-qt)."""

from __future__ import annotations

from datetime import timedelta

from PyQt6.QtCore import Qt

from kiosk.session import CardInserted, CardRead, DoctorJoined, ProfessionalCardInserted, State
from tests.nurse.test_desk_session import PATIENT
from tests.nurse.test_rpps import RPPS
from tests.ui.helpers import click
from ui.screens.nurse_signin import NurseSignInScreen


def desk(app) -> NurseSignInScreen:
    screen = app.window.current
    assert isinstance(screen, NurseSignInScreen)
    return screen


def sign_in(qtbot, app, rpps=RPPS, name="Claire Dubois", profession=0):
    screen = desk(app)
    screen.rpps.clear()
    screen.name.clear()
    qtbot.keyClicks(screen.rpps, rpps)
    if name.isascii():
        qtbot.keyClicks(screen.name, name)
    else:  # QTest types key codes: another script goes in as an input method would
        screen.name.insert(name)
    screen.profession.setCurrentIndex(profession)
    click(qtbot, screen.sign_in_button)
    return screen


def test_a_mallette_opens_on_the_sign_in(mallette):
    session = mallette.runtime.session
    assert session.state is State.NURSE
    screen = desk(mallette)
    assert screen.title.text() == "Prendre son service"
    assert screen.form.isVisible() and not screen.sign_out_button.isVisible()
    assert [screen.profession.itemText(i) for i in range(screen.profession.count())] == [
        "Infirmier·ère",
        "Médecin",
        "Sage-femme",
        "Pharmacien·ne",
        "Autre professionnel·le de santé",
    ]


def test_a_wrong_check_digit_is_refused_and_nothing_typed_is_lost(mallette, qtbot):
    screen = sign_in(qtbot, mallette, rpps="10003456781")
    assert mallette.runtime.session.nurse is None
    assert screen.error_label.isVisible()
    assert screen.error_label.text() == (
        "Ce numéro RPPS n'est pas valide (son dernier chiffre ne correspond pas) : vérifiez-le."
    )
    assert screen.rpps.text() == "10003456781" and screen.name.text() == "Claire Dubois"
    screen = sign_in(qtbot, mallette, rpps="1000345")
    assert screen.error_label.text() == "Le numéro RPPS a 11 chiffres."
    screen = sign_in(qtbot, mallette, name="   ")
    assert screen.error_label.text() == "Saisissez votre nom."


def test_sign_in_for_the_shift_then_sign_out(mallette, qtbot):
    session = mallette.runtime.session
    screen = sign_in(qtbot, mallette, rpps="1000 3456 786", name="فاطمة الزهراء", profession=2)
    assert session.nurse is not None and session.nurse.rpps == RPPS
    assert session.nurse.profession == "sage_femme"
    assert screen.title.text() == "Patient suivant"
    assert "En service : فاطمة الزهراء, Sage-femme, RPPS" in screen.body.text()
    assert RPPS in screen.body.text()
    assert not screen.form.isVisible() and not screen.error_label.isVisible()
    assert screen.rpps.text() == ""  # the form forgets; the session keeps it for the shift
    click(qtbot, screen.sign_out_button)
    assert session.nurse is None and screen.form.isVisible()


def test_the_day_ends_at_midnight_in_the_cabins_time_zone(mallette, qtbot, clock):
    sign_in(qtbot, mallette)
    session = mallette.runtime.session
    # The manual clock starts at 09:00 UTC (10:00 in Paris): 13 h 59 later is 23:59 there.
    clock.advance(timedelta(hours=13, minutes=59).total_seconds())
    desk(mallette).check_shift()
    assert session.nurse is not None
    clock.advance(120)
    desk(mallette).check_shift()
    assert session.nurse is None
    assert desk(mallette).notice.text() == (
        "La journée est finie : reconnectez-vous pour le service d'aujourd'hui."
    )


def test_a_cps_leads_to_the_sign_in_and_says_it_is_not_read(mallette, qtbot):
    bridge = mallette.bridge
    assert bridge.send(CardInserted())
    assert bridge.send(ProfessionalCardInserted())
    screen = desk(mallette)
    assert screen.notice.isVisible()
    assert screen.notice.text().startswith(
        "CPS reconnue — sa lecture demande le code PIN : saisissez votre RPPS."
    )
    assert "les données de la carte ne sont pas lues" in screen.notice.text()
    assert screen.rpps.isVisible()


def test_a_vitale_at_the_sign_in_and_a_cps_for_a_patient(mallette, qtbot):
    bridge = mallette.bridge
    session = mallette.runtime.session
    assert bridge.send(CardInserted())
    assert bridge.send(CardRead((PATIENT,)))
    assert desk(mallette).notice.text().startswith("C'est une Carte Vitale : la carte du patient")
    assert session.data is None
    sign_in(qtbot, mallette)
    assert bridge.send(CardInserted())
    assert session.state is State.READING_CARD
    assert bridge.send(ProfessionalCardInserted())
    # Wiped, then back at the desk (the bridge opens it once the idle state is told).
    qtbot.waitUntil(lambda: session.state is State.NURSE, timeout=2000)
    assert mallette.window.current is desk(mallette)
    assert desk(mallette).notice.text() == (
        "C'est une carte de professionnel de santé (CPS), pas une Carte Vitale. Retirez-la et "
        "insérez la Carte Vitale du patient."
    )


def test_signing_out_is_refused_while_a_call_is_on(mallette, qtbot):
    sign_in(qtbot, mallette)
    bridge = mallette.bridge
    session = mallette.runtime.session
    from kiosk.session import BeneficiaryChosen, ConsentGiven

    for event in (CardInserted(), CardRead((PATIENT,)), BeneficiaryChosen(1), ConsentGiven()):
        assert bridge.send(event)
    assert bridge.send(DoctorJoined())
    with qtbot.waitSignal(bridge.refused, timeout=1000):
        assert not bridge.sign_out_nurse()
    assert session.nurse is not None and session.state is State.IN_CALL


def test_the_sign_in_in_arabic_reads_right_to_left(mallette, qtbot):
    mallette.bridge.on_language("ar")
    screen = desk(mallette)
    assert screen.title.text() == "تسجيل الدخول للمناوبة"
    assert screen.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert screen.rpps.layoutDirection() == Qt.LayoutDirection.LeftToRight
