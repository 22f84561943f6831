"""The PC/SC basics the reader and the watcher share: which pcscd to reach, the driver's
options, and every PC/SC return code mapped to a typed :mod:`drivers.card.errors` error.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from smartcard import scard

from drivers.card.errors import (
    CardError,
    CardMuteError,
    CardRemovedError,
    NoReaderError,
    NoServiceError,
    UnreadableCardError,
)
from drivers.card.pcscd import SOCKET_ENV

PNP_READER = "\\\\?PnP?\\Notification"

SERVICE_ERRORS = frozenset(
    {
        scard.SCARD_E_NO_SERVICE,
        scard.SCARD_E_SERVICE_STOPPED,
        scard.SCARD_F_COMM_ERROR,
        scard.SCARD_E_INVALID_HANDLE,
        scard.SCARD_F_INTERNAL_ERROR,
    }
)
REMOVED_ERRORS = frozenset({scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD})
MUTE_ERRORS = frozenset(
    {
        scard.SCARD_W_UNRESPONSIVE_CARD,
        scard.SCARD_W_UNPOWERED_CARD,
        scard.SCARD_E_PROTO_MISMATCH,
        scard.SCARD_W_UNSUPPORTED_CARD,
    }
)
READER_ERRORS = frozenset(
    {
        scard.SCARD_E_UNKNOWN_READER,
        scard.SCARD_E_READER_UNAVAILABLE,
        scard.SCARD_E_NO_READERS_AVAILABLE,
    }
)
#: Errors after which the same read may simply be tried again (reader hiccups).
HICCUP_ERRORS = frozenset({scard.SCARD_E_NOT_TRANSACTED, scard.SCARD_W_RESET_CARD})


def use_socket(path: str) -> None:
    """Point this process's PC/SC client at ``path`` (a private pcscd).

    libpcsclite reads ``PCSCLITE_CSOCK_NAME`` once, at the first context of the process.
    """
    if path:
        os.environ[SOCKET_ENV] = path


def describe(hr: int) -> str:
    return f"{scard.SCardGetErrorMessage(hr).strip()} (0x{hr & 0xFFFFFFFF:08X})"


def error_for(hr: int, doing: str) -> CardError:
    """The typed error for a PC/SC return code met while ``doing`` something."""
    text = f"{doing}: {describe(hr)}"
    if hr in SERVICE_ERRORS:
        return NoServiceError(f"the smart-card service (pcscd) is not available; {text}")
    if hr in REMOVED_ERRORS:
        return CardRemovedError(f"the card was removed; {text}")
    if hr in MUTE_ERRORS:
        return CardMuteError(f"the card does not answer; {text}")
    if hr in READER_ERRORS:
        return NoReaderError(f"the card reader is gone; {text}")
    return UnreadableCardError(text)


@dataclass(frozen=True, kw_only=True)
class ReaderOptions:
    """The driver's own options (the kiosk converts its ``[card]`` table to these).

    ``reader``: part of the reader name to use ("" = any); ``socket``: a private pcscd's
    socket ("" = the system's); ``read_timeout``: seconds for one read; ``retries``: how
    many times a read is restarted after a reader hiccup.
    """

    reader: str = ""
    socket: str = ""
    read_timeout: float = 10.0
    retries: int = 2
    hiccup_wait: float = 0.6
