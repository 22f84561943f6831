"""Who the portal holds: a socket (:class:`Peer`), a checked-in patient, a cabin's presence.

Plain records of :mod:`portal.hub`'s live state, kept apart so the hub holds its logic only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

import protocol
from portal import security
from portal.config import PortalConfig
from protocol import ProtocolError, RateLimiter

log = security.escaped_logger("portal.hub")


class Peer:
    """One WebSocket (a cabin's or a doctor's), with its own rate limit."""

    def __init__(self, ws: web.WebSocketResponse, *, kind: str, ident: str, cfg: PortalConfig):
        self.ws = ws
        self.kind = kind
        self.ident = ident
        self.limiter = RateLimiter(rate=cfg.limits.rate, burst=cfg.limits.burst)
        self.violations = 0
        self.max_violations = cfg.limits.max_violations

    async def send(self, msg_type: str, **fields: Any) -> None:
        if self.ws.closed:
            return
        try:
            text = protocol.signal(msg_type, **fields)
        except Exception as exc:
            # One peer's message that cannot be sent never breaks a broadcast to the others.
            log.error("%s %s: %s not sent: %s", self.kind, self.ident, msg_type, type(exc).__name__)
            return
        await self.send_encoded(msg_type, text)

    async def send_encoded(self, msg_type: str, text: str) -> None:
        """A message already encoded (by :func:`protocol.signal`: one text for many peers)."""
        if self.ws.closed:
            return
        try:
            await self.ws.send_str(text)
        except (ConnectionError, RuntimeError) as exc:
            log.info("%s %s: send failed: %s", self.kind, self.ident, type(exc).__name__)
        except Exception as exc:
            log.error("%s %s: %s not sent: %s", self.kind, self.ident, msg_type, type(exc).__name__)

    async def refuse(self, exc: ProtocolError) -> None:
        # an unknown type name is the peer's text: not logged
        ref = exc.ref if exc.ref in protocol.SIGNAL_SCHEMAS else "a"
        log.warning("%s %s: refused %s message: %s", self.kind, self.ident, ref, exc.code.value)
        await self.send("error", **protocol.error_fields(exc))


@dataclass
class Patient:
    """A cabin's checked-in patient, known only by the kiosk's random session id."""

    cabin_id: str
    session_id: str
    since: float
    taken_by: str = ""
    call_id: str = ""
    #: Checked in for an appointment: its slot (epoch, and local "HH:MM"); else a walk-in.
    slot_start: int = 0
    slot_label: str = ""
    #: Back after a portal restart with a call whose doctor is unknown: since when (hub
    #: clock). The patient stays "in a call", out of other doctors' reach, for a grace time.
    unclaimed_since: float | None = None
    #: A nurse called this doctor directly (``portal.direct``): "" is the general room.
    doctor_id: str = ""
    nurse_name: str = ""
    nurse_profession: str = ""

    def busy(self, now: float, grace_s: float) -> bool:
        """In a call: taken, or an unclaimed call still within its grace time."""
        if self.taken_by:
            return True
        return self.unclaimed_since is not None and now - self.unclaimed_since < grace_s


@dataclass
class CabinPresence:
    """A cabin as the portal sees it: its socket, its last heartbeat and what it reported."""

    cabin_id: str
    peer: Peer | None = None
    last_heartbeat: float = 0.0
    devices: dict[str, str] = field(default_factory=dict)
    #: From the heartbeats: the kiosk's version and uptime, its printer's state and reason.
    version: str = ""
    uptime_s: float | None = None
    printer: str = ""
    printer_detail: str = ""
    #: The patient pressed "call staff" at this time (hub clock), until the call ends.
    staff_called_at: float | None = None
    #: Who on site said they are coming (their display name), "" until then.
    staff_coming_by: str = ""
    #: Papers a printer fault kept at the cabin (heartbeats: how many, since when, ISO UTC)
    #: and how the staff's last reprint went ("sent", "printed", "failed: <reason>").
    papers_held: int = 0
    papers_since: str = ""
    reprint: str = ""
    reprint_at: float = 0.0
