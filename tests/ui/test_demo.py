"""`kiosk demo`: the simulated cabin comes up around the kiosk and Ctrl-C leaves nothing running."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

KIOSK_SCRIPT = Path(sys.executable).parent / "kiosk"


def descendants(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = task / "children"
        if children.exists():
            for child in children.read_text().split():
                found.add(int(child))
                found |= descendants(int(child))
    return found


@pytest.mark.slow
def test_demo_starts_the_simulated_cabin_and_ctrl_c_stops_everything(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    with subprocess.Popen(
        [str(KIOSK_SCRIPT), "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    ) as proc:
        assert proc.stdout is not None
        os.set_blocking(proc.stdout.fileno(), False)
        out = ""
        started: set[int] = set()
        try:
            deadline = time.monotonic() + 60
            while "cabin demo-cabin-01: ready" not in out and time.monotonic() < deadline:
                if proc.poll() is not None:
                    break
                ready, _, _ = select.select([proc.stdout], [], [], 0.5)
                if ready:
                    out += proc.stdout.read() or ""
            assert "cabin demo-cabin-01: ready" in out, out[-3000:]
            assert "doctor's page http://127.0.0.1:" in out
            assert "'dr-demo'" in out
            assert "Staff page http://127.0.0.1:" in out and "'staff-demo'" in out
            # the person on the "one" card has the next slot, with a booking code to type
            assert "demo: the demo patient's appointment is booked at" in out, out[-3000:]
            started = descendants(proc.pid)
            names = {
                Path(f"/proc/{p}/comm").read_text().strip()
                for p in started
                if Path(f"/proc/{p}/comm").exists()
            }
            assert {"pcscd", "cupsd", "dbus-daemon"} <= names, names
            proc.send_signal(signal.SIGINT)
            assert proc.wait(30) == 0
        finally:
            # A failed assertion above still stops the demo as Ctrl-C does, so that its
            # cupsd, pcscd and their folders in /dev/shm go with it; kill only past that.
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(10)
        out += proc.stdout.read() or ""
    assert "Traceback" not in out, out[-3000:]
    left = [p for p in started if Path(f"/proc/{p}").exists()]
    assert not left, f"still running after Ctrl-C: {left}"


def test_panel_offers_the_usual_card_first(qtbot):
    from PyQt6.QtWidgets import QLabel

    from harness.demo_panel import DemoPanel

    class Scale:
        def unplug(self) -> None: ...

        def replug(self) -> None: ...

    class Stack:
        scale = Scale()

    panel = DemoPanel(Stack(), doctor_url="http://127.0.0.1:8765/", credentials=("dr-demo", "demo"))
    qtbot.addWidget(panel)
    assert panel.profile.currentText() == "one"
    assert panel.findChild(QLabel, "bookingCode") is None  # no appointment, no line

    Stack.booking_code = "ACD346"  # type: ignore[attr-defined]
    booked = DemoPanel(Stack(), doctor_url="http://x/", credentials=("dr-demo", "demo"))
    qtbot.addWidget(booked)
    line = booked.findChild(QLabel, "bookingCode")
    assert line is not None and "ACD346" in line.text()
    staffed = DemoPanel(
        Stack(), doctor_url="http://x/", credentials=("dr-demo", "demo"), staff=("s", "p")
    )
    qtbot.addWidget(staffed)
    staff_line = staffed.findChild(QLabel, "staffLogin")
    assert staff_line is not None and "http://x/staff" in staff_line.text()
    assert {"family", "vitale1", "cps"} <= {
        panel.profile.itemText(i) for i in range(panel.profile.count())
    }
