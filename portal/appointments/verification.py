"""The booking site's unconfirmed bookings ("flows"): the slot each holds for a few minutes,
the 6-digit code sent to the phone (stored hashed, 10 minutes, 5 tries) and the abuse limits
per phone number and per source.

In the portal's memory: a flow lives minutes, and a portal restarting only asks the patient to
start again. The slot itself is only ever booked by the database's unique index, so two
portals sharing one database never double-book, whatever their holds say.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import unicodedata
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from portal.site_config import BookingSiteConfig

#: Minutes a flow lives after its last step (the code's 10 minutes fit in it).
FLOW_TTL_S = 30 * 60
#: Flows kept at most; the oldest go first (a flood costs memory only up to this).
MAX_FLOWS = 20_000
CODE_DIGITS = 6


class Limited(Exception):
    """Refused by an abuse limit: ``reason`` is ``codes_phone``, ``codes_source``,
    ``tries_phone``, ``tries_source``, ``bookings_phone`` or ``bookings_source``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Held(Exception):
    """The slot is held by another unconfirmed booking."""


@dataclass
class Flow:
    id: str
    lang: str
    cabin_id: str = ""
    slot_start: int = 0
    slot_end: int = 0
    #: The match key of the names typed (the names themselves are not kept).
    key: str = ""
    #: "self" or "child": who comes, for the check page's wording only.
    who: str = ""
    phone: str = ""
    code_hash: str = ""
    code_expires: float = 0.0
    tries_left: int = 0
    #: The phone answered its code: a slot picked again (the first one was taken) books at once.
    verified: bool = False
    #: The booking made (its external id), once confirmed.
    booked: str = ""
    touched: float = field(default=0.0)


class Window:
    """Events per key within a sliding window, at most ``limit`` of them."""

    def __init__(self, limit: int, window_s: float, clock: Callable[[], float]) -> None:
        self.limit, self.window_s, self.clock = limit, window_s, clock
        self._events: OrderedDict[str, deque[float]] = OrderedDict()

    def _live(self, key: str) -> deque[float]:
        events = self._events.get(key)
        if events is None:
            events = self._events[key] = deque(maxlen=self.limit)
            while len(self._events) > MAX_FLOWS:
                self._events.popitem(last=False)
        cutoff = self.clock() - self.window_s
        while events and events[0] <= cutoff:
            events.popleft()
        return events

    def full(self, key: str) -> bool:
        return len(self._live(key)) >= self.limit

    def add(self, key: str) -> None:
        self._live(key).append(self.clock())
        self._events.move_to_end(key)

    def undo(self, key: str) -> None:
        """Forget the last event of ``key`` (a code the gateway did not take costs nothing)."""
        events = self._events.get(key)
        if events:
            events.pop()


