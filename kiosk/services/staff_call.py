"""The patient's call for the staff: from the press on "call staff" until the session ends,
carried to the staff's and doctors' pages by the portal when there is one.

:class:`StaffCall` is the one owner of when a call is on and when it ends (a call pressed
on the idle screen has no session end: it ends by age); the cabin and, with no cabin
behind them, the screens both read it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.session import Notice, Session, State, Update
from kiosk.tasks import Tasks

if TYPE_CHECKING:
    from kiosk.call import CabinCall

log = logging.getLogger(__name__)


class StaffCall:
    """Where the patient's call for the staff stands: ``""`` (none), ``calling`` (the staff's
    and doctors' pages show it), ``coming`` (someone said they are on their way) or
    ``unreachable`` (no portal to carry it: the screen sends the patient to the desk).

    With a ``call``, the press and the end are told to the portal (as ``tasks``); without
    one the call is ``unreachable`` while it is on. ``quiet``: the press is not logged (the
    screens' own tracker, beside a cabin that logs it).
    """

    def __init__(
        self,
        session: Session,
        *,
        call: CabinCall | None = None,
        tasks: Tasks | None = None,
        quiet: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session = session
        self.call = call
        self.tasks = tasks if tasks is not None else Tasks()  # an empty Tasks is falsy
        self.quiet = quiet
        self._clock = clock
        #: When the patient last pressed "call staff" (monotonic), None when no call is on.
        self._called_at: float | None = None
        self._unsubscribe = session.subscribe(self._on_update)

    def _on_update(self, update: Update) -> None:
        if update.notice is Notice.STAFF_CALLED:
            self._called_at = self._clock()
            if not self.quiet:
                log.info("session %s: the patient calls the staff", self.session.log_id)
            if self.call is not None:
                self.tasks.spawn(self.call.call_staff(True), "staff-call")
        elif (
            update.notice is Notice.TRANSITION
            and update.state is State.IDLE
            and self._called_at is not None
        ):
            self._end()

    def state(self, *, max_s: float) -> str:
        """The call's state word; a call pressed on the idle screen ends once older than
        ``max_s`` (the caller reads :data:`kiosk.states.STAFF_CALL_MAX_S` when it asks)."""
        called_at = self._called_at
        if called_at is None:
            return ""
        if self.session.state is State.IDLE and self._clock() - called_at > max_s:
            self._end()
            return ""
        call = self.call
        if call is None or not call.link.connected.is_set():
            return "unreachable"
        answer = call.staff_answer
        return "coming" if answer is not None and answer.get("state") == "coming" else "calling"

    def _end(self) -> None:
        self._called_at = None
        if self.call is not None:
            self.tasks.spawn(self.call.call_staff(False), "staff-call-end")

    def close(self) -> None:
        self._unsubscribe()
