"""The patient session machine: every transition, every refusal, every time limit, the wipe."""

from __future__ import annotations

import contextlib
import gc
import weakref

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.clock import ManualClock
from kiosk.config import TimeoutsConfig
from kiosk.domain import ReadingKind
from kiosk.errors import IllegalEventError, SessionError
from kiosk.session import (
    BeneficiaryChosen,
    BookingCodeRequested,
    CallEnded,
    CallStaff,
    CardInserted,
    CardRead,
    CardReadFailed,
    CardRemoved,
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
    MeasurementRequested,
    NoMoreExtensionsError,
    Notice,
    PrintingDone,
    ReadingReceived,
    Session,
    SessionData,
    State,
    Update,
    send_quietly,
)
from tests.core.helpers import beneficiary, document, reading

TIMEOUTS = TimeoutsConfig(
    reading_card=20,
    booking_code=90,
    confirm_identity=120,
    consent=180,
    waiting_room=1800,
    in_call=3600,
    measuring=300,
    printing=180,
    goodbye=60,
    fault=120,
    warning=20,
    extension=60,
    max_extensions=2,
)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def wiped() -> list[str]:
    return []


@pytest.fixture
def session(clock: ManualClock, wiped: list[str]) -> Session:
    return Session(timeouts=TIMEOUTS, clock=clock, wipe_hooks=(wiped.append,))


def to(session: Session, state: State) -> Session:
    """Drive a fresh session along the happy path up to ``state``."""
    path = [
        (State.READING_CARD, CardInserted()),
        (State.CONFIRM_IDENTITY, CardRead((beneficiary(0), beneficiary(1, first="Léo")))),
        (State.CONSENT, BeneficiaryChosen(1)),
        (State.WAITING_ROOM, ConsentGiven()),
        (State.IN_CALL, DoctorJoined()),
        (State.MEASURING, MeasurementRequested(ReadingKind.BLOOD_PRESSURE)),
    ]
    for target, event in path:
        if session.state is state:
            return session
        session.send(event)
        assert session.state is target
    assert session.state is state
    return session


def test_happy_path_through_printing_wiping_and_cleaning(session: Session, wiped: list[str]):
    seen: list[tuple[State | None, State]] = []
    session.subscribe(
        lambda u: seen.append((u.previous, u.state)) if u.notice is Notice.TRANSITION else None
    )
    to(session, State.MEASURING)
    sid = session.session_id
    assert len(sid) == 8
    assert session.log_id == sid
    session.send(ReadingReceived(reading(intermediate=True)))
    assert session.state is State.MEASURING  # cuff still inflating
    session.send(ReadingReceived(reading()))
    assert session.state is State.IN_CALL
    session.send(DocumentReceived(document()))
    assert session.data is not None
    assert len(session.data.readings) == 1
    assert len(session.data.documents) == 1
    assert session.data.chosen is not None and session.data.chosen.rank == 1
    assert session.data.consent_time is not None
    session.send(CallEnded())
    assert session.state is State.PRINTING
    session.send(PrintingDone())
    assert session.state is State.GOODBYE
    session.send(CardRemoved())
    assert session.state is State.CLEANING
    assert session.data is None
    assert wiped == [sid]
    assert (State.GOODBYE, State.WIPING) in seen
    assert (State.WIPING, State.CLEANING) in seen
    session.send(CleaningConfirmed())
    assert session.state is State.IDLE
    assert session.session_id == ""


def test_each_session_gets_a_new_id(clock: ManualClock):
    session = Session(timeouts=TIMEOUTS, clock=clock, require_cleaning=False)
    ids = set()
    for _ in range(3):
        session.send(CardInserted())
        ids.add(session.session_id)
        session.send(CardRemoved())  # card pulled while reading: fault
        session.send(EndSession())
        assert session.state is State.IDLE
    assert len(ids) == 3
    assert session.sessions_started == 3


def test_call_without_readings_or_documents_skips_printing(session: Session):
    to(session, State.IN_CALL)
    session.send(CallEnded())
    assert session.state is State.GOODBYE


