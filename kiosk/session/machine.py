"""The patient session machine (DESIGN §1), declared in one place: its transitions as a table
read as the diagram (:attr:`Session.TRANSITIONS`, :attr:`Session.TIME_LIMITS`), and their actions.

Every end passes through ``wiping``, which clears the :class:`SessionData`.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Mapping
from typing import ClassVar

from kiosk.clock import Clock
from kiosk.config import TimeoutsConfig
from kiosk.errors import SessionError
from kiosk.session.data import CHAT_KEPT, ChatLine, SessionData
from kiosk.session.engine import Action, Machine, Transition, on
from kiosk.session.events import (
    CARD_FAULTS,
    BeneficiaryChosen,
    BookingCodeRequested,
    CallEnded,
    CallStaff,
    CardInserted,
    CardRead,
    CardReadFailed,
    CardRemoved,
    CarePlaceChosen,
    ChatAnswered,
    ChatReceived,
    CleaningConfirmed,
    ConsentGiven,
    ConsentRefused,
    ContinueWithoutCard,
    DoctorJoined,
    DocumentReceived,
    EndSession,
    Event,
    ExtendTime,
    Fault,
    FaultCleared,
    FaultKind,
    LanguageChosen,
    MeasurementCancelled,
    MeasurementGivenUp,
    MeasurementRequested,
    MicrophoneMuted,
    Notice,
    NurseDeskOpened,
    NurseSignedIn,
    NurseSignedOut,
    PatientEndedCall,
    PatientTyped,
    PrintingDone,
    ProfessionalCardInserted,
    ReadingReceived,
)
from kiosk.session.nurse import NurseDesk
from kiosk.states import State

# The logger the session had as one module: its log lines keep their name.
log = logging.getLogger("kiosk.session")

#: States in which a patient session exists and a fault may interrupt it.
ACTIVE = frozenset(
    {
        State.READING_CARD,
        State.BOOKING_CODE,
        State.CONFIRM_IDENTITY,
        State.CONSENT,
        State.WAITING_ROOM,
        State.IN_CALL,
        State.MEASURING,
        State.PRINTING,
        State.GOODBYE,
    }
)
#: States where the card is still needed: pulling it out interrupts the session (unless
#: the patient checked in with a booking code instead).
NEEDS_CARD = frozenset({State.READING_CARD, State.CONFIRM_IDENTITY, State.CONSENT})
ANY_STATE = frozenset(State)

WipeHook = Callable[[str], None]
desk = NurseDesk  # a mallette's actions and guards, as the table names them


def fault_screen(kind: FaultKind, detail: str) -> Action:
    """The action of going to the fault screen with nothing to resume."""

    def action(session: Session, _event: object) -> None:
        session._enter_fault(kind, detail, resume=None)

    return action


class Session(NurseDesk):
    """The patient session machine.

    ``send(event)`` applies one event as :attr:`TRANSITIONS` says and returns the new state,
    or raises :class:`IllegalEventError`. ``tick()`` applies the time limits of the current
    state (:attr:`TIME_LIMITS`). ``wipe_hooks`` run at ``wiping`` with the session id
    (spool, printer jobs, call).
    """

    def __init__(
        self,
        *,
        timeouts: TimeoutsConfig | None = None,
        clock: Clock | None = None,
        require_cleaning: bool = True,
        default_language: str = "fr",
        wipe_hooks: tuple[WipeHook, ...] = (),
    ) -> None:
        super().__init__(timeouts=timeouts, clock=clock)
        self.require_cleaning = require_cleaning
        self.default_language = default_language
        self.language = default_language
        self._wipe_hooks = list(wipe_hooks)
        self.data: SessionData | None = None
        self.fault_kind: FaultKind | None = None
        self.fault_detail = ""
        self._resume: State | None = None
        self.requested: MeasurementRequested | None = None
        self.sessions_started = 0

    def add_wipe_hook(self, hook: WipeHook) -> None:
        self._wipe_hooks.append(hook)

    @property
    def session_id(self) -> str:
        return self.data.session_id if self.data else ""

    @property
    def resumable(self) -> bool:
        """On the fault screen: whether what was interrupted can come back."""
        return self._can_resume()

    @property
    def waits_for_instrument(self) -> bool:
        """On the fault screen of an instrument unplugged during a consultation: the call
        goes on without the measurement (:class:`MeasurementGivenUp`, or the time limit)."""
        return self.state is State.FAULT and self._instrument_awaited()

    @property
    def can_extend(self) -> bool:
        # A patient who answers "Yes, I'm here" in the waiting room is never dropped from the
        # queue: there, no count of extensions.
        if self.state is State.WAITING_ROOM:
            return self.deadline is not None
        return super().can_extend

    # -- entering a state ----------------------------------------------------------------

    def _go(self, new: State) -> None:
        old = self._move(new)
        if new is not State.FAULT:
            self.fault_kind = None
            self.fault_detail = ""
            self._resume = None
        if new is State.IDLE:
            # The next patient starts in the cabin's language: set before anyone is told.
            self.language = self.default_language
            self._log_id = "-"
        self._notify(Notice.TRANSITION, old)
        if new is State.WIPING:
            self._wipe()
            self._go(State.CLEANING if self.require_cleaning else State.IDLE)

    def _enter_fault(self, kind: FaultKind, detail: str, *, resume: State | None) -> None:
        self.fault_kind = kind
        self.fault_detail = detail
        self._resume = resume
        log.warning("session %s: fault %s in %s", self._log_id, kind, self.state)
        self._go(State.FAULT)

    def _wipe(self) -> None:
        data = self.data
        sid = self.session_id
        for hook in list(self._wipe_hooks):
            try:
                hook(sid)
            except Exception as exc:
                # A hook that fails must not keep the data alive; its error is logged
                # without content (no message, no traceback) and the wipe goes on.
                log.error(
                    "session %s: wipe hook %s failed: %s",
                    sid,
                    getattr(hook, "__qualname__", "?"),
                    type(exc).__name__,
                )
        assert data is not None  # wiping is entered only from a session
        data.wipe()
        self.data = None
        self.requested = None
        log.info("session %s: wiped", sid)

    # -- guards (the conditions of the table) ---------------------------------------------

    def _card_failed(self) -> bool:
        return self.fault_kind in CARD_FAULTS

    def _card_needed(self) -> bool:
        data, typed = self.data, self.data and self.data.assistance
        return not (data and (data.without_card or (typed and typed.typed_identity)))

    def _call_on_hold(self) -> bool:
        """The fault interrupted a consultation."""
        return self._resume in (State.IN_CALL, State.MEASURING)

    def _can_resume(self) -> bool:
        return self._resume is not None

    def _instrument_awaited(self) -> bool:
        return self.fault_kind is FaultKind.INSTRUMENT_UNPLUGGED and self._call_on_hold()

    # -- actions (what a transition does besides moving) ----------------------------------

    def _begin(self, _event: object) -> None:
        self.sessions_started += 1
        self.data = SessionData(secrets.token_hex(4), self.clock.now())
        self._log_id = self.data.session_id

    def _check_in_without_card(self, event: ContinueWithoutCard) -> None:
        assert self.data is not None
        self.data.beneficiaries.clear()
        self.data.chosen = None
        self.data.without_card = True
        self.data.booking_code = event.booking_code
        log.info("session %s: checked in without a card", self._log_id)

    def _read_card(self, event: CardRead) -> None:
        """-> confirm_identity, or the fault screen for a card without beneficiary."""
        assert self.data is not None
        if not event.beneficiaries:
            self._enter_fault(FaultKind.CARD_UNREADABLE, "no_beneficiary", resume=None)
            return
        self.data.beneficiaries = list(event.beneficiaries)
        self.data.chosen = None
        self._go(State.CONFIRM_IDENTITY)

    def _card_unreadable(self, event: CardReadFailed) -> None:
        self._enter_fault(FaultKind.CARD_UNREADABLE, event.reason, resume=None)

    def _choose(self, event: BeneficiaryChosen) -> None:
        """-> consent, or :class:`SessionError` for a rank not on the card."""
        assert self.data is not None
        for b in self.data.beneficiaries:
            if b.rank == event.rank:
                self.data.chosen = b
                self._go(State.CONSENT)
                return
        raise SessionError(f"no beneficiary of rank {event.rank} on this card")

    def _record_consent(self, _event: object) -> None:
        assert self.data is not None
        self.data.consent_time = self.clock.now()
        log.info("session %s: consent given", self._log_id)
        self._witness_consent()

    def _log_refusal(self, _event: object) -> None:
        log.info("session %s: consent refused", self._log_id)

    def _mark_consulted(self, _event: object) -> None:
        assert self.data is not None
        self.data.consulted = True

    def _request_measurement(self, event: MeasurementRequested) -> None:
        """-> measuring, then the notice (its listeners read the request)."""
        self.requested = event
        self._go(State.MEASURING)
        self._notify(Notice.MEASUREMENT_REQUESTED)

    def _take_reading(self, event: ReadingReceived) -> None:
        """Kept unless intermediate; the one measured ends the measurement (-> in_call)."""
        assert self.data is not None
        reading = event.reading
        if not reading.intermediate:
            self.data.readings.append(reading)
        self._notify(Notice.READING, reading=reading)
        if (
            self.state is State.MEASURING
            and not reading.intermediate
            and self.requested is not None
            and reading.kind == self.requested.kind
        ):
            self.requested = None
            self._go(State.IN_CALL)

    def _drop_request(self, _event: object) -> None:
        self.requested = None

    def _give_up_measurement(self, event: object) -> None:
        log.info("session %s: measurement given up on the fault screen", self._log_id)
        self._drop_request(event)

    def _take_document(self, event: DocumentReceived) -> None:
        assert self.data is not None
        self.data.documents.append(event.document)
        self._notify(Notice.DOCUMENT)

    def _add_chat(self, line: ChatLine) -> None:
        assert self.data is not None
        self.data.chat.append(line)
        del self.data.chat[:-CHAT_KEPT]
        self._notify(Notice.CHAT)

    def _take_chat(self, event: ChatReceived) -> None:
        self._add_chat(ChatLine("doctor", event.text, event.msg_id))

    def _answer_chat(self, event: ChatAnswered) -> None:
        self._add_chat(ChatLine("patient", event.answer))

    def _mute(self, event: MicrophoneMuted) -> None:
        assert self.data is not None
        self.data.muted = event.muted
        self._notify(Notice.MICROPHONE)

    def _call_lost(self, _event: object) -> None:
        # The doctor hung up while the fault screen showed (an instrument unplugged): there
        # is no call to go back to; "End" prints the papers and says goodbye.
        log.info("session %s: the call ended during a fault", self._log_id)
        self._resume = None
        self.requested = None
        self._notify(Notice.TRANSITION, State.FAULT)

    def _patient_ends_call(self, event: object) -> None:
        log.info("session %s: the patient ended the call", self._log_id)
        self._end_call(event)

    def _end_call(self, _event: object) -> None:
        """-> printing when there are papers, else goodbye."""
        self.requested = None
        assert self.data is not None
        if self.data.readings or self.data.documents:
            self._go(State.PRINTING)
        else:
            self._go(State.GOODBYE)

    def _replace_fault(self, event: Fault) -> None:
        # A second problem replaces the first; the place to resume stays, unless the new one
        # cannot be resumed.
        self.fault_kind = event.kind
        self.fault_detail = event.detail
        if not event.resumable:
            self._resume = None
        self._notify(Notice.TRANSITION, State.FAULT)

    def _interrupt(self, event: Fault) -> None:
        resume = None if event.kind in CARD_FAULTS or not event.resumable else self.state
        self._enter_fault(event.kind, event.detail, resume=resume)

    def _resume_here(self, _event: object) -> None:
        assert self._resume is not None
        self._go(self._resume)

    def _leave_fault(self, _event: object) -> None:
        """The patient pressed "End" on the fault screen: they are here, so the papers the
        session already holds (a prescription sent before the network went) print first. Not
        when the printer is the problem, nor the card (its holder may have gone with it); a
        fault screen left to time out wipes (nobody may be there to take them)."""
        papers = self.data is not None and bool(self.data.readings or self.data.documents)
        kind = self.fault_kind
        if papers and kind is not FaultKind.PRINTER_PROBLEM and kind not in CARD_FAULTS:
            self._go(State.PRINTING)
        else:
            self._go(State.WIPING)

    def _still_here(self, _event: object) -> None:
        """In the waiting room, the patient said they are there: their wait starts again."""
        self.deadline = self.clock.monotonic() + self._limit_for(self.state)
        self.extensions_used += 1
        self._warned = False
        log.info("session %s: still in the waiting room", self._log_id)
        self._notify(Notice.EXTENDED)

    def _call_staff(self, _event: object) -> None:
        log.info("session %s: staff called from %s", self._log_id, self.state)
        self._notify(Notice.STAFF_CALLED)

    def _choose_language(self, event: LanguageChosen) -> None:
        self.language = event.language
        self._notify(Notice.LANGUAGE)

    # The diagram of DESIGN §1, as data: for each event, the rows tried in order; the first whose
    # state (and guard) matches runs. An event no row accepts, or no row at all, is illegal.
    TRANSITIONS: ClassVar[Mapping[type[Event], tuple[Transition, ...]]] = {
        CardInserted: (
            on(State.IDLE, do=_begin, go=State.READING_CARD),
            on(State.NURSE, when=desk._on_shift, do=desk._begin_assisted, go=State.READING_CARD),
            on(State.NURSE),  # before the sign-in: read, to say it is not a CPS
            on(State.BOOKING_CODE, go=State.READING_CARD),
            on(State.FAULT, when=_card_failed, go=State.READING_CARD),
        ),
        BookingCodeRequested: (
            on(State.IDLE, do=_begin, go=State.BOOKING_CODE),
            on(State.FAULT, when=_card_failed, go=State.BOOKING_CODE),
        ),
        ContinueWithoutCard: (on(State.BOOKING_CODE, do=_check_in_without_card, go=State.CONSENT),),
        CardRead: (
            on(State.READING_CARD, do=_read_card),
            on(State.NURSE, do=desk._vitale_at_sign_in),
        ),
        CardReadFailed: (
            on(State.READING_CARD, do=_card_unreadable),
            on(State.NURSE, do=desk._card_failed_at_desk),
        ),
        ProfessionalCardInserted: (
            on(State.NURSE, do=desk._cps_at_desk),
            on(State.READING_CARD, when=desk._on_shift, do=desk._cps_for_patient, go=State.WIPING),
        ),
        NurseDeskOpened: (on(State.IDLE, go=State.NURSE),),
        CarePlaceChosen: (on(State.NURSE, when=desk._on_shift, do=desk._choose_place),),
        PatientTyped: (
            on(State.NURSE, when=desk._on_shift, do=desk._check_in_typed, go=State.CONSENT),
        ),
        NurseSignedIn: (on(State.NURSE, do=desk._sign_in),),
        # Only at the desk: never while a patient is checked in, called or measured.
        NurseSignedOut: (on(State.NURSE, when=desk._on_shift, do=desk._sign_out),),
        CardRemoved: (
            on(NEEDS_CARD, when=_card_needed, do=fault_screen(FaultKind.CARD_PULLED, "")),
            on(State.GOODBYE, go=State.WIPING),
            # elsewhere (or without a card) the card is no longer needed: the consultation goes on
            on(ANY_STATE),
        ),
        BeneficiaryChosen: (on(State.CONFIRM_IDENTITY, do=_choose),),
        ConsentGiven: (on(State.CONSENT, do=_record_consent, go=State.WAITING_ROOM),),
        ConsentRefused: (on(State.CONSENT, do=_log_refusal, go=State.GOODBYE),),
        DoctorJoined: (on(State.WAITING_ROOM, do=_mark_consulted, go=State.IN_CALL),),
        MeasurementRequested: (on(State.IN_CALL, do=_request_measurement),),
        ReadingReceived: (on(State.IN_CALL, State.MEASURING, do=_take_reading),),
        MeasurementCancelled: (on(State.MEASURING, do=_drop_request, go=State.IN_CALL),),
        MeasurementGivenUp: (
            on(State.FAULT, when=_instrument_awaited, do=_give_up_measurement, go=State.IN_CALL),
        ),
        DocumentReceived: (on(State.IN_CALL, State.MEASURING, do=_take_document),),
        ChatReceived: (on(State.IN_CALL, State.MEASURING, do=_take_chat),),
        ChatAnswered: (on(State.IN_CALL, State.MEASURING, do=_answer_chat),),
        MicrophoneMuted: (on(State.IN_CALL, State.MEASURING, do=_mute),),
        CallEnded: (
            on(State.FAULT, when=_call_on_hold, do=_call_lost),
            on(State.IN_CALL, State.MEASURING, do=_end_call),
        ),
        PatientEndedCall: (on(State.IN_CALL, State.MEASURING, do=_patient_ends_call),),
        PrintingDone: (on(State.PRINTING, go=State.GOODBYE),),
        Fault: (
            on(State.FAULT, do=_replace_fault),
            on(ACTIVE, do=_interrupt),
        ),
        FaultCleared: (on(State.FAULT, when=_can_resume, do=_resume_here),),
        EndSession: (
            on(State.FAULT, do=_leave_fault),
            on(ACTIVE - {State.GOODBYE}, go=State.GOODBYE),
            on(State.GOODBYE, go=State.WIPING),
        ),
        CleaningConfirmed: (on(State.CLEANING, go=State.IDLE),),
        ExtendTime: (
            on(State.WAITING_ROOM, when=Machine._timed, do=_still_here),
            on(ANY_STATE, when=Machine._timed, do=Machine._extend),
        ),
        CallStaff: (on(ANY_STATE, do=_call_staff),),
        LanguageChosen: (on(ANY_STATE, do=_choose_language),),
    }

    # What each state's time limit does (the limits themselves are in ``TimeoutsConfig``).
    TIME_LIMITS: ClassVar[tuple[Transition, ...]] = (
        on(State.READING_CARD, do=fault_screen(FaultKind.CARD_UNREADABLE, "timeout")),
        # (the waiting room's limit restarts whenever the patient answers: it ends a wait
        # only when nobody answered "Yes, I'm here")
        on(
            State.BOOKING_CODE,
            State.CONFIRM_IDENTITY,
            State.CONSENT,
            State.WAITING_ROOM,
            go=State.GOODBYE,
        ),
        on(State.IN_CALL, do=_end_call),
        on(State.MEASURING, do=_drop_request, go=State.IN_CALL),
        on(State.PRINTING, do=fault_screen(FaultKind.PRINTER_PROBLEM, "timeout")),
        # An instrument that does not come back must not end a consultation the doctor is still
        # in: the measurement is given up, the call goes on.
        on(State.FAULT, when=_instrument_awaited, do=_drop_request, go=State.IN_CALL),
        on(State.GOODBYE, State.FAULT, go=State.WIPING),
    )


def send_quietly(session: Session, event: Event) -> bool:
    """Send ``event``; a state that does not accept it (a race, a double click) is logged."""
    try:
        session.send(event)
    except SessionError as exc:
        log.info("session %s: %s dropped: %s", session.log_id, event.name, exc)
        return False
    return True
