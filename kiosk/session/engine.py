"""How the session machine runs: a transition table's rows, and the base class that applies
events through the table, keeps each state's time limit and tells the listeners.

What the machine does (its states, transitions and actions) is declared in :mod:`.machine`.
"""

from __future__ import annotations

import abc
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from kiosk.clock import Clock, SystemClock
from kiosk.config import TimeoutsConfig
from kiosk.domain import Reading
from kiosk.errors import IllegalEventError, SessionError
from kiosk.session.events import Event, Listener, Notice, Update
from kiosk.states import State

# The logger the session had as one module: its log lines keep their name.
log = logging.getLogger("kiosk.session")

#: What a transition does besides moving: it gets the machine and the event (``None`` when a
#: time limit fires).
Action = Callable[[Any, Any], None]
#: Whether a row applies, asked of the machine.
Guard = Callable[[Any], bool]


class NoMoreExtensionsError(SessionError):
    """The patient already used every extension of this state's time limit."""


@dataclass(frozen=True)
class Transition:
    """From one of ``sources``, when ``guard`` holds: run ``action``, then go to ``target``.

    Without a target the action moves (or not) by itself; with neither, the event is
    accepted and changes nothing.
    """

    sources: frozenset[State]
    target: State | None = None
    action: Action | None = None
    guard: Guard | None = None


def on(
    *sources: State | frozenset[State],
    go: State | None = None,
    do: Action | None = None,
    when: Guard | None = None,
) -> Transition:
    """One row of a table: ``on(State.CONSENT, do=_record_consent, go=State.WAITING_ROOM)``."""
    states: set[State] = set()
    for group in sources:
        states.update(group if isinstance(group, frozenset) else {group})
    return Transition(frozenset(states), go, do, when)


class Machine(abc.ABC):
    """Runs the tables a subclass declares.

    ``TRANSITIONS``: for each event type, the rows tried in order; the first whose state
    (and guard) matches runs. An event no row accepts, or that has no row at all, raises
    :class:`IllegalEventError`. ``TIME_LIMITS``: the rows tried when the current state's
    time limit (from :class:`TimeoutsConfig`) is past.
    """

    TRANSITIONS: ClassVar[Mapping[type[Event], tuple[Transition, ...]]]
    TIME_LIMITS: ClassVar[tuple[Transition, ...]]

    def __init__(self, *, timeouts: TimeoutsConfig | None, clock: Clock | None) -> None:
        self.timeouts = timeouts or TimeoutsConfig()
        self.clock = clock or SystemClock()
        self._listeners: list[Listener] = []
        self.state = State.IDLE
        self.deadline: float | None = None
        self.extensions_used = 0
        self._warned = False
        self._log_id = "-"

    @abc.abstractmethod
    def _go(self, new: State) -> None:
        """Enter ``new``: :meth:`_move` there, then what entering it means to the subclass."""

    # -- observers -----------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    @property
    def log_id(self) -> str:
        """The id to put on log lines: the session's, or ``-`` between sessions."""
        return self._log_id

    def _notify(
        self, notice: Notice, previous: State | None = None, *, reading: Reading | None = None
    ) -> None:
        update = Update(notice, self.state, previous, self._log_id, reading)
        for listener in list(self._listeners):
            listener(update)

    # -- events --------------------------------------------------------------------------

    def send(self, event: Event) -> State:
        """Apply ``event``; returns the new state or raises :class:`IllegalEventError`."""
        self._run(self._find(self.TRANSITIONS.get(type(event), ()), event.name), event)
        return self.state

    def _find(self, rows: tuple[Transition, ...], name: str) -> Transition:
        for row in rows:
            if self.state in row.sources and (row.guard is None or row.guard(self)):
                return row
        raise IllegalEventError(self.state, name)

    def _run(self, row: Transition, event: Event | None) -> None:
        if row.action is not None:
            row.action(self, event)
        if row.target is not None:
            self._go(row.target)

    def _move(self, new: State) -> State:
        """Change state and start the new state's time limit; returns the old state."""
        old = self.state
        self.state = new
        limit = self._limit_for(new)
        self.deadline = self.clock.monotonic() + limit if limit > 0 else None
        self.extensions_used = 0
        self._warned = False
        log.info("session %s: %s -> %s", self._log_id, old, new)
        return old

    # -- time limits ---------------------------------------------------------------------

    def _limit_for(self, state: State) -> float:
        return float(getattr(self.timeouts, state.value, 0.0) or 0.0)

    def time_left(self) -> float | None:
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - self.clock.monotonic())

    @property
    def can_extend(self) -> bool:
        return self.deadline is not None and self.extensions_used < self.timeouts.max_extensions

    def tick(self) -> State:
        """Apply the current state's time limit: warn once when near, act when past."""
        left = self.time_left()
        if left is None:
            return self.state
        if left <= 0:
            log.info("session %s: time limit of %s reached", self._log_id, self.state)
            self._run(self._find(self.TIME_LIMITS, "time limit"), None)
        elif left <= self.timeouts.warning and not self._warned:
            self._warned = True
            self._notify(Notice.WARNING)
        return self.state

    def _timed(self) -> bool:
        return self.deadline is not None

    def _extend(self, _event: object) -> None:
        """The patient asked for more time on this screen."""
        if not self.can_extend:
            raise NoMoreExtensionsError("no more time can be added on this screen")
        assert self.deadline is not None
        self.extensions_used += 1
        self.deadline += self.timeouts.extension
        self._warned = False
        log.info("session %s: time extended on %s", self._log_id, self.state)
        self._notify(Notice.EXTENDED)