def test_call_ended_while_measuring(session: Session):
    to(session, State.MEASURING)
    session.send(CallEnded())
    assert session.state is State.GOODBYE
    assert session.requested is None


def test_reading_of_another_kind_keeps_measuring(session: Session):
    to(session, State.MEASURING)
    session.send(ReadingReceived(reading(ReadingKind.WEIGHT)))
    assert session.state is State.MEASURING


def test_reading_during_call_is_kept(session: Session):
    to(session, State.IN_CALL)
    session.send(ReadingReceived(reading()))
    assert session.state is State.IN_CALL
    assert session.data is not None and len(session.data.readings) == 1


def test_measurement_cancelled(session: Session):
    to(session, State.MEASURING)
    session.send(MeasurementCancelled())
    assert session.state is State.IN_CALL
    assert session.requested is None


def test_measurement_request_is_announced(session: Session):
    notices: list[Update] = []
    session.subscribe(notices.append)
    to(session, State.MEASURING)
    assert notices[-1].notice is Notice.MEASUREMENT_REQUESTED
    assert session.requested == MeasurementRequested(ReadingKind.BLOOD_PRESSURE)


def test_document_while_measuring(session: Session):
    to(session, State.MEASURING)
    session.send(DocumentReceived(document()))
    assert session.state is State.MEASURING


def test_consent_refused_ends_through_goodbye(session: Session, wiped: list[str]):
    to(session, State.CONSENT)
    session.send(ConsentRefused())
    assert session.state is State.GOODBYE
    session.send(EndSession())
    assert session.state is State.CLEANING
    assert len(wiped) == 1


def test_empty_card_is_a_fault(session: Session):
    session.send(CardInserted())
    session.send(CardRead(()))
    assert session.state is State.FAULT
    assert session.fault_kind is FaultKind.CARD_UNREADABLE
    assert session.fault_detail == "no_beneficiary"


def test_card_read_failure_then_new_card(session: Session):
    session.send(CardInserted())
    session.send(CardReadFailed("not_vitale"))
    assert session.state is State.FAULT
    assert session.fault_kind is FaultKind.CARD_UNREADABLE
    assert session.fault_detail == "not_vitale"
    with pytest.raises(IllegalEventError):
        session.send(FaultCleared())  # a card fault resumes only with a card
    session.send(CardInserted())
    assert session.state is State.READING_CARD


@pytest.mark.parametrize("state", [State.READING_CARD, State.CONFIRM_IDENTITY, State.CONSENT])
def test_card_pulled_before_the_call_is_a_fault(session: Session, state: State):
    to(session, state)
    session.send(CardRemoved())
    assert session.state is State.FAULT
    assert session.fault_kind is FaultKind.CARD_PULLED


@pytest.mark.parametrize("state", [State.WAITING_ROOM, State.IN_CALL, State.MEASURING])
def test_card_pulled_during_the_consultation_changes_nothing(session: Session, state: State):
    to(session, state)
    session.send(CardRemoved())
    assert session.state is state


def test_card_removed_when_idle_or_cleaning_is_ignored(session: Session):
    session.send(CardRemoved())
    assert session.state is State.IDLE


def test_unknown_beneficiary_rank_is_refused(session: Session):
    to(session, State.CONFIRM_IDENTITY)
    with pytest.raises(SessionError, match="rank 7"):
        session.send(BeneficiaryChosen(7))
    assert session.state is State.CONFIRM_IDENTITY


@pytest.mark.parametrize("kind", [FaultKind.NETWORK_LOST, FaultKind.INSTRUMENT_UNPLUGGED])
def test_fault_then_resume(session: Session, kind: FaultKind):
    to(session, State.IN_CALL)
    session.send(Fault(kind, "link"))
    assert session.state is State.FAULT
    assert session.fault_kind is kind
    session.send(FaultCleared())
    assert session.state is State.IN_CALL
    assert session.fault_kind is None


