"""Reading the Carte Vitale through PC/SC: a new connection per read, one transaction around
it, T=0 normalised, hiccups retried a bounded number of times.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from dataclasses import dataclass

from smartcard import scard

from drivers.card import protocol
from drivers.card.errors import (
    CardError,
    CardMuteError,
    CardRemovedError,
    NoCardError,
    NoReaderError,
    NoServiceError,
    UnreadableCardError,
)
from drivers.card.pcsc.link import (
    HICCUP_ERRORS,
    PNP_READER,
    READER_ERRORS,
    REMOVED_ERRORS,
    SERVICE_ERRORS,
    ReaderOptions,
    error_for,
    use_socket,
)
from drivers.types import Beneficiary

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReaderState:
    name: str
    present: bool
    mute: bool
    atr: bytes


@dataclass(frozen=True)
class ServiceStatus:
    """What ``kiosk selftest`` and ``kiosk card read`` report."""

    available: bool
    readers: tuple[ReaderState, ...] = ()
    error: str = ""


class _Hiccup(Exception):
    pass


class _Context:
    """One PC/SC context, re-established after the service went away."""

    def __init__(self) -> None:
        self.handle: int | None = None

    def get(self) -> int:
        if self.handle is None:
            hr, handle = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
            if hr != scard.SCARD_S_SUCCESS:
                raise error_for(hr, "connecting to pcscd")
            self.handle = handle
        return self.handle

    def drop(self) -> None:
        handle, self.handle = self.handle, None
        if handle is not None:
            scard.SCardReleaseContext(handle)

    def check(self, hr: int, doing: str) -> None:
        if hr == scard.SCARD_S_SUCCESS:
            return
        if hr in SERVICE_ERRORS:
            self.drop()
        raise error_for(hr, doing)

    def readers(self, wanted: str = "") -> list[str]:
        hr, names = scard.SCardListReaders(self.get(), [])
        if hr == scard.SCARD_E_NO_READERS_AVAILABLE:
            names = []
        else:
            self.check(hr, "listing readers")
        return [n for n in names if wanted.casefold() in n.casefold()]

    def states(self, names: list[str]) -> list[ReaderState]:
        if not names:
            return []
        query = [(n, scard.SCARD_STATE_UNAWARE) for n in names]
        hr, found = scard.SCardGetStatusChange(self.get(), 0, query)
        if hr == scard.SCARD_E_TIMEOUT:
            hr, found = scard.SCARD_S_SUCCESS, query
        self.check(hr, "reading the readers' state")
        states = []
        for item in found:
            event = item[1]
            if event & scard.SCARD_STATE_UNKNOWN:
                continue  # no reader of that name
            states.append(
                ReaderState(
                    name=item[0],
                    present=bool(event & scard.SCARD_STATE_PRESENT),
                    mute=bool(event & scard.SCARD_STATE_MUTE),
                    atr=bytes(item[2]) if len(item) > 2 else b"",
                )
            )
        return states


class VitaleReader:
    """Reads the Carte Vitale in a reader. Blocking: call it from a worker thread.

    One instance per thread; it keeps one PC/SC context and connects anew for every read.
    """

    def __init__(self, options: ReaderOptions | None = None) -> None:
        self.options = options or ReaderOptions()
        use_socket(self.options.socket)
        self._ctx = _Context()
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._ctx.drop()

    def status(self) -> ServiceStatus:
        """Service up? Which readers, which cards? Never raises a card error."""
        with self._lock:
            try:
                names = self._ctx.readers(self.options.reader)
                return ServiceStatus(True, tuple(self._ctx.states(names)))
            except NoServiceError as exc:
                return ServiceStatus(False, (), str(exc))
            except CardError as exc:
                return ServiceStatus(True, (), str(exc))

    def _pick(self, reader: str) -> ReaderState:
        states: list[ReaderState] = []
        if reader:
            # The watcher names the reader exactly: one round trip to pcscd instead of two.
            with contextlib.suppress(NoReaderError):
                states = self._ctx.states([reader])
        if not states:
            wanted = reader or self.options.reader
            names = self._ctx.readers(wanted)
            if not names:
                if wanted:
                    raise NoReaderError(f"no card reader named like {wanted!r}")
                raise NoReaderError()
            states = self._ctx.states(names)
        with_card = [s for s in states if s.present]
        if not with_card:
            raise NoCardError()
        return with_card[0]

    def wait_for_card(self, timeout: float, *, reader: str = "") -> ReaderState:
        """Wait up to ``timeout`` seconds for a card; raises the last error past it."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                with self._lock:
                    return self._pick(reader)
            except (NoCardError, NoReaderError, NoServiceError):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise
                self._wait_change(min(left, 0.5))

    def _wait_change(self, seconds: float) -> None:
        with self._lock:
            try:
                names = self._ctx.readers(self.options.reader) or [PNP_READER]
                query = [(n, scard.SCARD_STATE_UNAWARE) for n in names]
                hr, found = scard.SCardGetStatusChange(self._ctx.get(), 0, query)
                if hr == scard.SCARD_S_SUCCESS:
                    query = [(f[0], f[1] & ~scard.SCARD_STATE_CHANGED) for f in found]
                scard.SCardGetStatusChange(self._ctx.get(), int(seconds * 1000), query)
                return
            except CardError:
                pass
        time.sleep(seconds)  # no service: nothing to block on but the clock

    def read(self, *, reader: str = "", atr: bytes | None = None) -> tuple[Beneficiary, ...]:
        """Read every beneficiary of the card in ``reader`` (or the configured/any reader).

        The watcher passes the exact reader name and the ATR it saw at insertion: the read
        then goes straight to the card (a swapped card is a new insertion, read anew).
        """
        with self._lock:
            deadline = time.monotonic() + self.options.read_timeout
            for attempt in range(self.options.retries + 1):
                if reader and atr is not None and attempt == 0:
                    state = ReaderState(name=reader, present=True, mute=False, atr=atr)
                else:
                    state = self._pick(reader)
                try:
                    return self._read_once(state, deadline)
                except _Hiccup:
                    log.info("card reader %s: hiccup, read restarted (%d)", state.name, attempt + 1)
            raise CardMuteError("the card stopped answering (reader hiccups kept happening)")

    def _read_once(self, state: ReaderState, deadline: float) -> tuple[Beneficiary, ...]:
        if state.mute or len(state.atr) < 2:
            raise CardMuteError()
        kind = protocol.classify_atr(state.atr)
        if kind in (protocol.CardKind.VITALE1, protocol.CardKind.CPS):
            return protocol.read_vitale(_refuse, kind)  # raises the right error, no APDU
        ctx = self._ctx.get()
        protocols = scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1
        hr, card, active = scard.SCardConnect(ctx, state.name, scard.SCARD_SHARE_SHARED, protocols)
        if hr == scard.SCARD_E_UNKNOWN_READER:
            raise NoReaderError(f"no card reader named {state.name!r}")
        if hr in HICCUP_ERRORS:
            raise _Hiccup()
        self._ctx.check(hr, "connecting to the card")
        try:
            hr = scard.SCardBeginTransaction(card)
            if hr in HICCUP_ERRORS:
                raise _Hiccup()
            self._ctx.check(hr, "starting a transaction")
            try:
                transmit = self._transmitter(card, active, state.name, deadline)
                people = protocol.read_vitale(transmit, kind)
            finally:
                scard.SCardEndTransaction(card, scard.SCARD_LEAVE_CARD)
        finally:
            scard.SCardDisconnect(card, scard.SCARD_LEAVE_CARD)
        log.info("card reader %s: %d beneficiary(ies) read", state.name, len(people))
        return people

    def _transmitter(
        self, card: int, active: int, reader: str, deadline: float
    ) -> protocol.Transmit:
        ctx = self._ctx

        def transmit(apdu: bytes) -> protocol.Response:
            if time.monotonic() > deadline:
                raise UnreadableCardError("the card took too long to answer")
            hr, raw = scard.SCardTransmit(card, active, list(apdu))
            if hr in HICCUP_ERRORS:
                if hr == scard.SCARD_E_NOT_TRANSACTED and self._left(reader):
                    raise CardRemovedError("the card was removed during the read")
                raise _Hiccup()
            failed = hr != scard.SCARD_S_SUCCESS and hr not in REMOVED_ERRORS
            if (failed or len(raw) < 2) and self._left(reader):
                # A card pulled mid-exchange fails with whatever the reader driver chose (a
                # communication error, or an answer without its status word) before pcscd's
                # next poll sees it gone: asked, with a bounded wait, before "unreadable".
                raise CardRemovedError("the card was removed during the read")
            ctx.check(hr, "exchanging with the card")
            return protocol.Response.from_bytes(bytes(raw))

        return transmit

    def _left(self, reader: str) -> bool:
        """After a failed exchange: did the card leave? pcscd notices within its poll period."""
        ctx = self._ctx.get()
        query = [(reader, scard.SCARD_STATE_UNAWARE)]
        hr, found = scard.SCardGetStatusChange(ctx, 0, query)
        if hr != scard.SCARD_S_SUCCESS:
            return hr in REMOVED_ERRORS or hr in READER_ERRORS
        state = found[0][1]
        if not state & scard.SCARD_STATE_PRESENT:
            return True
        wait_ms = int(self.options.hiccup_wait * 1000)
        query = [(reader, state & ~scard.SCARD_STATE_CHANGED)]
        hr, found = scard.SCardGetStatusChange(ctx, wait_ms, query)
        return hr == scard.SCARD_S_SUCCESS and not found[0][1] & scard.SCARD_STATE_PRESENT


def _refuse(apdu: bytes) -> protocol.Response:
    raise UnreadableCardError("no exchange is made with this card")
