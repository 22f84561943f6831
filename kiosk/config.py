"""The cabin's configuration: one TOML file loaded into frozen dataclasses, one per table.

Every key is documented with its default in ``config/default.toml``. A wrong type, a missing
required key or an unknown key raises :class:`ConfigError` naming the file, table and key.
"""

from __future__ import annotations

import os
import tomllib
import types
import typing
from dataclasses import MISSING, dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args, get_origin

from kiosk.errors import ConfigError

ENV_VAR = "KIOSK_CONFIG"
DEFAULT_PATH = Path("/etc/cabine/kiosk.toml")
LANGUAGES = ("fr", "en", "ar", "es")


@dataclass(frozen=True, kw_only=True)
class CabinConfig:
    id: str
    name: str = ""
    site: str = ""
    address: str = ""
    languages: tuple[str, ...] = LANGUAGES
    default_language: str = "fr"
    #: The cabin's time zone (IANA name): the times and dates printed on its papers.
    timezone: str = "Europe/Paris"
    #: Where a patient may book instead of waiting (shown when nobody comes); the portal's
    #: own booking site, when it names one, comes first. "": ask the staff.
    booking_site: str = ""
    #: What the kiosk is: a ``cabin`` or a ``borne`` (a patient alone, full screen, locked),
    #: a ``mallette`` (a nurse's kit on a laptop: a window, no lockdown, the nurse signs in)
    #: or a ``bus`` (a bus santé's cabin).
    form: Literal["cabin", "borne", "mallette", "bus"] = "cabin"


@dataclass(frozen=True, kw_only=True)
class SessionConfig:
    spool_dir: str = "/run/cabine/spool"
    require_cleaning: bool = True
    simulated: bool = False


@dataclass(frozen=True, kw_only=True)
class TimeoutsConfig:
    reading_card: float = 20.0
    booking_code: float = 180.0
    confirm_identity: float = 120.0
    consent: float = 180.0
    waiting_room: float = 1800.0
    in_call: float = 3600.0
    measuring: float = 300.0
    printing: float = 180.0
    goodbye: float = 60.0
    fault: float = 120.0
    warning: float = 20.0
    extension: float = 60.0
    max_extensions: int = 3
    #: In the waiting room: seconds without a doctor before the cabin apologises and offers
    #: to keep waiting, call the staff or book (0: never). Waiting on is always possible.
    nobody_comes: float = 900.0


@dataclass(frozen=True, kw_only=True)
class UiConfig:
    fullscreen: bool = True
    high_contrast: bool = False
    speech: bool = False
    technician_pin: str = ""


@dataclass(frozen=True, kw_only=True)
class PortalLinkConfig:
    """The cabin's ``[portal]`` table: how it reaches its portal (not ``portal.config``'s
    ``PortalConfig``, the portal server's own file)."""

    url: str = ""
    token: str = ""
    stun_servers: tuple[str, ...] = ()
    turn_servers: tuple[str, ...] = ()
    turn_username: str = ""
    turn_password: str = ""


@dataclass(frozen=True, kw_only=True)
class CallConfig:
    """The ``[call]`` table: the cabin's own side of the teleconsultation."""

    #: The ALSA PCM the doctor's voice plays on (``default``, ``plughw:CARD=PCH``...);
    #: ``""``: not played (a cabin without loudspeaker).
    audio_output: str = "default"


@dataclass(frozen=True, kw_only=True)
class CardConfig:
    reader: str = ""
    pcsc_socket: str = ""
    read_timeout: float = 10.0


@dataclass(frozen=True, kw_only=True)
class PrinterConfig:
    name: str = ""
    retries: int = 2
    job_timeout: float = 120.0
    #: Minutes the papers a printer fault kept from the patient wait for the staff's
    #: reprint before they are wiped (0: not kept).
    hold_minutes: int = 30


@dataclass(frozen=True, kw_only=True)
class DeviceConfig:
    """One instrument; ``driver`` is a registry name (``suntech-advantage``, ``and-weight``...)."""

    driver: str
    kind: Literal["blood_pressure", "temperature", "weight", "spo2"]
    port: str = ""
    address: str = ""
    baudrate: int = 0
    parity: Literal["", "N", "E", "O"] = ""
    bytesize: int = 0
    stopbits: float = 0
    model: str = ""
    serial: str = ""
    measure_timeout: float = 120.0
    clock_window: float = 300.0
    connect_grace: float = 0.0


#: The ``[devices.ID]`` tables that are examination instruments opened by media URL, not
#: measuring instruments: they go to :attr:`Config.media`, never to :attr:`Config.devices`.
MEDIA_DEVICES = ("exam_camera", "stethoscope")


