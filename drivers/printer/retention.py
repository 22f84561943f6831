"""Whether the CUPS scheduler keeps copies of printed documents, read from its config files.

CUPS copies every job into its RequestRoot and, unless ``PreserveJobFiles No``, keeps the copy
after printing (a day by default): a cabin's prescriptions would stay on disk. The files are
read where clients find them (``$CUPS_SERVERROOT``, else /etc/cups).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from drivers.filesystems import MEMORY_FILESYSTEMS, filesystem_of

SERVER_ROOT_ENV = "CUPS_SERVERROOT"
DEFAULT_SERVER_ROOT = Path("/etc/cups")
#: CUPS's defaults when the directive is absent.
DEFAULT_PRESERVE_JOB_FILES = "86400"
DEFAULT_REQUEST_ROOT = Path("/var/spool/cups")
#: ``PreserveJobFiles Yes``: kept for good.
FOREVER = -1

_TIME = re.compile(r"(?P<number>\d+(?:\.\d+)?)(?P<unit>[smhdw]?)", re.IGNORECASE)
_UNIT_S = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def directive(text: str, name: str) -> str | None:
    """The value of a top-level directive (the last one wins, as in cupsd), or None."""
    value, depth = None, 0
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("</"):
            depth = max(0, depth - 1)
        elif line.startswith("<"):
            depth += 1
        elif depth == 0:
            key, _, rest = line.partition(" ")
            if key.lower() == name.lower():
                value = rest.strip()
    return value


def preserve_seconds(value: str | None) -> int:
    """``PreserveJobFiles`` in seconds as cupsd reads it: 0 kept for no time, FOREVER for
    Yes; a value cupsd would not take counts as its default (kept), never as "not kept"."""
    word = (DEFAULT_PRESERVE_JOB_FILES if value is None else value).strip().lower()
    if word in ("no", "off", "false", "disabled"):
        return 0
    if word in ("yes", "on", "true", "enabled"):
        return FOREVER
    match = _TIME.fullmatch(word)
    if match is None:
        return int(DEFAULT_PRESERVE_JOB_FILES)
    return int(float(match["number"]) * _UNIT_S[match["unit"]])


@dataclass(frozen=True)
class Retention:
    """What a scheduler's config says about the copies of printed documents."""

    server_root: Path
    preserve_s: int  # 0: none kept; FOREVER: kept for good
    preserve_value: str | None  # as written; None: not set
    request_root: Path
    filesystem: str  # of the request root

    @property
    def in_memory(self) -> bool:
        return self.filesystem in MEMORY_FILESYSTEMS

    def problems(self) -> list[str]:
        """What lets a document outlive its session, in a technician's words."""
        out = []
        if self.preserve_s == FOREVER:
            out.append("CUPS keeps every printed document (PreserveJobFiles Yes)")
        elif self.preserve_s:
            written = self.preserve_value or "not set, CUPS's default"
            out.append(
                f"CUPS keeps printed documents for {self.preserve_s} s after printing "
                f"(PreserveJobFiles {written})"
            )
        if not self.in_memory:
            out.append(
                f"its spool {self.request_root} is on "
                f"{self.filesystem or 'an unknown file system'}, not in memory (tmpfs)"
            )
        return out


def server_root() -> Path:
    return Path(os.environ.get(SERVER_ROOT_ENV) or DEFAULT_SERVER_ROOT)


def read(root: Path | None = None, *, mounts: Path = Path("/proc/mounts")) -> Retention:
    """The retention of the scheduler configured under ``root``; OSError if unreadable."""
    root = server_root() if root is None else root
    cupsd = (root / "cupsd.conf").read_text(encoding="utf-8", errors="replace")
    files_conf = root / "cups-files.conf"
    files = files_conf.read_text(encoding="utf-8", errors="replace") if files_conf.exists() else ""
    request_root = Path(directive(files, "RequestRoot") or DEFAULT_REQUEST_ROOT)
    preserve = directive(cupsd, "PreserveJobFiles")
    return Retention(
        server_root=root,
        preserve_s=preserve_seconds(preserve),
        preserve_value=preserve,
        request_root=request_root,
        filesystem=filesystem_of(request_root, mounts.read_text(encoding="utf-8")),
    )
