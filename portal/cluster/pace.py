"""A shared-state round run at a bounded pace: calls made while it runs fold into one more.

A region's portal sees bursts (thousands of cabins joining after a restart, an instance's
cabins moving to the others): a Redis round per event, each instance reading every cabin's
presence, is quadratic. :class:`Paced` runs its round at once when the portal was quiet; a call
made while a round runs only asks for one more, started at least ``gap_s`` after the last one
began, so a burst costs a few rounds a second, not one per event.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


class Paced:
    """``await paced()`` runs ``round_`` (or, while one runs, asks for one more and returns)."""

    def __init__(self, round_: Callable[[], Awaitable[None]], *, gap_s: float) -> None:
        self.round = round_
        self.gap_s = gap_s
        self._running = False
        self._again = False
        self._last = -1e9
        #: Rounds run (the benchmark and the tests read it).
        self.rounds = 0

    @property
    def running(self) -> bool:
        return self._running

    async def __call__(self) -> None:
        if self._running:
            self._again = True
            return
        self._running = True
        loop = asyncio.get_running_loop()
        try:
            self._again = True
            while self._again:
                self._again = False
                wait = self._last + self.gap_s - loop.time()
                if wait > 0:  # what comes meanwhile goes in this round
                    await asyncio.sleep(wait)
                    self._again = False
                self._last = loop.time()
                self.rounds += 1
                await self.round()
        finally:
            self._running = False
