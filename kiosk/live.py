"""What an instrument shows while it measures, relayed live to the doctor's page.

The cuff pressure as it inflates, a finger out of the oximeter, an unstable weight: readings
the session does not keep, sent as ``live`` messages at a bounded rate, the latest first.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from kiosk.domain import Reading

#: At most this many live messages a second per kind (the SunTech cuff is polled at 5 Hz).
MAX_RATE = 10.0


class LiveFeed:
    """Picks, from an instrument's intermediate readings, those the page is sent.

    ``latest`` returns the last intermediate reading of the measurement running (None when
    none is); ``send`` sends one. A reading goes once, and one kind no faster than
    :data:`MAX_RATE` (a curve needs no more; the data channel has better things to carry).
    """

    def __init__(
        self,
        latest: Callable[[], Reading | None],
        send: Callable[[Reading], object],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._latest = latest
        self._send = send
        self._clock = clock
        self._last: Reading | None = None
        self._sent_at: dict[str, float] = {}

    def poll(self) -> bool:
        """A reading just arrived: send the latest intermediate one if it is new and due."""
        reading = self._latest()
        if reading is None or not reading.intermediate or reading is self._last:
            return False
        now = self._clock()
        kind = reading.kind.value
        if now - self._sent_at.get(kind, -1e9) < 1.0 / MAX_RATE:
            return False
        self._last = reading
        self._sent_at[kind] = now
        self._send(reading)
        return True
