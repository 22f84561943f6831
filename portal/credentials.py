"""Checking what clients present: a cabin's hello, the booking site's token, a password.

Each check first asks the :class:`~portal.limits.Guard` whether the source may try at all
(429 early, before any hashing), then verifies: machine tokens with their fast hash on the
loop, passwords (and old scrypt hashes of tokens) on the bounded pool. An unknown cabin id or
login costs what a known one does, so timing tells nothing about which exist.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from aiohttp import web

from portal import auth, security
from portal.config import PortalConfig
from portal.limits import Busy, Guard

log = security.escaped_logger(__name__)


class Refused(Exception):
    """A credential not checked or not accepted; ``reason`` is one of :data:`REASONS`."""

    #: "wrong": checked and refused (401); "locked": the source or account is locked out,
    #: "busy": no place left to check it (both 429, nothing was checked).
    REASONS = ("wrong", "locked", "busy")

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Credentials:
    """The portal's credential checks, over its config and its :class:`Guard`."""

    def __init__(self, cfg: PortalConfig, guard: Guard) -> None:
        self.cfg = cfg
        self.guard = guard
        self._key = secrets.token_bytes(32)
        #: Tokens that matched an old scrypt hash once: checked again by a keyed digest, so a
        #: reconnecting cabin does not pay (nor queue for) scrypt each time. One per account.
        self._seen: set[bytes] = set()
        #: Unknown cabin ids are checked against a stand-in with the cost of a known cabin's
        #: hash (chosen by the id, so the same id always costs the same).
        self._stand_ins = [auth.dummy_like(c.token) for _, c in sorted(cfg.cabins.items())]

    def _digest(self, stored: str, token: str) -> bytes:
        message = f"{stored}\0{token}".encode("utf-8", "surrogatepass")
        return hmac.new(self._key, message, hashlib.sha256).digest()

    async def _token(self, token: str, stored: str, *, source: str) -> bool:
        if auth.is_fast(stored):
            return auth.verify_secret(token, stored)
        digest = self._digest(stored, token)
        if digest in self._seen:
            return True
        try:
            ok = await self.guard.hashes.verify(
                token, stored, source=source, urgent=self.guard.throttle.clean(source)
            )
        except Busy as exc:
            raise Refused("busy") from exc
        if ok and len(self._seen) < len(self.cfg.cabins) + 16:
            self._seen.add(digest)
        return ok

    def _stand_in(self, cabin_id: str) -> str:
        if not self._stand_ins:
            return auth.dummy_like("")
        pick = hmac.new(self._key, cabin_id.encode("utf-8", "surrogatepass"), hashlib.sha256)
        return self._stand_ins[int.from_bytes(pick.digest()[:4], "big") % len(self._stand_ins)]

    async def cabin(self, cabin_id: str, token: str, *, source: str) -> None:
        """Accept a cabin's hello, or raise :class:`Refused`."""
        throttle = self.guard.throttle
        if throttle.source_blocked(source):
            raise Refused("locked")
        account = self.cfg.cabins.get(cabin_id)
        stored = account.token if account is not None else self._stand_in(cabin_id)
        ok = await self._token(token, stored, source=source)
        if not (ok and account is not None):
            throttle.failed_source(source)
            raise Refused("wrong")

    async def booking_site(self, token: str, *, source: str) -> bool:
        """Whether ``token`` is the booking site's; :class:`Refused` when the source may not
        try ("locked") or no check can be queued ("busy")."""
        stored = self.cfg.appointments.api_token
        if not stored:
            return False
        if self.guard.throttle.source_blocked(source):
            raise Refused("locked")
        if await self._token(token, stored, source=source):
            return True
        self.guard.throttle.failed_source(source)
        return False

    async def password(self, username: str, password: str, *, source: str) -> tuple[Any, str]:
        """The account and role ``username`` logs in to, or :class:`Refused`."""
        throttle = self.guard.throttle
        if throttle.locked(username, source):
            if self.guard.pace.allow(f"login {source}"):
                log.warning("login: %r refused from %s: locked after failed attempts "
                            "(said once a minute)", username, source)  # fmt: skip
            raise Refused("locked")
        # a login is a doctor's, a staff member's or an admin's, never two (config and
        # accounts' database refuse it)
        account: Any = self.cfg.doctors.get(username)
        role = auth.DOCTOR
        if account is None and username in self.cfg.staff:
            account, role = self.cfg.staff[username], auth.STAFF
        if account is None and username in self.cfg.admins:
            account, role = self.cfg.admins[username], auth.ADMIN
        # an unknown login is checked against a hash too, so timing does not tell which
        # accounts exist
        stored = account.password if account else auth.dummy_hash()
        try:
            ok = await self.guard.hashes.verify(
                password, stored, source=source, urgent=throttle.clean(source)
            )
        except Busy as exc:
            if self.guard.pace.allow(f"busy {source}"):
                log.warning("login: %r from %s not checked: password checks busy "
                            "(said once a minute)", username, source)  # fmt: skip
            raise Refused("busy") from exc
        if ok and role == auth.DOCTOR and account.psc_only:  # Pro Santé Connect only
            log.warning("login: password refused for %r: Pro Santé Connect only", username)
            raise Refused("wrong")
        if not (ok and account):
            throttle.failed(username, source)
            log.warning("login: refused for %r from %s", username, source)
            raise Refused("wrong")
        throttle.succeeded(username, source)
        return account, role


CREDENTIALS: web.AppKey[Credentials] = web.AppKey("credentials")
