"""The accounts' rules over their table: import from the config file, add, disable, enable,
reset; and the live copy the portal's checks read.

The checks (:mod:`portal.credentials`, the pages, the sockets) read the config's dicts
``doctors``, ``staff``, ``cabins`` and ``admins``. With a database, :meth:`Accounts.load`
makes those dicts the database's enabled accounts (the same dict objects, changed in place),
and :meth:`Accounts.watch` reloads them when any instance changed a row: a disabled cabin or
doctor is dropped from them and ``on_gone`` closes its sockets.

The config file's accounts are imported when their (kind, login) is not in the database yet:
the first start imports them all, a later start only those added to the file since. After
that the database wins: a password or token changed in the file for an imported account is
ignored (reset it with ``portal accounts reset`` or on ``/admin``), and an account removed
from the file stays in the database (disable it there).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from portal import auth
from portal.accounts.repository import (
    ADMIN,
    CABIN,
    DOCTOR,
    KINDS,
    PEOPLE,
    STAFF,
    AccountExists,
    AccountRepository,
    AccountRow,
)
from portal.config import (
    ALL_CABINS,
    ID_PATTERN,
    AdminAccount,
    CabinAccount,
    DoctorAccount,
    PortalConfig,
    StaffAccount,
)

log = logging.getLogger(__name__)

#: A person's login: letters, digits and ``._@-``.
LOGIN_PATTERN = re.compile(r"[A-Za-z0-9._@-]{1,64}")
#: A doctor's identity on the prescriptions (``[doctors.<login>]``'s keys).
DOCTOR_DETAILS = ("specialty", "rpps", "address", "phone", "email")
#: Seconds between two looks for changes made by another instance.
REFRESH_S = 2.0

__all__ = ["AccountExists", "Accounts", "BadAccount", "NoAccount"]


class BadAccount(ValueError):
    """A login, a name or a detail that cannot be an account's; the message says which."""


class NoAccount(LookupError):
    """No account of that kind and login."""


def new_password() -> str:
    """A password for a person to change... or to keep: 16 URL-safe random characters."""
    return secrets.token_urlsafe(12)


