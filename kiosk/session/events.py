"""The words of the patient session: the events a screen, a driver or the call sends it, the
kinds of fault that interrupt it, and the notices it gives its listeners; no logic here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, dataclass_transform

from kiosk.domain import Beneficiary, Document, Reading, ReadingKind
from kiosk.nurse import Nurse
from kiosk.states import State


class FaultKind(StrEnum):
    CARD_PULLED = "card_pulled"
    CARD_UNREADABLE = "card_unreadable"
    NETWORK_LOST = "network_lost"
    INSTRUMENT_UNPLUGGED = "instrument_unplugged"
    PRINTER_PROBLEM = "printer_problem"


CARD_FAULTS = frozenset({FaultKind.CARD_PULLED, FaultKind.CARD_UNREADABLE})


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
@dataclass(frozen=True)
class Event:
    """What happened; every subclass is a frozen dataclass without being decorated."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dataclass(frozen=True)(cls)

    @property
    def name(self) -> str:
        return type(self).__name__


# -- the card and the booking code ----------------------------------------------------------


class CardInserted(Event):
    """A card is in the reader."""


class CardRead(Event):
    beneficiaries: tuple[Beneficiary, ...] = field(repr=False)


class CardReadFailed(Event):
    """``reason`` is a driver reason code (``not_vitale``, ``vitale1``, ``unreadable``...)."""

    reason: str


class CardRemoved(Event):
    """The card left the reader."""


class BookingCodeRequested(Event):
    """No card, or the card failed: the patient will type the booking code of the SMS."""


class ContinueWithoutCard(Event):
    """The portal accepted the typed ``booking_code`` (or, with ``""``, the cabin takes the
    patient as a walk-in without a card): on to consent."""

    booking_code: str = field(default="", repr=False)


class BeneficiaryChosen(Event):
    rank: int


class ConsentGiven(Event):
    """The patient agreed to the teleconsultation (the time is kept)."""


class ConsentRefused(Event):
    """The patient declined: the session says goodbye."""


# -- the consultation -----------------------------------------------------------------------


class DoctorJoined(Event):
    """A doctor took the patient from the waiting room."""


class MeasurementRequested(Event):
    kind: ReadingKind
    device_id: str = ""


class ReadingReceived(Event):
    reading: Reading = field(repr=False)


class MeasurementCancelled(Event):
    """The doctor (or the patient) stopped the measurement under way."""


class MeasurementGivenUp(Event):
    """On the "instrument unplugged" fault screen of a consultation, the patient goes back
    to the doctor without this measurement (what that screen's time limit does by itself)."""


class DocumentReceived(Event):
    document: Document = field(repr=False)


class ChatReceived(Event):
    """A message the doctor wrote, shown large on the call screen (health data: its text
    is never in a repr, hence never in a log)."""

    msg_id: str
    text: str = field(repr=False)


class ChatAnswered(Event):
    """The patient pressed a preset answer to the doctor's message (``protocol.CHAT_ANSWERS``)."""

    answer: str


class MicrophoneMuted(Event):
    """The patient muted (``muted``) or unmuted their microphone on the call screen."""

    muted: bool


class CallEnded(Event):
    """The doctor hung up, or the call could not go on."""


class PatientEndedCall(Event):
    """The patient ended the consultation (confirmed on the call screen): the call hangs up
    and the papers the session holds print, as when the doctor hangs up."""


class PrintingDone(Event):
    """The papers of the session are out of the printer."""


# -- faults, the end, and what any screen may send --------------------------------------------


class Fault(Event):
    """``resumable=False``: what was interrupted cannot come back (a call given up): the
    fault screen can only end the session."""

    kind: FaultKind
    detail: str = ""
    resumable: bool = True


class FaultCleared(Event):
    """The problem went away: back to where the fault interrupted."""


class EndSession(Event):
    """The patient (or the doctor) ends the session now."""


class CleaningConfirmed(Event):
    """The staff cleaned the cabin after the patient: it is ready for the next one."""


class ExtendTime(Event):
    """The patient asks for more time on the current screen."""


class CallStaff(Event):
    """The patient pressed "call staff"."""


class LanguageChosen(Event):
    language: str


# -- the nurse of a mallette ------------------------------------------------------------------


class NurseDeskOpened(Event):
    """A mallette is between patients: its desk shows (sign-in, or the next patient)."""


class NurseSignedIn(Event):
    nurse: Nurse = field(repr=False)


class NurseSignedOut(Event):
    """``reason``: ``nurse`` (the nurse's button) or ``end_of_day``."""

    reason: str = "nurse"


class CarePlaceChosen(Event):
    """Where the next patients are seen (a :class:`~kiosk.nurse.CarePlace` value)."""

    place: str


class PatientTyped(Event):
    """No card: the nurse typed the patient's identity (checked by ``kiosk.nurse``)."""

    patient: Beneficiary = field(repr=False)
    sex: str = field(repr=False)


class ProfessionalCardInserted(Event):
    """The card just inserted is a CPS (told by its ATR): its data needs its PIN, unread."""


# -- what the session tells its listeners ----------------------------------------------------


class Notice(StrEnum):
    """What a listener is told about; it reads the rest from the session (a reading comes
    with its notice: :attr:`Update.reading`)."""

    TRANSITION = "transition"
    READING = "reading"
    DOCUMENT = "document"
    WARNING = "warning"  # the current screen's time limit is near
    EXTENDED = "extended"
    STAFF_CALLED = "staff_called"
    LANGUAGE = "language"
    MEASUREMENT_REQUESTED = "measurement_requested"
    CHAT = "chat"  # a line of the written exchange was added (``data.chat[-1]``)
    MICROPHONE = "microphone"  # the patient muted or unmuted (``data.muted``)


@dataclass(frozen=True)
class Update:
    notice: Notice
    state: State
    previous: State | None = None
    session_id: str = ""
    #: With :attr:`Notice.READING`: the reading received (kept, or an intermediate one
    #: shown live only).
    reading: Reading | None = field(default=None, repr=False)


Listener = Callable[[Update], None]
