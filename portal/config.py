"""The portal's configuration: one TOML file (server, limits, ICE, doctor, staff and cabin
accounts).

Secrets are stored hashed (:mod:`portal.auth`: scrypt for passwords, a keyed fast hash for
machine tokens), never in clear. Unknown keys and wrong types raise :class:`PortalConfigError`
naming the file, table and key.
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
import zoneinfo
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

from portal import auth, site_config
from portal.oidc.config import PscConfig, PscConfigError
from portal.oidc.config import check as check_psc
from portal.papers import PapersConfig
from portal.site_config import BookingSiteConfig


class PortalConfigError(Exception):
    """The portal's config file is missing, malformed, or has a wrong or unknown key."""


@dataclass(frozen=True, kw_only=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8443
    tls_cert: str = ""
    tls_key: str = ""
    #: Mark the session cookie ``Secure``; false only for a loopback demo without TLS.
    secure_cookies: bool = True
    session_hours: float = 12.0
    #: Key signing the session cookies (long and random; keep the file private). The same
    #: key across restarts keeps doctors logged in; empty: a new key at each start.
    session_secret: str = ""
    #: Seconds between a cabin's heartbeats; a cabin silent for 3 of them is offline.
    heartbeat_s: float = 10.0
    #: Expected length of one consultation, for the wait a waiting patient is told.
    consultation_s: float = 900.0


@dataclass(frozen=True, kw_only=True)
class LimitsConfig:
    #: Messages a second allowed on one WebSocket, and the burst above it.
    rate: float = 20.0
    burst: int = 40
    #: Rate-limited messages after which the socket is closed.
    max_violations: int = 50
    #: Seconds a cabin has to say ``hello`` after connecting.
    hello_timeout: float = 5.0
    #: Failed logins on one account from one source (an address) within ``lockout_s``
    #: before that source is refused for that account that long.
    max_failed_logins: int = 5
    lockout_s: float = 300.0
    #: Failures from one source on anything (logins, cabin hellos, bearer tokens) within
    #: ``lockout_s`` before the source is refused (429) for everything.
    max_failed_per_source: int = 30
    #: Failed logins on one account from all sources within ``lockout_s`` after which every
    #: source that failed on it is refused for it; a source that has not failed gets in.
    max_failed_per_account: int = 20
    #: Threads checking passwords (scrypt), the checks that may wait for them (beyond: 429),
    #: and how many of those one source may hold.
    hash_workers: int = 2
    hash_queue: int = 32
    hash_queue_per_source: int = 4
    #: Seconds a connection may stay without a complete request, from its opening or its
    #: last answer: closes idle keep-alive connections and header-dripping clients.
    idle_timeout_s: float = 15.0
    #: Seconds a client has to send a request's body.
    body_timeout_s: float = 10.0
    #: Open connections (WebSockets included) allowed from one source, and in all (lowered
    #: at start to the open-file limit less 64).
    max_connections_per_source: int = 64
    max_connections: int = 4096
    #: Reverse proxies whose ``X-Forwarded-For`` names the real source (their addresses);
    #: their own connections are not capped per source.
    trusted_proxies: tuple[str, ...] = ()
    #: Seconds a consultation found in progress after a restart, whose doctor is not known
    #: (no stable ``session_secret``), stays out of other doctors' reach.
    reclaim_grace_s: float = 600.0


@dataclass(frozen=True, kw_only=True)
class IceConfig:
    #: ICE servers handed to the doctor's page: "stun:host:port", "turn:host:port".
    stun_servers: tuple[str, ...] = ()
    turn_servers: tuple[str, ...] = ()
    turn_username: str = ""
    turn_password: str = ""
    #: coturn's ``static-auth-secret`` (TURN REST API): when set, the portal issues
    #: short-lived TURN credentials to each doctor and cabin instead of the static pair.
    turn_secret: str = ""
    turn_ttl_s: float = 3600.0
    #: Doctors' browsers use relayed candidates only (hides their addresses from cabins).
    relay_only: bool = False


@dataclass(frozen=True, kw_only=True)
class DoctorAccount:
    """One doctor; the identity printed on the prescriptions the kiosk composes."""

    name: str
    password: str  # scrypt hash, see ``kiosk portal --hash``
    specialty: str = ""
    rpps: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    #: Signs in with Pro Santé Connect only (``[psc]``): the password is refused.
    psc_only: bool = False


@dataclass(frozen=True, kw_only=True)
class StaffAccount:
    """Someone at a cabin's site (a pharmacist, a nurse) who manages its appointments.

    A staff login opens the staff page for its own cabins only: never the doctor's page,
    the waiting room or a call. ``cabins`` lists cabin ids of ``[cabins]``; ``["*"]`` (alone)
    means every cabin; an empty list is refused.
    """

    name: str
    password: str  # scrypt hash, see ``kiosk portal --hash``
    cabins: tuple[str, ...]

    def manages(self, cabin_id: str) -> bool:
        return self.cabins == (ALL_CABINS,) or cabin_id in self.cabins


@dataclass(frozen=True, kw_only=True)
class AdminAccount:
    """Someone who manages the accounts (``/admin``); only in the accounts' database
    (:mod:`portal.accounts`), never in this file."""

    name: str
    password: str  # scrypt hash


#: The territories whose numbers share France's national format (a leading 0).
TERRITORIES = ("FR", "RE", "YT", "GP", "MQ", "GF", "PM", "BL", "MF")

#: ``cabins = ["*"]`` in a ``[staff.<login>]`` table: every cabin.
ALL_CABINS = "*"


@dataclass(frozen=True, kw_only=True)
class CabinAccount:
    #: Hash of the cabin's token: ``hmac-sha256$...`` (``python -m portal --new-token``), or
    #: an older ``scrypt$...`` (still accepted, but checked on the password pool).
    token: str
    name: str = ""


#: Cabin, session and call ids, wherever the portal accepts them.
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True, kw_only=True)
class AppointmentsConfig:
    """Appointments booked on the booking site and matched at the cabin (``[appointments]``)."""

    #: SQLAlchemy async URL: ``sqlite+aiosqlite:///path.db`` or
    #: ``postgresql+asyncpg://user@host/db``. Empty: no appointments (walk-ins only).
    database: str = ""
    #: Key of the match keys (keyed hashes of name and birth date); long and random, private.
    match_secret: str = ""
    #: Hash of the booking site's API token (``Authorization: Bearer <token>``), as a
    #: cabin's: ``hmac-sha256$...`` or an older ``scrypt$...``.
    api_token: str = ""
    #: Minutes before and after the slot's start in which a card checks the patient in.
    early_min: float = 30.0
    late_min: float = 20.0
    #: Minutes after the slot's start when a patient who did not come frees the slot.
    no_show_min: float = 20.0
    #: Hours after the slot when an appointment is erased from the database.
    purge_after_h: float = 24.0
    #: Hours before the slot when the reminder SMS goes out (0: no reminder).
    reminder_h: float = 24.0
    #: Shown to patients without an appointment at a cabin that takes no walk-ins.
    booking_site: str = ""
    #: Wrong booking codes a cabin may type in ``code_window_s`` before it is refused.
    max_code_attempts: int = 5
    code_window_s: float = 300.0


