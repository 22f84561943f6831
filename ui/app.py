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
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING

from PyQt6.QtCore import QEventLoop
from PyQt6.QtWidgets import QApplication

from kiosk import logs
from kiosk.config import Config
from kiosk.errors import CabineError
from kiosk.privacy import Spool
from ui.window import KioskWindow

if TYPE_CHECKING:
    from kiosk.cabin import Cabin
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
        self.cabin: Cabin | None = None
        self.bridge: SessionBridge | None = None
        self.log_buffer: LogBuffer | None = None

    def start_session(self, *, hardware: bool = False) -> None:
        """Bring up the session; with ``hardware``, the whole cabin (card reader,
        instruments, printer, call) around it: then :meth:`start_cabin` must be awaited."""
        from kiosk.runtime import Runtime
        from ui.bridge import SessionBridge
        from ui.logbuffer import LogBuffer

        self.runtime = Runtime(self.config, clock=self.clock)
        self.runtime.start()
        self.log_buffer = LogBuffer(sensitive=self.runtime.sensitive)
        self.log_buffer.attach()
        self.window.log_lines = lambda text: self.log_buffer.lines(text) if self.log_buffer else []
        # Without a cabin the screens read the runtime (its devices' kinds, nothing else), and
        # the bridge's timer applies the session's time limits.
        self.bridge = SessionBridge(self.runtime.session, runtime=self.runtime)
        self.window.attach(self.bridge)
        if hardware:
            from kiosk.cabin import Cabin

            doctor, _own = self.window.video_sinks()
            self.cabin = Cabin.from_config(
                self.config, runtime=self.runtime, on_remote_video=doctor
            )
            # The screens read the cabin's live figures (cuff pressure, test print); its own
            # ticker applies the session's time limits from now on.
            self.bridge.runtime = self.cabin
        if self.config.ui.speech:
            self.window.set_speech(True)

    async def start_cabin(self) -> None:
        if self.cabin is not None:
            await self.cabin.start()

    async def stop_cabin(self) -> None:
        if self.cabin is not None:
            await self.cabin.stop()

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


def run(
    config: Config,
    *,
    fullscreen: bool | None = None,
    hardware: bool = True,
    metrics_port: int | None = None,
    around: Callable[[KioskApp], AbstractAsyncContextManager[object]] | None = None,
) -> int:
    """Run the kiosk until the application quits; returns the exit status.

    systemd is told READY=1 once the idle screen is painted and the cabin is up, and gets
    WATCHDOG=1 from the event loop (a frozen loop is restarted). ``around`` wraps the
    running kiosk (the demo starts and stops its simulated hardware with it).
    """
    logs.setup(level=config.logging.level)
    stop_requested: list[int] = []
    stop_hooks: list[Callable[[], None]] = []

    def request_stop(signum: int, _frame: object) -> None:
        stop_requested.append(signum)
        for hook in stop_hooks:
            hook()

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

    # Heavier stacks come after the first paint.
    import asyncio
    import contextlib

    import qasync

    from kiosk import sdnotify

    notifier = sdnotify.Notifier.from_environment(unset=True)

    loop = qasync.QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    done = asyncio.Event()
    # Stopping sets ``done``; the loop keeps running until the cabin has stopped cleanly.
    stop_hooks.append(lambda: loop.call_soon_threadsafe(done.set))
    kiosk.window.exit_requested.connect(done.set)
    qt_app.aboutToQuit.connect(done.set)

    async def main() -> None:
        watchdog = sdnotify.Watchdog(notifier)
        watchdog.start(asyncio.get_running_loop())
        metrics = None
        wrapper = around(kiosk) if around is not None else contextlib.nullcontext()
        try:
            async with wrapper:
                # ``around`` may point the config at other hardware before the session starts.
                kiosk.start_session(hardware=hardware)
                if metrics_port:
                    from kiosk import health

                    # The cabin's own monitor (its instruments, printer, session state).
                    monitor = (
                        kiosk.cabin.health
                        if kiosk.cabin is not None
                        else health.HealthMonitor(cabin_id=config.cabin.id)
                    )
                    metrics = health.serve_metrics(monitor, port=metrics_port)
                assert kiosk.runtime is not None
                logs.setup(
                    level=config.logging.level,
                    session_id=kiosk.runtime.log_session_id,
                    sensitive=kiosk.runtime.sensitive,
                )
                try:
                    await kiosk.start_cabin()
                    notifier.ready("idle")
                    log.info("cabin %s: ready", config.cabin.id)
                    if not stop_requested:
                        await done.wait()
                finally:
                    notifier.stopping()
                    # The cabin stops before whatever ``around`` started beneath it.
                    await kiosk.stop_cabin()
        finally:
            await watchdog.aclose()
            if metrics is not None:
                metrics.close()

    status = 0
    if not stop_requested:
        # A signal that came between the check above and the loop start is honoured here.
        loop.call_soon(lambda: done.set() if stop_requested else None)
        with loop:
            try:
                loop.run_until_complete(main())
            except CabineError as exc:
                log.error("cabin %s: cannot run: %s", config.cabin.id, exc)
                print(f"kiosk: {exc}", file=sys.stderr)
                status = 1
            except Exception:
                # The supervisor restarts the kiosk; the log line goes through the patient
                # data filter like every other.
                log.exception("cabin %s: the kiosk stopped on an unexpected error", config.cabin.id)
                status = 1
    kiosk.close()
    log.info("cabin %s: kiosk stopped", config.cabin.id)
    return status
