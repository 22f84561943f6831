"""The appointments' database: SQLAlchemy 2 async on SQLite (aiosqlite) or PostgreSQL (asyncpg).

Every method is one transaction. Times are UTC epoch seconds. Errors of the database are
left to the caller but for the two a booking expects: :class:`SlotTaken` and
:class:`DuplicateBooking`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from portal.appointments.models import ACTIVE, Appointment, Sms, migrate

log = logging.getLogger(__name__)


#: Kannel's delivery report types that are not the end of the story: 4 buffered by the
#: SMSC, 8 accepted by the SMSC (1 delivered, 2 undelivered and 16 rejected are final).
INTERMEDIATE_REPORTS = (4, 8)


class SlotTaken(Exception):
    """Another active appointment holds this cabin's slot."""


class DuplicateBooking(Exception):
    """The booking site's id is known already; ``existing`` is that appointment."""

    def __init__(self, existing: Appointment) -> None:
        super().__init__("booking id already used")
        self.existing = existing


class CodeTaken(Exception):
    """The random booking code is held by another active appointment (draw again)."""


@dataclass(frozen=True)
class NewSms:
    kind: str
    due_at: int


def engine_for(url: str) -> AsyncEngine:
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if url.startswith("sqlite"):
        kwargs = {"connect_args": {"timeout": 15}}
    return create_async_engine(url, **kwargs)