@dataclass(frozen=True, kw_only=True)
class HoursConfig:
    """One cabin's opening hours and slots (``[hours.<cabin id>]``), in its own time zone."""

    timezone: str = "Europe/Paris"
    #: Where the cabin stands, for phone numbers typed as dialled locally ("0692 12 34 56"):
    #: FR (metropolitan France), RE (La Réunion), YT (Mayotte), GP (Guadeloupe), MQ
    #: (Martinique), GF (Guyane), PM (Saint-Pierre-et-Miquelon), BL (Saint-Barthélemy),
    #: MF (Saint-Martin).
    territory: str = "FR"
    #: Opening days: "mon" ... "sun".
    days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    opens: str = "08:00"
    closes: str = "19:00"
    slot_min: int = 15
    #: Postal address, quoted in the confirmation SMS.
    address: str = ""
    #: Patients without an appointment wait (after booked ones); false: told to book.
    walk_ins: bool = True
    #: The booking site's directory: the commune and postcode patients search by.
    commune: str = ""
    postcode: str = ""
    #: Accessibility: no step to get in, a hearing loop, a seat for a companion.
    step_free: bool = False
    hearing_loop: bool = False
    companion_seat: bool = False
    #: Languages the cabin's screens and staff speak ("fr", "en", "ar", "es", ...).
    languages: tuple[str, ...] = ("fr",)
    #: Dated locations (a bus santé): "DAY HH:MM-HH:MM | address | postcode commune", DAY a
    #: weekday ("tue") or a date ("2026-12-08"); when any, slots are only inside them.
    locations: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class SmsConfig:
    """Kannel's HTTP ``sendsms`` interface (``[sms]``); empty ``sendsms_url``: no SMS."""

    sendsms_url: str = ""
    username: str = ""
    password: str = ""
    #: Sender shown on the phone (alphanumeric, at most 11 characters).
    sender: str = "Cabine"
    #: Base URL Kannel calls back with delivery reports (the portal's own, reachable by smsbox).
    dlr_base_url: str = ""
    #: Attempts per message, and the first wait between them (doubled each time).
    max_attempts: int = 6
    backoff_s: float = 30.0
    #: Seconds for one HTTP request to Kannel.
    timeout_s: float = 10.0


