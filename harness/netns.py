"""A private network namespace for the demo: its own loopback, nothing else reachable.

WebRTC between the cabin (aiortc) and a browser on one machine needs loopback candidates:
aioice never offers 127.0.0.1, but offers 127.0.0.2 when the loopback carries it. In a
namespace of our own we may add that address without touching the machine's network.
"""

from __future__ import annotations

import ctypes
import os
import subprocess

from kiosk.errors import CabineError

CLONE_NEWNET = 0x40000000


class NamespaceError(CabineError):
    """The private network namespace could not be made; the message says why."""


def enter_private_network() -> None:
    """Move this process (call it before any other thread starts) to a new network namespace.

    Every thread and process started afterwards lives there too. Needs root (or
    CAP_SYS_ADMIN); the namespace disappears with the last process in it.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise NamespaceError(
            f"cannot create a private network namespace ({os.strerror(err)}): "
            "run the scripted demo as root"
        )
    for cmd in (
        ["ip", "link", "set", "lo", "up"],
        ["ip", "addr", "add", "127.0.0.2/8", "dev", "lo"],
    ):
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise NamespaceError(f"{' '.join(cmd)}: {exc} (package iproute2)") from exc
        if done.returncode != 0:
            raise NamespaceError(f"{' '.join(cmd)}: {done.stderr.strip()}")
