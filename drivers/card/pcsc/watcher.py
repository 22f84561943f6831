"""The ``pcsc-watch`` thread: follows every reader (and reader hot-plug) and hands
:data:`CardEvent` values (``CardPresent``, ``CardRemoved``, ``ReadersChanged``) to asyncio.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from smartcard import scard

from drivers.card.pcsc.link import PNP_READER, READER_ERRORS, ReaderOptions, describe, use_socket

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CardPresent:
    """A card is in ``reader``; ``atr`` is its answer to reset."""

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


CardEvent = CardPresent | CardRemoved | ReadersChanged


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
            if hr in (scard.SCARD_E_TIMEOUT, scard.SCARD_E_CANCELLED) or hr in READER_ERRORS:
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
            self._emit(CardPresent(name, atr))

    def _service_lost(self, hr: int) -> None:
        log.warning("card watcher: pcscd lost (%s); retrying", describe(hr))
        self._drop_context()
        self._lose_cards()
        self._readers_changed(False, ())
        self._stop.wait(self._retry)