@dataclass(frozen=True, kw_only=True)
class ClusterConfig:
    """Several portal instances sharing their live state (``[cluster]``); empty: one
    instance, its state in memory."""

    #: ``redis://host:port/db``, ``rediss://`` (TLS) or ``unix:///run/redis/redis.sock``.
    redis_url: str = ""
    #: Seconds a cabin's or doctor's presence lasts without news (an instance killed: its
    #: peers vanish after this); 0 = three heartbeats.
    presence_ttl_s: float = 0.0


@dataclass(frozen=True, kw_only=True)
class PortalConfig:
    server: ServerConfig = field(default_factory=ServerConfig)
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    ice: IceConfig = field(default_factory=IceConfig)
    doctors: dict[str, DoctorAccount] = field(default_factory=dict)
    staff: dict[str, StaffAccount] = field(default_factory=dict)
    cabins: dict[str, CabinAccount] = field(default_factory=dict)
    #: Filled from the accounts' database when there is one (:mod:`portal.accounts`).
    admins: dict[str, AdminAccount] = field(default_factory=dict)
    appointments: AppointmentsConfig = field(default_factory=AppointmentsConfig)
    hours: dict[str, HoursConfig] = field(default_factory=dict)
    sms: SmsConfig = field(default_factory=SmsConfig)
    booking: BookingSiteConfig = field(default_factory=BookingSiteConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    prescriptions: PapersConfig = field(default_factory=PapersConfig)
    psc: PscConfig = field(default_factory=PscConfig)
    source: str = ""


_SCALARS: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
}