def test_second_fault_replaces_the_first_and_keeps_resume(session: Session):
    to(session, State.WAITING_ROOM)
    session.send(Fault(FaultKind.NETWORK_LOST))
    session.send(Fault(FaultKind.PRINTER_PROBLEM, "paper_out"))
    assert session.fault_kind is FaultKind.PRINTER_PROBLEM
    assert session.fault_detail == "paper_out"
    session.send(FaultCleared())
    assert session.state is State.WAITING_ROOM


def test_call_given_up_cannot_be_resumed(session: Session, wiped: list[str]):
    to(session, State.IN_CALL)
    session.send(Fault(FaultKind.NETWORK_LOST, "call_lost", resumable=False))
    assert session.state is State.FAULT
    assert session.fault_detail == "call_lost"
    with pytest.raises(IllegalEventError):
        session.send(FaultCleared())
    session.send(EndSession())
    assert session.state is State.CLEANING
    assert len(wiped) == 1


def test_unresumable_second_fault_drops_the_resume(session: Session):
    to(session, State.IN_CALL)
    session.send(Fault(FaultKind.NETWORK_LOST, "link"))
    session.send(Fault(FaultKind.NETWORK_LOST, "call_lost", resumable=False))
    with pytest.raises(IllegalEventError):
        session.send(FaultCleared())


def test_card_fault_from_outside_has_no_resume(session: Session):
    to(session, State.IN_CALL)
    session.send(Fault(FaultKind.CARD_PULLED))
    with pytest.raises(IllegalEventError):
        session.send(FaultCleared())


@pytest.mark.parametrize(
    ("kind", "after"),
    [
        (FaultKind.NETWORK_LOST, State.PRINTING),
        (FaultKind.INSTRUMENT_UNPLUGGED, State.PRINTING),
        (FaultKind.PRINTER_PROBLEM, State.CLEANING),  # the printer is the problem
        (FaultKind.CARD_PULLED, State.CLEANING),  # its holder may have gone with the card
    ],
)
def test_end_on_the_fault_screen_prints_the_papers_first(
    session: Session, wiped: list[str], kind: FaultKind, after: State
):
    """A prescription came before the network went: "End" pressed on the fault screen
    prints it (and the readings) before the goodbye, unless the printer or the card is
    the problem."""
    to(session, State.IN_CALL)
    session.send(DocumentReceived(document()))
    session.send(Fault(kind, resumable=False))
    session.send(EndSession())
    assert session.state is after
    assert len(wiped) == (0 if after is State.PRINTING else 1)
    if after is State.PRINTING:
        session.send(PrintingDone())
        assert session.state is State.GOODBYE


def test_a_fault_screen_left_to_time_out_wipes_the_papers(
    session: Session, clock: ManualClock, wiped: list[str]
):
    """Nobody pressed anything: nobody may be there to take the papers."""
    to(session, State.IN_CALL)
    session.send(ReadingReceived(reading()))
    session.send(Fault(FaultKind.NETWORK_LOST, resumable=False))
    clock.advance(session.timeouts.fault + 1)
    session.tick()
    assert session.state is State.CLEANING and len(wiped) == 1


def test_an_instrument_that_stays_unplugged_does_not_end_the_consultation(
    session: Session, clock: ManualClock, wiped: list[str]
):
    """The scale is unplugged mid-measurement and nobody plugs it back: when the fault
    screen's time runs out, the measurement is given up and the call goes on."""
    to(session, State.IN_CALL)
    session.send(MeasurementRequested(ReadingKind.WEIGHT))
    session.send(Fault(FaultKind.INSTRUMENT_UNPLUGGED, "scale"))
    clock.advance(session.timeouts.fault + 1)
    session.tick()
    assert session.state is State.IN_CALL and session.requested is None and not wiped
    # a network fault left to time out still ends the session: nothing to go back to
    session.send(Fault(FaultKind.NETWORK_LOST, "link"))
    clock.advance(session.timeouts.fault + 1)
    session.tick()
    assert session.state is State.CLEANING and len(wiped) == 1


