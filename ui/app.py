"""The kiosk application: QApplication on a qasync event loop, the window, the session."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import time

from PyQt6.QtWidgets import QApplication

from kiosk import logs
from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.runtime import Runtime
from ui.bridge import SessionBridge
from ui.window import KioskWindow

log = logging.getLogger(__name__)

#: Set by benchmarks: print the first-paint time (epoch seconds) and quit.
FIRST_PAINT_EXIT_ENV = "CABINE_FIRST_PAINT_EXIT"


class KioskApp:
    """Everything one running kiosk owns; :meth:`close` releases it."""

    def __init__(
        self, config: Config, *, fullscreen: bool | None = None, clock: Clock | None = None
    ) -> None:
        self.config = config
        self.runtime = Runtime(config, clock=clock)
        self.runtime.start()
        self.bridge = SessionBridge(self.runtime.session)
        full = config.ui.fullscreen if fullscreen is None else fullscreen
        self.window = KioskWindow(
            self.bridge,
            languages=config.cabin.languages,
            fullscreen=full,
            high_contrast=config.ui.high_contrast,
        )
        self.fullscreen = full

    def show(self) -> None:
        if self.fullscreen:
            self.window.showFullScreen()
        else:
            self.window.resize(1280, 800)
            self.window.show()

    def close(self) -> None:
        self.bridge.close()
        self.window.unlock_and_close()


def run(config: Config, *, fullscreen: bool | None = None) -> int:
    """Run the kiosk until the application quits; returns the exit status."""
    import qasync

    logs.setup(level=config.logging.level)
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    loop = qasync.QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    kiosk = KioskApp(config, fullscreen=fullscreen)
    logs.setup(
        level=config.logging.level,
        session_id=kiosk.runtime.log_session_id,
        sensitive=kiosk.runtime.sensitive,
    )
    exit_on_paint = bool(os.environ.get(FIRST_PAINT_EXIT_ENV))

    def painted() -> None:
        log.info("cabin %s: first screen painted", config.cabin.id)
        if exit_on_paint:
            print(f"first-paint {time.time():.6f}", flush=True)
            qt_app.quit()

    kiosk.window.first_painted.connect(painted)
    # systemd stops the kiosk with SIGTERM; Ctrl-C in a terminal sends SIGINT. Python runs
    # these handlers whenever the loop hands it control (the session tick, at least).
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: qt_app.quit())
    kiosk.show()
    done = asyncio.Event()
    qt_app.aboutToQuit.connect(done.set)
    with loop:
        loop.run_until_complete(done.wait())
    kiosk.close()
    log.info("cabin %s: kiosk stopped", config.cabin.id)
    return 0
