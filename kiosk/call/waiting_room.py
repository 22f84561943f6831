"""The patient's place in the portal's waiting room: check-in (by session id, with a match
key or a booking code, never a name), the staff call, booking-code checks, leaving the room,
and being put back in it when the portal link comes back."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

import protocol
from kiosk.call.portal_link import PortalLink
from kiosk.call.updates import CallStatus, CallUpdate, CheckedIn
from kiosk.domain import Beneficiary

log = logging.getLogger(__name__)


class WaitingRoomMixin:
    """The waiting-room half of :class:`~kiosk.call.peer.CabinCall`: it owns the patient's
    check-in state; the call provides the members declared (not set) below."""

    link: PortalLink
    call_id: str
    status: CallStatus
    _ended: bool

    def _emit(self, update: CallUpdate) -> None:
        raise NotImplementedError

    def _new_session(self) -> None:
        """The call's own state for a new patient (it announces ``waiting``)."""
        raise NotImplementedError

    async def hang_up(self) -> None:
        raise NotImplementedError

    def _init_waiting_room(self) -> None:
        self.session_id = ""
        self._identity: dict[str, Any] | None = None
        self._booking_code = ""
        #: The portal's answer to the last checkin (appointment found or not).
        self.checked_in: dict[str, Any] | None = None
        self._code_checks: dict[str, asyncio.Future[dict[str, Any] | None]] = {}
        #: The patient's call for the staff is on (sent again after a reconnection).
        self.staff_called = False
        #: The portal's last word on it: ``{"state": "received" | "coming", "by": ...}``.
        self.staff_answer: dict[str, Any] | None = None
        #: The patient's place in the waiting room (1 = next) and expected wait (s).
        self.queue: tuple[int, float] | None = None
        #: The portal's word on the room with the queue: ``doctors`` on duty, whether the
        #: cabin is ``open`` (its hours), the ``booking_site``; a key it did not send is absent.
        self.room: dict[str, Any] = {}
        #: The session ended at the cabin (printing, goodbye...): out of the waiting room;
        #: and whether the portal was told (else it is at the next connection).
        self._left = self._checked_out = False
        #: The doctor a nurse calls directly, and the nurse (``checkin`` fields of
        #: ``protocol.doctors``; empty: the general room), sent again on reconnecting.
        self._direct: dict[str, str] = {}

    async def check_in(
        self,
        session_id: str,
        *,
        identity: Beneficiary | None = None,
        consent_time: datetime | None = None,
        booking_code: str = "",
        without_card: bool = False,
        direct: dict[str, str] | None = None,
    ) -> None:
        """Put the patient in the portal's waiting room (by session id only).

        With appointments, the portal gets the beneficiary's match key (a keyed hash under
        this cabin's key, never a name) or the typed ``booking_code``, and answers with
        ``checked_in`` (kept in :attr:`checked_in`). ``without_card``: no identity was read;
        the doctor is told so, to check an ID document on camera.
        """
        self.session_id = session_id
        self._identity = None
        self.checked_in = None
        self.queue = None
        self.room = {}
        self._booking_code = booking_code
        self._direct = dict(direct or {})
        if identity is not None:
            self._identity = {
                "last_name": identity.last_name,
                "first_name": identity.first_name,
                "birth_date": identity.birth_date,
                "nir": identity.nir,
                "consent_time": consent_time.isoformat() if consent_time else "",
                "session_id": session_id,
                "source": "card",
            }
        elif without_card:
            self._identity = {
                "last_name": "",
                "first_name": "",
                "birth_date": "",
                "consent_time": consent_time.isoformat() if consent_time else "",
                "session_id": session_id,
                "source": "booking_code" if booking_code else "walk_in",
            }
        self._left = self._checked_out = False
        self._new_session()
        await self.link.send(
            "checkin", session_id=session_id, **self._match_fields(), **self._direct
        )
        log.info("call: session %s checked in", session_id)

    async def redirect(self, direct: dict[str, str] | None) -> bool:
        """The checked-in patient now waits for another doctor, or (None) in the general
        room, keeping their arrival; False when the portal cannot be told now (it is on
        reconnecting)."""
        self._direct, self.queue, self.room = dict(direct or {}), None, {}
        fields = {"session_id": self.session_id, **self._match_fields(), **self._direct}
        return await self.link.send("checkin", **fields)

    async def call_staff(self, active: bool = True) -> bool:
        """Tell the portal the patient calls the staff (or no longer does); False when the
        portal cannot be told now (then the call goes again on reconnection)."""
        self.staff_called = active
        self.staff_answer = None
        return await self.link.send("staff_call", active=active)

    @property
    def takes_booking_codes(self) -> bool:
        """Whether the portal has appointments (its welcome gave a check-in key)."""
        return bool(self.link.checkin_key) and self.link.connected.is_set()

    async def check_code(
        self, session_id: str, code: str, *, timeout: float = 10.0
    ) -> dict[str, Any] | None:
        """Ask the portal whether ``code`` is this cabin's appointment now, without joining
        the waiting room; ``None`` when the portal cannot answer in time."""
        previous = self._code_checks.pop(session_id, None)
        if previous is not None and not previous.done():
            previous.set_result(None)  # a newer check of the same session takes over
        waiter: asyncio.Future[dict[str, Any] | None] = asyncio.get_running_loop().create_future()
        self._code_checks[session_id] = waiter
        try:
            if not await self.link.send("check_code", session_id=session_id, booking_code=code):
                return None
            return await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            log.info("call: session %s: no answer about the booking code", session_id)
            return None
        finally:
            if self._code_checks.get(session_id) is waiter:
                del self._code_checks[session_id]

    def _match_fields(self) -> dict[str, str]:
        key, who = self.link.checkin_key, self._identity
        if self._booking_code:
            return {"booking_code": self._booking_code}
        if not key or who is None or who.get("source") != "card":
            return {}
        try:
            return {
                "match_key": protocol.match_key(
                    key,
                    last_name=who["last_name"],
                    first_name=who["first_name"],
                    birth_date=who["birth_date"],
                )
            }
        except ValueError:
            log.warning("call: session %s: no match key for this card", self.session_id)
            return {}

    async def leave_room(self) -> None:
        """The session ended at the cabin (papers printing, goodbye, a fault that cannot be
        resumed): the portal takes the patient out of the waiting room now, not at the wipe a
        minute later, and a call that was starting is let go; none is taken any more."""
        if not self.session_id or self._left:
            return
        self._left = True
        if self.call_id and not self._ended:
            await self.hang_up()
        log.info("call: session %s left the waiting room", self.session_id)
        self._checked_out = await self.link.send("checkout", session_id=self.session_id)

    async def _on_portal(self) -> None:
        if self.staff_called:
            await self.link.send("staff_call", active=True)
        # (re)connected: put the patient back in the room, with the call if one is up; a
        # patient whose call has ended (printing, goodbye) does not go back to the room
        if self.session_id and not self._ended and not self._left:
            fields: dict[str, Any] = {"session_id": self.session_id, **self._match_fields()}
            fields.update(self._direct)
            if self.call_id and self.status is CallStatus.CONNECTED:
                fields["call_id"] = self.call_id
            await self.link.send("checkin", **fields)
        elif self.session_id and self._left and not self._checked_out:
            # the patient left while the portal was out of reach: out of its room now
            self._checked_out = await self.link.send("checkout", session_id=self.session_id)

    def _on_room_signal(self, msg: dict[str, Any]) -> None:
        """The portal's word on the patient: the check-in's answer, the staff's, the queue."""
        kind = msg["type"]
        if kind == "checked_in":
            waiter = self._code_checks.pop(msg["session_id"], None)
            if waiter is not None and not waiter.done():
                waiter.set_result(msg)
            elif msg["session_id"] == self.session_id:
                self.checked_in = msg
                self._emit(CheckedIn(msg))
        elif kind == "staff_answer" and self.staff_called:
            self.staff_answer = msg
        elif kind == "queue" and msg["session_id"] == self.session_id:
            self.queue = (msg["position"], float(msg["estimate_s"]))
            self.room = {
                k: msg[k] for k in ("doctors", "open", "booking_site", "doctor") if k in msg
            }