class Flows:
    """The unconfirmed bookings of one portal, their holds, codes and limits."""

    def __init__(
        self, cfg: BookingSiteConfig, *, secret: str, clock: Callable[[], float] = time.time
    ) -> None:
        self.cfg, self.clock = cfg, clock
        self._secret = secret.encode()
        self._flows: OrderedDict[str, Flow] = OrderedDict()
        self._holds: dict[tuple[str, int], tuple[str, float]] = {}
        w = cfg.window_s
        now = self.now
        self.codes_phone = Window(cfg.codes_per_phone, w, now)
        self.codes_source = Window(cfg.codes_per_source, w, now)
        self.tries_phone = Window(cfg.tries_per_phone, w, now)
        self.tries_source = Window(cfg.tries_per_source, w, now)
        self.bookings_source = Window(cfg.bookings_per_source, w, now)

    def now(self) -> float:
        return self.clock()

    def code_not_sent(self, flow: Flow, source: str) -> None:
        """The gateway did not take the code: it is void and counts against no limit."""
        flow.code_hash = ""
        self.codes_phone.undo(flow.phone)
        self.codes_source.undo(source)

    # -- flows -------------------------------------------------------------------------

    def new(self, lang: str) -> Flow:
        flow = Flow(secrets.token_urlsafe(16), lang, touched=self.clock())
        self._flows[flow.id] = flow
        while len(self._flows) > MAX_FLOWS:
            _, old = self._flows.popitem(last=False)
            self.release(old)
        return flow

    def get(self, flow_id: str | None) -> Flow | None:
        """A live flow by its id (None: unknown, or gone after :data:`FLOW_TTL_S`)."""
        flow = self._flows.get(flow_id or "")
        if flow is None:
            return None
        if self.clock() - flow.touched > FLOW_TTL_S:
            self.drop(flow)
            return None
        flow.touched = self.clock()
        self._flows.move_to_end(flow.id)
        return flow

    def drop(self, flow: Flow) -> None:
        self.release(flow)
        self._flows.pop(flow.id, None)

    # -- holds -------------------------------------------------------------------------

    def held(self, cabin_id: str, slot_start: int, *, by_other_than: str = "") -> bool:
        holder = self._holds.get((cabin_id, slot_start))
        if holder is None:
            return False
        flow_id, until = holder
        if until <= self.clock():
            del self._holds[(cabin_id, slot_start)]
            return False
        return flow_id != by_other_than

    def hold(self, flow: Flow, cabin_id: str, slot_start: int, slot_end: int) -> None:
        """Hold the slot for ``flow`` (:class:`Held` when another flow holds it)."""
        if self.held(cabin_id, slot_start, by_other_than=flow.id):
            raise Held()
        self.release(flow)
        flow.cabin_id, flow.slot_start, flow.slot_end = cabin_id, slot_start, slot_end
        self._holds[(cabin_id, slot_start)] = (flow.id, self.clock() + self.cfg.hold_min * 60)
        if len(self._holds) > MAX_FLOWS:  # expired holds of abandoned flows
            for where in [k for k, (_, until) in self._holds.items() if until <= self.clock()]:
                del self._holds[where]

    def holds(self, flow: Flow) -> bool:
        """Whether ``flow`` still holds its slot (not past ``hold_min``)."""
        holder = self._holds.get((flow.cabin_id, flow.slot_start))
        return holder is not None and holder[0] == flow.id and holder[1] > self.clock()

    def release(self, flow: Flow) -> None:
        where = (flow.cabin_id, flow.slot_start)
        if self._holds.get(where, ("", 0.0))[0] == flow.id:
            del self._holds[where]

    # -- the code ----------------------------------------------------------------------

    def _hash(self, flow: Flow, code: str) -> str:
        return hmac.new(self._secret, f"{flow.id}\0{code}".encode(), hashlib.sha256).hexdigest()

    def new_code(self, flow: Flow, phone: str, source: str) -> str:
        """A fresh code for ``flow`` sent to ``phone``; :class:`Limited` past a limit. The
        code is returned once, to be sent; only its hash stays."""
        if self.codes_phone.full(phone):
            raise Limited("codes_phone")
        if self.codes_source.full(source):
            raise Limited("codes_source")
        self.codes_phone.add(phone)
        self.codes_source.add(source)
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        flow.phone = phone
        flow.code_hash = self._hash(flow, code)
        flow.code_expires = self.clock() + self.cfg.code_ttl_s
        flow.tries_left = self.cfg.code_tries
        return code

    def check_code(self, flow: Flow, typed: str, source: str) -> str:
        """``ok``, ``wrong`` (tries left), ``used_up`` (no try left: ask a new code),
        ``expired``, or a :class:`Limited` past the phone's or the source's tries."""
        if not flow.code_hash or flow.tries_left <= 0:
            return "used_up"
        if self.clock() > flow.code_expires:
            return "expired"
        if self.tries_phone.full(flow.phone):
            raise Limited("tries_phone")
        if self.tries_source.full(source):
            raise Limited("tries_source")
        # Arabic-Indic and other digits count as theirs; spaces and dashes are dropped
        digits = "".join(str(unicodedata.digit(c)) for c in typed if c.isdigit())
        if hmac.compare_digest(self._hash(flow, digits), flow.code_hash):
            flow.code_hash, flow.verified = "", True
            return "ok"
        self.tries_phone.add(flow.phone)
        self.tries_source.add(source)
        flow.tries_left -= 1
        return "wrong" if flow.tries_left > 0 else "used_up"
