"""A nurse calls one doctor directly (a mallette, or a bus with a nurse): after the consent,
the doctors the portal lists, the check-in addressed to one of them or to the general
waiting room, and what the portal says of that doctor while the patient waits.

Nothing of the patient goes this way but the session id: the portal lists doctors (login,
name, available, busy or offline), and learns the doctor's login and the nurse's name and
profession with the check-in. A cabin without a nurse (no ``assistance``) never uses it:
its patients check in at the consent, as before (``SessionBinding``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.session import Notice, Session, State, Update
from kiosk.session.data import SessionData
from kiosk.tasks import Tasks
from protocol.doctors import doctor_entries

if TYPE_CHECKING:
    from kiosk.call import CabinCall

log = logging.getLogger(__name__)

#: The portal's list is awaited this long, then the screen says it could not be read.
LIST_WAIT_S = 10.0
#: While the nurse chooses, the list is read again this often (who came, who left).
LIST_EVERY_S = 15.0

#: Where the nurse's choice stands: none (not a nurse's patient), choosing, waiting for the
#: chosen doctor, or in the general waiting room.
NONE, CHOOSING, DIRECTED, GENERAL = "", "choosing", "directed", "general"


class DoctorChoice:
    """The nurse's choice of a doctor for the current patient (see the module docstring).

    The screens read :attr:`phase`, :meth:`doctors`, :attr:`doctor`, :meth:`doctor_state`,
    :attr:`notice` and :meth:`listing`, and act with :meth:`refresh`, :meth:`call_doctor`
    and :meth:`join_room`; each action returns False when it cannot be done now.
    """

    def __init__(
        self,
        session: Session,
        call: CabinCall,
        *,
        tasks: Tasks,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session = session
        self.call = call
        self.tasks = tasks
        self._clock = clock
        self.phase = NONE
        #: The doctor chosen ({"id", "name", "state"}), while the patient waits for them.
        self.doctor: dict[str, str] | None = None
        #: Why the list shows again: ``unknown`` (the portal knows no such doctor).
        self.notice = ""
        self._doctors: list[dict[str, str]] = []
        self._asked_at: float | None = None  # a list asked and not answered yet, since
        self._answered_at: float | None = None
        self._failed = False
        self._session_id = ""  # the session of this choice
        self._checked_in = False  # the patient is in the portal's room (any address)
        #: The address before the last change (None: the general room), where the patient
        #: still is when the portal refuses the new one.
        self._fallback: dict[str, str] | None = None
        self._address: dict[str, str] | None = None
        self._was_in_room = False
        call.link.commands["doctors"] = self._on_list
        call.link.commands["direct"] = self._on_direct
        self._unsubscribe = session.subscribe(self._on_update)

    def close(self) -> None:
        self._unsubscribe()

    # -- the session ---------------------------------------------------------------------

    @staticmethod
    def defers(data: SessionData) -> bool:
        """Whether the check-in at the consent waits for the nurse's choice (a nurse is
        there: the session is assisted)."""
        return data.assistance is not None

    def _on_update(self, update: Update) -> None:
        if update.notice is not Notice.TRANSITION:
            return
        data = self.session.data
        if update.state is State.WAITING_ROOM and update.previous is State.CONSENT:
            if data is not None and self.defers(data):
                self._reset(data.session_id)
                self.phase = CHOOSING
                self.refresh()
        elif data is None or data.session_id != self._session_id:
            self._reset("")

    def _reset(self, session_id: str) -> None:
        self.phase, self.doctor, self.notice = NONE, None, ""
        self._session_id, self._checked_in = session_id, False
        self._fallback = self._address = None
        self._was_in_room = False

    # -- what the screen reads -----------------------------------------------------------

    def doctors(self) -> list[dict[str, str]]:
        """The doctors as the portal last listed them, available first."""
        return list(self._doctors)

    def listing(self) -> str:
        """``asking`` (no answer yet), ``ready``, or ``failed`` (no portal, or no answer
        within :data:`LIST_WAIT_S`)."""
        if self._asked_at is not None and self._clock() - self._asked_at > LIST_WAIT_S:
            self._asked_at, self._failed = None, True
            log.info("session %s: no list of doctors from the portal", self.session.log_id)
        if self._failed:
            return "failed"
        return "asking" if self._asked_at is not None and self._answered_at is None else "ready"

    def doctor_state(self) -> str:
        """Where the chosen doctor is, as the portal last said: ``available``, ``busy``,
        ``offline``, or ``""`` (not said yet)."""
        if self.phase != DIRECTED:
            return ""
        return str(self.call.room.get("doctor", ""))

    # -- what the nurse does -------------------------------------------------------------

    def refresh(self, *, quiet: bool = False) -> bool:
        """Ask the portal for the list again (``quiet``: only when the last is old)."""
        if quiet and (
            self._asked_at is not None
            or (self._answered_at and self._clock() - self._answered_at < LIST_EVERY_S)
        ):
            return False
        self._asked_at, self._failed = self._clock(), False
        self.tasks.spawn(self._ask(), "doctors-ask")
        return True

    async def _ask(self) -> None:
        if not await self.call.link.send("doctors_ask"):
            self._asked_at, self._failed = None, True

    def call_doctor(self, doctor_id: str) -> bool:
        """The patient waits for this doctor of the list."""
        chosen = next((d for d in self._doctors if d["id"] == doctor_id), None)
        data = self.session.data
        if chosen is None or data is None or self.phase not in (CHOOSING, GENERAL, DIRECTED):
            return False
        nurse = data.assistance.nurse if data.assistance is not None else None
        direct = {"doctor_id": doctor_id}
        if nurse is not None:
            direct |= {"nurse_name": nurse.name, "nurse_profession": nurse.profession.value}
        self.phase, self.doctor, self.notice = DIRECTED, chosen, ""
        log.info("session %s: the nurse calls doctor %s", self.session.log_id, doctor_id)
        self._enter(data, direct)
        return True

    def join_room(self) -> bool:
        """The patient waits in the general room (any doctor on duty), keeping their
        arrival when they waited for a doctor already."""
        data = self.session.data
        if data is None or self.phase not in (CHOOSING, DIRECTED):
            return False
        self.phase, self.doctor, self.notice = GENERAL, None, ""
        log.info("session %s: the nurse chooses the waiting room", self.session.log_id)
        self._enter(data, None)
        return True

    def _enter(self, data: SessionData, direct: dict[str, str] | None) -> None:
        self._fallback, self._address = self._address, direct
        self._was_in_room = self._checked_in
        if self._checked_in and self.call.session_id == data.session_id:
            self.tasks.spawn(self.call.redirect(direct), "doctors-redirect")
            return
        self._checked_in = True
        self.tasks.spawn(
            self.call.check_in(
                data.session_id,
                identity=data.chosen,
                consent_time=data.consent_time,
                booking_code=data.booking_code,
                without_card=data.without_card,
                direct=direct,
            ),
            "call-check-in",
        )

    # -- what the portal says ------------------------------------------------------------

    def _on_list(self, msg: dict[str, Any]) -> None:
        self._doctors = doctor_entries(msg.get("doctors"))
        self._asked_at, self._answered_at, self._failed = None, self._clock(), False

    def _on_direct(self, msg: dict[str, Any]) -> None:
        if msg["session_id"] != self._session_id or self.phase != DIRECTED:
            return
        if msg["state"] == "unknown":
            # no such doctor (any more): the nurse sees why, and the list again; the
            # patient is in no room yet, or still where they were
            log.info("session %s: the portal knows no such doctor", self.session.log_id)
            self.phase, self.doctor, self.notice = CHOOSING, None, "unknown"
            if self._fallback is not None or self._was_in_room:
                # the kit's call says again where the patient still is (a reconnection
                # would send the refused address else)
                self._address = self._fallback
                self.tasks.spawn(self.call.redirect(self._fallback), "doctors-redirect")
            self.refresh()