def test_a_hangup_during_a_fault_leaves_no_call_to_go_back_to(session: Session):
    """The doctor hangs up while the fault screen shows: the replugged instrument cannot
    bring the patient back into a call with nobody; "End" prints and says goodbye."""
    to(session, State.IN_CALL)
    session.send(ReadingReceived(reading()))
    session.send(MeasurementRequested(ReadingKind.WEIGHT))
    session.send(Fault(FaultKind.INSTRUMENT_UNPLUGGED, "scale"))
    session.send(CallEnded())
    assert session.state is State.FAULT and session.requested is None
    with pytest.raises(IllegalEventError):
        session.send(FaultCleared())  # the scale is back: nothing to resume
    session.send(EndSession())
    assert session.state is State.PRINTING


def test_a_hangup_during_a_fault_outside_a_call_is_refused(session: Session):
    to(session, State.WAITING_ROOM)
    session.send(Fault(FaultKind.NETWORK_LOST, "link"))
    with pytest.raises(IllegalEventError):
        session.send(CallEnded())


def test_end_session_from_fault_wipes(session: Session, wiped: list[str]):
    to(session, State.IN_CALL)
    session.send(Fault(FaultKind.NETWORK_LOST))
    session.send(EndSession())
    assert session.state is State.CLEANING
    assert len(wiped) == 1


@pytest.mark.parametrize(
    "state",
    [State.READING_CARD, State.CONFIRM_IDENTITY, State.CONSENT, State.WAITING_ROOM, State.IN_CALL],
)
def test_end_session_goes_through_goodbye(session: Session, state: State):
    to(session, state)
    session.send(EndSession())
    assert session.state is State.GOODBYE


@pytest.mark.parametrize(
    ("event", "state"),
    [
        (CardRead(()), State.IDLE),
        (CardReadFailed("x"), State.IDLE),
        (BeneficiaryChosen(0), State.IDLE),
        (ConsentGiven(), State.IDLE),
        (ConsentRefused(), State.IDLE),
        (DoctorJoined(), State.IDLE),
        (MeasurementRequested(ReadingKind.WEIGHT), State.IDLE),
        (ReadingReceived(reading()), State.IDLE),
        (MeasurementCancelled(), State.IN_CALL),
        (DocumentReceived(document()), State.WAITING_ROOM),
        (CallEnded(), State.WAITING_ROOM),
        (PrintingDone(), State.IN_CALL),
        (Fault(FaultKind.NETWORK_LOST), State.IDLE),
        (FaultCleared(), State.IN_CALL),
        (EndSession(), State.IDLE),
        (CleaningConfirmed(), State.IDLE),
        (ExtendTime(), State.IDLE),
        (CardInserted(), State.CONSENT),
    ],
)
def test_illegal_events_raise_and_change_nothing(session: Session, event, state: State):
    to(session, state)
    before = session.state
    with pytest.raises(IllegalEventError) as info:
        session.send(event)
    assert info.value.state == before
    assert info.value.event == event.name
    assert session.state is before


def test_time_limit_warns_once_then_extends(session: Session, clock: ManualClock):
    notices: list[Notice] = []
    session.subscribe(lambda u: notices.append(u.notice))
    to(session, State.CONSENT)
    clock.advance(150)
    session.tick()
    assert notices.count(Notice.WARNING) == 0
    clock.advance(15)  # 15 s left
    session.tick()
    session.tick()
    assert notices.count(Notice.WARNING) == 1
    assert session.time_left() == pytest.approx(15)
    session.send(ExtendTime())
    assert session.time_left() == pytest.approx(75)
    assert Notice.EXTENDED in notices
    session.send(ExtendTime())
    assert not session.can_extend
    with pytest.raises(NoMoreExtensionsError):
        session.send(ExtendTime())
    clock.advance(135)
    session.tick()
    assert session.state is State.GOODBYE


def test_extensions_reset_on_a_new_screen(session: Session):
    to(session, State.CONFIRM_IDENTITY)
    session.send(ExtendTime())
    session.send(ExtendTime())
    session.send(BeneficiaryChosen(0))
    assert session.can_extend


def test_no_time_limit_when_idle(session: Session):
    assert session.time_left() is None
    assert session.tick() is State.IDLE


