"""The patient session: the kiosk's one state machine (DESIGN §1), with per-state timeouts.

States, events and transitions are declared in this module; the data of a session lives in
one :class:`SessionData` that the ``wiping`` state clears. Every end passes through ``wiping``.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from kiosk.clock import Clock, SystemClock
from kiosk.config import TimeoutsConfig
from kiosk.domain import Beneficiary, Document, Reading, ReadingKind
from kiosk.errors import IllegalEventError, SessionError
from kiosk.states import State

log = logging.getLogger(__name__)

__all__ = ["State"]  # re-exported: the states belong to the session


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


class FaultKind(StrEnum):
    CARD_PULLED = "card_pulled"
    CARD_UNREADABLE = "card_unreadable"
    NETWORK_LOST = "network_lost"
    INSTRUMENT_UNPLUGGED = "instrument_unplugged"
    PRINTER_PROBLEM = "printer_problem"


CARD_FAULTS = frozenset({FaultKind.CARD_PULLED, FaultKind.CARD_UNREADABLE})


class NoMoreExtensionsError(SessionError):
    """The patient already used every extension of this state's time limit."""


# --- events -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    @property
    def name(self) -> str:
        return type(self).__name__


@dataclass(frozen=True)
class CardInserted(Event):
    pass


@dataclass(frozen=True)
class CardRead(Event):
    beneficiaries: tuple[Beneficiary, ...] = field(repr=False)


@dataclass(frozen=True)
class CardReadFailed(Event):
    """``reason`` is a driver reason code (``not_vitale``, ``vitale1``, ``unreadable``...)."""

    reason: str


@dataclass(frozen=True)
class CardRemoved(Event):
    pass


@dataclass(frozen=True)
class BookingCodeRequested(Event):
    """No card, or the card failed: the patient will type the booking code of the SMS."""


@dataclass(frozen=True)
class ContinueWithoutCard(Event):
    """The portal accepted the typed ``booking_code`` (or, with ``""``, the cabin takes the
    patient as a walk-in without a card): on to consent."""

    booking_code: str = field(default="", repr=False)


@dataclass(frozen=True)
class BeneficiaryChosen(Event):
    rank: int


@dataclass(frozen=True)
class ConsentGiven(Event):
    pass


@dataclass(frozen=True)
class ConsentRefused(Event):
    pass


@dataclass(frozen=True)
class DoctorJoined(Event):
    pass


@dataclass(frozen=True)
class MeasurementRequested(Event):
    kind: ReadingKind
    device_id: str = ""


@dataclass(frozen=True)
class ReadingReceived(Event):
    reading: Reading = field(repr=False)


@dataclass(frozen=True)
class MeasurementCancelled(Event):
    pass


@dataclass(frozen=True)
class MeasurementGivenUp(Event):
    """On the "instrument unplugged" fault screen of a consultation, the patient goes back
    to the doctor without this measurement (what that screen's time limit does by itself)."""


@dataclass(frozen=True)
class DocumentReceived(Event):
    document: Document = field(repr=False)


@dataclass(frozen=True)
class CallEnded(Event):
    pass


@dataclass(frozen=True)
class PrintingDone(Event):
    pass


@dataclass(frozen=True)
class Fault(Event):
    """``resumable=False``: what was interrupted cannot come back (a call given up): the
    fault screen can only end the session."""

    kind: FaultKind
    detail: str = ""
    resumable: bool = True


@dataclass(frozen=True)
class FaultCleared(Event):
    pass


@dataclass(frozen=True)
class EndSession(Event):
    """The patient (or the doctor) ends the session now."""


@dataclass(frozen=True)
class CleaningConfirmed(Event):
    pass


@dataclass(frozen=True)
class ExtendTime(Event):
    """The patient asks for more time on the current screen."""


@dataclass(frozen=True)
class CallStaff(Event):
    pass


@dataclass(frozen=True)
class LanguageChosen(Event):
    language: str


# --- session data -------------------------------------------------------------------------


