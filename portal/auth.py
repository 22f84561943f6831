"""Who may use the portal: hashed secrets, sessions, lockouts, a seam for OpenID Connect.

A login method (today :class:`PasswordLogin`; Pro Santé Connect later) only has to turn a
request into an account id; :class:`Sessions` then issues the cookie every page and WebSocket
uses. A session carries its role: a doctor's, or a staff member's (the staff page of their
cabins, nothing else). Cabins prove themselves with their id and a token checked against its
hash.

Two kinds of hash. Human passwords: scrypt (``scrypt$...``, :func:`hash_secret`), checked on
a small bounded pool fair between sources (:class:`portal.limits.HashPool`). Machine tokens
(cabins, the booking site): a keyed fast hash (``hmac-sha256$...``, :func:`hash_token`),
checked on the event loop in microseconds; an old scrypt hash of a token still works, through
the pool.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
import logging
import secrets
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

SCHEME = "scrypt"
#: Machine tokens: HMAC-SHA256 keyed by a random salt, see :func:`hash_token`.
TOKEN_SCHEME = "hmac-sha256"
#: Shortest token :func:`hash_token` takes: 32 URL-safe characters carry 192 random bits.
MIN_TOKEN_CHARS = 32
#: scrypt cost: 2**14 x 8 x 1 takes ~16 MiB and ~50 ms; the parameters are in each hash.
N, R, P = 2**14, 8, 1
_MAX_N = 2**20
COOKIE = "cabine_portal"
DOCTOR, STAFF, ADMIN = "doctor", "staff", "admin"
ROLES = (DOCTOR, STAFF, ADMIN)


def dummy_hash() -> str:
    """A hash to verify an unknown login against, as costly to check as an account's (made
    once, of random bytes: making it costs no scrypt, which a burst of unknown logins would
    otherwise each pay on the default thread pool before the first one is cached)."""
    return _dummy(SCHEME, (N, R, P), 16, 64)


def same_secret(given: str, expected: str) -> bool:
    """Constant-time equality of two texts, whatever their characters: ``compare_digest``
    raises TypeError on a ``str`` that is not ASCII, which a peer may send, and a lone
    surrogate (a header's raw byte, a JSON ``"\\ud800"``) is not UTF-8: both are encoded
    with ``surrogatepass`` so that they compare unequal instead of raising."""
    return hmac.compare_digest(_bytes(given), _bytes(expected))


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def hash_secret(secret: str, *, n: int = N, r: int = R, p: int = P) -> str:
    """``scrypt$n$r$p$salt$hash`` (base64), for the portal's config file."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=n, r=r, p=p, maxmem=_maxmem(n, r))
    b64 = base64.b64encode
    return f"{SCHEME}${n}${r}${p}${b64(salt).decode()}${b64(digest).decode()}"


def _maxmem(n: int, r: int) -> int:
    return 128 * n * r * 2


def hash_token(token: str) -> str:
    """``hmac-sha256$salt$digest`` (base64) of a machine token (a cabin's, the booking site's).

    A fast hash is enough here, and a slow one only hurts: such a token is drawn at random
    (:func:`new_token`: 256 bits), so a leaked hash cannot be reversed by guessing, at a
    billion guesses a second or at twenty. scrypt's cost protects guessable human passwords
    only, and it is paid on every wrong token anyone sends: ~60 ms of a core each, which let
    unauthenticated clients starve the portal. The random salt keys the HMAC, so the same
    token in two configs gives two hashes and no table can be precomputed. A token shorter
    than :data:`MIN_TOKEN_CHARS` is refused: a short or chosen one takes :func:`hash_secret`.
    """
    if len(token) < MIN_TOKEN_CHARS:
        raise ValueError(f"a machine token has {MIN_TOKEN_CHARS} characters or more")
    salt = secrets.token_bytes(16)
    digest = hmac.new(salt, _bytes(token), hashlib.sha256).digest()
    b64 = base64.b64encode
    return f"{TOKEN_SCHEME}${b64(salt).decode()}${b64(digest).decode()}"


def new_token() -> str:
    """A fresh machine token: 256 random bits, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def is_fast(stored: str) -> bool:
    """Whether ``stored`` is a machine token's fast hash (checked on the loop, no pool)."""
    return stored.startswith(f"{TOKEN_SCHEME}$")


def is_hash(stored: str) -> bool:
    """Whether ``stored`` looks like a hash of either scheme (for the config's checks)."""
    return _parse(stored) is not None


def _parse(stored: str) -> tuple[str, tuple[int, int, int], bytes, bytes] | None:
    parts = stored.split("$")
    try:
        if len(parts) == 3 and parts[0] == TOKEN_SCHEME:
            salt, digest = base64.b64decode(parts[1]), base64.b64decode(parts[2])
            return (TOKEN_SCHEME, (0, 0, 0), salt, digest) if salt and digest else None
        if len(parts) != 6 or parts[0] != SCHEME:
            return None
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt, digest = base64.b64decode(parts[4]), base64.b64decode(parts[5])
    except (ValueError, binascii.Error):
        return None
    if not (2 <= n <= _MAX_N) or n & (n - 1) or not (1 <= r * p <= 64) or not digest:
        return None
    return SCHEME, (n, r, p), salt, digest


def verify_secret(secret: str, stored: str) -> bool:
    """True when ``secret`` matches ``stored`` (either scheme); a malformed hash never
    matches, and a secret that is not UTF-8 (a lone surrogate) never does either."""
    parsed = _parse(stored)
    if parsed is None:
        return False
    scheme, (n, r, p), salt, digest = parsed
    try:
        raw = secret.encode()
    except UnicodeEncodeError:
        raw = _bytes(secret)  # the same work as a real check, then refused
        digest = b""
    if scheme == TOKEN_SCHEME:
        candidate = hmac.new(salt, raw, hashlib.sha256).digest()
    else:
        candidate = hashlib.scrypt(
            raw, salt=salt, n=n, r=r, p=p, maxmem=_maxmem(n, r), dklen=len(digest) or 64
        )
    return bool(digest) and hmac.compare_digest(candidate, digest)


def dummy_like(stored: str) -> str:
    """A hash of the same scheme and cost as ``stored`` that nothing matches: checking an
    unknown cabin id against it costs what checking a known one does."""
    parsed = _parse(stored)
    if parsed is None:
        return _dummy_token_hash()
    scheme, cost, salt, digest = parsed
    return _dummy(scheme, cost, len(salt), len(digest))


@functools.cache
def _dummy(scheme: str, cost: tuple[int, int, int], salt_len: int, digest_len: int) -> str:
    b64 = base64.b64encode
    salt, digest = secrets.token_bytes(salt_len), secrets.token_bytes(digest_len)
    n, r, p = cost
    if scheme == TOKEN_SCHEME:
        return f"{TOKEN_SCHEME}${b64(salt).decode()}${b64(digest).decode()}"
    return f"{SCHEME}${n}${r}${p}${b64(salt).decode()}${b64(digest).decode()}"


def _dummy_token_hash() -> str:
    return _dummy(TOKEN_SCHEME, (0, 0, 0), 16, 32)


@dataclass(frozen=True)
class DoctorSession:
    """A logged-in account: a doctor's, or (``role`` "staff") a staff member's."""

    token: str
    doctor_id: str  # the account's login, whatever its role
    expires: float  # wall-clock time, so a session outlives a portal restart
    role: str = DOCTOR
    #: The RPPS an identity provider vouched for at sign-in (Pro Santé Connect), or "".
    rpps: str = ""


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

    def open(self, doctor_id: str, *, role: str = DOCTOR, rpps: str = "") -> DoctorSession:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        expires = self._clock() + self.ttl_s
        fields = {"d": doctor_id, "e": round(expires, 3), "n": secrets.token_urlsafe(12), "r": role}
        if rpps:
            fields["p"] = rpps
        payload = json.dumps(fields, separators=(",", ":")).encode()
        token = f"{_b64(payload)}.{self._sign(payload)}"
        return DoctorSession(token, doctor_id, expires, role, rpps)

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
            rpps = str(data.get("p", ""))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        if expires <= self._clock() or nonce in self._revoked or role not in ROLES:
            return None
        return DoctorSession(token, doctor_id, expires, role, rpps)

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
    """Failed logins, counted by account *and* by source (an address, see :mod:`portal.limits`).

    The rule, fair to an account's owner: a source that failed ``limit`` times on one login
    within ``lockout_s`` is refused for that login; a source that failed ``per_source`` times
    on anything (logins, cabin hellos, bearer tokens) is refused for everything; and once a
    login has failed ``per_account`` times from all sources together, every source that failed
    on it at least once is refused for it. A source that has not failed (the owner's, as a
    rule) still gets in: nobody can lock a doctor out from elsewhere, and an attacker spread
    over many addresses gets one guess per address per ``lockout_s``.

    Only the newest failures that matter are kept (a bounded deque per key), and only entries
    whose newest failure is older than ``lockout_s`` are evicted: a spray of made-up names
    never unlocks anyone. Password failures are bounded by the hash pool's throughput; past
    ``max_entries`` live sources (a vast botnet), new sources are refused until some expire.
    """

    def __init__(
        self,
        *,
        limit: int,
        lockout_s: float,
        per_source: int = 30,
        per_account: int = 20,
        max_entries: int = 1_000_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.lockout_s = lockout_s
        self.per_source = per_source
        self.per_account = per_account
        self.max_entries = max_entries
        self._clock = clock
        self._pairs: dict[tuple[str, str], deque[float]] = {}
        self._accounts: dict[str, deque[float]] = {}
        self._sources: dict[str, deque[float]] = {}
        self._next_sweep = 0.0
        self._full_warned = False

    def _count(self, table: dict[Any, deque[float]], key: Any) -> int:
        times = table.get(key)
        if not times:
            return 0
        horizon = self._clock() - self.lockout_s
        while times and times[0] <= horizon:
            times.popleft()
        if not times:
            del table[key]
        return len(times)

    def source_blocked(self, source: str) -> bool:
        """Whether ``source`` failed too often on anything to be heard at all."""
        if source not in self._sources and self._size() >= self.max_entries:
            self._sweep(force=True)
            if self._size() >= self.max_entries:
                if not self._full_warned:
                    log.warning("login throttle: %d sources failing, new ones refused",
                                len(self._sources))  # fmt: skip
                    self._full_warned = True
                return True
        return self._count(self._sources, source) >= self.per_source

    def clean(self, source: str) -> bool:
        """Whether ``source`` has no failure within ``lockout_s`` (its checks go first)."""
        return self._count(self._sources, source) == 0

    def locked(self, account: str, source: str = "") -> bool:
        """Whether ``source`` may not try ``account`` now."""
        if self.source_blocked(source):
            return True
        mine = self._count(self._pairs, (account, source))
        if mine >= self.limit:
            return True
        return mine > 0 and self._count(self._accounts, account) >= self.per_account

    def failed(self, account: str, source: str = "") -> None:
        """A wrong password for ``account`` (known or not) from ``source``."""
        now = self._clock()
        self._pairs.setdefault((account, source), deque(maxlen=self.limit)).append(now)
        self._accounts.setdefault(account, deque(maxlen=self.per_account)).append(now)
        self.failed_source(source)

    def failed_source(self, source: str) -> None:
        """Any other refused credential from ``source`` (a cabin's hello, a bearer token)."""
        self._sources.setdefault(source, deque(maxlen=self.per_source)).append(self._clock())
        self._sweep()

    def succeeded(self, account: str, source: str = "") -> None:
        """The owner got in: their own failures are forgotten (not the source's, nor the
        account's count, or logging in to one's own account would reset an attack)."""
        self._pairs.pop((account, source), None)

    def _size(self) -> int:
        return len(self._sources) + len(self._pairs) + len(self._accounts)

    def _sweep(self, *, force: bool = False) -> None:
        """Evict the entries whose newest failure has expired (at most once a second)."""
        now = self._clock()
        if not force and now < self._next_sweep:
            return
        self._next_sweep = now + 1.0
        horizon = now - self.lockout_s
        tables: tuple[dict[Any, deque[float]], ...] = (self._pairs, self._accounts, self._sources)
        for table in tables:
            expired = [k for k, times in table.items() if not times or times[-1] <= horizon]
            for key in expired:
                del table[key]
        if self._size() < self.max_entries:
            self._full_warned = False


class CallIds:
    """Call ids that name their doctor to the portal, and to nobody else.

    A call id is ``nonce + mac``: the MAC (HMAC-SHA256 under a key derived from ``[server]
    session_secret``) binds the nonce to the doctor who took the call. After a portal restart
    a cabin re-checks in with its call id, and the portal can tell whose call it is without
    any state: no other doctor can take a consultation in progress. Without a stable secret
    the key is new at each start and the owner is unknown (see ``Hub``'s grace time).
    """

    NONCE_CHARS = 16
    MAC_CHARS = 22

    def __init__(self, secret: bytes = b"") -> None:
        base = secret or secrets.token_bytes(32)
        self._key = hmac.new(base, b"cabine call ids", hashlib.sha256).digest()

    def _mac(self, nonce: str, doctor_id: str) -> str:
        message = _bytes(f"{nonce}\0{doctor_id}")
        return _b64(hmac.new(self._key, message, hashlib.sha256).digest())[: self.MAC_CHARS]

    def new(self, doctor_id: str) -> str:
        nonce = secrets.token_urlsafe(12)[: self.NONCE_CHARS]
        return nonce + self._mac(nonce, doctor_id)

    def owner(self, call_id: str, doctors: Iterable[str]) -> str | None:
        """The doctor (among ``doctors``) who took ``call_id``, or None."""
        if len(call_id) != self.NONCE_CHARS + self.MAC_CHARS:
            return None
        nonce, mac = call_id[: self.NONCE_CHARS], call_id[self.NONCE_CHARS :]
        for doctor_id in doctors:
            if same_secret(mac, self._mac(nonce, doctor_id)):
                return doctor_id
        return None
