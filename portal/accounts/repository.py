"""The ``account`` table (:data:`portal.appointments.models.ACCOUNT`): one transaction a method.

Times are UTC epoch seconds. A row's ``secret`` is a hash (:mod:`portal.auth`), never a
clear password or token; ``details`` is a JSON object whose keys depend on the kind.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from portal.appointments.models import ACCOUNT

#: The kinds of account; a person's login (doctor, staff, admin) is unique among the three.
DOCTOR, STAFF, ADMIN, CABIN = "doctor", "staff", "admin", "cabin"
KINDS = (DOCTOR, STAFF, ADMIN, CABIN)
PEOPLE = (DOCTOR, STAFF, ADMIN)


class AccountExists(Exception):
    """An account of that kind and login exists already (or the login is another person's)."""


@dataclass(frozen=True)
class AccountRow:
    kind: str
    login: str
    name: str
    secret: str
    enabled: bool = True
    psc_only: bool = False
    details: dict[str, Any] = field(default_factory=dict)
    origin: str = ""
    created_at: int = 0
    updated_at: int = 0

    def public(self) -> dict[str, Any]:
        """What the admin page and ``portal accounts list`` show: never the hash."""
        return {
            "kind": self.kind,
            "login": self.login,
            "name": self.name,
            "enabled": self.enabled,
            "psc_only": self.psc_only,
            "details": self.details,
            "origin": self.origin,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


def _row(mapping: Any) -> AccountRow:
    try:
        details = json.loads(mapping["details"] or "{}")
    except ValueError:
        details = {}
    return AccountRow(
        kind=mapping["kind"],
        login=mapping["login"],
        name=mapping["name"],
        secret=mapping["secret"],
        enabled=bool(mapping["enabled"]),
        psc_only=bool(mapping["psc_only"]),
        details=details if isinstance(details, dict) else {},
        origin=mapping["origin"],
        created_at=int(mapping["created_at"]),
        updated_at=int(mapping["updated_at"]),
    )


class AccountRepository:
    def __init__(self, engine: AsyncEngine, *, clock: Any = time.time) -> None:
        self.engine = engine
        self._clock = clock

    def _now(self) -> int:
        return int(self._clock())

    async def all(self) -> list[AccountRow]:
        async with self.engine.connect() as conn:
            result = await conn.execute(select(ACCOUNT).order_by(ACCOUNT.c.kind, ACCOUNT.c.login))
            return [_row(m) for m in result.mappings()]

    async def get(self, kind: str, login: str) -> AccountRow | None:
        async with self.engine.connect() as conn:
            result = await conn.execute(
                select(ACCOUNT).where(ACCOUNT.c.kind == kind, ACCOUNT.c.login == login)
            )
            mapping = result.mappings().first()
            return _row(mapping) if mapping is not None else None

    async def marker(self) -> tuple[int, int]:
        """The newest change and the number of rows: changes when anything changed (but two
        changes within one second, which the caller covers by reloading after recent ones)."""
        async with self.engine.connect() as conn:
            result = await conn.execute(select(func.max(ACCOUNT.c.updated_at), func.count()))
            newest, count = result.one()
            return int(newest or 0), int(count or 0)

    async def add(self, row: AccountRow) -> AccountRow:
        """Insert ``row`` (its times set now); :class:`AccountExists` when the login is taken."""
        now = self._now()
        values = {
            "kind": row.kind, "login": row.login, "name": row.name, "secret": row.secret,
            "enabled": row.enabled, "psc_only": row.psc_only, "origin": row.origin,
            "details": json.dumps(row.details, sort_keys=True), "created_at": now,
            "updated_at": now,
        }  # fmt: skip
        try:
            async with self.engine.begin() as conn:
                if row.kind in PEOPLE:
                    taken = await conn.execute(
                        select(ACCOUNT.c.kind).where(
                            ACCOUNT.c.login == row.login, ACCOUNT.c.kind.in_(PEOPLE)
                        )
                    )
                    if taken.first() is not None:
                        raise AccountExists(row.login)
                await conn.execute(insert(ACCOUNT).values(**values))
        except IntegrityError as exc:
            raise AccountExists(row.login) from exc
        return AccountRow(**{**row.__dict__, "created_at": now, "updated_at": now})

    async def change(self, kind: str, login: str, **values: Any) -> bool:
        """Update some columns (``enabled``, ``secret``, ``name``, ``psc_only``, ``details``);
        False when there is no such account."""
        if "details" in values:
            values["details"] = json.dumps(values["details"], sort_keys=True)
        values["updated_at"] = self._now()
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(ACCOUNT)
                .where(ACCOUNT.c.kind == kind, ACCOUNT.c.login == login)
                .values(**values)
            )
            return bool(result.rowcount)
