"""The appointments' rules: validating a booking, slots and hours, codes, SMS, check-in.

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
import secrets
import time
import zoneinfo
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import aiohttp
import phonenumbers
from sqlalchemy.exc import SQLAlchemyError

import protocol
from portal import auth
from portal.appointments import sms as smsmod
from portal.appointments.models import Appointment, Sms
from portal.appointments.repository import (
    CodeTaken,
    DuplicateBooking,
    NewSms,
    Repository,
    SlotTaken,
)
from portal.config import TERRITORIES, HoursConfig, PortalConfig

log = logging.getLogger(__name__)

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_EXTERNAL_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
#: Booking codes: no 0/O, 1/I/L, 2/Z, 5/S, 8/B to misread on a screen or a phone.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
_BODY_KEYS = {
    "id",
    "cabin_id",
    "slot_start",
    "lang",
    "phone",
    "last_name",
    "first_name",
    "birth_date",
}
_MAX_BACKOFF_S = 3600.0


class BookingError(Exception):
    """A booking refused: ``status`` is the HTTP status, ``code`` a stable word for it."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


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


def _minutes(text: str) -> int:
    hours, _, minutes = text.partition(":")
    return int(hours) * 60 + int(minutes)


def _text(body: dict[str, Any], key: str, *, max_len: int = 128, default: str | None = None) -> str:
    value = body.get(key, default)
    if value is None:
        raise BookingError(400, "missing_field", f"{key!r} is required")
    if not isinstance(value, str) or not value.strip() or len(value) > max_len:
        raise BookingError(400, "bad_field", f"{key!r} must be a non-empty string")
    return value.strip()


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
        #: SMS given up on since the portal started (the staff page warns about them).
        self.sms_given_up = 0

    # -- helpers -------------------------------------------------------------------------

    def now(self) -> int:
        return int(self.clock())

    def hours(self, cabin_id: str) -> HoursConfig:
        hours = self.cfg.hours.get(cabin_id)
        if hours is None or cabin_id not in self.cfg.cabins:
            raise BookingError(404, "unknown_cabin", "no such cabin takes appointments")
        return hours

    def local(self, cabin_id: str, epoch: int) -> datetime:
        zone = zoneinfo.ZoneInfo(self.hours(cabin_id).timezone)
        return datetime.fromtimestamp(epoch, zone)

    def checkin_key(self, cabin_id: str) -> str:
        return protocol.checkin_key(self.cfg.appointments.match_secret, cabin_id)

    def check_slot(self, cabin_id: str, raw: Any) -> tuple[int, int]:
        """``raw`` (ISO 8601 with an offset) as a slot of the cabin: (start, end) epochs."""
        hours = self.hours(cabin_id)
        if not isinstance(raw, str) or len(raw) > 40:
            raise BookingError(400, "bad_slot", "'slot_start' must be an ISO 8601 time")
        try:
            when = datetime.fromisoformat(raw)
        except ValueError as exc:
            raise BookingError(400, "bad_slot", "'slot_start' must be an ISO 8601 time") from exc
        if when.tzinfo is None:
            raise BookingError(400, "bad_slot", "'slot_start' needs a UTC offset")
        local = when.astimezone(zoneinfo.ZoneInfo(hours.timezone))
        start = int(when.timestamp())
        if start <= self.now():
            raise BookingError(422, "slot_in_past", "the slot has begun or is past")
        minute = local.hour * 60 + local.minute
        opens, closes = _minutes(hours.opens), _minutes(hours.closes)
        if (
            _DAYS[local.weekday()] not in hours.days
            or local.second
            or local.microsecond
            or minute < opens
            or minute + hours.slot_min > closes
            or (minute - opens) % hours.slot_min
        ):
            raise BookingError(422, "outside_hours", "not a slot of this cabin's opening hours")
        return start, start + hours.slot_min * 60

    def slots(self, cabin_id: str, day: date) -> list[int]:
        """The cabin's slots on ``day`` (local), as epochs."""
        hours = self.hours(cabin_id)
        if _DAYS[day.weekday()] not in hours.days:
            return []
        zone = zoneinfo.ZoneInfo(hours.timezone)
        midnight = datetime(day.year, day.month, day.day, tzinfo=zone)
        opens, closes = _minutes(hours.opens), _minutes(hours.closes)
        return [
            int((midnight + timedelta(minutes=m)).timestamp())
            for m in range(opens, closes - hours.slot_min + 1, hours.slot_min)
        ]

    def _reminder_at(self, slot_start: int) -> int | None:
        hours = self.cfg.appointments.reminder_h
        if hours <= 0:
            return None
        at = slot_start - int(hours * 3600)
        # booked inside the reminder's window: the confirmation is recent enough
        return at if at > self.now() + 3600 else None

    @staticmethod
    def _phone(raw: Any, territory: str) -> str:
        """E.164 of a mobile number, a national one read as dialled in the cabin's territory."""
        if not isinstance(raw, str) or len(raw) > 32:
            raise BookingError(400, "bad_phone", "'phone' must be a phone number")
        try:
            number = phonenumbers.parse(raw, territory)
        except phonenumbers.NumberParseException as exc:
            raise BookingError(400, "bad_phone", "'phone' is not a phone number") from exc
        if not phonenumbers.is_valid_number(number) and not raw.lstrip().startswith("+"):
            # A visitor's own number: France and its overseas territories share the national
            # format (0 + 9 digits), and a number valid in two of them (GP, BL, MF share +590)
            # is the same E.164 number.
            for other in TERRITORIES:
                candidate = phonenumbers.parse(raw, other)
                if phonenumbers.is_valid_number(candidate):
                    number = candidate
                    break
        if not phonenumbers.is_valid_number(number):
            raise BookingError(400, "bad_phone", "'phone' is not a valid phone number")
        if phonenumbers.number_type(number) not in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ):
            raise BookingError(400, "bad_phone", "'phone' is not a mobile number (for SMS)")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    # -- the booking site's API ----------------------------------------------------------

    async def book(self, body: Any) -> tuple[dict[str, Any], bool]:
        """Book from a request body; (the appointment, whether it is new)."""
        if not isinstance(body, dict):
            raise BookingError(400, "malformed", "a booking is a JSON object")
        unknown = set(body) - _BODY_KEYS
        if unknown:
            raise BookingError(400, "unknown_field", "unknown fields in the booking")
        external_id = _text(body, "id", max_len=64)
        if not _EXTERNAL_ID.fullmatch(external_id):
            raise BookingError(400, "bad_field", "'id' is 1-64 of A-Z a-z 0-9 . _ : -")
        cabin_id = _text(body, "cabin_id", max_len=64)
        hours = self.hours(cabin_id)
        lang = _text(body, "lang", max_len=2, default="fr")
        if lang not in smsmod.LANGUAGES:
            raise BookingError(400, "bad_field", "'lang' is fr, en, ar or es")
        phone = self._phone(body.get("phone"), hours.territory)
        try:
            key = protocol.match_key(
                self.checkin_key(cabin_id),
                last_name=_text(body, "last_name"),
                first_name=_text(body, "first_name"),
                birth_date=_text(body, "birth_date", max_len=10),
            )
        except ValueError as exc:
            raise BookingError(400, "bad_identity", str(exc)) from exc
        start, end = self.check_slot(cabin_id, body.get("slot_start"))
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
                code="".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)),
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
        """The staff page's view of one cabin's day: slots, appointments, SMS warnings."""
        slots = self.slots(cabin_id, day)
        zone = zoneinfo.ZoneInfo(self.hours(cabin_id).timezone)
        start = int(datetime(day.year, day.month, day.day, tzinfo=zone).timestamp())
        # The warning count first: the appointments read after it show at least the SMS it
        # counted as failed (read the other way, an SMS failing in between is counted but
        # still shown pending).
        failed = await self.repo.failed_sms(cabin_id, since=start)
        rows = await self.repo.day(cabin_id, start, start + 26 * 3600)
        items = [
            self._json(a, s) for a, s in rows if self.local(cabin_id, a.slot_start).date() == day
        ]
        return {
            "cabin_id": cabin_id,
            "day": day.isoformat(),
            "slots": [self.local(cabin_id, s).isoformat() for s in slots],
            "appointments": items,
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
        cfg = self.cfg.sms
        if not cfg.sendsms_url:
            return 0
        sent = 0
        # The lease covers the whole batch, each SMS up to its timeout: another portal on the
        # same database must not take (and send again) one this pass has not reached yet.
        batch = 20
        lease = int(cfg.timeout_s) * batch + 30
        claimed = await self.repo.claim_sms(now=self.now(), lease_s=lease, limit=batch)
        for message, appointment in claimed:
            try:
                local = self.local(appointment.cabin_id, appointment.slot_start)
                address = self.hours(appointment.cabin_id).address
            except BookingError:
                # Its cabin left the config (closed, renamed): nothing true to say; given up
                # at once, or it would come back after every lease.
                self.sms_given_up += 1
                log.warning(
                    "appointment %d: %s SMS given up: its cabin is no longer configured",
                    appointment.id,
                    message.kind,
                )
                await self.repo.sms_failed(message.id, error="unknown_cabin", retry_at=None)
                continue
            text = smsmod.compose(
                message.kind,
                appointment.lang,
                date=local.strftime("%d/%m/%Y"),
                time=local.strftime("%H:%M"),
                code=appointment.code,
                address=address,
            )
            try:
                await smsmod.send(
                    http,
                    cfg,
                    sms_id=message.id,
                    to=appointment.phone,
                    text=text,
                    dlr_secret=self.cfg.appointments.match_secret,
                )
            except smsmod.SmsGatewayError as exc:
                attempts = message.attempts + 1
                if attempts >= cfg.max_attempts:
                    self.sms_given_up += 1
                    log.warning(
                        "appointment %d: %s SMS given up after %d attempts",
                        appointment.id,
                        message.kind,
                        attempts,
                    )
                    await self.repo.sms_failed(message.id, error=str(exc), retry_at=None)
                else:
                    delay = min(_MAX_BACKOFF_S, cfg.backoff_s * 2 ** (attempts - 1))
                    log.info(
                        "appointment %d: %s SMS not sent (%s), retry in %.0f s",
                        appointment.id,
                        message.kind,
                        type(exc).__name__,
                        delay,
                    )
                    await self.repo.sms_failed(
                        message.id, error=str(exc), retry_at=self.now() + max(1, round(delay))
                    )
                continue
            await self.repo.sms_sent(
                message.id, now=self.now(), coding=text.coding, parts=text.parts
            )
            sent += 1
            log.info("appointment %d: %s SMS sent", appointment.id, message.kind)
        return sent

    async def delivery_report(self, sms_id: int, token: str, report: int) -> bool:
        expected = smsmod.dlr_token(self.cfg.appointments.match_secret, sms_id)
        if not auth.same_secret(token, expected):
            return False
        return await self.repo.sms_report(sms_id, report=report, now=self.now())

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
