"""What the booking site does, apart from its pages: free slots as patients may pick them,
the phone's code sent through Kannel, the booking once the code is right, the manage link's
booking; every abuse limit on the way. The pages (:mod:`portal.booking`) only call this.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import zoneinfo
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from typing import Any

import aiohttp
import phonenumbers
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import protocol
from portal.appointments import directory, links, rules
from portal.appointments import sms as smsmod
from portal.appointments.models import ACTIVE, Appointment
from portal.appointments.rules import BookingError
from portal.appointments.service import Appointments
from portal.appointments.verification import Flow, Flows, Limited

log = logging.getLogger(__name__)

CODE_TEXTS = {
    "fr": "Cabine : votre code de confirmation est {code}. Il expire dans {minutes} minutes.",
    "en": "Cabine: your confirmation code is {code}. It expires in {minutes} minutes.",
    "es": "Cabine: su código de confirmación es {code}. Caduca en {minutes} minutos.",
    "ar": "Cabine: رمز التأكيد الخاص بك هو {code}. تنتهي صلاحيته بعد {minutes} دقائق.",
}


#: Seconds a request waits for its turn at the database before a calm "try again" page.
DB_WAIT_S = 20.0


class Busy(OSError):
    """No turn at the database within :data:`DB_WAIT_S` (the portal is overloaded)."""


class SmsDown(Exception):
    """The code could not be sent (Kannel down or refusing): nothing is booked."""


@dataclasses.dataclass(frozen=True)
class Slot:
    start: int
    local: datetime
    address: str

    @property
    def iso(self) -> str:
        return self.local.isoformat()


class BookingSite:
    """The booking site over the portal's :class:`Appointments`."""

    def __init__(self, service: Appointments, flows: Flows) -> None:
        self.service, self.flows = service, flows
        self.cfg = service.cfg
        self.http: aiohttp.ClientSession | None = None
        #: Database work of the site at once: beyond, requests wait here, not in the
        #: connection pool (whose wait ends in an error).
        self.db = asyncio.Semaphore(8)
        self._slot_cache: dict[tuple[str, date], list[int]] = {}

    @contextlib.asynccontextmanager
    async def database(self) -> AsyncIterator[None]:
        """A turn at the database, waited for at most :data:`DB_WAIT_S` (else :class:`Busy`)."""
        try:
            await asyncio.wait_for(self.db.acquire(), DB_WAIT_S)
        except TimeoutError as exc:
            raise Busy("no turn at the database") from exc
        try:
            yield
        finally:
            self.db.release()

    async def close(self) -> None:
        if self.http is not None:
            await self.http.close()

    # -- slots -------------------------------------------------------------------------

    def cabin(self, cabin_id: str) -> directory.Cabin:
        found = directory.cabin(self.cfg, cabin_id)
        if found is None:
            raise BookingError(404, "unknown_cabin", "no such cabin takes appointments")
        return found

    async def free_starts(
        self, cabin_id: str, *, flow_id: str = "", first_only: bool = False
    ) -> dict[date, list[int]]:
        """The slots a patient may pick (epochs), by local day, ``days_ahead`` days from
        today: not begun, not booked, not held by another unconfirmed booking."""
        cabin = self.cabin(cabin_id)
        zone = zoneinfo.ZoneInfo(cabin.hours.timezone)
        now = self.service.now()
        today = datetime.fromtimestamp(now, zone).date()
        days = [today + timedelta(days=n) for n in range(self.cfg.booking.days_ahead)]
        first = int(datetime(today.year, today.month, today.day, tzinfo=zone).timestamp())
        async with self.database():
            rows = await self.service.repo.day(cabin_id, first, first + (len(days) + 1) * 86400)
        taken = {a.slot_start for a, _ in rows if a.status in ACTIVE}
        out: dict[date, list[int]] = {}
        for day in days:
            free = [
                s
                for s in self._day_slots(cabin_id, day)
                if s > now
                and s not in taken
                and not self.flows.held(cabin_id, s, by_other_than=flow_id)
            ]
            if free:
                out[day] = free
                if first_only:
                    break
        return out

    def _day_slots(self, cabin_id: str, day: date) -> list[int]:
        """The service's slots of a day, computed once (the config does not change)."""
        found = self._slot_cache.get((cabin_id, day))
        if found is None:
            if len(self._slot_cache) > 4096:
                self._slot_cache.clear()
            found = self._slot_cache[(cabin_id, day)] = self.service.slots(cabin_id, day)
        return found

    def slots(self, cabin_id: str, starts: list[int]) -> list[Slot]:
        """Slots as a page shows them: local time, and where (a bus santé moves)."""
        cabin = self.cabin(cabin_id)
        zone = zoneinfo.ZoneInfo(cabin.hours.timezone)
        return [Slot(s, datetime.fromtimestamp(s, zone), cabin.address_at(s)) for s in starts]

    async def next_free(self, cabin_id: str) -> Slot | None:
        for starts in (await self.free_starts(cabin_id, first_only=True)).values():
            return self.slots(cabin_id, starts[:1])[0]
        return None

    def pick(self, flow: Flow, cabin_id: str, raw: str) -> None:
        """Hold the slot ``raw`` (ISO 8601) for ``flow``: a BookingError when it is no slot,
        :class:`~portal.appointments.verification.Held` when another flow holds it."""
        self.cabin(cabin_id)
        start, end = self.service.check_slot(cabin_id, raw)
        self.flows.hold(flow, cabin_id, start, end)

    # -- who comes -----------------------------------------------------------------------

    def identify(self, flow: Flow, *, last: str, first: str, birth: date, who: str) -> None:
        """Keep only the match key of the names as on the card (ValueError when unusable)."""
        if birth > datetime.fromtimestamp(self.service.now(), zoneinfo.ZoneInfo("UTC")).date():
            raise ValueError("birth date in the future")
        flow.key = protocol.match_key(
            self.service.checkin_key(flow.cabin_id),
            last_name=last,
            first_name=first,
            birth_date=birth.strftime("%Y%m%d"),
        )
        flow.who = who

    # -- the phone ---------------------------------------------------------------------

    def phone(self, flow: Flow, raw: str) -> str:
        """E.164 of a mobile number of a configured territory, or BookingError ``bad_phone``."""
        territory = self.cabin(flow.cabin_id).hours.territory
        e164 = rules.mobile_phone(raw, territory)
        region = phonenumbers.region_code_for_number(phonenumbers.parse(e164))
        allowed = {h.territory for h in self.cfg.hours.values()}
        # +590 is shared by GP, BL and MF: the number is any of them
        if region not in allowed and not (allowed & {"GP", "BL", "MF"} and e164[:4] == "+590"):
            raise BookingError(400, "bad_phone", "not a mobile number of a served territory")
        return e164

    async def active_bookings(self, phone: str) -> int:
        async with self.database(), AsyncSession(self.service.repo.engine) as session:
            found = await session.execute(
                select(func.count()).where(
                    Appointment.phone == phone,
                    Appointment.status.in_(ACTIVE),
                    Appointment.slot_end > self.service.now(),
                )
            )
            return int(found.scalar_one())

    async def send_code(self, flow: Flow, phone: str, source: str) -> None:
        """Send a new code to ``phone`` (Limited, SmsDown)."""
        if await self.active_bookings(phone) >= self.cfg.booking.bookings_per_phone:
            raise Limited("bookings_phone")
        code = self.flows.new_code(flow, phone, source)
        minutes = round(self.cfg.booking.code_ttl_s / 60)
        text = smsmod.encode(CODE_TEXTS[flow.lang].format(code=code, minutes=minutes))
        sms = self.cfg.sms
        if not sms.sendsms_url:
            self.flows.code_not_sent(flow, source)
            raise SmsDown("no SMS gateway configured")
        if self.http is None:
            self.http = aiohttp.ClientSession()
        try:
            # no delivery report: the code's SMS is not an appointment's
            await smsmod.send(
                self.http,
                dataclasses.replace(sms, dlr_base_url=""),
                sms_id=0,
                to=phone,
                text=text,
                dlr_secret="",
            )
        except smsmod.SmsGatewayError as exc:
            self.flows.code_not_sent(flow, source)
            log.warning("booking site: code SMS not sent (%s)", type(exc).__name__)
            raise SmsDown(str(exc)) from exc

    # -- booking -----------------------------------------------------------------------

    async def book(self, flow: Flow, source: str) -> dict[str, Any]:
        """Book the flow's slot (its phone confirmed); BookingError ``slot_taken`` when
        another booking got it first, Limited past the per-source limit."""
        if self.flows.bookings_source.full(source):
            raise Limited("bookings_source")
        if await self.active_bookings(flow.phone) >= self.cfg.booking.bookings_per_phone:
            raise Limited("bookings_phone")
        async with self.database():
            booked, _ = await self.service.book_matched(
                links.new_booking_id(),
                flow.cabin_id,
                start=flow.slot_start,
                end=flow.slot_end,
                lang=flow.lang,
                phone=flow.phone,
                key=flow.key,
            )
        self.flows.bookings_source.add(source)
        self.flows.release(flow)
        flow.booked = booked["id"]
        return booked

    # -- the manage link -----------------------------------------------------------------

    def link(self, external_id: str, slot_end: int) -> str:
        return links.url(
            self.cfg.booking.base_url, self.cfg.booking.link_secret, external_id, slot_end
        )

    def token(self, appointment: Appointment) -> str:
        return (
            links.token(self.cfg.booking.link_secret, appointment.external_id, appointment.slot_end)
            or ""
        )

    async def by_token(self, raw: str) -> Appointment | None:
        """The booking a manage token names, if the token is right and its slot not ended."""
        external_id = links.booking_id(raw)
        if external_id is None:
            return None
        async with self.database():
            found = await self.service.repo.by_external_id(external_id)
        if found is None or not links.valid(
            self.cfg.booking.link_secret, raw, slot_end=found.slot_end, now=self.service.now()
        ):
            return None
        return found
