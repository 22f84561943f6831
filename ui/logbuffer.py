"""The kiosk's last log lines in memory, for the technician screen ("logs of that driver").

Records pass the same patient-data filter as the kiosk's own log output, so the technician
sees no name, NIR or reading even if one slipped into a message.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable

from kiosk.logs import PatientDataFilter

CAPACITY = 500
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class LogBuffer(logging.Handler):
    """Keeps the newest ``capacity`` formatted records; :meth:`lines` finds a driver's."""

    def __init__(
        self,
        *,
        capacity: int = CAPACITY,
        sensitive: Callable[[], Iterable[str]] | None = None,
    ) -> None:
        super().__init__(level=logging.INFO)
        self._lines: deque[str] = deque(maxlen=capacity)
        self.addFilter(PatientDataFilter(sensitive) if sensitive else PatientDataFilter())
        self.setFormatter(logging.Formatter(FORMAT, "%H:%M:%S"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._lines.append(self.format(record))
        except Exception:
            self.handleError(record)

    def lines(self, needle: str = "", *, limit: int = 8) -> list[str]:
        """The newest ``limit`` lines holding ``needle`` (all lines when empty)."""
        found = [line for line in list(self._lines) if needle in line]
        return found[-limit:]

    def attach(self, logger: logging.Logger | None = None) -> None:
        (logger or logging.getLogger()).addHandler(self)

    def detach(self, logger: logging.Logger | None = None) -> None:
        (logger or logging.getLogger()).removeHandler(self)