class SessionData:
    """Everything patient-related of one session; :meth:`wipe` drops it all."""

    __slots__ = (
        "__weakref__",
        "beneficiaries",
        "booking_code",
        "chosen",
        "consent_time",
        "consulted",
        "documents",
        "readings",
        "session_id",
        "started_at",
        "without_card",
    )

    def __init__(self, session_id: str, started_at: datetime) -> None:
        self.session_id = session_id
        self.started_at = started_at
        self.beneficiaries: list[Beneficiary] = []
        #: The patient checked in without a card: with this booking code, or as a walk-in.
        self.without_card = False
        self.booking_code = ""
        self.chosen: Beneficiary | None = None
        self.consent_time: datetime | None = None
        self.readings: list[Reading] = []
        self.documents: list[Document] = []
        #: A doctor saw the patient (the goodbye says "the consultation is over" then only).
        self.consulted = False

    def __repr__(self) -> str:
        return f"SessionData({self.session_id}, <hidden>)"

    def sensitive_strings(self) -> set[str]:
        found: set[str] = set()
        for b in self.beneficiaries:
            found.update(b.sensitive_strings)
        if self.booking_code:
            found.add(self.booking_code)
        return found

    def wipe(self) -> None:
        self.beneficiaries.clear()
        self.booking_code = ""
        self.without_card = False
        self.chosen = None
        self.consent_time = None
        self.readings.clear()
        self.documents.clear()
        self.consulted = False

    @property
    def empty(self) -> bool:
        return not (
            self.beneficiaries
            or self.booking_code
            or self.without_card
            or self.chosen
            or self.consent_time
            or self.readings
            or self.documents
            or self.consulted
        )


class Notice(StrEnum):
    """What a listener is told about; it reads the rest from the session."""

    TRANSITION = "transition"
    READING = "reading"
    DOCUMENT = "document"
    WARNING = "warning"  # the current screen's time limit is near
    EXTENDED = "extended"
    STAFF_CALLED = "staff_called"
    LANGUAGE = "language"
    MEASUREMENT_REQUESTED = "measurement_requested"


@dataclass(frozen=True)
class Update:
    notice: Notice
    state: State
    previous: State | None = None
    session_id: str = ""


Listener = Callable[[Update], None]
WipeHook = Callable[[str], None]


