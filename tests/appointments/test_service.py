"""The appointments' rules on a fake clock: hours, the check-in window, no-shows, purge,
reminders, migrations, races; on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date, datetime

import aiohttp
import pytest
import pytest_asyncio

import protocol
from harness.stack import SimulatedStack, next_demo_slot
from portal.appointments.models import MIGRATIONS
from portal.appointments.repository import Repository
from portal.appointments.rules import BookingError
from portal.appointments.service import Appointments
from portal.config import HoursConfig
from tests.appointments.conftest import appointments_config
from tests.appointments.helpers import PARIS, PATIENT, booking
from tests.portal.conftest import CABIN_ID

pytestmark = pytest.mark.asyncio

#: Monday 2030-01-07 09:00 in Paris.
MONDAY_9 = datetime(2030, 1, 7, 9, 0, tzinfo=PARIS)


class Clock:
    def __init__(self, at: datetime) -> None:
        self.now = at.timestamp()

    def __call__(self) -> float:
        return self.now

    def to(self, at: datetime) -> None:
        self.now = at.timestamp()


@pytest_asyncio.fixture
async def repo(database_url: str) -> AsyncIterator[Repository]:
    repository = await Repository.open(database_url)
    try:
        yield repository
    finally:
        await repository.close()


def service(repo: Repository, clock: Clock, **appointments: object) -> Appointments:
    cfg = appointments_config("sqlite+aiosqlite:///unused")
    hours = HoursConfig(days=("mon", "tue", "wed", "thu", "fri"), opens="08:00", closes="12:00")
    cfg = replace(
        cfg,
        hours={**cfg.hours, CABIN_ID: hours},
        appointments=replace(cfg.appointments, **appointments),  # type: ignore[arg-type]
    )
    return Appointments(cfg, repo, clock=clock)


def at(hour: int, minute: int = 0, day: int = 7) -> datetime:
    return datetime(2030, 1, day, hour, minute, tzinfo=PARIS)


async def test_the_demo_books_a_slot_whatever_the_hour(repo: Repository, tmp_path) -> None:
    """`kiosk demo` books its patient the next slot of an all-day cabin: at 23:31 that is
    23:45, the day's last slot, and at 23:59:30 it is 00:15 the next day. CI once ran at
    23:31 (Paris) and found the demo cabin closed at 23:59."""
    stack = SimulatedStack(workdir=tmp_path)
    cfg = stack._with_demo_appointments(appointments_config("sqlite+aiosqlite:///unused"))
    clock = Clock(MONDAY_9)
    appts = Appointments(cfg, repo, clock=clock)
    slot_min = cfg.hours[CABIN_ID].slot_min
    assert next_demo_slot(at(23, 31), slot_min) == at(23, 45)
    assert next_demo_slot(at(23, 59).replace(second=30), slot_min) == at(0, 15, day=8)
    for minute in range(0, 24 * 60, 7):
        for second in (0, 30, 59):
            now = at(minute // 60, minute % 60).replace(second=second)
            clock.to(now)
            slot = next_demo_slot(now, slot_min)
            assert 60 <= (slot - now).total_seconds() <= (slot_min + 1) * 60, now
            assert appts.check_slot(CABIN_ID, slot.isoformat()), now


async def test_opening_hours(repo: Repository) -> None:
    appts = service(repo, Clock(MONDAY_9))
    assert appts.check_slot(CABIN_ID, at(11, 45).isoformat())  # the last slot
    for when, code in [
        (at(7, 45, day=8), "outside_hours"),  # before opening
        (at(12, 0, day=8), "outside_hours"),  # at closing
        (at(10, 5, day=8), "outside_hours"),  # off the grid
        (at(10, 0, day=12), "outside_hours"),  # a Saturday
        (at(8, 45), "slot_in_past"),
        (at(9, 0), "slot_in_past"),  # begun
    ]:
        with pytest.raises(BookingError) as caught:
            appts.check_slot(CABIN_ID, when.isoformat())
        assert caught.value.code == code, when
    assert len(appts.slots(CABIN_ID, date(2030, 1, 7))) == 16
    assert appts.slots(CABIN_ID, date(2030, 1, 12)) == []
    # the same instant written in UTC is the same slot
    utc = at(10, 0).astimezone(tz=None).isoformat()
    assert appts.check_slot(CABIN_ID, utc)[0] == int(at(10, 0).timestamp())


async def test_the_day_offers_only_free_slots_not_begun(repo: Repository) -> None:
    """The staff page's day: every slot in its table, but only free ones to come offered."""
    clock = Clock(at(9, 5))
    appts = service(repo, clock)
    await appts.book(booking("d-1", at(10, 0)))
    await appts.book(booking("d-2", at(10, 15), last_name="Autre"))
    await appts.cancel("d-2")  # a cancelled slot is free again
    day = await appts.day(CABIN_ID, date(2030, 1, 7))
    assert len(day["slots"]) == 16
    # 09:00 has begun; 10:00 is taken; 10:15 is free again
    expected = [at(9, 15), at(9, 30), at(9, 45), *(at(h, m) for h in (10, 11) for m in
                (0, 15, 30, 45) if (h, m) != (10, 0))]  # fmt: skip
    assert day["bookable"] == [w.isoformat() for w in expected]
    clock.to(at(12, 0))  # the day is over: nothing to offer
    assert (await appts.day(CABIN_ID, date(2030, 1, 7)))["bookable"] == []
    clock.to(at(9, 5, day=6))  # the day before: all but the taken one
    assert len((await appts.day(CABIN_ID, date(2030, 1, 7)))["bookable"]) == 15


