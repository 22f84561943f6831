"""The out-of-service screen systemd shows after repeated failed starts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from PyQt6.QtGui import QCloseEvent
from PyQt6.QtWidgets import QLabel

from ui.fault_screen import MESSAGES, OutOfServiceWindow

KIOSK_SCRIPT = Path(sys.executable).parent / "kiosk"


def test_fault_screen_speaks_every_language_and_stays_up(qtbot):
    screen = OutOfServiceWindow(cabin="cab-7")
    qtbot.addWidget(screen)
    screen.show()
    texts = [label.text() for label in screen.findChildren(QLabel)]
    for title, body in MESSAGES:
        assert title in texts and body in texts
    assert "cab-7" in texts
    close = QCloseEvent()
    screen.closeEvent(close)
    assert not close.isAccepted()


def test_fault_screen_command_runs_without_hardware_or_config(tmp_path):
    broken = tmp_path / "kiosk.toml"
    broken.write_text("[cabin\n")  # the fault screen shows even when the config is broken
    with subprocess.Popen(
        [str(KIOSK_SCRIPT), "fault-screen", "--window", "--config", str(broken)],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as proc:
        time.sleep(2.0)  # a still screen: nothing to wait for but its start
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
        output = proc.stdout.read() if proc.stdout else ""
    assert "Traceback" not in output