class Session:
    """The patient session machine.

    ``send(event)`` applies one event and returns the new state, or raises
    :class:`IllegalEventError`. ``tick()`` applies the time limits of the current state.
    ``wipe_hooks`` run at ``wiping`` with the session id (spool, printer jobs, call).
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
        self.timeouts = timeouts or TimeoutsConfig()
        self.clock = clock or SystemClock()
        self.require_cleaning = require_cleaning
        self.default_language = default_language
        self.language = default_language
        self._wipe_hooks = list(wipe_hooks)
        self._listeners: list[Listener] = []
        self.state = State.IDLE
        self.data: SessionData | None = None
        self.fault_kind: FaultKind | None = None
        self.fault_detail = ""
        self._resume: State | None = None
        self.requested: MeasurementRequested | None = None
        self.deadline: float | None = None
        self.extensions_used = 0
        self._warned = False
        self.sessions_started = 0
        self._log_id = "-"
        self._handlers: dict[type[Event], Callable[[Any], None]] = {
            CardInserted: self._on_card_inserted,
            CardRead: self._on_card_read,
            CardReadFailed: self._on_card_read_failed,
            CardRemoved: self._on_card_removed,
            BookingCodeRequested: self._on_booking_code_requested,
            ContinueWithoutCard: self._on_continue_without_card,
            BeneficiaryChosen: self._on_beneficiary_chosen,
            ConsentGiven: self._on_consent_given,
            ConsentRefused: self._on_consent_refused,
            DoctorJoined: self._on_doctor_joined,
            MeasurementRequested: self._on_measurement_requested,
            ReadingReceived: self._on_reading_received,
            MeasurementCancelled: self._on_measurement_cancelled,
            MeasurementGivenUp: self._on_measurement_given_up,
            DocumentReceived: self._on_document_received,
            CallEnded: self._on_call_ended,
            PrintingDone: self._on_printing_done,
            Fault: self._on_fault,
            FaultCleared: self._on_fault_cleared,
            EndSession: self._on_end_session,
            CleaningConfirmed: self._on_cleaning_confirmed,
            ExtendTime: self._on_extend_time,
            CallStaff: self._on_call_staff,
            LanguageChosen: self._on_language_chosen,
        }

    # -- observers -----------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def add_wipe_hook(self, hook: WipeHook) -> None:
        self._wipe_hooks.append(hook)

    @property
    def session_id(self) -> str:
        return self.data.session_id if self.data else ""

    @property
    def resumable(self) -> bool:
        """On the fault screen: whether what was interrupted can come back."""
        return self._resume is not None

    @property
    def waits_for_instrument(self) -> bool:
        """On the fault screen of an instrument unplugged during a consultation: the call
        goes on without the measurement (:class:`MeasurementGivenUp`, or the time limit)."""
        return (
            self.state is State.FAULT
            and self.fault_kind is FaultKind.INSTRUMENT_UNPLUGGED
            and self._resume in (State.IN_CALL, State.MEASURING)
        )

    @property
    def log_id(self) -> str:
        """The id to put on log lines: the session's, or ``-`` between sessions."""
        return self._log_id

    def _notify(self, notice: Notice, previous: State | None = None) -> None:
        update = Update(notice, self.state, previous, self._log_id)
        for listener in list(self._listeners):
            listener(update)

    # -- time limits ---------------------------------------------------------------------

    def _limit_for(self, state: State) -> float:
        return float(getattr(self.timeouts, state.value, 0.0) or 0.0)

    def time_left(self) -> float | None:
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - self.clock.monotonic())

    @property
    def can_extend(self) -> bool:
        return self.deadline is not None and self.extensions_used < self.timeouts.max_extensions

    def tick(self) -> State:
        """Apply the current state's time limit: warn once when near, act when past."""
        left = self.time_left()
        if left is None:
            return self.state
        if left <= 0:
            self._timeout()
        elif left <= self.timeouts.warning and not self._warned:
            self._warned = True
            self._notify(Notice.WARNING)
        return self.state

    def _timeout(self) -> None:
        state = self.state
        sid = self._log_id
        log.info("session %s: time limit of %s reached", sid, state)
        if state is State.READING_CARD:
            self._enter_fault(FaultKind.CARD_UNREADABLE, "timeout", resume=None)
        elif state in (
            State.BOOKING_CODE,
            State.CONFIRM_IDENTITY,
            State.CONSENT,
            State.WAITING_ROOM,
        ):
            self._go(State.GOODBYE)
        elif state is State.IN_CALL:
            self._end_call()
        elif state is State.MEASURING:
            self.requested = None
            self._go(State.IN_CALL)
        elif state is State.PRINTING:
            self._enter_fault(FaultKind.PRINTER_PROBLEM, "timeout", resume=None)
        elif self.waits_for_instrument:
            # An instrument that does not come back must not end a consultation the doctor
            # is still in: the measurement is given up, the call goes on.
            self.requested = None
            self._go(State.IN_CALL)
        else:  # GOODBYE, FAULT
            self._go(State.WIPING)

    # -- events --------------------------------------------------------------------------

    def send(self, event: Event) -> State:
        """Apply ``event``; returns the new state or raises :class:`IllegalEventError`."""
        handler = self._handlers[type(event)]
        handler(event)
        return self.state

    def _illegal(self, event: Event) -> None:
        raise IllegalEventError(self.state, event.name)

    def _begin(self) -> None:
        self.sessions_started += 1
        self.data = SessionData(secrets.token_hex(4), self.clock.now())
        self._log_id = self.data.session_id

    def _on_card_inserted(self, event: CardInserted) -> None:
        if self.state is State.IDLE:
            self._begin()
            self._go(State.READING_CARD)
        elif self.state is State.BOOKING_CODE or (
            self.state is State.FAULT and self.fault_kind in CARD_FAULTS
        ):
            self._go(State.READING_CARD)
        else:
            self._illegal(event)

    def _on_booking_code_requested(self, event: BookingCodeRequested) -> None:
        if self.state is State.IDLE:
            self._begin()
            self._go(State.BOOKING_CODE)
        elif self.state is State.FAULT and self.fault_kind in CARD_FAULTS:
            self._go(State.BOOKING_CODE)
        else:
            self._illegal(event)

    def _on_continue_without_card(self, event: ContinueWithoutCard) -> None:
        if self.state is not State.BOOKING_CODE:
            self._illegal(event)
        assert self.data is not None
        self.data.beneficiaries.clear()
        self.data.chosen = None
        self.data.without_card = True
        self.data.booking_code = event.booking_code
        log.info("session %s: checked in without a card", self._log_id)
        self._go(State.CONSENT)

    def _on_card_read(self, event: CardRead) -> None:
        if self.state is not State.READING_CARD:
            self._illegal(event)
        assert self.data is not None
        if not event.beneficiaries:
            self._enter_fault(FaultKind.CARD_UNREADABLE, "no_beneficiary", resume=None)
            return
        self.data.beneficiaries = list(event.beneficiaries)
        self.data.chosen = None
        self._go(State.CONFIRM_IDENTITY)

    def _on_card_read_failed(self, event: CardReadFailed) -> None:
        if self.state is not State.READING_CARD:
            self._illegal(event)
        self._enter_fault(FaultKind.CARD_UNREADABLE, event.reason, resume=None)

    def _on_card_removed(self, event: CardRemoved) -> None:
        if self.state in NEEDS_CARD and not (self.data and self.data.without_card):
            self._enter_fault(FaultKind.CARD_PULLED, "", resume=None)
        elif self.state is State.GOODBYE:
            self._go(State.WIPING)
        # Elsewhere (or in a session without a card) the card is no longer needed: the
        # consultation goes on.

    def _on_beneficiary_chosen(self, event: BeneficiaryChosen) -> None:
        if self.state is not State.CONFIRM_IDENTITY:
            self._illegal(event)
        assert self.data is not None
        for b in self.data.beneficiaries:
            if b.rank == event.rank:
                self.data.chosen = b
                self._go(State.CONSENT)
                return
        raise SessionError(f"no beneficiary of rank {event.rank} on this card")

    def _on_consent_given(self, event: ConsentGiven) -> None:
        if self.state is not State.CONSENT:
            self._illegal(event)
        assert self.data is not None
        self.data.consent_time = self.clock.now()
        log.info("session %s: consent given", self._log_id)
        self._go(State.WAITING_ROOM)

    def _on_consent_refused(self, event: ConsentRefused) -> None:
        if self.state is not State.CONSENT:
            self._illegal(event)
        log.info("session %s: consent refused", self._log_id)
        self._go(State.GOODBYE)

    def _on_doctor_joined(self, event: DoctorJoined) -> None:
        if self.state is not State.WAITING_ROOM:
            self._illegal(event)
        assert self.data is not None
        self.data.consulted = True
        self._go(State.IN_CALL)

    def _on_measurement_requested(self, event: MeasurementRequested) -> None:
        if self.state is not State.IN_CALL:
            self._illegal(event)
        self.requested = event
        self._go(State.MEASURING)
        self._notify(Notice.MEASUREMENT_REQUESTED)

    def _on_reading_received(self, event: ReadingReceived) -> None:
        if self.state not in (State.IN_CALL, State.MEASURING):
            self._illegal(event)
        assert self.data is not None
        if not event.reading.intermediate:
            self.data.readings.append(event.reading)
        self._notify(Notice.READING)
        if (
            self.state is State.MEASURING
            and not event.reading.intermediate
            and self.requested is not None
            and event.reading.kind == self.requested.kind
        ):
            self.requested = None
            self._go(State.IN_CALL)

    def _on_measurement_cancelled(self, event: MeasurementCancelled) -> None:
        if self.state is not State.MEASURING:
            self._illegal(event)
        self.requested = None
        self._go(State.IN_CALL)

    def _on_measurement_given_up(self, event: MeasurementGivenUp) -> None:
        if not self.waits_for_instrument:
            self._illegal(event)
        log.info("session %s: measurement given up on the fault screen", self._log_id)
        self.requested = None
        self._go(State.IN_CALL)

    def _on_document_received(self, event: DocumentReceived) -> None:
        if self.state not in (State.IN_CALL, State.MEASURING):
            self._illegal(event)
        assert self.data is not None
        self.data.documents.append(event.document)
        self._notify(Notice.DOCUMENT)

    def _on_call_ended(self, event: CallEnded) -> None:
        if self.state is State.FAULT and self._resume in (State.IN_CALL, State.MEASURING):
            # The doctor hung up while the fault screen showed (an instrument unplugged):
            # there is no call to go back to; "End" prints the papers and says goodbye.
            log.info("session %s: the call ended during a fault", self._log_id)
            self._resume = None
            self.requested = None
            self._notify(Notice.TRANSITION, State.FAULT)
            return
        if self.state not in (State.IN_CALL, State.MEASURING):
            self._illegal(event)
        self._end_call()

    def _leave_fault(self) -> None:
        """The patient pressed "End" on the fault screen: they are here, so the papers the
        session already holds (a prescription sent before the network went) print first. Not when
        the printer is the problem, nor the card (its holder may have gone with it); a fault
        screen left to time out wipes (nobody may be there to take them)."""
        papers = self.data is not None and bool(self.data.readings or self.data.documents)
        kind = self.fault_kind
        if papers and kind is not FaultKind.PRINTER_PROBLEM and kind not in CARD_FAULTS:
            self._go(State.PRINTING)
        else:
            self._go(State.WIPING)

    def _end_call(self) -> None:
        self.requested = None
        assert self.data is not None
        if self.data.readings or self.data.documents:
            self._go(State.PRINTING)
        else:
            self._go(State.GOODBYE)

    def _on_printing_done(self, event: PrintingDone) -> None:
        if self.state is not State.PRINTING:
            self._illegal(event)
        self._go(State.GOODBYE)

    def _on_fault(self, event: Fault) -> None:
        if self.state is State.FAULT:
            # A second problem replaces the first; the place to resume stays, unless the
            # new one cannot be resumed.
            self.fault_kind = event.kind
            self.fault_detail = event.detail
            if not event.resumable:
                self._resume = None
            self._notify(Notice.TRANSITION, State.FAULT)
            return
        if self.state not in ACTIVE:
            self._illegal(event)
        resume = None if event.kind in CARD_FAULTS or not event.resumable else self.state
        self._enter_fault(event.kind, event.detail, resume=resume)

    def _on_fault_cleared(self, event: FaultCleared) -> None:
        if self.state is not State.FAULT or self._resume is None:
            self._illegal(event)
        assert self._resume is not None
        target = self._resume
        self._go(target)

    def _on_end_session(self, event: EndSession) -> None:
        if self.state is State.FAULT:
            self._leave_fault()
        elif self.state in ACTIVE and self.state is not State.GOODBYE:
            self._go(State.GOODBYE)
        elif self.state is State.GOODBYE:
            self._go(State.WIPING)
        else:
            self._illegal(event)

    def _on_cleaning_confirmed(self, event: CleaningConfirmed) -> None:
        if self.state is not State.CLEANING:
            self._illegal(event)
        self._go(State.IDLE)

    def _on_extend_time(self, event: ExtendTime) -> None:
        if self.deadline is None:
            self._illegal(event)
        if not self.can_extend:
            raise NoMoreExtensionsError("no more time can be added on this screen")
        assert self.deadline is not None
        self.extensions_used += 1
        self.deadline += self.timeouts.extension
        self._warned = False
        log.info("session %s: time extended on %s", self._log_id, self.state)
        self._notify(Notice.EXTENDED)

    def _on_call_staff(self, event: CallStaff) -> None:
        log.info("session %s: staff called from %s", self._log_id, self.state)
        self._notify(Notice.STAFF_CALLED)

    def _on_language_chosen(self, event: LanguageChosen) -> None:
        self.language = event.language
        self._notify(Notice.LANGUAGE)

    # -- transitions ---------------------------------------------------------------------

    def _enter_fault(self, kind: FaultKind, detail: str, *, resume: State | None) -> None:
        self.fault_kind = kind
        self.fault_detail = detail
        self._resume = resume
        log.warning("session %s: fault %s in %s", self._log_id, kind, self.state)
        self._go(State.FAULT)

    def _go(self, new: State) -> None:
        old = self.state
        self.state = new
        if new is not State.FAULT:
            self.fault_kind = None
            self.fault_detail = ""
            self._resume = None
        limit = self._limit_for(new)
        self.deadline = self.clock.monotonic() + limit if limit > 0 else None
        self.extensions_used = 0
        self._warned = False
        log.info("session %s: %s -> %s", self._log_id, old, new)
        if new is State.IDLE:
            # The next patient starts in the cabin's language: set before anyone is told.
            self.language = self.default_language
            self._log_id = "-"
        self._notify(Notice.TRANSITION, old)
        if new is State.WIPING:
            self._wipe()
            self._go(State.CLEANING if self.require_cleaning else State.IDLE)

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


def send_quietly(session: Session, event: Event) -> bool:
    """Send ``event``; a state that does not accept it (a race, a double click) is logged."""
    try:
        session.send(event)
    except SessionError as exc:
        log.info("session %s: %s dropped: %s", session.log_id, event.name, exc)
        return False
    return True