def _table(cls: type[Any], data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise PortalConfigError(f"{where} must be a table")
    known = {f.name: f for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, raw in data.items():
        value: Any = raw
        f = known.get(key)
        if f is None:
            raise PortalConfigError(f"{where}: unknown key {key!r}")
        tp = str(f.type)
        if tp.startswith("tuple"):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise PortalConfigError(f"{where} key {key!r} must be a list of strings")
            value = tuple(value)
        else:
            allowed = _SCALARS[tp]
            if isinstance(value, bool) and bool not in allowed:
                raise PortalConfigError(f"{where} key {key!r} must be {tp}, not {value!r}")
            if not isinstance(value, allowed):
                raise PortalConfigError(f"{where} key {key!r} must be {tp}, not {value!r}")
            if tp == "float":
                value = float(raw)
        kwargs[key] = value
    try:
        return cls(**kwargs)
    except TypeError as exc:
        missing = [n for n, f in known.items() if n not in kwargs and _required(f)]
        raise PortalConfigError(f"{where}: key {missing[0]!r} is required") from exc


def _required(f: Any) -> bool:
    return bool(f.default is MISSING and f.default_factory is MISSING)


def parse(text: str, *, source: str = "<string>") -> PortalConfig:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PortalConfigError(f"{source}: not valid TOML: {exc}") from exc
    try:
        top = {"server", "limits", "ice", "doctors", "staff", "cabins", "appointments", "hours"}
        top.update(("sms", "booking"))
        top.add("cluster")
        top.add("prescriptions")
        top.add("psc")
        for key in data:
            if key not in top:
                raise PortalConfigError(f"top level: unknown table {key!r}")
        doctors_raw = data.get("doctors", {})
        cabins_raw = data.get("cabins", {})
        hours_raw = data.get("hours", {})
        staff_raw = data.get("staff", {})
        if not all(isinstance(t, dict) for t in (doctors_raw, cabins_raw, hours_raw, staff_raw)):
            raise PortalConfigError("[doctors], [staff], [cabins] and [hours] must be tables")
        config = PortalConfig(
            server=_table(ServerConfig, data.get("server", {}), "[server]"),
            limits=_table(LimitsConfig, data.get("limits", {}), "[limits]"),
            ice=_table(IceConfig, data.get("ice", {}), "[ice]"),
            doctors={
                str(k): _table(DoctorAccount, v, f"[doctors.{k}]") for k, v in doctors_raw.items()
            },
            staff={str(k): _table(StaffAccount, v, f"[staff.{k}]") for k, v in staff_raw.items()},
            cabins={
                str(k): _table(CabinAccount, v, f"[cabins.{k}]") for k, v in cabins_raw.items()
            },
            appointments=_table(AppointmentsConfig, data.get("appointments", {}), "[appointments]"),
            hours={str(k): _table(HoursConfig, v, f"[hours.{k}]") for k, v in hours_raw.items()},
            sms=_table(SmsConfig, data.get("sms", {}), "[sms]"),
            booking=_table(BookingSiteConfig, data.get("booking", {}), "[booking]"),
            cluster=_table(ClusterConfig, data.get("cluster", {}), "[cluster]"),
            prescriptions=_table(PapersConfig, data.get("prescriptions", {}), "[prescriptions]"),
            psc=_table(PscConfig, data.get("psc", {}), "[psc]"),
            source=source,
        )
        _check_appointments(config)
        site_config.check(config)
        _check_staff(config)
        _check_cabins(config)
        _check_limits(config.limits)
        _check_cluster(config.cluster)
        try:
            check_psc(config.psc)
        except PscConfigError as exc:
            raise PortalConfigError(str(exc)) from exc
        if bool(config.server.tls_cert) != bool(config.server.tls_key):
            raise PortalConfigError("[server] 'tls_cert' and 'tls_key' go together")
        if config.limits.rate <= 0 or config.limits.burst < 1:
            raise PortalConfigError("[limits] 'rate' must be positive and 'burst' at least 1")
    except PortalConfigError as exc:
        raise PortalConfigError(f"{source}: {exc}") from exc
    return config


def _check_cluster(cluster: ClusterConfig) -> None:
    if cluster.redis_url and not cluster.redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise PortalConfigError("[cluster] 'redis_url': a redis://, rediss:// or unix:// URL")
    if cluster.presence_ttl_s < 0:
        raise PortalConfigError("[cluster] 'presence_ttl_s' must not be negative")


#: Opening days as ``[hours.<cabin id>] days`` names them, Monday first (``date.weekday()``).
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def day_minutes(text: str, where: str = "a time") -> int:
    """Minutes since midnight of an ``HH:MM``; :class:`PortalConfigError` naming ``where``
    when ``text`` is not one."""
    hours, sep, minutes = text.partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise PortalConfigError(f"{where} must be HH:MM")
    value = int(hours) * 60 + int(minutes)
    if int(minutes) > 59 or value > 24 * 60:
        raise PortalConfigError(f"{where} must be HH:MM")
    return value


def _check_appointments(config: PortalConfig) -> None:
    appts = config.appointments
    if appts.database and len(appts.match_secret) < 16:
        raise PortalConfigError("[appointments] 'match_secret' of 16 characters or more needed")
    if appts.early_min < 0 or appts.late_min < 0 or appts.purge_after_h < 0:
        raise PortalConfigError("[appointments] tolerances and delays cannot be negative")
    for cabin_id, hours in config.hours.items():
        where = f"[hours.{cabin_id}]"
        if cabin_id not in config.cabins:
            raise PortalConfigError(f"{where}: no such cabin in [cabins]")
        if unknown := [d for d in hours.days if d not in DAYS]:
            raise PortalConfigError(f"{where} 'days': unknown day {unknown[0]!r}")
        opens = day_minutes(hours.opens, f"{where} 'opens'")
        closes = day_minutes(hours.closes, f"{where} 'closes'")
        if not 5 <= hours.slot_min <= 240 or closes - opens < hours.slot_min:
            raise PortalConfigError(f"{where}: 'slot_min' must fit between opens and closes")
        if hours.territory not in TERRITORIES:
            raise PortalConfigError(
                f"{where} 'territory': one of {', '.join(TERRITORIES)}, not {hours.territory!r}"
            )
        try:
            zoneinfo.ZoneInfo(hours.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise PortalConfigError(f"{where} 'timezone': unknown time zone") from exc
        for line in hours.locations:
            site_config.parse_location(line, f"{where} 'locations'")
    if config.sms.sendsms_url and not config.sms.sendsms_url.startswith(("http://", "https://")):
        raise PortalConfigError("[sms] 'sendsms_url' must be an http(s) URL")
    if config.sms.max_attempts < 1 or config.sms.backoff_s <= 0:
        raise PortalConfigError("[sms] 'max_attempts' and 'backoff_s' must be positive")


def _check_staff(config: PortalConfig) -> None:
    for login, account in config.staff.items():
        where = f"[staff.{login}]"
        if login in config.doctors:
            raise PortalConfigError(f"{where}: login {login!r} is also in [doctors]; use another")
        if not 1 <= len(login) <= 64:
            raise PortalConfigError(f"{where}: a login has 1 to 64 characters")
        if not account.password.startswith(f"{auth.SCHEME}$"):
            raise PortalConfigError(f"{where} 'password' must be a hash of `kiosk portal --hash`")
        if not account.cabins:
            raise PortalConfigError(
                f"{where} 'cabins' is empty: list the cabin ids managed, or [\"*\"] for all"
            )
        if ALL_CABINS in account.cabins and len(account.cabins) > 1:
            raise PortalConfigError(f"{where} 'cabins': \"*\" (every cabin) stands alone")
        if unknown := [c for c in account.cabins if c != ALL_CABINS and c not in config.cabins]:
            raise PortalConfigError(f"{where} 'cabins': no cabin {unknown[0]!r} in [cabins]")


def _check_cabins(config: PortalConfig) -> None:
    for cabin_id, account in config.cabins.items():
        where = f"[cabins.{cabin_id}]"
        if not ID_PATTERN.fullmatch(cabin_id):
            raise PortalConfigError(f"{where}: a cabin id is 1 to 64 of A-Z a-z 0-9 _ -")
        if not auth.is_hash(account.token):
            raise PortalConfigError(
                f"{where} 'token' must be a hash of `python -m portal --new-token` (or --hash)"
            )
    token = config.appointments.api_token
    if token and not auth.is_hash(token):
        raise PortalConfigError(
            "[appointments] 'api_token' must be a hash of `python -m portal --new-token`"
        )


def _check_limits(limits: LimitsConfig) -> None:
    counts = (
        "max_failed_logins", "max_failed_per_source", "max_failed_per_account", "hash_workers",
        "hash_queue", "hash_queue_per_source", "max_connections_per_source", "max_connections",
    )  # fmt: skip
    for key in counts:
        if getattr(limits, key) < 1:
            raise PortalConfigError(f"[limits] {key!r} must be 1 or more")
    for key in ("lockout_s", "idle_timeout_s", "body_timeout_s", "reclaim_grace_s"):
        if getattr(limits, key) <= 0:
            raise PortalConfigError(f"[limits] {key!r} must be positive")
    for address in limits.trusted_proxies:
        try:
            ipaddress.ip_address(address)
        except ValueError as exc:
            raise PortalConfigError(
                f"[limits] 'trusted_proxies': {address!r} is not an IP address"
            ) from exc


def load(path: str | Path) -> PortalConfig:
    resolved = Path(path)
    try:
        text = resolved.read_text(encoding="utf-8")
    except OSError as exc:
        raise PortalConfigError(f"{resolved}: cannot read portal config: {exc}") from exc
    return parse(text, source=str(resolved))


def demo_path() -> Path:
    """``config/portal-demo.toml`` in the repository."""
    return Path(__file__).resolve().parent.parent / "config" / "portal-demo.toml"