@pytest.mark.parametrize(
    ("state", "after", "fault"),
    [
        (State.READING_CARD, State.FAULT, FaultKind.CARD_UNREADABLE),
        (State.BOOKING_CODE, State.GOODBYE, None),
        (State.CONFIRM_IDENTITY, State.GOODBYE, None),
        (State.CONSENT, State.GOODBYE, None),
        (State.WAITING_ROOM, State.GOODBYE, None),
        (State.IN_CALL, State.GOODBYE, None),
        (State.MEASURING, State.IN_CALL, None),
    ],
)
def test_time_limits(session: Session, clock: ManualClock, state, after, fault):
    if state is State.BOOKING_CODE:
        session.send(BookingCodeRequested())
    to(session, state)
    clock.advance(10_000)
    assert session.tick() is after
    assert session.fault_kind is fault


def test_printing_time_limit_is_a_printer_fault_then_wipe(
    session: Session, clock: ManualClock, wiped: list[str]
):
    to(session, State.IN_CALL)
    session.send(ReadingReceived(reading()))
    session.send(CallEnded())
    assert session.state is State.PRINTING
    clock.advance(181)
    session.tick()
    assert session.state is State.FAULT
    assert session.fault_kind is FaultKind.PRINTER_PROBLEM
    clock.advance(121)
    session.tick()
    assert session.state is State.CLEANING
    assert len(wiped) == 1


def test_goodbye_time_limit_wipes(session: Session, clock: ManualClock, wiped: list[str]):
    to(session, State.IN_CALL)
    session.send(CallEnded())
    clock.advance(61)
    session.tick()
    assert session.state is State.CLEANING
    assert len(wiped) == 1


def test_zero_means_no_limit(clock: ManualClock):
    session = Session(timeouts=TimeoutsConfig(waiting_room=0), clock=clock)
    to(session, State.WAITING_ROOM)
    assert session.deadline is None


def test_staff_and_language_in_any_state(session: Session):
    notices: list[Notice] = []
    session.subscribe(lambda u: notices.append(u.notice))
    session.send(CallStaff())
    session.send(LanguageChosen("ar"))
    assert session.language == "ar"
    to(session, State.CONSENT)
    session.send(CallStaff())
    assert notices.count(Notice.STAFF_CALLED) == 2
    session.send(EndSession())
    session.send(EndSession())
    session.send(CleaningConfirmed())
    assert session.language == "fr"  # back to the cabin's language for the next patient


def test_unsubscribe(session: Session):
    notices: list[Update] = []
    unsubscribe = session.subscribe(notices.append)
    unsubscribe()
    session.send(CardInserted())
    assert notices == []


def test_add_wipe_hook(session: Session):
    later: list[str] = []
    session.add_wipe_hook(later.append)
    to(session, State.CONSENT)
    session.send(ConsentRefused())
    session.send(EndSession())
    assert len(later) == 1


def test_failing_wipe_hook_does_not_keep_data(clock: ManualClock, caplog):
    def broken(session_id: str) -> None:
        raise OSError("disk says no to Quérémadec")

    session = Session(timeouts=TIMEOUTS, clock=clock, wipe_hooks=(broken,))
    to(session, State.IN_CALL)
    data = session.data
    assert data is not None
    session.send(ReadingReceived(reading()))
    session.send(CallEnded())
    session.send(PrintingDone())
    session.send(EndSession())
    assert session.state is State.CLEANING
    assert data.empty
    assert "OSError" in caplog.text
    assert "Quérémadec" not in caplog.text


def test_wipe_leaves_nothing_reachable(clock: ManualClock, tmp_path):
    session = Session(timeouts=TIMEOUTS, clock=clock)
    to(session, State.IN_CALL)
    assert session.data is not None
    data_ref = weakref.ref(session.data)
    people = [weakref.ref(b) for b in session.data.beneficiaries]
    r = reading()
    reading_ref = weakref.ref(r)
    session.send(ReadingReceived(r))
    doc = document()
    doc_ref = weakref.ref(doc)
    session.send(DocumentReceived(doc))
    del r, doc
    session.send(CallEnded())
    session.send(PrintingDone())
    session.send(EndSession())
    gc.collect()
    assert data_ref() is None
    assert all(ref() is None for ref in people)
    assert reading_ref() is None
    assert doc_ref() is None


