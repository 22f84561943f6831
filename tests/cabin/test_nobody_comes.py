"""In the waiting room a patient who answers is never dropped from the queue; what the portal
says with the queue (doctors on duty, opening hours, where to book) reaches the screens."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kiosk import config as config_mod
from kiosk.cabin import Cabin
from kiosk.call.waiting_room import WaitingRoomMixin
from kiosk.clock import ManualClock
from kiosk.config import TimeoutsConfig
from kiosk.errors import IllegalEventError
from kiosk.session import (
    BeneficiaryChosen,
    CardInserted,
    CardRead,
    ConsentGiven,
    ExtendTime,
    Notice,
    Session,
    State,
)
from tests.core.helpers import beneficiary

TIMEOUTS = TimeoutsConfig(waiting_room=600, warning=20, extension=60, max_extensions=2)


def to_waiting_room(session: Session) -> None:
    for event in (CardInserted(), CardRead((beneficiary(0),)), BeneficiaryChosen(0)):
        session.send(event)
    session.send(ConsentGiven())
    assert session.state is State.WAITING_ROOM


def test_an_answering_patient_is_never_dropped_and_waits_the_whole_limit_again() -> None:
    clock = ManualClock()
    session = Session(timeouts=TIMEOUTS, clock=clock)
    notices: list[Notice] = []
    session.subscribe(lambda u: notices.append(u.notice))
    to_waiting_room(session)
    for _ in range(TIMEOUTS.max_extensions + 3):  # more answers than any other screen allows
        clock.advance(590)
        session.tick()
        assert notices[-1] is Notice.WARNING
        assert session.can_extend
        session.send(ExtendTime())  # "Yes, I'm here"
        assert notices[-1] is Notice.EXTENDED
        assert session.time_left() == pytest.approx(600)  # the whole wait, not a minute
        assert session.state is State.WAITING_ROOM
    # nobody answers: out of the queue
    clock.advance(600)
    session.tick()
    assert session.state is State.GOODBYE


def test_a_waiting_room_without_a_time_limit_has_nothing_to_extend() -> None:
    session = Session(timeouts=replace(TIMEOUTS, waiting_room=0), clock=ManualClock())
    to_waiting_room(session)
    assert not session.can_extend
    with pytest.raises(IllegalEventError):
        session.send(ExtendTime())


def test_other_screens_keep_their_count_of_extensions() -> None:
    session = Session(timeouts=TIMEOUTS, clock=ManualClock())
    session.send(CardInserted())
    session.send(CardRead((beneficiary(0),)))
    for _ in range(TIMEOUTS.max_extensions):
        session.send(ExtendTime())
    assert not session.can_extend


class Room(WaitingRoomMixin):
    """The waiting-room half of the call alone: what it keeps of the portal's messages."""

    def __init__(self) -> None:
        self._init_waiting_room()


def test_the_call_keeps_what_the_portal_says_with_the_queue() -> None:
    room = Room()
    room.session_id = "s1"
    room._on_room_signal({"type": "queue", "session_id": "s1", "position": 2, "estimate_s": 60})
    assert (room.queue, room.room) == ((2, 60.0), {})
    room._on_room_signal(
        {
            "type": "queue",
            "session_id": "s1",
            "position": 1,
            "estimate_s": 0,
            "doctors": 0,
            "open": False,
            "booking_site": "rdv.example.org",
        }
    )
    assert room.room == {"doctors": 0, "open": False, "booking_site": "rdv.example.org"}
    # another session's queue is not this patient's
    room._on_room_signal({"type": "queue", "session_id": "s2", "position": 5, "estimate_s": 9})
    assert room.queue == (1, 0.0)


CONFIG = """
[cabin]
id = "c1"
booking_site = "rdv.cabine.example"
"""


def test_the_cabin_offers_its_own_booking_site_in_the_waiting_room_only() -> None:
    cabin = Cabin(config_mod.parse(CONFIG), card=False, tick=False)
    assert cabin.waiting_room_news == {}
    to_waiting_room(cabin.session)
    assert cabin.waiting_room_news == {"booking_site": "rdv.cabine.example"}
    plain = Cabin(config_mod.parse('[cabin]\nid = "c2"\n'), card=False, tick=False)
    to_waiting_room(plain.session)
    assert plain.waiting_room_news == {}
