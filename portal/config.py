"""The portal's configuration: one TOML file (server, limits, ICE, doctor and cabin accounts).

Secrets are stored as scrypt hashes (:mod:`portal.auth`), never in clear. Unknown keys and
wrong types raise :class:`PortalConfigError` naming the file, table and key.
"""

from __future__ import annotations

import tomllib
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any


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


@dataclass(frozen=True, kw_only=True)
class LimitsConfig:
    #: Messages a second allowed on one WebSocket, and the burst above it.
    rate: float = 20.0
    burst: int = 40
    #: Rate-limited messages after which the socket is closed.
    max_violations: int = 50
    #: Seconds a cabin has to say ``hello`` after connecting.
    hello_timeout: float = 5.0
    #: Failed logins for one account within ``lockout_s`` before it is locked that long.
    max_failed_logins: int = 5
    lockout_s: float = 300.0


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


@dataclass(frozen=True, kw_only=True)
class CabinAccount:
    token: str  # scrypt hash of the cabin's token
    name: str = ""


@dataclass(frozen=True, kw_only=True)
class PortalConfig:
    server: ServerConfig = field(default_factory=ServerConfig)
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    ice: IceConfig = field(default_factory=IceConfig)
    doctors: dict[str, DoctorAccount] = field(default_factory=dict)
    cabins: dict[str, CabinAccount] = field(default_factory=dict)
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
        top = {"server", "limits", "ice", "doctors", "cabins"}
        for key in data:
            if key not in top:
                raise PortalConfigError(f"top level: unknown table {key!r}")
        doctors_raw = data.get("doctors", {})
        cabins_raw = data.get("cabins", {})
        if not isinstance(doctors_raw, dict) or not isinstance(cabins_raw, dict):
            raise PortalConfigError("[doctors] and [cabins] must be tables")
        config = PortalConfig(
            server=_table(ServerConfig, data.get("server", {}), "[server]"),
            limits=_table(LimitsConfig, data.get("limits", {}), "[limits]"),
            ice=_table(IceConfig, data.get("ice", {}), "[ice]"),
            doctors={
                str(k): _table(DoctorAccount, v, f"[doctors.{k}]") for k, v in doctors_raw.items()
            },
            cabins={
                str(k): _table(CabinAccount, v, f"[cabins.{k}]") for k, v in cabins_raw.items()
            },
            source=source,
        )
        if bool(config.server.tls_cert) != bool(config.server.tls_key):
            raise PortalConfigError("[server] 'tls_cert' and 'tls_key' go together")
        if config.limits.rate <= 0 or config.limits.burst < 1:
            raise PortalConfigError("[limits] 'rate' must be positive and 'burst' at least 1")
    except PortalConfigError as exc:
        raise PortalConfigError(f"{source}: {exc}") from exc
    return config


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