async def test_check_in_window_no_show_and_purge(repo: Repository) -> None:
    clock = Clock(MONDAY_9)
    appts = service(repo, clock, early_min=30.0, late_min=10.0, no_show_min=20.0,
                    purge_after_h=24.0)  # fmt: skip
    await appts.book(booking("w-1", at(10, 0)))
    await appts.book(booking("w-2", at(10, 15), last_name="Autre"))
    key = protocol.match_key(appts.checkin_key(CABIN_ID), **PATIENT)
    clock.to(at(9, 29))  # 31 minutes early: not yet
    assert (await appts.check_in(CABIN_ID, "s-early", match_key=key)).booked is False
    clock.to(at(9, 31))
    found = await appts.check_in(CABIN_ID, "s-ok", match_key=key)
    assert found.booked and found.slot_label == "10:00"
    # the same session checking in again (a reconnect) still matches; another does not
    assert (await appts.check_in(CABIN_ID, "s-ok", match_key=key)).booked
    assert not (await appts.check_in(CABIN_ID, "s-other", match_key=key)).booked
    # w-2 never comes: 20 minutes after its start its slot is free again
    clock.to(at(10, 36))
    await appts.housekeeping()
    assert (await appts.get("w-2"))["status"] == "no_show"  # type: ignore[index]
    clock.to(at(10, 37))
    await appts.book(booking("w-3", at(11, 0), last_name="Trois"))
    # a day after their slots, both are erased with their SMS
    clock.to(at(10, 30, day=8))  # 24 h after the end of the later slot
    await appts.housekeeping()
    assert await appts.get("w-1") is None and await appts.get("w-2") is None
    assert await appts.get("w-3") is not None