class Repository:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._session = async_sessionmaker(engine, expire_on_commit=False)

    @classmethod
    async def open(cls, url: str) -> Repository:
        engine = engine_for(url)
        if engine.dialect.name == "sqlite":
            # aiosqlite logs every statement with its parameters (phones, codes) at DEBUG
            logging.getLogger("aiosqlite").setLevel(logging.INFO)
            from sqlalchemy import event

            @event.listens_for(engine.sync_engine, "connect")
            def _pragmas(dbapi_conn: Any, _record: Any) -> None:
                cursor = dbapi_conn.cursor()
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.close()

        await migrate(engine)
        return cls(engine)

    async def close(self) -> None:
        await self.engine.dispose()

    # -- appointments --------------------------------------------------------------------

    async def add(self, appointment: Appointment, messages: Sequence[NewSms]) -> Appointment:
        """Insert a booking and its SMS; raises SlotTaken, DuplicateBooking or CodeTaken."""
        try:
            async with self._session.begin() as session:
                session.add(appointment)
                await session.flush()
                for message in messages:
                    session.add(
                        Sms(appointment_id=appointment.id, kind=message.kind, due_at=message.due_at)
                    )
            return appointment
        except IntegrityError as exc:
            existing = await self.by_external_id(appointment.external_id)
            if existing is not None:
                raise DuplicateBooking(existing) from exc
            if await self._slot_holder(appointment.cabin_id, appointment.slot_start) is not None:
                raise SlotTaken() from exc
            raise CodeTaken() from exc

    async def by_external_id(self, external_id: str) -> Appointment | None:
        async with self._session() as session:
            found = await session.execute(
                select(Appointment).where(Appointment.external_id == external_id)
            )
            return found.scalar_one_or_none()

    async def _slot_holder(self, cabin_id: str, slot_start: int) -> Appointment | None:
        async with self._session() as session:
            found = await session.execute(
                select(Appointment).where(
                    Appointment.cabin_id == cabin_id,
                    Appointment.slot_start == slot_start,
                    Appointment.status.in_(ACTIVE),
                )
            )
            return found.scalar_one_or_none()

    async def day(self, cabin_id: str, start: int, end: int) -> list[tuple[Appointment, list[Sms]]]:
        """One cabin's appointments with a slot in [start, end), and their SMS."""
        async with self._session() as session:
            rows = await session.execute(
                select(Appointment)
                .where(
                    Appointment.cabin_id == cabin_id,
                    Appointment.slot_start >= start,
                    Appointment.slot_start < end,
                )
                .order_by(Appointment.slot_start, Appointment.id)
            )
            appointments = list(rows.scalars())
            ids = [a.id for a in appointments]
            texts = await session.execute(select(Sms).where(Sms.appointment_id.in_(ids)))
            by_id: dict[int, list[Sms]] = {i: [] for i in ids}
            for sms in texts.scalars():
                by_id[sms.appointment_id].append(sms)
            return [(a, sorted(by_id[a.id], key=lambda s: s.id)) for a in appointments]

    async def cancel(self, external_id: str, *, now: int) -> Appointment | None:
        """Cancel an active appointment: its pending SMS dropped, a cancellation queued."""
        async with self._session.begin() as session:
            found = await session.execute(
                select(Appointment).where(Appointment.external_id == external_id).with_for_update()
            )
            appointment = found.scalar_one_or_none()
            if appointment is None or appointment.status not in ACTIVE:
                return appointment
            appointment.status = "cancelled"
            await self._drop_pending(session, appointment.id)
            session.add(Sms(appointment_id=appointment.id, kind="cancellation", due_at=now))
            return appointment

    async def move(
        self, external_id: str, *, slot_start: int, slot_end: int, reminder_at: int | None
    ) -> Appointment | None:
        """Move an active appointment to another slot (a new confirmation is queued)."""
        try:
            async with self._session.begin() as session:
                found = await session.execute(
                    select(Appointment)
                    .where(Appointment.external_id == external_id)
                    .with_for_update()
                )
                appointment = found.scalar_one_or_none()
                if appointment is None or appointment.status != "booked":
                    return appointment
                shift = slot_start - appointment.slot_start
                appointment.slot_start, appointment.slot_end = slot_start, slot_end
                appointment.purge_at += shift
                await self._drop_pending(session, appointment.id)
                await session.flush()
                session.add(Sms(appointment_id=appointment.id, kind="confirmation", due_at=0))
                if reminder_at is not None:
                    session.add(
                        Sms(appointment_id=appointment.id, kind="reminder", due_at=reminder_at)
                    )
                return appointment
        except IntegrityError as exc:
            raise SlotTaken() from exc

    @staticmethod
    async def _drop_pending(session: Any, appointment_id: int) -> None:
        await session.execute(
            update(Sms)
            .where(Sms.appointment_id == appointment_id, Sms.status == "pending")
            .values(status="dropped")
        )

    async def check_in(
        self,
        cabin_id: str,
        *,
        session_id: str,
        earliest: int,
        latest: int,
        now: int,
        match_key: str = "",
        code: str = "",
        mark: bool = True,
    ) -> Appointment | None:
        """The cabin's appointment whose slot starts in [earliest, latest] for this key or
        code, marked checked in by ``session_id`` (again, for the same session); with
        ``mark=False`` only looked for."""
        async with self._session.begin() as session:
            query = select(Appointment).where(
                Appointment.cabin_id == cabin_id,
                Appointment.slot_start >= earliest,
                Appointment.slot_start <= latest,
                Appointment.status.in_(ACTIVE),
            )
            if match_key:
                query = query.where(Appointment.match_key == match_key)
            elif code:
                query = query.where(Appointment.code == code)
            else:
                return None
            rows = await session.execute(query.order_by(Appointment.slot_start).with_for_update())
            for appointment in rows.scalars():
                if appointment.status == "booked" or appointment.session_id == session_id:
                    if not mark:
                        return appointment
                    appointment.status = "checked_in"
                    appointment.session_id = session_id
                    appointment.checked_in_at = appointment.checked_in_at or now
                    return appointment
            return None

    async def mark_no_shows(self, *, before: int) -> int:
        """Booked appointments whose slot started before ``before`` free their slot."""
        async with self._session.begin() as session:
            done = await session.execute(
                update(Appointment)
                .where(Appointment.status == "booked", Appointment.slot_start < before)
                .values(status="no_show")
            )
            return int(getattr(done, "rowcount", 0) or 0)

    async def purge(self, *, now: int) -> int:
        """Erase appointments (and their SMS) past their purge time."""
        async with self._session.begin() as session:
            old = select(Appointment.id).where(Appointment.purge_at <= now)
            await session.execute(delete(Sms).where(Sms.appointment_id.in_(old)))
            done = await session.execute(delete(Appointment).where(Appointment.purge_at <= now))
            return int(getattr(done, "rowcount", 0) or 0)

    # -- SMS -----------------------------------------------------------------------------

    async def claim_sms(
        self, *, now: int, lease_s: int, limit: int = 20
    ) -> list[tuple[Sms, Appointment]]:
        """Take the SMS that are due, to send them now.

        Their due time moves ``lease_s`` ahead: another portal instance on the same
        PostgreSQL does not take them too (rows it has locked are skipped), and they come
        back by themselves if this instance dies before saying how the sending went.
        """
        async with self._session.begin() as session:
            ids = list(
                (
                    await session.execute(
                        select(Sms.id)
                        .where(Sms.status == "pending", Sms.due_at <= now)
                        .order_by(Sms.due_at, Sms.id)
                        .limit(limit)
                        .with_for_update(skip_locked=True)
                    )
                ).scalars()
            )
            if not ids:
                return []
            await session.execute(update(Sms).where(Sms.id.in_(ids)).values(due_at=now + lease_s))
            rows = await session.execute(
                select(Sms, Appointment)
                .join(Appointment, Appointment.id == Sms.appointment_id)
                .where(Sms.id.in_(ids))
                .order_by(Sms.id)
            )
            return [(row[0], row[1]) for row in rows.all()]

    async def due_sms(self, *, now: int) -> list[tuple[Sms, Appointment]]:
        """The SMS that are due (read only)."""
        async with self._session() as session:
            rows = await session.execute(
                select(Sms, Appointment)
                .join(Appointment, Appointment.id == Sms.appointment_id)
                .where(Sms.status == "pending", Sms.due_at <= now)
                .order_by(Sms.due_at, Sms.id)
            )
            return [(row[0], row[1]) for row in rows.all()]

    async def sms_sent(self, sms_id: int, *, now: int, coding: int, parts: int) -> None:
        async with self._session.begin() as session:
            await session.execute(
                update(Sms)
                .where(Sms.id == sms_id)
                .values(
                    status="sent",
                    sent_at=now,
                    attempts=Sms.attempts + 1,
                    coding=coding,
                    parts=parts,
                    last_error="",
                )
            )

    async def sms_failed(self, sms_id: int, *, error: str, retry_at: int | None) -> None:
        """One attempt failed: retried at ``retry_at``, or given up (None)."""
        async with self._session.begin() as session:
            values: dict[str, Any] = {"attempts": Sms.attempts + 1, "last_error": error[:64]}
            if retry_at is None:
                values["status"] = "failed"
            else:
                values["due_at"] = retry_at
            await session.execute(update(Sms).where(Sms.id == sms_id).values(**values))

    async def sms_report(self, sms_id: int, *, report: int, now: int) -> bool:
        """Record a delivery report; a final one (delivered, failed, rejected) is kept over
        an intermediate one (buffered, at the SMSC) that Kannel delivers after it.

        One conditional UPDATE: smsbox calls back from several threads, and a read then a
        write let an "at the SMSC" read before the "delivered" was written overwrite it."""
        change = update(Sms).where(Sms.id == sms_id).values(dlr=report, dlr_at=now)
        if report in INTERMEDIATE_REPORTS:
            change = change.where(Sms.dlr.in_((0, *INTERMEDIATE_REPORTS)))
        async with self._session.begin() as session:
            if (await session.execute(change)).rowcount:  # type: ignore[attr-defined]
                return True
            return await session.get(Sms, sms_id) is not None

    async def sms(self, sms_id: int) -> Sms | None:
        async with self._session() as session:
            return await session.get(Sms, sms_id)

    async def failed_sms(self, cabin_id: str, *, since: int) -> int:
        """The cabin's SMS given up on, for its appointments from ``since`` on (the staff
        page warns about them: the staff of another cabin can do nothing about them)."""
        async with self._session() as session:
            rows = await session.execute(
                select(Sms.id)
                .join(Appointment, Appointment.id == Sms.appointment_id)
                .where(
                    Sms.status == "failed",
                    Appointment.cabin_id == cabin_id,
                    Appointment.slot_end >= since,
                )
            )
            return len(rows.all())
