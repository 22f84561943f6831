"""Self-tests: one small check per concern, each returning a result a technician can read.

Families add their checks to :data:`CHECKS` (card reader, instruments, printer); a failed
check gets the first matching line of :data:`HINTS` saying what to do about it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from drivers import programs
from kiosk import __version__
from kiosk.config import DEFAULT_PATH, ENV_VAR, CabinConfig, Config
from kiosk.documents.printing import check_cups_retention, check_printer
from kiosk.errors import PrivacyError
from kiosk.exam import check_media
from kiosk.health import check_disk
from kiosk.instruments import check_instruments
from kiosk.privacy import Spool
from kiosk.services.card import check_card_reader

log = logging.getLogger(__name__)

SYSTEM_COMMANDS = ("pcscd", "lp", "lpstat")


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str = ""
    #: What a technician can do about a failure ("" when it passed).
    hint: str = ""

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail, "hint": self.hint}


@dataclass
class Report:
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    def to_json(self) -> dict[str, object]:
        return {
            "version": __version__,
            "ok": self.ok,
            "checks": [c.to_json() for c in self.checks],
        }


Check = Callable[[Config], Iterable[CheckResult]]


def _which(command: str) -> str | None:
    return programs.which(command)


def check_system(cfg: Config) -> Iterable[CheckResult]:
    for command in SYSTEM_COMMANDS:
        path = _which(command)
        yield CheckResult(
            f"system:{command}",
            path is not None,
            path or f"{command} not found: install the cabin's system packages (make setup)",
        )


def check_spool(cfg: Config) -> Iterable[CheckResult]:
    spool = Spool(cfg.session.spool_dir)
    try:
        spool.prepare()
    except (PrivacyError, OSError) as exc:
        yield CheckResult("spool", False, str(exc))
    else:
        yield CheckResult("spool", True, f"{spool.root} in memory")


#: Every check run by ``kiosk selftest``, in order.
CHECKS: list[Check] = [
    check_system,
    check_spool,
    check_instruments,
    check_media,
    check_card_reader,
    check_disk,
    check_printer,
    check_cups_retention,
]

#: The checks that are worth running on their table's defaults when there is no config at
#: all (the system's pcscd, CUPS's default queue); the spool and instruments need one.
WITHOUT_CONFIG: tuple[Check, ...] = (
    check_system,
    check_card_reader,
    check_disk,
    check_printer,
    check_cups_retention,
)

NO_CONFIG = (
    f"no config: none given (--config, ${ENV_VAR}) and {DEFAULT_PATH} does not exist; "
    "only the checks that need none ran"
)
NO_CONFIG_HINT = (
    f"give one: kiosk selftest --config FILE, or export {ENV_VAR}=FILE "
    "(every key is documented in config/default.toml)"
)


@dataclass(frozen=True)
class Hint:
    """What to do about a failed check, for the first rule matching its name and detail.

    ``name`` is a check's name, or a family ending in ``:`` (``device:``); ``detail`` a piece
    of the failure's detail ("" for any). In ``text``, ``{id}`` is the part of the name after
    the family (``device:scale`` -> ``scale``) and ``{queue}`` the configured printer queue.
    """

    name: str
    text: str
    detail: str = ""

    def matches(self, result: CheckResult) -> bool:
        if self.name.endswith(":"):
            named = result.name.startswith(self.name)
        else:
            named = result.name == self.name
        return named and self.detail.casefold() in result.detail.casefold()


_PAPER = "then restart the queue: cupsenable {queue}"
_SERIAL = "check [devices.{id}] baudrate, parity, bytesize and stopbits against its manual"

#: Advice for failed checks, most specific first; every check family ends with a catch-all.
HINTS: tuple[Hint, ...] = (
    Hint(
        "config",
        "check the path, or give the config with --config FILE or $KIOSK_CONFIG",
        "config file not found",
    ),
    Hint(
        "config",
        "let the user running the kiosk read the file (ls -l; chown or chmod it)",
        "cannot read config",
    ),
    Hint("config", "fix what is named above; every key is documented in config/default.toml"),
    Hint("system:pcscd", "install the smart-card service: apt-get install pcscd"),
    Hint("system:lp", "install the CUPS client: apt-get install cups-client"),
    Hint("system:lpstat", "install the CUPS client: apt-get install cups-client"),
    Hint("system:", "install the cabin's system packages (docs/install.md, or make setup)"),
    Hint(
        "spool",
        "put [session] spool_dir on a tmpfs (under /run or /dev/shm): patient "
        "documents must never reach a disk",
        "not tmpfs",
    ),
    Hint(
        "spool",
        "let the user running the kiosk create [session] spool_dir (a folder under "
        "/run or /dev/shm; the cabine-kiosk unit's RuntimeDirectory makes /run/cabine)",
    ),
    Hint(
        "device:",
        "set [devices.{id}] driver to one of the known names listed above",
        "no driver named",
    ),
    Hint(
        "device:",
        "install the driver's library (make setup, or pip install '.[kiosk]')",
        "cannot load",
    ),
    Hint("device:", "give [devices.{id}] a driver that measures its kind", "is not an instrument"),
    Hint("device:", "give [devices.{id}] a driver that measures its kind", " measures "),
    Hint(
        "device:",
        "plug the instrument in and switch it on, or fix [devices.{id}] port "
        "(ls -l /dev/serial/by-id/)",
        "port FAILED",
    ),
    Hint(
        "device:",
        "wake the instrument (press its button), keep it near the cabin, unpair "
        "it from any phone; check [devices.{id}] address",
        "advertising FAILED",
    ),
    Hint(
        "device:",
        "remove the old pairing (bluetoothctl remove ADDRESS), change the "
        "instrument's batteries, and run the self-test again",
        "connects FAILED",
    ),
    Hint(
        "device:",
        "the device lacks the expected Bluetooth service: check [devices.{id}] driver and address",
        "profile FAILED",
    ),
    Hint("device:", "frames arrive but cannot be used: " + _SERIAL, "last_frame FAILED"),
    Hint("device:", "switch the instrument on and check its cable; " + _SERIAL, "answer"),
    Hint(
        "device:",
        "check the instrument's power and cable, then try one reading: kiosk measure {id}",
    ),
    Hint(
        "media:",
        "the device offers other formats (v4l2-ctl --list-formats-ext -d DEVICE, or "
        "arecord -D PCM --dump-hw-params): put one of them in [devices.{id}] url",
        ", got ",
    ),
    Hint(
        "media:",
        "plug the {id} in (lsusb lists it; v4l2-ctl --list-devices or arecord -l shows its "
        "device), then fix [devices.{id}] url",
        "[missing]",
    ),
    Hint(
        "media:",
        "another program may hold the device (fuser -v /dev/video* /dev/snd/*); unplug and "
        "replug the {id}",
        "[no_data]",
    ),
    Hint("media:", "try it alone: kiosk measure {id} (docs/exam-instruments.md)"),
    Hint("card:service", "start pcscd: systemctl start pcscd.socket", "0x8010001D"),
    Hint(
        "card:service",
        "restart pcscd: systemctl restart pcscd.socket (then journalctl -u "
        "pcscd says why it stopped)",
    ),
    Hint(
        "card:reader",
        "plug the card reader in (lsusb lists it); pcsc_scan shows the "
        "readers' names, of which [card] reader must be a part",
    ),
    Hint("card:", "pcsc_scan (package pcsc-tools) shows what the reader and card do"),
    Hint(
        "disk:",
        "free space on {id}: remove old release folders under /opt/cabine/releases "
        "(keep the current and previous ones) and old logs: journalctl --vacuum-size=200M",
    ),
    Hint(
        "printer:retention",
        "run the kiosk selftest as root (it reads /etc/cups), or set $CUPS_SERVERROOT",
        "cannot read",
    ),
    Hint(
        "printer:retention",
        "cupsctl PreserveJobFiles=No, and RequestRoot /run/cups/spool in "
        "/etc/cups/cups-files.conf, then systemctl restart cups (docs/install.md, step 7)",
    ),
    Hint("printer", "start CUPS: systemctl start cups", "[cups_unavailable]"),
    Hint(
        "printer",
        "lpstat -p lists the queues: set [printer] name to one of them, or make "
        "one the default: lpadmin -d QUEUE",
        "[no_such_queue]",
    ),
    Hint("printer", "load paper, " + _PAPER, "[paper_out]"),
    Hint("printer", "clear the paper jam, " + _PAPER, "[paper_jam]"),
    Hint("printer", "switch the printer on and check its cable, " + _PAPER, "[offline]"),
    Hint("printer", "let the queue take jobs again: cupsaccept {queue}", "[not_accepting]"),
    Hint("printer", "lpstat -l -p {queue} says why it stopped; fix that, " + _PAPER, "[stopped]"),
    Hint("printer", "lpstat -t shows CUPS's state; kiosk print-test prints a test page"),
)

#: For a check that crashed (its name is its function's): nothing a technician can fix.
CRASH_HINT = "a fault of the self-test itself: send the output of kiosk selftest --json to support"


def hint_for(result: CheckResult, cfg: Config | None = None) -> str:
    """The advice for a failed ``result``; "" when it passed or already has one."""
    if result.ok or result.hint:
        return result.hint
    _family, _, ident = result.name.partition(":")
    queue = (cfg.printer.name if cfg is not None else "") or "QUEUE"
    for hint in HINTS:
        if hint.matches(result):
            return hint.text.format(id=ident, queue=queue)
    return CRASH_HINT


def _with_hints(results: Iterable[CheckResult], cfg: Config | None) -> list[CheckResult]:
    return [replace(r, hint=hint_for(r, cfg)) if not r.ok else r for r in results]


def _run_checks(report: Report, checks: Iterable[Check], cfg: Config) -> None:
    for check in checks:
        try:
            results = list(check(cfg))
        except Exception as exc:
            name = getattr(check, "__name__", "check")
            results = [CheckResult(name, False, f"{type(exc).__name__}: {exc}")]
        report.checks.extend(_with_hints(results, cfg))


def run_all(cfg: Config | None, *, config_error: str = "") -> Report:
    """Every check on ``cfg``; ``None`` (a config that did not load): that failure alone,
    since the other checks would test defaults the file may well override."""
    report = Report()
    if cfg is None:
        failed = CheckResult("config", False, config_error or "no config")
        report.checks.extend(_with_hints([failed], None))
        return report
    report.checks.append(CheckResult("config", True, cfg.source or "loaded"))
    _run_checks(report, CHECKS, cfg)
    return report


def run_without_config() -> Report:
    """No config anywhere: say how to give one, and run the checks that need none."""
    report = Report([CheckResult("config", False, NO_CONFIG, NO_CONFIG_HINT)])
    _run_checks(report, WITHOUT_CONFIG, Config(cabin=CabinConfig(id="")))
    return report