async def test_a_cabin_gone_from_the_config_stops_neither_sms_nor_purge(
    repo: Repository, caplog: pytest.LogCaptureFixture
) -> None:
    """An appointment whose cabin left the config (closed, renamed): its SMS is given up,
    and the background loop goes on, so the purge still erases it when its time comes."""
    clock = Clock(MONDAY_9)
    appts = service(repo, clock, purge_after_h=24.0)
    await appts.book(booking("gone-1", at(10, 0)))
    (message, _), *_ = await repo.due_sms(now=int(MONDAY_9.timestamp()))
    hours = {cabin: h for cabin, h in appts.cfg.hours.items() if cabin != CABIN_ID}
    sms = replace(appts.cfg.sms, sendsms_url="http://127.0.0.1:9/cgi-bin/sendsms")
    later = Appointments(replace(appts.cfg, hours=hours, sms=sms), repo, clock=clock)
    async with aiohttp.ClientSession() as http:
        assert await later.send_due(http) == 0
    assert (await repo.sms(message.id)).status == "failed"  # type: ignore[union-attr]
    assert later.sms_given_up == 1 and "its cabin is no longer configured" in caplog.text

    async def unforeseen(_http: object) -> int:
        raise RuntimeError("a pass that fails unforeseen")

    later.send_due = unforeseen  # type: ignore[method-assign]
    clock.to(at(10, 30, day=8))  # the purge is due
    loop = asyncio.create_task(later.run(tick_s=0.01, housekeeping_s=0.0))
    try:
        deadline = asyncio.get_running_loop().time() + 10
        while await repo.by_external_id("gone-1") is not None:
            assert not loop.done(), "the background loop ended"
            assert asyncio.get_running_loop().time() < deadline, "never purged"
            await asyncio.sleep(0.05)
    finally:
        loop.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop
    assert "SMS pass failed unforeseen: RuntimeError" in caplog.text


async def test_late_patient_past_the_tolerance_is_a_walk_in(repo: Repository) -> None:
    clock = Clock(MONDAY_9)
    appts = service(repo, clock, late_min=10.0)
    await appts.book(booking("late-1", at(10, 0)))
    key = protocol.match_key(appts.checkin_key(CABIN_ID), **PATIENT)
    clock.to(at(10, 11))
    answer = await appts.check_in(CABIN_ID, "s-late", match_key=key)
    assert not answer.booked and answer.walk_in and answer.reason == "none"


async def test_reminder_is_scheduled_only_when_there_is_time(repo: Repository) -> None:
    clock = Clock(at(9, 0, day=7))
    appts = service(repo, clock, reminder_h=24.0)
    far = await appts.book(booking("r-1", at(10, 0, day=9)))
    near = await appts.book(booking("r-2", at(10, 0, day=7), last_name="Proche"))
    assert [s["kind"] for s in far[0]["sms"]] == ["confirmation", "reminder"]
    assert [s["kind"] for s in near[0]["sms"]] == ["confirmation"]
    due = await repo.due_sms(now=int(at(10, 0, day=8).timestamp()))
    assert sorted(s.kind for s, _ in due) == ["confirmation", "confirmation", "reminder"]
    # moving drops the pending texts and queues a new confirmation (and reminder)
    moved = await appts.move("r-1", at(11, 0, day=9).isoformat())
    kinds = [(s["kind"], s["status"]) for s in moved["sms"]]  # type: ignore[index]
    assert ("reminder", "dropped") in kinds and ("confirmation", "pending") in kinds


async def test_two_bookings_of_one_slot_at_once(repo: Repository) -> None:
    appts = service(repo, Clock(MONDAY_9))
    people = [{"last_name": f"Nom{chr(65 + i)}"} for i in range(6)]
    results = await asyncio.gather(
        *(appts.book(booking(f"race-{i}", at(10, 0), **p)) for i, p in enumerate(people)),
        return_exceptions=True,
    )
    won = [r for r in results if not isinstance(r, BaseException)]
    lost = [r for r in results if isinstance(r, BookingError)]
    assert len(won) == 1 and len(lost) == 5
    assert all(e.code == "slot_taken" for e in lost)


async def test_the_same_booking_sent_twice_at_once(repo: Repository) -> None:
    appts = service(repo, Clock(MONDAY_9))
    results = await asyncio.gather(*(appts.book(booking("twice", at(10, 0))) for _ in range(4)))
    assert len({r[0]["code"] for r in results}) == 1
    assert sum(1 for r in results if r[1]) == 1


async def test_migrations_run_once(database_url: str) -> None:
    first = await Repository.open(database_url)
    await first.close()
    again = await Repository.open(database_url)  # nothing left to do, nothing broken
    await again.close()
    assert len(MIGRATIONS) >= 1


