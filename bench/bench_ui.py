"""The screens' own costs, each against the bare stack beneath, in the same run (offscreen).

``ui_frame_640x480`` / ``ui_frame_1280x720``: a call's YUV frame converted to a QImage and
painted by the video widget, vs PyAV's bare conversion of the same frame.
``ui_reading_to_paint``: a reading sent to the session until the readings panel has painted
it, vs a bare QLabel given a text until it has painted.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import entry, not_measured, stats

ENTRIES = ("ui_frame_640x480", "ui_frame_1280x720", "ui_reading_to_paint")
FRAME_RUNS = 200
READING_RUNS = 100
WAIT_S = 5.0
#: A third of a frame at 30 fps: the rest is for the call, the drivers and the screen.
FRAME_BUDGET_MS = 11.0
READING_BUDGET_MS = 20.0


def _app() -> Any:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PyQt6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["bench"])


def _yuv_frame(width: int, height: int) -> Any:
    import av

    frame = av.VideoFrame(width, height, "rgb24")
    plane = frame.planes[0]
    row = bytes(range(256)) * (width * 3 // 256 + 1)
    plane.update(row[: width * 3].ljust(plane.line_size, b"\0") * height)
    return frame.reformat(format="yuv420p")  # what aiortc hands over


def _frame(width: int, height: int) -> dict[str, Any]:
    app = _app()
    from ui.video import VideoView, frame_to_image

    frame = _yuv_frame(width, height)
    view = VideoView("bench")
    view.resize(1280, 720)
    view.show()
    app.processEvents()
    kiosk, bare = [], []
    try:
        for _ in range(FRAME_RUNS):
            start = time.perf_counter()
            rgb = frame.reformat(format="bgra")
            bytes(rgb.planes[0])
            bare.append((time.perf_counter() - start) * 1000)

            start = time.perf_counter()
            view.set_image(frame_to_image(frame))
            view.repaint()  # synchronous paint, what the event loop would do next
            kiosk.append((time.perf_counter() - start) * 1000)
    finally:
        view.close_video()
        view.close()
    k, b = stats(kiosk, "ms"), stats(bare, "ms")
    return entry(
        k,
        b,
        budget=f"convert + paint <= {FRAME_BUDGET_MS:.0f} ms (a third of a 30 fps frame)",
        met=k["median"] <= FRAME_BUDGET_MS,
    )


def _wait(app: Any, done: list[bool]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not done and time.monotonic() < deadline:
        app.processEvents()
    if not done:
        raise RuntimeError(f"nothing painted within {WAIT_S} s")


def _reading_to_paint() -> dict[str, Any]:
    app = _app()
    from PyQt6.QtGui import QPaintEvent
    from PyQt6.QtWidgets import QLabel

    from harness.screenshots import fictitious_family
    from kiosk import config as config_mod
    from kiosk.clock import ManualClock
    from kiosk.domain import DeviceInfo, Reading, ReadingKind, Unit
    from kiosk.session import (
        BeneficiaryChosen,
        CardInserted,
        CardRead,
        ConsentGiven,
        DoctorJoined,
        ReadingReceived,
        State,
    )
    from ui.app import KioskApp
    from ui.screens.in_call import InCallScreen

    spool = Path(tempfile.mkdtemp(prefix="cabine-bench-", dir="/dev/shm"))
    cfg = config_mod.load(config_mod.project_config("demo"))
    cfg = replace(cfg, session=replace(cfg.session, spool_dir=str(spool)))
    kiosk_app = KioskApp(cfg, fullscreen=False, clock=ManualClock())
    kiosk_samples: list[float] = []
    bare_samples: list[float] = []
    try:
        kiosk_app.start_session()
        kiosk_app.window.resize(1920, 1080)
        kiosk_app.window.show()
        assert kiosk_app.bridge is not None
        for event in (
            CardInserted(),
            CardRead(fictitious_family()),
            BeneficiaryChosen(1),
            ConsentGiven(),
            DoctorJoined(),
        ):
            kiosk_app.bridge.send(event)
        screen = kiosk_app.window.screens[State.IN_CALL]
        assert isinstance(screen, InCallScreen)
        painted: list[bool] = []
        screen.readings.painted.connect(lambda: painted.append(True))
        app.processEvents()
        for i in range(READING_RUNS):
            reading = Reading(
                kind=ReadingKind.TEMPERATURE,
                unit=Unit.CELSIUS,
                values={"temperature": 36.0 + (i % 20) / 10},
                device=DeviceInfo(id="thermometre"),
                received_at=datetime.now(UTC),
            )
            painted.clear()
            start = time.perf_counter()
            kiosk_app.bridge.send(ReadingReceived(reading))
            _wait(app, painted)
            kiosk_samples.append((time.perf_counter() - start) * 1000)

        class Label(QLabel):
            def paintEvent(self, event: QPaintEvent | None) -> None:
                super().paintEvent(event)
                painted.append(True)

        label = Label()
        label.resize(600, 200)
        label.show()
        app.processEvents()
        for i in range(READING_RUNS):
            painted.clear()
            start = time.perf_counter()
            label.setText(f"Température : {36.0 + (i % 20) / 10:.1f} °C")
            _wait(app, painted)
            bare_samples.append((time.perf_counter() - start) * 1000)
        label.close()
    finally:
        kiosk_app.close()
        shutil.rmtree(spool, ignore_errors=True)
    k, b = stats(kiosk_samples, "ms"), stats(bare_samples, "ms")
    return entry(
        k,
        b,
        budget=f"reading sent to the session -> painted <= {READING_BUDGET_MS:.0f} ms",
        met=k["median"] <= READING_BUDGET_MS,
    )


def run() -> dict[str, Any]:
    out: dict[str, Any] = {}
    jobs = (
        ("ui_frame_640x480", lambda: _frame(640, 480)),
        ("ui_frame_1280x720", lambda: _frame(1280, 720)),
        ("ui_reading_to_paint", _reading_to_paint),
    )
    for name, job in jobs:
        try:
            out[name] = job()
        except Exception as exc:  # one failed measurement must not hide the others
            out[name] = not_measured("see DESIGN §7", f"{type(exc).__name__}: {exc}")
    return out