def test_session_data_repr_and_wipe():
    from datetime import UTC, datetime

    data = SessionData("abcd1234", datetime.now(UTC))
    data.beneficiaries.append(beneficiary())
    assert "Quérémadec" not in repr(data)
    assert "Quérémadec" in data.sensitive_strings()
    assert not data.empty
    data.wipe()
    assert data.empty


# -- random event sequences ---------------------------------------------------------------

EVENTS = st.sampled_from(
    [
        CardInserted(),
        CardRead((beneficiary(0), beneficiary(1))),
        CardRead(()),
        CardReadFailed("mute"),
        CardRemoved(),
        BookingCodeRequested(),
        ContinueWithoutCard("ACD346"),
        ContinueWithoutCard(),
        BeneficiaryChosen(0),
        BeneficiaryChosen(5),
        ConsentGiven(),
        ConsentRefused(),
        DoctorJoined(),
        MeasurementRequested(ReadingKind.BLOOD_PRESSURE),
        ReadingReceived(reading()),
        ReadingReceived(reading(intermediate=True)),
        MeasurementCancelled(),
        DocumentReceived(document()),
        CallEnded(),
        PrintingDone(),
        Fault(FaultKind.NETWORK_LOST),
        Fault(FaultKind.CARD_PULLED),
        Fault(FaultKind.PRINTER_PROBLEM),
        FaultCleared(),
        EndSession(),
        CleaningConfirmed(),
        ExtendTime(),
        CallStaff(),
        LanguageChosen("es"),
    ]
)
STEPS = st.lists(st.one_of(EVENTS, st.floats(min_value=0, max_value=4000)), max_size=60)


# ~6 s on a quiet machine with coverage; a loaded CI machine once took over 120 s
@pytest.mark.timeout(400)
@settings(max_examples=300, deadline=None)
@given(steps=STEPS)
def test_random_sequences_never_crash_and_always_end_wiped(steps):
    clock = ManualClock()
    wiped: list[str] = []
    session = Session(timeouts=TIMEOUTS, clock=clock, wipe_hooks=(wiped.append,))
    datas: list[weakref.ref[SessionData]] = []
    transitions: list[tuple[State | None, State]] = []
    session.subscribe(
        lambda u: (
            transitions.append((u.previous, u.state)) if u.notice is Notice.TRANSITION else None
        )
    )
    for step in steps:
        if isinstance(step, float):
            clock.advance(step)
            session.tick()
        else:
            with contextlib.suppress(SessionError):
                session.send(step)
        if session.data is not None and all(r() is not session.data for r in datas):
            datas.append(weakref.ref(session.data))
        assert (session.state in (State.IDLE, State.CLEANING)) == (session.data is None)
    # Whatever happened, the patient (or the clock) can always bring the cabin back to idle.
    for _ in range(10):
        if session.state is State.IDLE:
            break
        if session.state is State.CLEANING:
            session.send(CleaningConfirmed())
        else:
            clock.advance(10_000)
            session.tick()
    assert session.state is State.IDLE
    assert session.data is None
    # Every session that started ended through wiping, and every wipe ran its hooks.
    entered_wiping = [t for t in transitions if t[1] is State.WIPING]
    assert len(entered_wiping) == session.sessions_started == len(wiped)
    for prev, new in transitions:
        if new is State.IDLE and prev is not None:
            assert prev in (State.WIPING, State.CLEANING)
    gc.collect()
    assert all(r() is None or r().empty for r in datas)


# -- without a card: the booking code ------------------------------------------------------


