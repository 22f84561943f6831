"""The appointments' service: booking, moving and cancelling, the staff page's day, the
check-in at the cabin, and the background passes (SMS through :mod:`.outbox`, housekeeping).

The booking site sends the patient's names and birth date once; only their match key
(:func:`protocol.match_key` under the cabin's key) is stored. Nothing here logs more
than an appointment's internal id, a cabin id or a kiosk session id.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import re
import time
import zoneinfo
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import aiohttp
from sqlalchemy.exc import SQLAlchemyError

import protocol
from portal.appointments import directory, rules
from portal.appointments import sms as smsmod
from portal.appointments.models import ACTIVE, Appointment, Sms
from portal.appointments.outbox import Outbox
from portal.appointments.repository import (
    CodeTaken,
    DuplicateBooking,
    NewSms,
    Repository,
    SlotTaken,
)
from portal.appointments.rules import BookingError
from portal.config import HoursConfig, PortalConfig

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckIn:
    """The portal's answer to a cabin's check-in."""

    booked: bool
    walk_in: bool
    slot_start: int = 0
    slot_label: str = ""
    reason: str = ""
    booking_site: str = ""

    def fields(self, session_id: str) -> dict[str, Any]:
        out: dict[str, Any] = {"session_id": session_id, "booked": self.booked}
        if self.booked:
            out["slot_start"] = self.slot_label
        else:
            out["walk_in"] = self.walk_in
            out["reason"] = self.reason
            if self.booking_site:
                out["booking_site"] = self.booking_site
        return out


class Appointments:
    """The portal's appointments, over a :class:`Repository`."""

    def __init__(
        self, cfg: PortalConfig, repo: Repository, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.cfg = cfg
        self.repo = repo
        self.clock = clock
        self.wake = asyncio.Event()
        self._code_failures: dict[str, deque[float]] = {}
        self.outbox = Outbox(cfg, repo, now=self.now)

    # -- helpers -------------------------------------------------------------------------

    def now(self) -> int:
        return int(self.clock())

    def hours(self, cabin_id: str) -> HoursConfig:
        return rules.cabin_hours(self.cfg, cabin_id)

    def local(self, cabin_id: str, epoch: int) -> datetime:
        return rules.local_time(self.hours(cabin_id), epoch)

    def checkin_key(self, cabin_id: str) -> str:
        return protocol.checkin_key(self.cfg.appointments.match_secret, cabin_id)

    def check_slot(self, cabin_id: str, raw: Any) -> tuple[int, int]:
        """``raw`` (ISO 8601 with an offset) as a slot of the cabin: (start, end) epochs."""
        start, end = rules.check_slot(self.hours(cabin_id), raw, now=self.now())
        found = directory.cabin(self.cfg, cabin_id)
        if found is not None and not found.follows(start):  # a bus santé is elsewhere
            raise BookingError(422, "outside_hours", "not a slot of this cabin's locations")
        return start, end

    def slots(self, cabin_id: str, day: date) -> list[int]:
        """The cabin's slots on ``day`` (local), as epochs (a bus santé's: in its locations)."""
        found = directory.cabin(self.cfg, cabin_id)
        slots = rules.day_slots(self.hours(cabin_id), day)
        return slots if found is None else [s for s in slots if found.follows(s)]

    def _reminder_at(self, slot_start: int) -> int | None:
        hours = self.cfg.appointments.reminder_h
        if hours <= 0:
            return None
        at = slot_start - int(hours * 3600)
        # booked inside the reminder's window: the confirmation is recent enough
        return at if at > self.now() + 3600 else None

    _phone = staticmethod(rules.mobile_phone)

    # -- the booking site's API ----------------------------------------------------------

    async def book(self, body: Any) -> tuple[dict[str, Any], bool]:
        """Book from a request body; (the appointment, whether it is new)."""
        if not isinstance(body, dict):
            raise BookingError(400, "malformed", "a booking is a JSON object")
        unknown = set(body) - rules.BODY_KEYS
        if unknown:
            raise BookingError(400, "unknown_field", "unknown fields in the booking")
        external_id = rules.text_field(body, "id", max_len=64)
        if not rules.EXTERNAL_ID.fullmatch(external_id):
            raise BookingError(400, "bad_field", "'id' is 1-64 of A-Z a-z 0-9 . _ : -", field="id")
        cabin_id = rules.text_field(body, "cabin_id", max_len=64)
        hours = self.hours(cabin_id)
        lang = rules.text_field(body, "lang", max_len=2, default="fr")
        if lang not in smsmod.LANGUAGES:
            raise BookingError(400, "bad_field", "'lang' is fr, en, ar or es", field="lang")
        phone = self._phone(body.get("phone"), hours.territory)
        try:
            key = protocol.match_key(
                self.checkin_key(cabin_id),
                last_name=rules.text_field(body, "last_name"),
                first_name=rules.text_field(body, "first_name"),
                birth_date=rules.text_field(body, "birth_date", max_len=10),
            )
        except ValueError as exc:
            raise BookingError(400, "bad_identity", str(exc)) from exc
        start, end = self.check_slot(cabin_id, body.get("slot_start"))
        return await self.book_matched(
            external_id, cabin_id, start=start, end=end, lang=lang, phone=phone, key=key
        )

    async def book_matched(
        self,
        external_id: str,
        cabin_id: str,
        *,
        start: int,
        end: int,
        lang: str,
        phone: str,
        key: str,
    ) -> tuple[dict[str, Any], bool]:
        """Book a checked slot for a match key already computed (the booking site computes
        it when the names are typed, and keeps nothing else of them)."""
        fingerprint = hashlib.sha256(
            json.dumps([cabin_id, start, lang, phone, key]).encode()
        ).hexdigest()
        existing = await self.repo.by_external_id(external_id)
        if existing is not None:
            return self._same_booking(existing, fingerprint), False
        now = self.now()
        messages = [NewSms("confirmation", now)]
        reminder = self._reminder_at(start)
        if reminder is not None:
            messages.append(NewSms("reminder", reminder))
        for _ in range(5):
            appointment = Appointment(
                external_id=external_id,
                fingerprint=fingerprint,
                cabin_id=cabin_id,
                slot_start=start,
                slot_end=end,
                lang=lang,
                phone=phone,
                code=rules.new_code(),
                match_key=key,
                status="booked",
                session_id="",
                created_at=now,
                purge_at=end + int(self.cfg.appointments.purge_after_h * 3600),
            )
            try:
                await self.repo.add(appointment, messages)
            except DuplicateBooking as exc:  # the same id sent twice at once
                return self._same_booking(exc.existing, fingerprint), False
            except SlotTaken as exc:
                raise BookingError(409, "slot_taken", "this slot is booked already") from exc
            except CodeTaken:
                continue
            log.info("appointment %d: booked at cabin %s", appointment.id, cabin_id)
            self.wake.set()
            return await self.describe(appointment), True
        raise BookingError(503, "busy", "no free booking code, try again")

    def _same_booking(self, existing: Appointment, fingerprint: str) -> dict[str, Any]:
        if existing.fingerprint != fingerprint:
            raise BookingError(409, "id_reused", "this booking id holds another booking")
        if existing.status == "cancelled":
            raise BookingError(409, "cancelled", "this booking was cancelled")
        return self._json(existing, [])

    async def get(self, external_id: str) -> dict[str, Any] | None:
        appointment = await self.repo.by_external_id(external_id)
        return None if appointment is None else await self.describe(appointment)

    async def describe(self, appointment: Appointment) -> dict[str, Any]:
        day_start = appointment.slot_start
        rows = await self.repo.day(appointment.cabin_id, day_start, day_start + 1)
        texts = next((s for a, s in rows if a.id == appointment.id), [])
        return self._json(appointment, texts)

    def _json(self, a: Appointment, texts: list[Sms]) -> dict[str, Any]:
        return {
            "id": a.external_id,
            "cabin_id": a.cabin_id,
            "slot_start": self.local(a.cabin_id, a.slot_start).isoformat(),
            "slot_end": self.local(a.cabin_id, a.slot_end).isoformat(),
            "lang": a.lang,
            "phone": a.phone,
            "code": a.code,
            "status": a.status,
            "checked_in": a.status == "checked_in",
            "sms": [
                {
                    "kind": s.kind,
                    "status": s.status,
                    "attempts": s.attempts,
                    "parts": s.parts,
                    "delivered": s.dlr == 1,
                    "report": s.dlr,
                }
                for s in texts
            ],
        }

    async def cancel(self, external_id: str) -> dict[str, Any] | None:
        appointment = await self.repo.cancel(external_id, now=self.now())
        if appointment is None:
            return None
        log.info("appointment %d: %s", appointment.id, appointment.status)
        self.wake.set()
        return await self.describe(appointment)

    async def move(self, external_id: str, slot: Any) -> dict[str, Any] | None:
        current = await self.repo.by_external_id(external_id)
        if current is None:
            return None
        if current.status != "booked":
            raise BookingError(409, "not_movable", "only a booked appointment moves")
        start, end = self.check_slot(current.cabin_id, slot)
        try:
            moved = await self.repo.move(
                external_id, slot_start=start, slot_end=end, reminder_at=self._reminder_at(start)
            )
        except SlotTaken as exc:
            raise BookingError(409, "slot_taken", "this slot is booked already") from exc
        if moved is None:
            return None
        log.info("appointment %d: moved", moved.id)
        self.wake.set()
        return await self.describe(moved)

    async def day(self, cabin_id: str, day: date) -> dict[str, Any]:
        """The staff page's view of one cabin's day: its slots, those still ``bookable`` (free
        and not begun: the only ones the page offers), appointments, SMS warnings."""
        slots = self.slots(cabin_id, day)
        zone = zoneinfo.ZoneInfo(self.hours(cabin_id).timezone)
        start = int(datetime(day.year, day.month, day.day, tzinfo=zone).timestamp())
        # The warning count first: the appointments read after it show at least the SMS it
        # counted as failed (read the other way, an SMS failing in between is counted but
        # still shown pending).
        failed = await self.repo.failed_sms(cabin_id, since=start)
        rows = await self.repo.day(cabin_id, start, start + 26 * 3600)
        ours = [(a, s) for a, s in rows if self.local(cabin_id, a.slot_start).date() == day]
        # what may be booked or moved to: a free slot that has not begun
        taken = {a.slot_start for a, _ in ours if a.status in ACTIVE}
        now = self.now()
        return {
            "cabin_id": cabin_id,
            "day": day.isoformat(),
            "slots": [self.local(cabin_id, s).isoformat() for s in slots],
            "bookable": [
                self.local(cabin_id, s).isoformat() for s in slots if s > now and s not in taken
            ],
            "appointments": [self._json(a, s) for a, s in ours],
            "sms_failed": failed,
        }

    # -- check-in at the cabin -----------------------------------------------------------

    def walk_ins(self, cabin_id: str) -> bool:
        """Whether this cabin also sees patients without an appointment."""
        hours = self.cfg.hours.get(cabin_id)
        return hours.walk_ins if hours else True

    async def check_in(
        self,
        cabin_id: str,
        session_id: str,
        *,
        match_key: str = "",
        code: str = "",
        mark: bool = True,
    ) -> CheckIn:
        """The appointment of this key or code in the current window (marked checked in
        unless ``mark=False``: a code typed before consent is only checked), or why none."""
        hours = self.cfg.hours.get(cabin_id)
        walk_in = self.walk_ins(cabin_id)
        site = self.cfg.appointments.booking_site
        code = re.sub(r"[\s-]", "", code).upper()
        now = self.now()
        if code and self._code_limited(cabin_id):
            log.warning("cabin %s: booking codes refused (too many wrong ones)", cabin_id)
            return CheckIn(False, False, reason="rate_limited", booking_site=site)
        found = None
        if hours is not None and (match_key or code):
            try:
                found = await self._lookup(cabin_id, session_id, match_key, code, now, mark=mark)
            except (SQLAlchemyError, OSError) as exc:
                # the patient is not turned away for the portal's trouble: a walk-in
                log.error(
                    "cabin %s: appointments unavailable (%s), session %s waits as a walk-in",
                    cabin_id,
                    type(exc).__name__,
                    session_id,
                )
                return CheckIn(False, True, reason="unavailable")
        if found is not None:
            log.info(
                "cabin %s: session %s %s appointment %d",
                cabin_id,
                session_id,
                "checked in for" if mark else "has the code of",
                found.id,
            )
            label = self.local(cabin_id, found.slot_start).strftime("%H:%M")
            return CheckIn(True, False, slot_start=found.slot_start, slot_label=label)
        if code:
            self._code_failed(cabin_id)
            return CheckIn(False, False, reason="bad_code", booking_site=site)
        return CheckIn(False, walk_in, reason="none", booking_site="" if walk_in else site)

    async def _lookup(
        self, cabin_id: str, session_id: str, match_key: str, code: str, now: int, *, mark: bool
    ) -> Appointment | None:
        appts = self.cfg.appointments
        return await self.repo.check_in(
            cabin_id,
            session_id=session_id,
            earliest=now - int(appts.late_min * 60),
            latest=now + int(appts.early_min * 60),
            now=now,
            match_key=match_key,
            code=code,
            mark=mark,
        )

    def _code_limited(self, cabin_id: str) -> bool:
        failures = self._code_failures.get(cabin_id)
        if not failures:
            return False
        window = self.cfg.appointments.code_window_s
        while failures and failures[0] < self.clock() - window:
            failures.popleft()
        return len(failures) >= self.cfg.appointments.max_code_attempts

    def _code_failed(self, cabin_id: str) -> None:
        limit = self.cfg.appointments.max_code_attempts
        self._code_failures.setdefault(cabin_id, deque(maxlen=limit)).append(self.clock())

    # -- SMS and housekeeping ------------------------------------------------------------

    async def send_due(self, http: aiohttp.ClientSession) -> int:
        """One pass over the SMS that are due; returns how many Kannel took."""
        return await self.outbox.send_due(http)

    async def delivery_report(self, sms_id: int, token: str, report: int) -> bool:
        return await self.outbox.delivery_report(sms_id, token, report)

    @property
    def sms_given_up(self) -> int:
        """SMS given up on since the portal started (the staff page warns about them)."""
        return self.outbox.given_up

    async def housekeeping(self) -> None:
        """No-shows free their slot; appointments past their purge time are erased."""
        no_show = int(self.cfg.appointments.no_show_min * 60)
        freed = await self.repo.mark_no_shows(before=self.now() - no_show)
        purged = await self.repo.purge(now=self.now())
        if freed or purged:
            log.info("appointments: %d no-shows, %d purged", freed, purged)

    @staticmethod
    async def _pass(name: str, work: Coroutine[Any, Any, object]) -> bool:
        """Run one background pass; False (logged by the error's type) when it failed."""
        try:
            await work
        except (SQLAlchemyError, OSError) as exc:  # the database is away: next tick
            log.warning("appointments: %s pass failed: %s", name, type(exc).__name__)
            return False
        except Exception as exc:
            log.error("appointments: %s pass failed unforeseen: %s", name, type(exc).__name__)
            return False
        return True

    async def run(self, *, tick_s: float = 1.0, housekeeping_s: float = 60.0) -> None:
        """Send SMS as they fall due (woken at once by a booking) and keep house; forever."""
        last_housekeeping = 0.0
        async with aiohttp.ClientSession() as http:
            while True:
                self.wake.clear()
                # Each pass on its own, and nothing ends the loop: a failing SMS pass must not
                # stop the no-shows and the purge (the patients' data has a time to go).
                await self._pass("SMS", self.send_due(http))
                if time.monotonic() - last_housekeeping >= housekeeping_s and await self._pass(
                    "housekeeping", self.housekeeping()
                ):
                    last_housekeeping = time.monotonic()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), tick_s)
