"""Each patient at a mallette's desk, through the real screens: the place, the identity
typed when there is no card, the consent with the nurse present."""

from __future__ import annotations

from kiosk.session import BeneficiaryChosen, CardInserted, CardRead, State
from tests.nurse.test_desk_session import PATIENT
from tests.nurse.test_signin_screen import desk, sign_in
from tests.ui.helpers import click


def type_patient(qtbot, screen, *, last="Martin", first="Louise", born="02/03/1950", sex=1):
    form = screen.patient
    form.clear()
    for edit, text in ((form.last_name, last), (form.first_name, first), (form.birth_date, born)):
        if text.isascii():
            qtbot.keyClicks(edit, text)
        else:
            edit.insert(text)
    form.sex.setCurrentIndex(sex)


def test_the_desk_offers_the_place_and_the_patient_without_card(mallette, qtbot):
    screen = sign_in(qtbot, mallette)
    session = mallette.runtime.session
    assert screen.place_row.isVisible() and screen.no_card_button.isVisible()
    assert screen.place.currentText() == "Centre de santé"
    assert "Insérez la Carte Vitale du patient dans le lecteur." in screen.body.text()
    screen.place.setCurrentIndex(1)
    screen.place.activated.emit(1)
    assert session.care_place == "home"
    click(qtbot, screen.no_card_button)
    assert screen.title.text() == "Patient sans carte"
    assert screen.patient.isVisible() and not screen.sign_out_button.isVisible()
    click(qtbot, screen.back_button)
    assert screen.place_row.isVisible() and screen.place.currentText() == "Domicile du patient"


def test_a_typed_identity_with_a_wrong_date_keeps_what_was_typed(mallette, qtbot):
    screen = sign_in(qtbot, mallette)
    click(qtbot, screen.no_card_button)
    type_patient(qtbot, screen, born="31/02/1950")
    click(qtbot, screen.check_in_button)
    assert mallette.runtime.session.state is State.NURSE
    assert screen.error_label.text() == (
        "La date de naissance est une vraie date, au format \u2066JJ/MM/AAAA\u2069 (par exemple "
        "\u206602/03/1950\u2069)."
    )
    assert screen.patient.last_name.text() == "Martin"
    assert screen.patient.birth_date.hasFocus() or not mallette.window.isActiveWindow()
    type_patient(qtbot, screen, sex=0)
    click(qtbot, screen.check_in_button)
    assert screen.error_label.text() == "Choisissez le sexe du patient."


def test_a_typed_patient_consents_with_the_nurse_present(mallette, qtbot):
    screen = sign_in(qtbot, mallette)
    session = mallette.runtime.session
    click(qtbot, screen.no_card_button)
    type_patient(qtbot, screen, last="بن علي", first="Amina", sex=1)
    click(qtbot, screen.check_in_button)
    assert session.state is State.CONSENT
    assert session.data.chosen.last_name == "بن علي"
    assert session.data.assistance.typed_identity and session.data.assistance.sex == "F"
    consent = mallette.window.current
    assert consent.body.text().endswith(
        "• Votre réponse est enregistrée en présence de Claire Dubois (Infirmier·ère)."
    )
    click(qtbot, consent.agree_button)
    assert session.state is State.WAITING_ROOM
    assert session.data.assistance.consent_witnessed


def test_a_patients_carte_vitale_at_the_desk(mallette, qtbot):
    sign_in(qtbot, mallette)
    bridge = mallette.bridge
    session = mallette.runtime.session
    for event in (CardInserted(), CardRead((PATIENT,)), BeneficiaryChosen(1)):
        assert bridge.send(event)
    assert session.state is State.CONSENT
    assert "en présence de Claire Dubois" in mallette.window.current.body.text()
    assert not session.data.assistance.typed_identity


def test_back_at_the_desk_the_last_patient_is_gone_from_the_form(mallette, qtbot):
    screen = sign_in(qtbot, mallette)
    click(qtbot, screen.no_card_button)
    type_patient(qtbot, screen)
    click(qtbot, screen.check_in_button)
    consent = mallette.window.current
    click(qtbot, consent.refuse_button)  # -> goodbye
    mallette.bridge.on_end()  # -> wiping -> idle -> the desk
    session = mallette.runtime.session
    qtbot.waitUntil(lambda: session.state is State.NURSE, timeout=2000)
    assert desk(mallette).patient.last_name.text() == ""
    assert not desk(mallette).patient.isVisible() and desk(mallette).place_row.isVisible()


def test_a_cabins_consent_says_nothing_of_a_nurse(kiosk_app):
    from tests.ui.test_screens import go_to

    go_to(kiosk_app, State.CONSENT)
    assert "présence" not in kiosk_app.window.current.body.text()