@dataclass(frozen=True, kw_only=True)
class MediaSourceConfig:
    """``[devices.exam_camera]`` or ``[devices.stethoscope]``: where the instrument's video or
    sound comes from, as a media URL (``v4l2:///dev/video2?size=1920x1080&fps=30``,
    ``alsa://hw:2,0``, ``lavfi:...``, ``file:...``; see :mod:`drivers.media_urls`)."""

    url: str
    model: str = ""
    serial: str = ""


@dataclass(frozen=True, kw_only=True)
class LoggingConfig:
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


@dataclass(frozen=True, kw_only=True)
class Config:
    cabin: CabinConfig
    session: SessionConfig = field(default_factory=SessionConfig)
    timeouts: TimeoutsConfig = field(default_factory=TimeoutsConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    portal: PortalLinkConfig = field(default_factory=PortalLinkConfig)
    call: CallConfig = field(default_factory=CallConfig)
    card: CardConfig = field(default_factory=CardConfig)
    printer: PrinterConfig = field(default_factory=PrinterConfig)
    devices: dict[str, DeviceConfig] = field(default_factory=dict)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    #: ``[devices.exam_camera]`` and ``[devices.stethoscope]`` (see :data:`MEDIA_DEVICES`).
    media: dict[str, MediaSourceConfig] = field(default_factory=dict)
    source: str = field(default="", compare=False)


T = TypeVar("T")


def _type_name(tp: Any) -> str:
    origin = get_origin(tp)
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in get_args(tp))
    if origin in (tuple, list):
        return f"a list of {_type_name(get_args(tp)[0])}"
    if origin is dict:
        return "a table"
    if tp is float:
        return "a number"
    if tp is int:
        return "an integer"
    if tp is bool:
        return "true or false"
    if tp is str:
        return "a string"
    return getattr(tp, "__name__", str(tp))


def _convert(value: Any, tp: Any, where: str) -> Any:
    origin = get_origin(tp)
    if origin is Literal:
        if value not in get_args(tp):
            raise ConfigError(f"{where} must be {_type_name(tp)}, not {value!r}")
        return value
    if origin in (types.UnionType, typing.Union):
        for arg in get_args(tp):
            try:
                return _convert(value, arg, where)
            except ConfigError:
                continue
        raise ConfigError(f"{where} has the wrong type: {value!r}")
    if origin is tuple:
        if not isinstance(value, list):
            raise ConfigError(f"{where} must be {_type_name(tp)}, not {value!r}")
        inner = get_args(tp)[0]
        return tuple(_convert(v, inner, f"{where}[{i}]") for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{where} must be a table")
        _, inner = get_args(tp)
        return {str(k): _convert(v, inner, f"{where}.{k}") for k, v in value.items()}
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false, not {value!r}")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where} must be a number, not {value!r}")
        return float(value)
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where} must be an integer, not {value!r}")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where} must be a string, not {value!r}")
        return value
    raise ConfigError(f"{where}: unsupported type {tp!r}")  # pragma: no cover - programming error


def _build(cls: type[T], data: dict[str, Any], table: str) -> T:
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in fields(cls) if f.name not in _NOT_TABLES}  # type: ignore[arg-type]
    for key in data:
        if key not in known:
            where = f"[{table}]" if table else "top level"
            raise ConfigError(f"{where}: unknown key {key!r}")
    kwargs: dict[str, Any] = {}
    for name, f in known.items():
        where = f"[{table}] key {name!r}" if table else f"table [{name}]"
        if name in data:
            sub = f"{table}.{name}" if table else name
            value = data[name]
            tp = hints[name]
            if is_dataclass(tp):
                if not isinstance(value, dict):
                    raise ConfigError(f"{where} must be a table")
                kwargs[name] = _build(tp, value, sub)  # type: ignore[arg-type]
            elif get_origin(tp) is dict and is_dataclass(get_args(tp)[1]):
                if not isinstance(value, dict):
                    raise ConfigError(f"{where} must be a table")
                inner = get_args(tp)[1]
                kwargs[name] = {
                    str(k): _build(inner, v, f"{sub}.{k}")
                    if isinstance(v, dict)
                    else _raise(f"[{sub}] key {k!r} must be a table")
                    for k, v in value.items()
                }
            else:
                kwargs[name] = _convert(value, tp, where)
        elif f.default is MISSING and f.default_factory is MISSING:
            if is_dataclass(hints[name]):
                raise ConfigError(f"table [{name}] is required")
            raise ConfigError(f"[{table}] key {name!r} is required")
    return cls(**kwargs)


#: :class:`Config` fields that are not TOML tables of their own.
_NOT_TABLES = ("source", "media")


