"""The PC/SC transport of the Carte Vitale reader: the only module that imports pyscard.

:class:`VitaleReader` reads the card in a reader (a new connection per read, one transaction
around it, T=0 normalised, hiccups retried a bounded number of times, every PC/SC failure
mapped to a typed :mod:`drivers.card.errors` error). :class:`CardWatcher` follows every reader
on its own named thread and hands ``CardInserted``/``CardRemoved`` to asyncio.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable
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
from drivers.card.pcscd import SOCKET_ENV
from drivers.types import Beneficiary

log = logging.getLogger(__name__)

PNP_READER = "\\\\?PnP?\\Notification"

_SERVICE = frozenset(
    {
        scard.SCARD_E_NO_SERVICE,
        scard.SCARD_E_SERVICE_STOPPED,
        scard.SCARD_F_COMM_ERROR,
        scard.SCARD_E_INVALID_HANDLE,
        scard.SCARD_F_INTERNAL_ERROR,
    }
)
_REMOVED = frozenset({scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD})
_MUTE = frozenset(
    {
        scard.SCARD_W_UNRESPONSIVE_CARD,
        scard.SCARD_W_UNPOWERED_CARD,
        scard.SCARD_E_PROTO_MISMATCH,
        scard.SCARD_W_UNSUPPORTED_CARD,
    }
)
_READER = frozenset(
    {
        scard.SCARD_E_UNKNOWN_READER,
        scard.SCARD_E_READER_UNAVAILABLE,
        scard.SCARD_E_NO_READERS_AVAILABLE,
    }
)
#: Errors after which the same read may simply be tried again (reader hiccups).
_HICCUP = frozenset({scard.SCARD_E_NOT_TRANSACTED, scard.SCARD_W_RESET_CARD})


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
    if hr in _SERVICE:
        return NoServiceError(f"the smart-card service (pcscd) is not available; {text}")
    if hr in _REMOVED:
        return CardRemovedError(f"the card was removed; {text}")
    if hr in _MUTE:
        return CardMuteError(f"the card does not answer; {text}")
    if hr in _READER:
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


@dataclass(frozen=True)
class CardInserted:
    reader: str
    atr: bytes


@dataclass(frozen=True)
class CardRemoved:
    reader: str


@dataclass(frozen=True)
class ReadersChanged:
    """The service came or went, or a reader was plugged or unplugged."""

    available: bool
    readers: tuple[str, ...]


CardEvent = CardInserted | CardRemoved | ReadersChanged


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
        if hr in _SERVICE:
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
        if hr in _HICCUP:
            raise _Hiccup()
        self._ctx.check(hr, "connecting to the card")
        try:
            hr = scard.SCardBeginTransaction(card)
            if hr in _HICCUP:
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
            if hr in _HICCUP:
                if hr == scard.SCARD_E_NOT_TRANSACTED and self._left(reader):
                    raise CardRemovedError("the card was removed during the read")
                raise _Hiccup()
            failed = hr != scard.SCARD_S_SUCCESS and hr not in _REMOVED
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
            return hr in _REMOVED or hr in _READER
        state = found[0][1]
        if not state & scard.SCARD_STATE_PRESENT:
            return True
        wait_ms = int(self.options.hiccup_wait * 1000)
        query = [(reader, state & ~scard.SCARD_STATE_CHANGED)]
        hr, found = scard.SCardGetStatusChange(ctx, wait_ms, query)
        return hr == scard.SCARD_S_SUCCESS and not found[0][1] & scard.SCARD_STATE_PRESENT


def _refuse(apdu: bytes) -> protocol.Response:
    raise UnreadableCardError("no exchange is made with this card")


# --- the watcher --------------------------------------------------------------------------


class CardWatcher:
    """Follows every reader (and reader hot-plug) on the ``pcsc-watch`` thread.

    ``on_event`` receives :data:`CardEvent` values: in ``loop`` through
    ``call_soon_threadsafe`` when a loop is given, else on the watcher thread. When pcscd is
    absent it retries every ``retry_interval`` seconds and reports ``ReadersChanged``.
    """

    def __init__(
        self,
        on_event: Callable[[CardEvent], None],
        *,
        loop: asyncio.AbstractEventLoop | None = None,
        options: ReaderOptions | None = None,
        poll_timeout: float = 1.0,
        retry_interval: float = 0.5,
    ) -> None:
        self.options = options or ReaderOptions()
        use_socket(self.options.socket)
        self._on_event = on_event
        self._loop = loop
        self._poll_ms = int(poll_timeout * 1000)
        self._retry = retry_interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._ctx_lock = threading.Lock()
        self._ctx: int | None = None
        self.present: dict[str, bytes] = {}
        self._last_readers: tuple[bool, tuple[str, ...]] | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="pcsc-watch", daemon=True)
        self._thread.start()

    def stop(self, *, timeout: float = 5.0) -> None:
        self._stop.set()
        with self._ctx_lock:
            if self._ctx is not None:
                scard.SCardCancel(self._ctx)
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                log.warning("card watcher did not stop within %.1f s", timeout)

    def _emit(self, event: CardEvent) -> None:
        if self._loop is not None:
            # A closed loop means nobody listens any more.
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._on_event, event)
        else:
            self._on_event(event)

    def _readers_changed(self, available: bool, readers: tuple[str, ...]) -> None:
        if self._last_readers != (available, readers):
            self._last_readers = (available, readers)
            log.info(
                "card watcher: service %s, %d reader(s)",
                "up" if available else "down",
                len(readers),
            )
            self._emit(ReadersChanged(available, readers))

    def _lose_cards(self, keep: tuple[str, ...] = ()) -> None:
        for name in [n for n in self.present if n not in keep]:
            del self.present[name]
            self._emit(CardRemoved(name))

    def _drop_context(self) -> None:
        with self._ctx_lock:
            ctx, self._ctx = self._ctx, None
        if ctx is not None:
            scard.SCardReleaseContext(ctx)

    def _run(self) -> None:
        try:
            self._watch()
        finally:
            self._drop_context()

    def _watch(self) -> None:
        known: dict[str, int] = {}
        pnp = scard.SCARD_STATE_UNAWARE
        while not self._stop.is_set():
            if self._ctx is None:
                hr, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
                if hr != scard.SCARD_S_SUCCESS:
                    self._lose_cards()
                    self._readers_changed(False, ())
                    self._stop.wait(self._retry)
                    continue
                with self._ctx_lock:
                    self._ctx = ctx
                known, pnp = {}, scard.SCARD_STATE_UNAWARE
            ctx = self._ctx
            hr, names = scard.SCardListReaders(ctx, [])
            if hr == scard.SCARD_E_NO_READERS_AVAILABLE:
                names = []
            elif hr != scard.SCARD_S_SUCCESS:
                self._service_lost(hr)
                continue
            wanted = self.options.reader.casefold()
            readers = tuple(n for n in names if wanted in n.casefold())
            self._readers_changed(True, readers)
            self._lose_cards(keep=readers)
            known = {n: s for n, s in known.items() if n in readers}
            unaware = scard.SCARD_STATE_UNAWARE
            query = [(PNP_READER, pnp)] + [(n, known.get(n, unaware)) for n in readers]
            hr, found = scard.SCardGetStatusChange(ctx, self._poll_ms, query)
            if hr in (scard.SCARD_E_TIMEOUT, scard.SCARD_E_CANCELLED) or hr in _READER:
                continue
            if hr != scard.SCARD_S_SUCCESS:
                self._service_lost(hr)
                continue
            for item in found:
                name, ev = item[0], item[1]
                if name == PNP_READER:
                    pnp = ev & ~scard.SCARD_STATE_CHANGED
                    continue
                previous = known.get(name)
                known[name] = ev & ~scard.SCARD_STATE_CHANGED
                self._card_state(name, ev, bytes(item[2]) if len(item) > 2 else b"", previous)

    def _card_state(self, name: str, ev: int, atr: bytes, previous: int | None) -> None:
        present = bool(ev & scard.SCARD_STATE_PRESENT)
        # The upper 16 bits count card events: a quick swap between two polls shows there.
        swapped = (
            previous is not None
            and present
            and name in self.present
            and (ev >> 16) != (previous >> 16)
        )
        if swapped or (not present and name in self.present):
            del self.present[name]
            self._emit(CardRemoved(name))
        if present and name not in self.present:
            self.present[name] = atr
            self._emit(CardInserted(name, atr))

    def _service_lost(self, hr: int) -> None:
        log.warning("card watcher: pcscd lost (%s); retrying", describe(hr))
        self._drop_context()
        self._lose_cards()
        self._readers_changed(False, ())
        self._stop.wait(self._retry)
