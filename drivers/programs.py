"""Finding the system programs the drivers run (pcscd, cupsd, lp...), also in sbin folders
that a technician's or a service's PATH may lack."""

from __future__ import annotations

import shutil
from pathlib import Path

SBIN = ("/usr/sbin", "/sbin", "/usr/local/sbin")


def which(program: str) -> str | None:
    """The program's path, from ``PATH`` then the sbin folders; None when it is absent."""
    found = shutil.which(program)
    if found:
        return found
    for folder in SBIN:
        candidate = Path(folder) / program
        if candidate.exists():
            return str(candidate)
    return None