async def test_logs_carry_no_identity_nor_phone(
    repo: Repository, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    clock = Clock(MONDAY_9)
    appts = service(repo, clock)
    booked, _ = await appts.book(booking("log-1", at(10, 0)))
    clock.to(at(9, 50))
    key = protocol.match_key(appts.checkin_key(CABIN_ID), **PATIENT)
    await appts.check_in(CABIN_ID, "s-log", match_key=key)
    await appts.cancel("log-1")
    for secret in ("Lef", "Zo", "1985", "612345678", booked["code"], key[:16]):
        assert secret not in caplog.text, secret


async def test_claimed_sms_are_leased(repo: Repository) -> None:
    clock = Clock(MONDAY_9)
    appts = service(repo, clock)
    await appts.book(booking("lease-1", at(10, 0)))
    now = int(clock())
    first = await repo.claim_sms(now=now, lease_s=60)
    assert [s.kind for s, _ in first] == ["confirmation"]
    assert await repo.claim_sms(now=now, lease_s=60) == []  # taken: not twice
    again = await repo.claim_sms(now=now + 61, lease_s=60)  # its sender died: back
    assert [s.id for s, _ in again] == [s.id for s, _ in first]


async def test_two_portals_on_one_postgresql_never_send_one_sms_twice(postgres) -> None:
    from tests.appointments.conftest import _create_database

    url = postgres.url(await _create_database(postgres))
    one, two = await Repository.open(url), await Repository.open(url)
    try:
        clock = Clock(MONDAY_9)
        appts = service(one, clock)
        for i in range(12):
            await appts.book(booking(f"multi-{i}", at(8 + i % 4, 0, day=8 + i // 4)))
        now = int(clock())
        claims = await asyncio.gather(
            *(repo.claim_sms(now=now, lease_s=60, limit=3) for repo in (one, two, one, two))
        )
        ids = [s.id for claim in claims for s, _ in claim]
        assert len(ids) == len(set(ids)) == 12
    finally:
        await one.close()
        await two.close()


async def test_a_late_intermediate_report_does_not_hide_the_delivery(repo: Repository) -> None:
    appts = service(repo, Clock(MONDAY_9))
    await appts.book(booking("dlr-1", at(10, 0)))
    (message, _), *_ = await repo.due_sms(now=int(MONDAY_9.timestamp()))
    assert await repo.sms_report(message.id, report=1, now=1)  # delivered first...
    assert await repo.sms_report(message.id, report=8, now=2)  # ...then "at the SMSC"
    assert (await repo.sms(message.id)).dlr == 1  # type: ignore[union-attr]
    assert await repo.sms_report(message.id, report=2, now=3)  # a final one replaces it
    assert (await repo.sms(message.id)).dlr == 2  # type: ignore[union-attr]
    assert not await repo.sms_report(999_999, report=1, now=4)


async def test_reports_arriving_together_keep_the_delivery(repo: Repository) -> None:
    """smsbox calls back from several threads: "at the SMSC" (8) and "delivered" (1) for
    one SMS may be handled at the same time, and the intermediate one must not win."""
    appts = service(repo, Clock(MONDAY_9))
    for n, (day, hour, minute) in enumerate(
        (d, h, m) for d in (8, 9) for h in (8, 9, 10, 11) for m in (0, 15, 30, 45)
    ):
        await appts.book(booking(f"dlr-race-{n}", at(hour, minute, day=day)))
    due = await repo.due_sms(now=int(MONDAY_9.timestamp()))
    assert len(due) == 32
    for message, _ in due:
        reports = [repo.sms_report(message.id, report=r, now=1) for r in (8, 1, 8, 4, 8)]
        assert all(await asyncio.gather(*reports))
    for message, _ in due:
        final = await repo.sms(message.id)
        assert final is not None and final.dlr == 1, f"SMS {message.id}: dlr {final.dlr}"