def test_booking_code_from_idle_starts_a_session_without_card(session: Session, wiped: list[str]):
    session.send(BookingCodeRequested())
    assert session.state is State.BOOKING_CODE
    assert session.session_id and session.sessions_started == 1
    session.send(ContinueWithoutCard("ACD346"))
    assert session.state is State.CONSENT
    assert session.data is not None
    assert session.data.without_card and session.data.booking_code == "ACD346"
    assert session.data.chosen is None
    assert "ACD346" in session.data.sensitive_strings()
    # No card to pull out: the consent screen stays.
    session.send(CardRemoved())
    assert session.state is State.CONSENT
    session.send(ConsentGiven())
    assert session.state is State.WAITING_ROOM
    session.send(EndSession())
    session.send(EndSession())
    assert session.state is State.CLEANING
    assert wiped == [wiped[0]] and wiped[0]


def test_walk_in_without_card_has_no_code(session: Session):
    session.send(BookingCodeRequested())
    session.send(ContinueWithoutCard())
    assert session.data is not None
    assert session.data.without_card and session.data.booking_code == ""
    assert not session.data.empty


def test_card_failed_then_booking_code_keeps_the_session(session: Session):
    session.send(CardInserted())
    sid = session.session_id
    session.send(CardReadFailed("unreadable"))
    assert session.state is State.FAULT
    session.send(BookingCodeRequested())
    assert session.state is State.BOOKING_CODE
    assert session.session_id == sid and session.sessions_started == 1
    # The failed card still in the reader is pulled out: nothing changes.
    session.send(CardRemoved())
    assert session.state is State.BOOKING_CODE


def test_card_inserted_while_typing_the_code_reads_it(session: Session):
    session.send(BookingCodeRequested())
    session.send(CardInserted())
    assert session.state is State.READING_CARD
    session.send(CardRead((beneficiary(0),)))
    assert session.state is State.CONFIRM_IDENTITY
    assert session.data is not None and not session.data.without_card


@pytest.mark.parametrize("state", [State.IN_CALL, State.WAITING_ROOM, State.GOODBYE])
def test_booking_code_refused_elsewhere(session: Session, state: State):
    to(session, state) if state is not State.GOODBYE else to(session, State.CONSENT)
    if state is State.GOODBYE:
        session.send(ConsentRefused())
    with pytest.raises(IllegalEventError):
        session.send(BookingCodeRequested())
    with pytest.raises(IllegalEventError):
        session.send(ContinueWithoutCard("ACD346"))


def test_booking_code_refused_after_a_network_fault(session: Session):
    to(session, State.WAITING_ROOM)
    session.send(Fault(FaultKind.NETWORK_LOST))
    with pytest.raises(IllegalEventError):
        session.send(BookingCodeRequested())


def test_fault_while_typing_the_code_resumes_there(session: Session):
    session.send(BookingCodeRequested())
    session.send(Fault(FaultKind.NETWORK_LOST))
    session.send(FaultCleared())
    assert session.state is State.BOOKING_CODE


def test_booking_code_data_is_wiped(session: Session):
    session.send(BookingCodeRequested())
    session.send(ContinueWithoutCard("ACD346"))
    data = session.data
    assert data is not None
    data.wipe()
    assert data.empty and data.booking_code == "" and not data.without_card


def test_the_reading_notice_carries_the_reading(session: Session):
    to(session, State.IN_CALL)
    notices: list[Update] = []
    session.subscribe(notices.append)
    taken = reading()
    session.send(ReadingReceived(taken))
    [update] = [u for u in notices if u.notice is Notice.READING]
    assert update.reading is taken
    assert "reading=" not in repr(update)  # a notice may be logged: never its reading


def test_an_event_the_table_does_not_know_is_refused_like_an_illegal_one(session: Session):
    class Unheard(Event):
        """An event no transition names."""

    with pytest.raises(IllegalEventError):
        session.send(Unheard())
    assert session.state is State.IDLE


def test_send_quietly_logs_a_refused_event_and_says_so(
    session: Session, caplog: pytest.LogCaptureFixture
):
    with caplog.at_level("INFO", logger="kiosk.session"):
        assert not send_quietly(session, PrintingDone())
    assert session.state is State.IDLE
    assert "PrintingDone dropped" in caplog.text
    assert send_quietly(session, CardInserted())
    assert session.state is State.READING_CARD