class Accounts:
    def __init__(
        self,
        repo: AccountRepository,
        cfg: PortalConfig,
        *,
        on_gone: Callable[[str, str], Awaitable[Any]] | None = None,
        hash_password: Callable[[str], Awaitable[str]] | None = None,
    ) -> None:
        self.repo = repo
        self.cfg = cfg
        self.on_gone = on_gone
        self._hash = hash_password or _hash_in_thread
        self._marker: tuple[int, int] = (-1, -1)

    # -- the config file -----------------------------------------------------------------

    async def import_config(self, toml: PortalConfig) -> list[tuple[str, str]]:
        """Insert the file's accounts that the database does not hold; returns those."""
        known = {(r.kind, r.login) for r in await self.repo.all()}
        rows: list[AccountRow] = []
        for login, doctor in toml.doctors.items():
            details = {k: getattr(doctor, k) for k in DOCTOR_DETAILS}
            rows.append(AccountRow(DOCTOR, login, doctor.name, doctor.password, details=details,
                                   psc_only=doctor.psc_only))  # fmt: skip
        for login, staff in toml.staff.items():
            rows.append(
                AccountRow(STAFF, login, staff.name, staff.password,
                           details={"cabins": list(staff.cabins)})
            )  # fmt: skip
        for cabin_id, cabin in toml.cabins.items():
            rows.append(AccountRow(CABIN, cabin_id, cabin.name, cabin.token))
        imported: list[tuple[str, str]] = []
        for row in rows:
            if (row.kind, row.login) in known:
                continue
            try:
                await self.repo.add(replace(row, origin="config"))
            except AccountExists:
                log.warning("accounts: %s %r of the config file not imported: the login is "
                            "another account's in the database", row.kind, row.login)  # fmt: skip
                continue
            imported.append((row.kind, row.login))
        if imported:
            log.info("accounts: %d imported from the config file", len(imported))
        return imported

    # -- the live copy -------------------------------------------------------------------

    async def load(self) -> None:
        """Make the config's account dicts the database's enabled accounts; ``on_gone`` for
        each cabin or doctor dropped (or a cabin whose token changed)."""
        self._marker = await self.repo.marker()
        rows = [r for r in await self.repo.all() if r.enabled]
        cfg = self.cfg
        before_doctors = set(cfg.doctors)
        before_cabins = {k: c.token for k, c in cfg.cabins.items()}
        doctors = {r.login: _doctor(r) for r in rows if r.kind == DOCTOR}
        cabins = {r.login: _cabin(r) for r in rows if r.kind == CABIN}
        _replace(cfg.doctors, doctors)
        _replace(cfg.staff, {r.login: _staff(r) for r in rows if r.kind == STAFF})
        _replace(cfg.cabins, cabins)
        _replace(cfg.admins, {r.login: _admin(r) for r in rows if r.kind == ADMIN})
        gone = [(DOCTOR, d) for d in sorted(before_doctors - set(doctors))]
        gone += [(CABIN, c) for c, token in sorted(before_cabins.items())
                 if c not in cabins or cabins[c].token != token]  # fmt: skip
        if self.on_gone is not None:
            for kind, login in gone:
                try:
                    await self.on_gone(kind, login)
                except Exception as exc:  # one socket that cannot close stops nothing
                    log.error("accounts: closing %s %s failed: %s", kind, login,
                              type(exc).__name__)  # fmt: skip

    async def refresh(self, *, now: float | None = None) -> bool:
        """Reload when the table changed (or changed in the last seconds: two changes in
        one second leave the marker alike); True when it reloaded."""
        marker = await self.repo.marker()
        recent = marker[0] >= (time.time() if now is None else now) - 2 * REFRESH_S
        if marker == self._marker and not recent:
            return False
        await self.load()
        return True

    async def watch(self, interval_s: float = REFRESH_S) -> None:
        """Follow the other instances' changes until cancelled (each look bounded)."""
        while True:
            await asyncio.sleep(interval_s)
            try:
                async with asyncio.timeout(max(10.0, interval_s)):
                    await self.refresh()
            except Exception as exc:  # the database away for a while: the next look retries
                log.warning("accounts: cannot read the accounts now: %s", type(exc).__name__)

    # -- changes -------------------------------------------------------------------------

    async def list(self) -> list[AccountRow]:
        return await self.repo.all()

    async def add(
        self,
        kind: str,
        login: str,
        *,
        name: str = "",
        cabins: tuple[str, ...] = (),
        details: dict[str, str] | None = None,
        psc_only: bool = False,
        origin: str = "admin",
    ) -> tuple[AccountRow, str]:
        """A new enabled account and its secret in clear (a password, a cabin's token),
        to hand over once: only its hash is kept."""
        row_details = await self._check(kind, login, name, cabins, details or {})
        secret = auth.new_token() if kind == CABIN else new_password()
        stored = auth.hash_token(secret) if kind == CABIN else await self._hash(secret)
        row = AccountRow(kind, login, name.strip(), stored, psc_only=psc_only and kind == DOCTOR,
                         details=row_details, origin=origin)  # fmt: skip
        row = await self.repo.add(row)
        log.info("accounts: %s %s added", kind, login)
        await self.load()
        return row, secret

    async def set_enabled(self, kind: str, login: str, enabled: bool) -> None:
        if kind not in KINDS or not await self.repo.change(kind, login, enabled=enabled):
            raise NoAccount(f"no {kind} {login!r}")
        log.info("accounts: %s %s %s", kind, login, "enabled" if enabled else "disabled")
        await self.load()

    async def reset(self, kind: str, login: str) -> str:
        """A new password (a person) or token (a cabin: its sockets close), returned once."""
        if kind not in KINDS or await self.repo.get(kind, login) is None:
            raise NoAccount(f"no {kind} {login!r}")
        secret = auth.new_token() if kind == CABIN else new_password()
        stored = auth.hash_token(secret) if kind == CABIN else await self._hash(secret)
        await self.repo.change(kind, login, secret=stored)
        log.info("accounts: %s %s: new %s", kind, login, "token" if kind == CABIN else "password")
        await self.load()
        return secret

    async def _check(
        self, kind: str, login: str, name: str, cabins: tuple[str, ...], details: dict[str, str]
    ) -> dict[str, Any]:
        if kind not in KINDS:
            raise BadAccount(f"kind: one of {', '.join(KINDS)}")
        pattern = ID_PATTERN if kind == CABIN else LOGIN_PATTERN
        if not pattern.fullmatch(login):
            allowed = "A-Z a-z 0-9 _ -" if kind == CABIN else "A-Z a-z 0-9 . _ @ -"
            raise BadAccount(f"login: 1 to 64 of {allowed}")
        if len(name) > 200 or (kind in PEOPLE and not name.strip()):
            raise BadAccount("name: 1 to 200 characters")
        if kind == STAFF:
            if not cabins:
                raise BadAccount("cabins: list the cabin ids managed, or * for all")
            if ALL_CABINS in cabins and len(cabins) > 1:
                raise BadAccount("cabins: * (every cabin) stands alone")
            known = {r.login for r in await self.repo.all() if r.kind == CABIN}
            if unknown := [c for c in cabins if c != ALL_CABINS and c not in known]:
                raise BadAccount(f"cabins: no cabin {unknown[0]!r}")
            return {"cabins": list(cabins)}
        if kind == DOCTOR:
            if unknown_keys := [k for k in details if k not in DOCTOR_DETAILS]:
                raise BadAccount(f"unknown detail {unknown_keys[0]!r}")
            if any(len(str(v)) > 200 for v in details.values()):
                raise BadAccount("details: 200 characters at most each")
            rpps = str(details.get("rpps", ""))
            if rpps and not (rpps.isdigit() and len(rpps) == 11):
                raise BadAccount("rpps: 11 digits")
            return {k: str(details.get(k, "")) for k in DOCTOR_DETAILS}
        return {}


async def _hash_in_thread(password: str) -> str:
    return await asyncio.to_thread(auth.hash_secret, password)


def _replace(target: dict[str, Any], fresh: dict[str, Any]) -> None:
    """The same dict, holding ``fresh`` (every reader of the config sees the change)."""
    for key in [k for k in target if k not in fresh]:
        del target[key]
    target.update(fresh)


def _cabin(row: AccountRow) -> CabinAccount:
    return CabinAccount(token=row.secret, name=row.name)


def _admin(row: AccountRow) -> AdminAccount:
    return AdminAccount(name=row.name, password=row.secret)


def _doctor(row: AccountRow) -> DoctorAccount:
    d = row.details
    return DoctorAccount(name=row.name, password=row.secret, psc_only=row.psc_only,
                         **{k: str(d.get(k, "")) for k in DOCTOR_DETAILS})  # fmt: skip


def _staff(row: AccountRow) -> StaffAccount:
    cabins = row.details.get("cabins") or []
    return StaffAccount(name=row.name, password=row.secret, cabins=tuple(str(c) for c in cabins))


async def stop(task: asyncio.Task[Any]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
