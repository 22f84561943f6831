"""The appointments' tables, and the versioned migrations that create and change them.

No Alembic: a list of numbered steps run in order inside one transaction, the version kept in
``schema_version``. A step is a function of a synchronous connection (run through
``AsyncConnection.run_sync``), so the same steps serve SQLite and PostgreSQL. To change the
schema, append a step; never edit one that has shipped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

log = logging.getLogger(__name__)

#: Appointment states that hold their slot.
ACTIVE = ("booked", "checked_in")
_ACTIVE_SQL = text("status IN ('booked', 'checked_in')")


class Base(DeclarativeBase):
    metadata = MetaData()


class Appointment(Base):
    """One booking. Times are UTC epoch seconds (the same on both databases)."""

    __tablename__ = "appointment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: The booking site's own id: booking twice with it gives the same appointment.
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    #: Hash of the booking's content: the same id with other content is a conflict.
    fingerprint: Mapped[str] = mapped_column(String(64))
    cabin_id: Mapped[str] = mapped_column(String(64))
    slot_start: Mapped[int] = mapped_column(BigInteger)
    slot_end: Mapped[int] = mapped_column(BigInteger)
    lang: Mapped[str] = mapped_column(String(2))
    phone: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(12))
    match_key: Mapped[str] = mapped_column(String(64))
    #: booked, checked_in, cancelled, no_show
    status: Mapped[str] = mapped_column(String(16), default="booked")
    session_id: Mapped[str] = mapped_column(String(64), default="")
    checked_in_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[int] = mapped_column(BigInteger)
    purge_at: Mapped[int] = mapped_column(BigInteger, index=True)

    __table_args__ = (
        # no double booking, even between two portal instances on one PostgreSQL
        Index(
            "appointment_slot_taken",
            "cabin_id",
            "slot_start",
            unique=True,
            sqlite_where=_ACTIVE_SQL,
            postgresql_where=_ACTIVE_SQL,
        ),
        Index(
            "appointment_code_active",
            "code",
            unique=True,
            sqlite_where=_ACTIVE_SQL,
            postgresql_where=_ACTIVE_SQL,
        ),
        Index("appointment_match", "cabin_id", "match_key"),
    )


class Sms(Base):
    """One text to send through Kannel, its attempts and its delivery reports."""

    __tablename__ = "sms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    appointment_id: Mapped[int] = mapped_column(
        ForeignKey("appointment.id", ondelete="CASCADE"), index=True
    )
    #: confirmation, reminder, cancellation
    kind: Mapped[str] = mapped_column(String(16))
    #: pending, sent (Kannel accepted it), failed (attempts exhausted), dropped
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[int] = mapped_column(BigInteger, index=True)
    sent_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    #: 0 GSM-7, 2 UCS-2 (Kannel's ``coding``), and the number of parts
    coding: Mapped[int] = mapped_column(Integer, default=0)
    parts: Mapped[int] = mapped_column(Integer, default=1)
    last_error: Mapped[str] = mapped_column(String(64), default="")
    #: Kannel's last delivery report type (1 delivered, 2 failed, 8 at SMSC, 16 rejected)
    dlr: Mapped[int] = mapped_column(Integer, default=0)
    dlr_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


_version = Table(
    "schema_version",
    MetaData(),
    Column("version", Integer, nullable=False),
)


def _v1(conn: Connection) -> None:
    Base.metadata.create_all(conn)


#: The portal's accounts (doctors, staff, admins, cabins), see :mod:`portal.accounts`: one
#: row per (kind, login); ``secret`` is a password's scrypt hash or a cabin token's hash,
#: ``details`` a JSON object (a doctor's prescription identity, a staff member's cabins).
ACCOUNT = Table(
    "account",
    MetaData(),
    Column("kind", String(8), primary_key=True),
    Column("login", String(64), primary_key=True),
    Column("name", String(200), nullable=False, default=""),
    Column("secret", String(256), nullable=False),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("psc_only", Boolean, nullable=False, default=False),
    Column("details", Text, nullable=False, default="{}"),
    Column("origin", String(8), nullable=False, default=""),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False, index=True),
)


def _v2_accounts(conn: Connection) -> None:
    ACCOUNT.create(conn)


#: The migrations, in order; the schema's version is the length of this list.
MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_v1, _v2_accounts)


def _migrate(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        _version.create(conn)
        conn.execute(_version.insert().values(version=0))
    current = conn.execute(select(_version.c.version)).scalar_one()
    if current > len(MIGRATIONS):
        raise RuntimeError(
            f"database schema version {current} is newer than this portal's {len(MIGRATIONS)}"
        )
    for number, step in enumerate(MIGRATIONS[current:], start=current + 1):
        step(conn)
        conn.execute(_version.update().values(version=number))
        log.info("appointments: database migrated to version %d", number)
    return len(MIGRATIONS)


async def migrate(engine: AsyncEngine) -> int:
    """Bring the database to the latest schema (one transaction); returns its version."""
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # two portal instances starting together migrate one after the other
            await conn.execute(text("SELECT pg_advisory_xact_lock(4242011)"))
        return await conn.run_sync(_migrate)
