"""The ways in without a card: the booking code of the SMS, checked with the portal, and the
walk-in wait where the portal takes patients without an appointment.

:class:`BookingService` holds the check of the code typed in the current session and reads
the portal's check-in answer; a patient with no appointment where walk-ins are not seen is
sent to the goodbye screen, which says where to book.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from kiosk.session import ContinueWithoutCard, EndSession, Session, State, send_quietly
from kiosk.tasks import Tasks

if TYPE_CHECKING:
    from kiosk.call import CabinCall

log = logging.getLogger(__name__)


class BookingService:
    """The booking-code check of the current session and the walk-in rule of the portal.

    ``call`` is None at a cabin without a portal: it takes neither codes nor walk-ins. The
    checks run as ``tasks`` (the cabin's, stopped with it).
    """

    def __init__(self, session: Session, call: CabinCall | None, *, tasks: Tasks) -> None:
        self.session = session
        self.call = call
        self.tasks = tasks
        #: The booking code check of the current session: (session id, status).
        self._code_status: tuple[str, dict[str, Any]] | None = None

    @property
    def takes_booking_codes(self) -> bool:
        """Whether a patient without a card may type a booking code (the portal has
        appointments and is reachable)."""
        return self.call is not None and self.call.takes_booking_codes

    @property
    def takes_walk_ins(self) -> bool:
        """Whether a patient without card nor code may wait without an appointment here."""
        return self.takes_booking_codes and self.call is not None and self.call.link.walk_ins

    @property
    def checkin_answer(self) -> dict[str, Any] | None:
        """The portal's answer to this session's check-in: booked (``slot_start``), or not
        (``walk_in``, ``booking_site``, ``reason``)."""
        answer = self.call.checked_in if self.call is not None else None
        if answer is None or answer.get("session_id") != self.session.session_id:
            return None
        return answer

    @property
    def booking_code_status(self) -> dict[str, Any] | None:
        """The check of the code typed in this session: ``state`` is ``checking``,
        ``accepted`` or ``refused`` (with ``reason``: ``bad_code``, ``rate_limited``,
        ``no_answer``; ``walk_in`` and ``booking_site`` as the portal said)."""
        if self._code_status is None or self._code_status[0] != self.session.session_id:
            return None
        return dict(self._code_status[1])

    def submit_booking_code(self, code: str) -> bool:
        """The booking-code screen's OK: check ``code`` with the portal in the background;
        a code of this cabin's appointment now takes the patient on to consent."""
        code = "".join(code.split()).replace("-", "").upper()
        state = self.session.state
        if self.call is None or state is not State.BOOKING_CODE or not code:
            return False
        status = self.booking_code_status
        if status is not None and status["state"] == "checking":
            return False  # one check at a time
        sid = self.session.session_id
        self._code_status = (sid, {"state": "checking"})
        self.tasks.spawn(self._check_code(sid, code), "check-booking-code")
        return True

    async def _check_code(self, sid: str, code: str) -> None:
        assert self.call is not None
        answer = await self.call.check_code(sid, code)
        if self.session.session_id != sid or self.session.state is not State.BOOKING_CODE:
            return
        if answer is None:
            status: dict[str, Any] = {"state": "refused", "reason": "no_answer"}
        elif answer.get("booked"):
            status = {"state": "accepted", "slot_start": answer.get("slot_start", "")}
        elif answer.get("reason") == "unavailable":
            # The portal's own trouble: the patient is not turned away, but waits as a walk-in.
            status = {"state": "accepted", "reason": "unavailable"}
            code = ""
        else:
            status = {
                "state": "refused",
                "reason": str(answer.get("reason", "bad_code")),
                "walk_in": bool(answer.get("walk_in")),
                "booking_site": str(answer.get("booking_site", "")),
            }
        self._code_status = (sid, status)
        log.info("session %s: booking code %s", sid, status["state"])
        if status["state"] == "accepted":
            send_quietly(self.session, ContinueWithoutCard(code))

    def continue_without_card(self) -> bool:
        """At a cabin that takes walk-ins (the portal said so at connection, or with a refused
        code): wait without an appointment."""
        status = self.booking_code_status
        if not self.takes_walk_ins and (status is None or not status.get("walk_in")):
            return False
        if status is not None and status.get("state") == "checking":
            return False  # a code is being checked: its answer decides
        return send_quietly(self.session, ContinueWithoutCard())

    def checked_in(self, answer: dict[str, Any]) -> None:
        """The portal's check-in ``answer`` came: a patient with no appointment at a cabin
        that sees booked patients only goes to the goodbye screen, which says where to book."""
        if (
            answer.get("walk_in") is False
            and not answer.get("booked")
            and answer.get("session_id") == self.session.session_id
            and self.session.state is State.WAITING_ROOM
        ):
            log.info("session %s: no appointment, no walk-ins here", self.session.log_id)
            send_quietly(self.session, EndSession())
