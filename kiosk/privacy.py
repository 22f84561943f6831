"""Where patient data may touch a file system: a per-session spool directory on tmpfs.

The spool is wiped at the end of every session and, after a crash, at start-up.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from drivers.filesystems import MEMORY_FILESYSTEMS, filesystem_of
from kiosk.errors import PrivacyError

log = logging.getLogger(__name__)


class Spool:
    """The root of the session spools; one private directory per session under it."""

    def __init__(self, root: str | os.PathLike[str], *, require_memory: bool = True) -> None:
        self.root = Path(root)
        self.require_memory = require_memory

    def prepare(self) -> None:
        """Create the root (mode 0700) and check that it lives in memory."""
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.root, 0o700)
        if self.require_memory:
            fstype = filesystem_of(self.root)
            if fstype not in MEMORY_FILESYSTEMS:
                raise PrivacyError(
                    f"spool {self.root} is on {fstype or 'an unknown file system'}, not tmpfs: "
                    "patient documents must not reach a disk"
                )

    def session_dir(self, session_id: str) -> Path:
        if not session_id or "/" in session_id or session_id in (".", ".."):
            raise PrivacyError("a spool directory needs a plain session id")
        path = self.root / session_id
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        return path

    def wipe(self, session_id: str) -> None:
        """Delete the session's spool directory and everything in it."""
        if not session_id:
            return
        path = self.root / session_id
        if path.exists():
            shutil.rmtree(path)
            log.info("session %s: spool wiped", session_id)

    def wipe_all(self) -> int:
        """Delete every session spool (start-up after a crash); returns how many were left."""
        if not self.root.exists():
            return 0
        count = 0
        for entry in self.root.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            count += 1
        if count:
            log.warning("spool: %d leftover session(s) wiped at start-up", count)
        return count

    def files(self) -> list[Path]:
        """Every file under the spool root (for checks and tests)."""
        if not self.root.exists():
            return []
        return [p for p in self.root.rglob("*") if p.is_file()]
