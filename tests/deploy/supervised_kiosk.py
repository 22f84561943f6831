"""The kiosk's start-up and supervision path, run as a service by the real-supervisor tests.

It is the part of ``kiosk run`` that matters to systemd, built from the real modules: load
the config, wipe what a crash left in the spool, report READY=1 at idle, ping the watchdog
from the event loop. Signals drive it: SIGUSR1 opens a session (a document in the spool),
SIGUSR2 freezes the event loop, SIGTERM stops it. ``--fault-screen`` stands for the fault
screen's unit. With ``$CABINE_TEST_FAIL_FLAG`` naming an existing file it fails at start-up.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import sys
import time
from pathlib import Path

from kiosk import config as config_mod
from kiosk import logs
from kiosk.privacy import Spool
from kiosk.sdnotify import Notifier, Watchdog


async def kiosk() -> int:
    cfg = config_mod.load()
    logs.setup(level=cfg.logging.level)
    flag = os.environ.get("CABINE_TEST_FAIL_FLAG", "")
    if flag and Path(flag).exists():
        print("start-up failure requested by the test", file=sys.stderr)
        return 1
    spool = Spool(cfg.session.spool_dir)
    left = spool.wipe_all()
    spool.prepare()
    notifier = Notifier.from_environment(unset=True)
    watchdog = Watchdog(notifier)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def open_session() -> None:
        session_id = secrets.token_hex(8)
        folder = spool.session_dir(session_id)
        (folder / "results.pdf").write_bytes(b"%PDF-1.4 results sheet\n")
        runtime = os.environ.get("RUNTIME_DIRECTORY", "")
        if runtime:
            (Path(runtime) / "current-session").write_text(session_id)
        notifier.status(f"in session {session_id}")

    def freeze() -> None:
        notifier.status("event loop blocked")
        time.sleep(3600)  # the stimulus: a blocked loop; the watchdog ends it

    loop.add_signal_handler(signal.SIGUSR1, open_session)
    loop.add_signal_handler(signal.SIGUSR2, freeze)
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    watchdog.start(loop)
    notifier.ready(f"idle; wiped {left} leftover session(s) at start-up")
    await stop.wait()
    await watchdog.aclose()
    notifier.stopping("stopping")
    notifier.close()
    return 0


async def fault_screen() -> int:
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    return 0


if __name__ == "__main__":
    main = fault_screen if "--fault-screen" in sys.argv[1:] else kiosk
    raise SystemExit(asyncio.run(main()))
