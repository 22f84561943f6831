"""The actions and guards of a mallette's desk (the rows are in ``Session.TRANSITIONS``): the
nurse of the shift is kept across patients, never in the :class:`SessionData` wiped."""

from __future__ import annotations

import abc
import logging
from dataclasses import replace

from kiosk.nurse import Assistance, CarePlace, Nurse
from kiosk.session.data import SessionData
from kiosk.session.engine import Machine
from kiosk.session.events import (
    CardReadFailed,
    CarePlaceChosen,
    Notice,
    NurseSignedIn,
    NurseSignedOut,
    PatientTyped,
)

log = logging.getLogger("kiosk.session")


class DeskNotice:
    """What the desk tells the nurse about the last card (``Session.desk_notice``)."""

    NONE = ""
    CPS = "cps"  # a CPS at the sign-in: recognised, unread without its PIN
    CPS_FOR_PATIENT = "cps_for_patient"  # a CPS where a patient's Carte Vitale was expected
    VITALE_AT_SIGN_IN = "vitale_at_sign_in"  # a Carte Vitale before anyone signed in
    UNKNOWN_CARD = "unknown_card"  # neither a Carte Vitale nor a CPS, or unreadable
    END_OF_DAY = "end_of_day"  # the shift ended at midnight: sign in again


class NurseDesk(Machine):
    """The session machine's desk part; its methods are actions and guards of the table."""

    #: The nurse of the shift, or None (signed out, or the day is over).
    nurse: Nurse | None = None
    desk_notice: str = DeskNotice.NONE
    #: Where the nurse sees the next patients (chosen at the desk, kept for the shift).
    care_place: CarePlace = CarePlace.HEALTH_CENTRE
    data: SessionData | None

    @abc.abstractmethod
    def _begin(self, event: object) -> None:
        """Start a patient's session (the machine's own)."""

    def _on_shift(self) -> bool:
        return self.nurse is not None

    def _tell(self, notice: str) -> None:
        self.desk_notice = notice
        self._notify(Notice.TRANSITION, self.state)

    def _sign_in(self, event: NurseSignedIn) -> None:
        self.nurse = event.nurse
        log.info("session %s: nurse signed in (%s)", self._log_id, event.nurse.profession)
        self._tell(DeskNotice.NONE)

    def _sign_out(self, event: NurseSignedOut) -> None:
        self.nurse = None
        log.info("session %s: nurse signed out (%s)", self._log_id, event.reason)
        self._tell(DeskNotice.END_OF_DAY if event.reason == "end_of_day" else DeskNotice.NONE)

    def _cps_at_desk(self, _event: object) -> None:
        self._tell(DeskNotice.CPS if self.nurse is None else DeskNotice.CPS_FOR_PATIENT)

    def _cps_for_patient(self, _event: object) -> None:
        """A CPS where the patient's Carte Vitale was to be read: the session just begun
        (nothing in it yet) ends through the wipe, back at the desk, which says why."""
        log.info("session %s: a CPS, not a Carte Vitale", self._log_id)
        self.desk_notice = DeskNotice.CPS_FOR_PATIENT

    def _choose_place(self, event: CarePlaceChosen) -> None:
        self.care_place = CarePlace(event.place)
        self._tell(self.desk_notice)

    def _begin_assisted(self, event: object) -> None:
        """A patient at the desk: their session begins, with who assists them and where."""
        assert self.nurse is not None
        self.desk_notice = DeskNotice.NONE
        self._begin(event)
        assert self.data is not None
        self.data.assistance = Assistance(self.nurse, self.care_place)

    def _check_in_typed(self, event: PatientTyped) -> None:
        """No card: the identity the nurse typed is the patient's (-> consent)."""
        self._begin_assisted(event)
        assert self.data is not None and self.data.assistance is not None
        self.data.beneficiaries = [event.patient]
        self.data.chosen = event.patient
        self.data.assistance = replace(self.data.assistance, typed_identity=True, sex=event.sex)
        log.info("session %s: identity typed by the nurse", self._log_id)

    def _witness_consent(self) -> None:
        """The patient consented with the nurse present (in a mallette)."""
        assert self.data is not None
        if self.data.assistance is not None:
            self.data.assistance = replace(self.data.assistance, consent_witnessed=True)
            log.info("session %s: consent given with the nurse present", self._log_id)

    def _vitale_at_sign_in(self, _event: object) -> None:
        # Its beneficiaries are dropped unread by anyone: nobody is signed in to assist.
        self._tell(DeskNotice.VITALE_AT_SIGN_IN)

    def _card_failed_at_desk(self, event: CardReadFailed) -> None:
        if self.desk_notice not in (DeskNotice.CPS, DeskNotice.CPS_FOR_PATIENT):
            self._tell(DeskNotice.UNKNOWN_CARD)
