"""Which file system holds a path, and whether it lives in memory (nothing reaches a disk)."""

from __future__ import annotations

from pathlib import Path

#: File systems whose content never reaches a disk.
MEMORY_FILESYSTEMS = frozenset({"tmpfs", "ramfs"})


def filesystem_of(path: Path, mounts: str | None = None) -> str:
    """The type of the file system holding ``path`` (longest mount point prefix wins), from
    ``mounts`` (the text of /proc/self/mounts, read when None); "" when none holds it."""
    if mounts is None:
        with open("/proc/self/mounts", encoding="utf-8") as table:
            mounts = table.read()
    target = path.resolve()
    best, fstype = "", ""
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mount = parts[1].replace("\\040", " ")
        if (target == Path(mount) or Path(mount) in target.parents) and len(mount) > len(best):
            best, fstype = mount, parts[2]
    return fstype
