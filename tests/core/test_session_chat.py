"""The call's written exchange and the patient's mute in the session: kept while the call
lasts (on the call and measuring screens), refused elsewhere, never in a repr, wiped with
the session."""

from __future__ import annotations

import pytest

from kiosk.clock import ManualClock
from kiosk.errors import IllegalEventError
from kiosk.session import (
    CallEnded,
    ChatAnswered,
    ChatReceived,
    EndSession,
    MicrophoneMuted,
    Notice,
    Session,
    State,
    Update,
)
from kiosk.session.data import CHAT_KEPT
from tests.core.test_session import TIMEOUTS, to

WORDS = "Retirez votre manteau"


@pytest.fixture
def session() -> Session:
    return Session(timeouts=TIMEOUTS, clock=ManualClock())


def _notices(session: Session) -> list[Notice]:
    seen: list[Update] = []
    session.subscribe(seen.append)
    return seen  # type: ignore[return-value]


@pytest.mark.parametrize("state", [State.IN_CALL, State.MEASURING])
def test_the_exchange_is_kept_in_the_call(session: Session, state: State):
    to(session, state)
    seen = _notices(session)
    session.send(ChatReceived("c1", WORDS))
    session.send(ChatAnswered("yes"))
    assert session.state is state
    assert session.data is not None
    assert [(line.sender, line.text, line.msg_id) for line in session.data.chat] == [
        ("doctor", WORDS, "c1"),
        ("patient", "yes", ""),
    ]
    assert [u.notice for u in seen] == [Notice.CHAT, Notice.CHAT]  # type: ignore[attr-defined]
    assert WORDS in session.data.sensitive_strings()
    assert "yes" not in session.data.sensitive_strings()


def test_the_words_are_never_in_a_repr(session: Session):
    to(session, State.IN_CALL)
    session.send(ChatReceived("c1", WORDS))
    assert session.data is not None
    assert WORDS not in repr(ChatReceived("c1", WORDS))
    assert WORDS not in repr(session.data.chat)


def test_only_the_last_lines_are_kept(session: Session):
    to(session, State.IN_CALL)
    for n in range(CHAT_KEPT + 5):
        session.send(ChatReceived(f"c{n}", f"m{n}"))
    assert session.data is not None
    assert len(session.data.chat) == CHAT_KEPT
    assert session.data.chat[-1].text == f"m{CHAT_KEPT + 4}"


def test_mute_is_kept_and_wiped_with_the_exchange(session: Session):
    to(session, State.IN_CALL)
    seen = _notices(session)
    session.send(MicrophoneMuted(True))
    session.send(ChatReceived("c1", WORDS))
    data = session.data
    assert data is not None and data.muted and not data.empty
    assert [u.notice for u in seen] == [Notice.MICROPHONE, Notice.CHAT]  # type: ignore[attr-defined]
    session.send(MicrophoneMuted(False))
    assert not data.muted
    session.send(MicrophoneMuted(True))
    session.send(CallEnded())  # no papers: goodbye
    assert session.state is State.GOODBYE
    session.send(EndSession())
    assert data.chat == [] and not data.muted and data.empty


@pytest.mark.parametrize("state", [State.WAITING_ROOM, State.GOODBYE])
def test_outside_the_call_they_are_refused(session: Session, state: State):
    if state is State.GOODBYE:
        to(session, State.IN_CALL)
        session.send(CallEnded())
    else:
        to(session, state)
    for event in (ChatReceived("c1", WORDS), ChatAnswered("no"), MicrophoneMuted(True)):
        with pytest.raises(IllegalEventError):
            session.send(event)
    assert session.data is not None and not session.data.chat and not session.data.muted
