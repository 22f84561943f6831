"""A cabin's reported state as every instance sees it: the record the backends hold.

What the cabin's heartbeats say of its machine, never of a patient: each instrument's state
word (``{"tensiometer": "missing"}``: device ids of the cabin's config and the words of
``kiosk.health.DeviceState``), the kiosk's version, the printer's state and its reason
(``paper_jam``: a ``PrinterReason`` word, the kiosk's ``clean_detail`` withholding anything
shaped like a NIR), how many papers a printer fault kept and since when (a count and a
time, never the papers), and how the staff's last reprint went. Times are wall clock (epoch
seconds): the instances' monotonic clocks are their own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

#: A kiosk's start time may jitter by this much between heartbeats (their arrival) without
#: being a change worth a write.
STARTED_JITTER_S = 2.0


@dataclass(frozen=True)
class CabinState:
    """One cabin's reported state (see the module docstring); ``instance`` holds its socket."""

    cabin_id: str
    devices: dict[str, str] = field(default_factory=dict)
    version: str = ""
    #: The kiosk's start (its uptime at a heartbeat: :meth:`uptime_at`): a start time does
    #: not change at each heartbeat as an uptime would.
    started_at: float | None = None
    printer: str = ""
    printer_detail: str = ""
    papers_held: int = 0
    papers_since: str = ""
    reprint: str = ""
    #: The cabin's last heartbeat; refreshed with its presence, not written at each one.
    heartbeat_at: float = 0.0
    instance: str = ""

    def same(self, other: CabinState | None) -> bool:
        """Whether ``other`` says the same (the heartbeat's time and a start time's jitter
        aside): nothing to write."""
        if other is None:
            return False
        if (self.started_at is None) != (other.started_at is None):
            return False
        if (
            self.started_at is not None
            and other.started_at is not None
            and abs(self.started_at - other.started_at) > STARTED_JITTER_S
        ):
            return False
        quiet = {"heartbeat_at": 0.0, "started_at": None}
        return replace(self, **quiet) == replace(other, **quiet)  # type: ignore[arg-type]

    def uptime_at(self, heard: float) -> float | None:
        """The kiosk's uptime as its heartbeat at ``heard`` said it."""
        if self.started_at is None:
            return None
        return round(max(0.0, heard - self.started_at), 1)

    def papers(self) -> dict[str, Any] | None:
        """As ``Hub.cabin_status`` shows them: None when nothing is held nor news."""
        if not (self.papers_held or self.reprint):
            return None
        return {"count": self.papers_held, "since": self.papers_since, "reprint": self.reprint}

    def dumps(self) -> str:
        # (not asdict: it deep-copies, and an instance writes all its cabins once a beat)
        return json.dumps({k: getattr(self, k) for k in _FIELDS}, separators=(",", ":"))

    @classmethod
    def loads(cls, text: str | bytes) -> CabinState:
        data = json.loads(text)
        devices = data.get("devices")
        if isinstance(devices, dict):
            data["devices"] = {str(k): str(v) for k, v in devices.items()}
        else:
            data["devices"] = {}
        return cls(**{k: data[k] for k in _FIELDS if k in data})


_FIELDS = tuple(CabinState.__dataclass_fields__)
