"""The mallette's desk in the session machine: sign-in, cards at the desk, sign-out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kiosk.clock import ManualClock
from kiosk.domain import Beneficiary
from kiosk.errors import IllegalEventError
from kiosk.nurse import Profession, sign_in
from kiosk.session import (
    BeneficiaryChosen,
    CardInserted,
    CardRead,
    CardReadFailed,
    CardRemoved,
    ConsentGiven,
    DeskNotice,
    DoctorJoined,
    EndSession,
    NurseDeskOpened,
    NurseSignedIn,
    NurseSignedOut,
    ProfessionalCardInserted,
    Session,
    State,
)
from tests.nurse.test_rpps import RPPS

PATIENT = Beneficiary(
    last_name="MARTIN", first_name="Louise", birth_date="19500302", nir="250037512345612", rank=1
)
NURSE = sign_in(
    RPPS,
    "Claire Dubois",
    Profession.NURSE,
    now=datetime(2026, 1, 1, 9, 0, tzinfo=UTC),
    timezone="Europe/Paris",
)


@pytest.fixture
def desk() -> Session:
    session = Session(clock=ManualClock(), require_cleaning=False)
    session.send(NurseDeskOpened())
    assert session.state is State.NURSE
    return session


def test_sign_in_then_a_patient_then_back_at_the_desk(desk, caplog):
    caplog.set_level("INFO")
    desk.send(NurseSignedIn(NURSE))
    assert desk.nurse == NURSE and desk.state is State.NURSE
    desk.send(CardInserted())
    assert desk.state is State.READING_CARD
    desk.send(CardRead((PATIENT,)))
    desk.send(BeneficiaryChosen(1))
    desk.send(ConsentGiven())
    desk.send(DoctorJoined())
    assert desk.state is State.IN_CALL
    # Sign-out refused while a call is on: the nurse is still the shift's.
    with pytest.raises(IllegalEventError):
        desk.send(NurseSignedOut())
    assert desk.nurse == NURSE
    desk.send(EndSession())
    desk.send(EndSession())  # goodbye -> wiping -> idle
    assert desk.state is State.IDLE and desk.data is None
    assert desk.nurse == NURSE  # the shift outlives the patient's wipe
    desk.send(NurseDeskOpened())
    desk.send(NurseSignedOut())
    assert desk.nurse is None and desk.desk_notice == DeskNotice.NONE
    for secret in ("Claire", "Dubois", RPPS, "MARTIN"):
        assert secret not in caplog.text


def test_sign_out_needs_someone_signed_in(desk):
    with pytest.raises(IllegalEventError):
        desk.send(NurseSignedOut())


def test_the_end_of_the_day_says_so(desk):
    desk.send(NurseSignedIn(NURSE))
    desk.send(NurseSignedOut("end_of_day"))
    assert desk.nurse is None and desk.desk_notice == DeskNotice.END_OF_DAY
    desk.send(NurseSignedIn(NURSE))
    assert desk.desk_notice == DeskNotice.NONE


def test_a_cps_at_the_sign_in_is_recognised_and_not_read(desk):
    desk.send(CardInserted())  # before the sign-in: the desk waits for the read
    assert desk.state is State.NURSE and desk.data is None
    desk.send(ProfessionalCardInserted())
    assert desk.desk_notice == DeskNotice.CPS
    desk.send(CardReadFailed("not_vitale"))  # the driver's answer: it keeps the CPS notice
    assert desk.desk_notice == DeskNotice.CPS
    desk.send(CardRemoved())
    assert desk.state is State.NURSE


def test_a_carte_vitale_at_the_sign_in_is_told_apart(desk):
    desk.send(CardInserted())
    desk.send(CardRead((PATIENT,)))
    assert desk.state is State.NURSE and desk.data is None
    assert desk.desk_notice == DeskNotice.VITALE_AT_SIGN_IN


def test_an_unknown_card_at_the_desk(desk):
    desk.send(CardInserted())
    desk.send(CardReadFailed("mute"))
    assert desk.desk_notice == DeskNotice.UNKNOWN_CARD


def test_a_cps_where_the_patients_vitale_is_expected(desk):
    desk.send(NurseSignedIn(NURSE))
    desk.send(CardInserted())
    assert desk.state is State.READING_CARD and desk.data is not None
    desk.send(ProfessionalCardInserted())
    # The session just begun ends through the wipe; the desk says why.
    assert desk.state is State.IDLE and desk.data is None
    assert desk.desk_notice == DeskNotice.CPS_FOR_PATIENT
    desk.send(NurseDeskOpened())
    desk.send(CardReadFailed("not_vitale"))
    assert desk.desk_notice == DeskNotice.CPS_FOR_PATIENT
    # A CPS inserted again at the desk while signed in says the same.
    desk.send(ProfessionalCardInserted())
    assert desk.desk_notice == DeskNotice.CPS_FOR_PATIENT
    desk.send(CardInserted())  # the patient's card now: a new patient, the notice goes
    assert desk.state is State.READING_CARD and desk.desk_notice == DeskNotice.NONE


def test_a_cabin_never_opens_a_desk_mid_session():
    session = Session(clock=ManualClock(), require_cleaning=False)
    session.send(CardInserted())
    with pytest.raises(IllegalEventError):
        session.send(NurseDeskOpened())
    # Without a nurse on shift (a cabin), a CPS's ATR changes nothing in the read.
    with pytest.raises(IllegalEventError):
        session.send(ProfessionalCardInserted())


def test_a_patient_without_card_typed_by_the_nurse(desk):
    from kiosk.nurse import CarePlace, Sex
    from kiosk.session import CarePlaceChosen, ConsentRefused, PatientTyped

    with pytest.raises(IllegalEventError):  # nobody signed in: no patient yet
        desk.send(PatientTyped(PATIENT, "F"))
    desk.send(NurseSignedIn(NURSE))
    desk.send(CarePlaceChosen(CarePlace.HOME))
    assert desk.care_place is CarePlace.HOME
    typed = Beneficiary(last_name="علي", first_name="Amina", birth_date="19800101", nir="", rank=1)
    desk.send(PatientTyped(typed, Sex.FEMALE))
    assert desk.state is State.CONSENT
    data = desk.data
    assert data.chosen == typed and data.beneficiaries == [typed]
    assistance = data.assistance
    assert assistance.nurse == NURSE and assistance.place is CarePlace.HOME
    assert assistance.typed_identity and assistance.sex == "F"
    assert not assistance.consent_witnessed
    desk.send(CardRemoved())  # no card was needed: nothing happens
    assert desk.state is State.CONSENT
    desk.send(ConsentGiven())
    assert desk.data.assistance.consent_witnessed
    assert desk.data.consent_time is not None
    desk.send(EndSession())
    desk.send(EndSession())
    assert desk.data is None and desk.state is State.IDLE
    assert desk.care_place is CarePlace.HOME  # kept for the next patients
    desk.send(NurseDeskOpened())
    desk.send(PatientTyped(typed, Sex.MALE))
    desk.send(ConsentRefused())
    assert desk.state is State.GOODBYE


def test_a_patients_vitale_at_the_desk_is_assisted(desk):
    desk.send(NurseSignedIn(NURSE))
    desk.send(CardInserted())
    desk.send(CardRead((PATIENT,)))
    desk.send(BeneficiaryChosen(1))
    assistance = desk.data.assistance
    assert assistance.nurse == NURSE and not assistance.typed_identity
    assert assistance.place == "health_centre"
    desk.send(ConsentGiven())
    assert desk.data.assistance.consent_witnessed


def test_a_cabins_consent_has_no_nurse():
    session = Session(clock=ManualClock(), require_cleaning=False)
    session.send(CardInserted())
    session.send(CardRead((PATIENT,)))
    session.send(BeneficiaryChosen(1))
    session.send(ConsentGiven())
    assert session.data.assistance is None and session.state is State.WAITING_ROOM
