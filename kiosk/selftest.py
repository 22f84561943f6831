"""Self-tests: one small check per concern, each returning a result a technician can read.

Families add their checks to :data:`CHECKS` (card reader, instruments, printer).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from drivers import programs
from kiosk import __version__
from kiosk.card import check_card_reader
from kiosk.config import Config
from kiosk.documents.printing import check_printer
from kiosk.errors import PrivacyError
from kiosk.health import check_disk
from kiosk.instruments import check_instruments
from kiosk.privacy import Spool

log = logging.getLogger(__name__)

SYSTEM_COMMANDS = ("pcscd", "lp", "lpstat")


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str = ""

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


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
    check_card_reader,
    check_disk,
    check_printer,
]


def run_all(cfg: Config | None, *, config_error: str = "") -> Report:
    report = Report()
    if cfg is None:
        report.checks.append(CheckResult("config", False, config_error or "no config"))
        return report
    report.checks.append(CheckResult("config", True, cfg.source or "loaded"))
    for check in CHECKS:
        try:
            report.checks.extend(check(cfg))
        except Exception as exc:
            name = getattr(check, "__name__", "check")
            report.checks.append(CheckResult(name, False, f"{type(exc).__name__}: {exc}"))
    return report