def _media_devices(data: dict[str, Any]) -> dict[str, MediaSourceConfig]:
    """Take the media instruments out of ``[devices]`` (their URL checked, without PyAV)."""
    devices = data.get("devices")
    if not isinstance(devices, dict):
        return {}
    from drivers.media_urls import MediaSourceError, parse_url

    media: dict[str, MediaSourceConfig] = {}
    for name in MEDIA_DEVICES:
        if name not in devices:
            continue
        table = devices.pop(name)
        if not isinstance(table, dict):
            raise ConfigError(f"[devices] key {name!r} must be a table")
        media[name] = _build(MediaSourceConfig, table, f"devices.{name}")
        try:
            scheme = parse_url(media[name].url).scheme
        except MediaSourceError as exc:
            raise ConfigError(f"[devices.{name}] key 'url': {exc}") from exc
        if scheme == _WRONG_SCHEME[name]:
            raise ConfigError(
                f"[devices.{name}] key 'url': a {name.replace('_', ' ')} cannot be opened "
                f"as {scheme}: (say {_EXAMPLE_URL[name]})"
            )
    return media


#: The scheme each media instrument cannot use, and an example of one it can.
_WRONG_SCHEME = {"exam_camera": "alsa", "stethoscope": "v4l2"}
_EXAMPLE_URL = {
    "exam_camera": "v4l2:///dev/video2?size=1920x1080&fps=30",
    "stethoscope": "alsa://hw:2,0",
}


def _raise(message: str) -> Any:
    raise ConfigError(message)


#: Where the system's time zone database lives (zoneinfo's default search path on Linux).
ZONE_DIRS = ("/usr/share/zoneinfo", "/usr/lib/zoneinfo", "/usr/share/lib/zoneinfo", "/etc/zoneinfo")


def _known_zone(name: str) -> bool:
    """Whether ``name`` is a zone of the system's database; looked up as zoneinfo would,
    without importing it before the first paint."""
    parts = name.split("/")
    if not name or name.startswith("/") or any(p in ("", ".", "..") for p in parts):
        return False
    return any(Path(base, *parts).is_file() for base in ZONE_DIRS)


def _check(config: Config) -> None:
    if not config.cabin.id.strip():
        raise ConfigError("[cabin] key 'id' must not be empty")
    for lang in config.cabin.languages:
        if lang not in LANGUAGES:
            raise ConfigError(f"[cabin] key 'languages': {lang!r} is not one of {LANGUAGES}")
    if config.cabin.default_language not in config.cabin.languages:
        raise ConfigError("[cabin] key 'default_language' must be one of 'languages'")
    if not _known_zone(config.cabin.timezone):
        raise ConfigError(
            f"[cabin] key 'timezone': {config.cabin.timezone!r} is not a known time zone "
            '(an IANA name such as "Europe/Paris")'
        )
    t = config.timeouts
    for f in fields(t):
        if getattr(t, f.name) < 0:
            raise ConfigError(f"[timeouts] key {f.name!r} must not be negative")
    if config.printer.hold_minutes < 0:
        raise ConfigError("[printer] key 'hold_minutes' must not be negative")


def parse(text: str, *, source: str = "<string>") -> Config:
    """Parse TOML text into a :class:`Config`; errors name ``source``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from exc
    try:
        media = _media_devices(data)
        config = _build(Config, data, "")
        _check(config)
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from exc
    object.__setattr__(config, "media", media)
    if config.cabin.form == "mallette" and "fullscreen" not in data.get("ui", {}):
        # A nurse's laptop: a window, never the kiosk's lockdown, unless the file says so.
        object.__setattr__(config, "ui", replace(config.ui, fullscreen=False))
    if config.cabin.form == "mallette" and "require_cleaning" not in data.get("session", {}):
        # The nurse wipes the cuff herself: no staff to confirm it between patients.
        object.__setattr__(config, "session", replace(config.session, require_cleaning=False))
    return _with_source(config, source)


def _with_source(config: Config, source: str) -> Config:
    object.__setattr__(config, "source", source)
    return config


def resolve_path(path: str | os.PathLike[str] | None = None) -> Path:
    """``--config`` wins, then ``$KIOSK_CONFIG``, then ``/etc/cabine/kiosk.toml``."""
    if path:
        return Path(path)
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    return DEFAULT_PATH


def load(path: str | os.PathLike[str] | None = None) -> Config:
    """Load the cabin's config file; raises :class:`ConfigError` with one clear line."""
    resolved = resolve_path(path)
    try:
        text = resolved.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{resolved}: config file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{resolved}: cannot read config: {exc}") from exc
    return parse(text, source=str(resolved))


def project_config(name: str) -> Path:
    """A config shipped in the repository's ``config/`` folder (``demo``, ``default``)."""
    return Path(__file__).resolve().parent.parent / "config" / f"{name}.toml"
