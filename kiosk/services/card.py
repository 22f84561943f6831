"""The Carte Vitale seen by the session: driver card events in, session events out.

:class:`CardService` owns the watcher thread and the reader; the self-test's card check lives
here too, so ``kiosk selftest`` and the CLI share one view of the reader.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from drivers.card import pcsc
from drivers.card.errors import CardError, CardRemovedError
from kiosk.config import CardConfig, Config
from kiosk.errors import IllegalEventError
from kiosk.session import CardInserted, CardRead, CardReadFailed, CardRemoved, Event, Session

if TYPE_CHECKING:
    from kiosk.selftest import CheckResult

log = logging.getLogger(__name__)

Send = Callable[[Event], object]


def reader_options(card: CardConfig) -> pcsc.ReaderOptions:
    """The driver's options from the cabin's ``[card]`` table."""
    return pcsc.ReaderOptions(
        reader=card.reader, socket=card.pcsc_socket, read_timeout=card.read_timeout
    )


class CardService:
    """Turns card insertions into a read and the session's ``CardInserted``/``CardRead``/
    ``CardReadFailed``/``CardRemoved`` events, in the asyncio loop's thread.

    A card pulled mid-read ends the read quietly: the watcher's ``CardRemoved`` tells the
    session. Every insertion gets a new connection and a new read.
    """

    def __init__(
        self,
        session: Session,
        *,
        options: pcsc.ReaderOptions,
        loop: asyncio.AbstractEventLoop | None = None,
        poll_timeout: float = 1.0,
    ) -> None:
        self.session = session
        self.options = options
        self._loop = loop
        self._poll_timeout = poll_timeout
        self._reader = pcsc.VitaleReader(options)
        self._watcher: pcsc.CardWatcher | None = None
        self._read_task: asyncio.Task[None] | None = None
        self._generation = 0
        self.available = False
        self.readers: tuple[str, ...] = ()
        #: Called after each driver event is applied (screens and tests observe it).
        self.listeners: list[Callable[[pcsc.CardEvent], None]] = []

    def start(self) -> None:
        loop = self._loop or asyncio.get_running_loop()
        self._loop = loop
        self._watcher = pcsc.CardWatcher(
            self._on_event, loop=loop, options=self.options, poll_timeout=self._poll_timeout
        )
        self._watcher.start()

    async def stop(self) -> None:
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            await asyncio.to_thread(watcher.stop)
        task, self._read_task = self._read_task, None
        if task is not None:
            self._generation += 1
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        self._reader.close()

    def _send(self, event: Event) -> bool:
        try:
            self.session.send(event)
        except IllegalEventError:
            log.info(
                "session %s: card event %s ignored in %s",
                self.session.log_id,
                event.name,
                self.session.state,
            )
            return False
        return True

    def _on_event(self, event: pcsc.CardEvent) -> None:
        if isinstance(event, pcsc.ReadersChanged):
            self.available, self.readers = event.available, event.readers
        elif isinstance(event, pcsc.CardPresent):
            self._generation += 1
            if self._send(CardInserted()):
                assert self._loop is not None
                self._read_task = self._loop.create_task(
                    self._read(event.reader, event.atr, self._generation), name="card-read"
                )
        else:
            self._generation += 1  # a read still running belongs to a card that left
            self._send(CardRemoved())
        for listener in list(self.listeners):
            listener(event)

    async def _read(self, reader: str, atr: bytes, generation: int) -> None:
        try:
            people = await asyncio.to_thread(self._reader.read, reader=reader, atr=atr)
        except CardRemovedError:
            return  # the watcher's CardRemoved tells the session
        except CardError as exc:
            if generation == self._generation:
                log.info("session %s: card read failed: %s", self.session.log_id, exc.reason)
                self._send(CardReadFailed(str(exc.reason)))
            return
        if generation == self._generation:
            self._send(CardRead(people))


def check_card_reader(cfg: Config) -> Iterable[CheckResult]:
    """Service up, reader present, card state: three lines for the technician."""
    from kiosk.selftest import CheckResult  # selftest lists this check: import it late

    reader = pcsc.VitaleReader(reader_options(cfg.card))
    try:
        status = reader.status()
    finally:
        reader.close()
    if not status.available:
        yield CheckResult("card:service", False, status.error or "pcscd is not running")
        return
    yield CheckResult("card:service", True, "pcscd answers")
    if not status.readers:
        wanted = f" named like {cfg.card.reader!r}" if cfg.card.reader else ""
        yield CheckResult("card:reader", False, f"no card reader{wanted} is plugged in")
        return
    yield CheckResult("card:reader", True, ", ".join(r.name for r in status.readers))
    cards = [r for r in status.readers if r.present]
    if not cards:
        yield CheckResult("card:state", True, "no card inserted")
    else:
        first = cards[0]
        kind = "mute card" if first.mute or len(first.atr) < 2 else "card"
        yield CheckResult("card:state", True, f"{kind} in {first.name} (ATR {first.atr.hex(' ')})")
