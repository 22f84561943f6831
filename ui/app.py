"""The kiosk application: QApplication on a qasync event loop, the window, the session.

Start-up order matters for the patient in front of a black screen: the spool is wiped
(crash leftovers), the idle screen is painted, and only then are the session, the event
loop and the heavy stacks brought up.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from typing import TYPE_CHECKING

from PyQt6.QtCore import QCoreApplication, QEventLoop
from PyQt6.QtWidgets import QApplication

from kiosk import logs
from kiosk.config import Config
from kiosk.privacy import Spool
from ui.window import KioskWindow

if TYPE_CHECKING:
    from kiosk.clock import Clock
    from kiosk.runtime import Runtime
    from ui.bridge import SessionBridge
    from ui.logbuffer import LogBuffer

log = logging.getLogger(__name__)

#: Set by benchmarks: print the first-paint time (epoch seconds) and quit.
FIRST_PAINT_EXIT_ENV = "CABINE_FIRST_PAINT_EXIT"
FIRST_PAINT_WAIT_S = 3.0


class KioskApp:
    """Everything one running kiosk owns; :meth:`close` releases it.

    ``KioskApp(config)`` wipes the spool and builds the idle screen; :meth:`start_session`
    brings up the session and connects it.
    """

    def __init__(
        self, config: Config, *, fullscreen: bool | None = None, clock: Clock | None = None
    ) -> None:
        self.config = config
        self.clock = clock
        spool = Spool(config.session.spool_dir)
        spool.prepare()
        spool.wipe_all()
        full = config.ui.fullscreen if fullscreen is None else fullscreen
        self.fullscreen = full
        self.window = KioskWindow(
            languages=config.cabin.languages,
            fullscreen=full,
            high_contrast=config.ui.high_contrast,
            language=config.cabin.default_language,
            config=config,
        )
        self.runtime: Runtime | None = None
        self.bridge: SessionBridge | None = None
        self.log_buffer: LogBuffer | None = None

    def start_session(self) -> None:
        from kiosk.runtime import Runtime
        from ui.bridge import SessionBridge
        from ui.logbuffer import LogBuffer

        self.runtime = Runtime(self.config, clock=self.clock)
        self.runtime.start()
        self.log_buffer = LogBuffer(sensitive=self.runtime.sensitive)
        self.log_buffer.attach()
        self.window.log_lines = lambda text: self.log_buffer.lines(text) if self.log_buffer else []
        self.bridge = SessionBridge(self.runtime.session, runtime=self.runtime)
        self.window.attach(self.bridge)
        if self.config.ui.speech:
            self.window.set_speech(True)
        self._connect_video()

    def _connect_video(self) -> None:
        """Hand the call's frames to the video widgets, when the runtime has a call."""
        call = getattr(self.runtime, "call", None)
        if call is None:
            return
        doctor, own = self.window.video_sinks()
        if hasattr(call, "on_remote_video"):
            call.on_remote_video = doctor
        if hasattr(call, "on_local_video"):
            call.on_local_video = own

    def show(self) -> None:
        if self.fullscreen:
            self.window.showFullScreen()
        else:
            self.window.resize(1280, 800)
            self.window.show()

    def close(self) -> None:
        if self.log_buffer is not None:
            self.log_buffer.detach()
            self.log_buffer = None
        if self.bridge is not None:
            self.bridge.close()
        self.window.unlock_and_close()


def _wait_first_paint(app: QApplication, window: KioskWindow) -> None:
    deadline = time.monotonic() + FIRST_PAINT_WAIT_S
    while not window.painted and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def run(config: Config, *, fullscreen: bool | None = None) -> int:
    """Run the kiosk until the application quits; returns the exit status."""
    logs.setup(level=config.logging.level)
    stop_requested: list[int] = []

    def request_stop(signum: int, _frame: object) -> None:
        stop_requested.append(signum)
        QCoreApplication.quit()

    # systemd stops the kiosk with SIGTERM; Ctrl-C in a terminal sends SIGINT. Python runs
    # these handlers whenever the loop hands it control (the session tick, at least).
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, request_stop)
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    kiosk = KioskApp(config, fullscreen=fullscreen)
    kiosk.show()
    _wait_first_paint(qt_app, kiosk.window)
    log.info("cabin %s: first screen painted", config.cabin.id)
    if os.environ.get(FIRST_PAINT_EXIT_ENV):
        print(f"first-paint {time.time():.6f}", flush=True)
        kiosk.close()
        return 0

    import asyncio

    import qasync

    loop = qasync.QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    kiosk.start_session()
    assert kiosk.runtime is not None
    logs.setup(
        level=config.logging.level,
        session_id=kiosk.runtime.log_session_id,
        sensitive=kiosk.runtime.sensitive,
    )
    done = asyncio.Event()
    qt_app.aboutToQuit.connect(done.set)
    if not stop_requested:
        # A signal that came between the check above and the loop start is honoured here.
        loop.call_soon(lambda: QCoreApplication.quit() if stop_requested else None)
        with loop:
            loop.run_until_complete(done.wait())
    kiosk.close()
    log.info("cabin %s: kiosk stopped", config.cabin.id)
    return 0
