"""The card reader's typed errors, each carrying a :class:`CardFailure` reason code.

CardError(DriverError)
├── NoServiceError       pcscd is not running (or went away)
├── NoReaderError        no reader (or not the configured one) is plugged in
├── NoCardError          the reader is empty
├── CardRemovedError     the card left the reader during the read
├── CardMuteError        a card is in but does not answer (no ATR, no response)
├── NotVitaleError       a CPS, a bank card or anything that is not a Carte Vitale
├── Vitale1Error         a first-generation Carte Vitale, which this reader does not support
├── UnreadableCardError  a Carte Vitale whose data is denied, truncated or does not check
└── CardProfileError     a virtual card profile (JSON) is malformed
"""

from __future__ import annotations

from enum import StrEnum

from drivers.errors import DriverError

DEVICE = "card"


class CardFailure(StrEnum):
    """Stable reason codes; the session's ``CardReadFailed(reason)`` carries one."""

    NO_SERVICE = "no_service"
    NO_READER = "no_reader"
    NO_CARD = "no_card"
    REMOVED = "removed"
    MUTE = "mute"
    NOT_VITALE = "not_vitale"
    VITALE1 = "vitale1"
    UNREADABLE = "unreadable"
    BAD_PROFILE = "bad_profile"


class CardError(DriverError):
    """Any failure of the card reader, its service or the card; ``reason`` is a CardFailure."""

    failure: CardFailure = CardFailure.UNREADABLE
    default_message = "the card could not be read"

    def __init__(self, message: str = "", *, device: str = DEVICE) -> None:
        super().__init__(message or self.default_message, device=device, reason=self.failure)


class NoServiceError(CardError):
    failure = CardFailure.NO_SERVICE
    default_message = "the smart-card service (pcscd) is not running"


class NoReaderError(CardError):
    failure = CardFailure.NO_READER
    default_message = "no card reader is plugged in"


class NoCardError(CardError):
    failure = CardFailure.NO_CARD
    default_message = "no card in the reader"


class CardRemovedError(CardError):
    failure = CardFailure.REMOVED
    default_message = "the card was removed during the read"


class CardMuteError(CardError):
    failure = CardFailure.MUTE
    default_message = "the card does not answer: check it is inserted the right way"


class NotVitaleError(CardError):
    failure = CardFailure.NOT_VITALE
    default_message = "this is not a Carte Vitale"


class Vitale1Error(CardError):
    failure = CardFailure.VITALE1
    default_message = "card not supported (first-generation Carte Vitale): ask staff"


class UnreadableCardError(CardError):
    failure = CardFailure.UNREADABLE
    default_message = "the Carte Vitale data cannot be read"


class CardProfileError(CardError):
    failure = CardFailure.BAD_PROFILE
    default_message = "bad virtual card profile"
