"""The states ``kiosk screenshots`` reaches off the main path: each card a patient may insert,
a call that cannot come back, the generic error, and the out-of-service screen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

#: The cards of the screenshots, as the virtual card profiles a demo inserts: the picture's
#: name, the profile, and whether its people are taken away (a card that holds nobody).
CARDS = (
    ("09-fault-card-vitale1", "vitale1", False),
    ("09-fault-card-cps", "cps", False),
    ("09-fault-card-bank", "bank", False),
    ("09-fault-card-empty", "one", True),
    ("09-fault-card_unreadable", "mute", False),
)

OUT_OF_SERVICE = "18-out_of_service"


def card_event(profile: Any) -> Any:
    """The session event the cabin's card service sends for ``profile``: the driver's own
    classification and read, on the virtual card's answers (no reader, no thread)."""
    from drivers.card import protocol
    from drivers.card.errors import CardError, CardMuteError
    from drivers.card.sim import CardLogic
    from kiosk.session import CardRead, CardReadFailed

    if profile.mute or len(profile.atr) < 2:
        return CardReadFailed(CardMuteError.failure.value)  # as the reader says it
    logic = CardLogic(profile)

    def transmit(apdu: bytes) -> protocol.Response:
        return protocol.Response.from_bytes(logic.answer(apdu))

    try:
        return CardRead(protocol.read_vitale(transmit, protocol.classify_atr(profile.atr)))
    except CardError as exc:
        return CardReadFailed(str(exc.reason))


def back_to_idle(kiosk: Any, language: str) -> None:
    """End whatever the session shows, as the patient and the staff would, back to idle."""
    from kiosk.session import CleaningConfirmed, EndSession, State

    session = kiosk.runtime.session
    for _ in range(6):
        if session.state is State.IDLE:
            kiosk.bridge.on_language(language)
            return
        session.send(CleaningConfirmed() if session.state is State.CLEANING else EndSession())
    raise RuntimeError(f"the screenshots' session is stuck in {session.state}")


def cards(kiosk: Any, language: str) -> Iterator[str]:
    """Each card a patient may insert that is not a Carte Vitale the cabin reads."""
    from drivers.card.sim import load_profile
    from kiosk.session import CardInserted

    session = kiosk.runtime.session
    for name, profile_name, emptied in CARDS:
        profile = load_profile(profile_name)
        if emptied:
            profile = profile.but(beneficiaries=())
        session.send(CardInserted())
        session.send(card_event(profile))
        yield name
        back_to_idle(kiosk, language)


def call_lost(kiosk: Any, language: str) -> Iterator[str]:
    """The call drops and does not come back before any paper came; then an error the
    fault screen has no words of its own for."""
    from harness.screenshots import fictitious_family
    from kiosk.session import (
        BeneficiaryChosen,
        CardInserted,
        CardRead,
        ConsentGiven,
        DoctorJoined,
        Fault,
        FaultKind,
    )

    send = kiosk.runtime.session.send
    send(CardInserted())
    send(CardRead(fictitious_family()))
    send(BeneficiaryChosen(1))
    send(ConsentGiven())
    send(DoctorJoined())
    send(Fault(FaultKind.NETWORK_LOST, "call_lost", resumable=False))
    yield "09-fault-call_lost"
    # A kind of fault without a text of its own (a new one): the generic words.
    screen = kiosk.window.current
    screen.kind = screen.detail = ""
    screen.picture.set_name("fault")
    screen.retranslate_screen()
    yield "09-fault-generic"
    back_to_idle(kiosk, language)


def out_of_service(size: tuple[int, int], *, cabin: str) -> Any:
    """The out-of-service window at ``size``, shown (not locked): the caller grabs and
    closes it."""
    from ui.fault_screen import OutOfServiceWindow

    window = OutOfServiceWindow(cabin=cabin, locked=False)
    window.resize(*size)
    window.show()
    return window
