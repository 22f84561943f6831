"""Who may use the portal: scrypt-hashed secrets, sessions, a seam for OpenID Connect.

A login method (today :class:`PasswordLogin`; Pro Santé Connect later) only has to turn a
request into an account id; :class:`Sessions` then issues the cookie every page and WebSocket
uses. A session carries its role: a doctor's, or a staff member's (the staff page of their
cabins, nothing else). Cabins prove themselves with their id and a token checked against its
hash.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

SCHEME = "scrypt"
#: scrypt cost: 2**14 x 8 x 1 takes ~16 MiB and ~50 ms; the parameters are in each hash.
N, R, P = 2**14, 8, 1
_MAX_N = 2**20
COOKIE = "cabine_portal"
DOCTOR, STAFF = "doctor", "staff"
ROLES = (DOCTOR, STAFF)


@functools.cache
def dummy_hash() -> str:
    """A hash to verify an unknown login against (made once, as costly as an account's)."""
    return hash_secret(secrets.token_urlsafe(16))


def same_secret(given: str, expected: str) -> bool:
    """Constant-time equality of two texts, whatever their characters: ``compare_digest``
    raises TypeError on a ``str`` that is not ASCII, which a peer may send."""
    return hmac.compare_digest(given.encode(), expected.encode())


def hash_secret(secret: str, *, n: int = N, r: int = R, p: int = P) -> str:
    """``scrypt$n$r$p$salt$hash`` (base64), for the portal's config file."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=n, r=r, p=p, maxmem=_maxmem(n, r))
    b64 = base64.b64encode
    return f"{SCHEME}${n}${r}${p}${b64(salt).decode()}${b64(digest).decode()}"


def _maxmem(n: int, r: int) -> int:
    return 128 * n * r * 2


def verify_secret(secret: str, stored: str) -> bool:
    """True when ``secret`` matches ``stored``; a malformed hash never matches."""
    try:
        scheme, n_s, r_s, p_s, salt_s, digest_s = stored.split("$")
        n, r, p = int(n_s), int(r_s), int(p_s)
        salt, digest = base64.b64decode(salt_s), base64.b64decode(digest_s)
    except ValueError:
        return False
    if scheme != SCHEME or not (2 <= n <= _MAX_N) or n & (n - 1) or not (1 <= r * p <= 64):
        return False
    candidate = hashlib.scrypt(
        secret.encode(), salt=salt, n=n, r=r, p=p, maxmem=_maxmem(n, r), dklen=len(digest)
    )
    return hmac.compare_digest(candidate, digest)


@dataclass(frozen=True)
class DoctorSession:
    """A logged-in account: a doctor's, or (``role`` "staff") a staff member's."""

    token: str
    doctor_id: str  # the account's login, whatever its role
    expires: float  # wall-clock time, so a session outlives a portal restart
    role: str = DOCTOR


class Sessions:
    """Sessions as signed cookies: ``payload.signature`` (HMAC-SHA256), the role inside.

    With the same ``secret`` across restarts (``[server] session_secret``) a doctor stays
    logged in when the portal restarts mid-consultation; without one, a random secret is
    drawn at start. Logouts are remembered in memory until the token would expire anyway.
    """

    def __init__(
        self,
        *,
        ttl_s: float,
        secret: bytes = b"",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.ttl_s = ttl_s
        self._secret = secret or secrets.token_bytes(32)
        self._clock = clock
        self._revoked: dict[str, float] = {}

    def _sign(self, payload: bytes) -> str:
        return _b64(hmac.new(self._secret, payload, hashlib.sha256).digest())

    def open(self, doctor_id: str, *, role: str = DOCTOR) -> DoctorSession:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        expires = self._clock() + self.ttl_s
        payload = json.dumps(
            {"d": doctor_id, "e": round(expires, 3), "n": secrets.token_urlsafe(12), "r": role},
            separators=(",", ":"),
        ).encode()
        token = f"{_b64(payload)}.{self._sign(payload)}"
        return DoctorSession(token, doctor_id, expires, role)

    def get(self, token: str | None) -> DoctorSession | None:
        if not token or len(token) > 512 or token.count(".") != 1:
            return None
        encoded, signature = token.split(".")
        try:
            payload = _unb64(encoded)
        except ValueError:
            return None
        if not same_secret(signature, self._sign(payload)):
            return None
        try:
            data = json.loads(payload)
            doctor_id, expires, nonce = str(data["d"]), float(data["e"]), str(data["n"])
            role = str(data.get("r", DOCTOR))  # a cookie from before roles is a doctor's
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        if expires <= self._clock() or nonce in self._revoked or role not in ROLES:
            return None
        return DoctorSession(token, doctor_id, expires, role)

    def close(self, token: str | None) -> None:
        session = self.get(token)
        if session is None or token is None:
            return
        now = self._clock()
        for nonce in [n for n, until in self._revoked.items() if until <= now]:
            del self._revoked[nonce]
        nonce = json.loads(_unb64(token.split(".")[0]))["n"]
        self._revoked[str(nonce)] = session.expires


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64") from exc


class LoginThrottle:
    """Locks an account for ``lockout_s`` after ``limit`` failures within that time."""

    def __init__(
        self, *, limit: int, lockout_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.lockout_s = lockout_s
        self._clock = clock
        self._failures: dict[str, list[float]] = {}

    def locked(self, account: str) -> bool:
        now = self._clock()
        recent = [t for t in self._failures.get(account, ()) if now - t < self.lockout_s]
        if recent:
            self._failures[account] = recent
        else:
            self._failures.pop(account, None)
        return len(recent) >= self.limit

    def failed(self, account: str) -> None:
        self._failures.setdefault(account, []).append(self._clock())
        if len(self._failures) > 10_000:  # bound memory against a spray of account names
            self._failures.clear()

    def succeeded(self, account: str) -> None:
        self._failures.pop(account, None)
