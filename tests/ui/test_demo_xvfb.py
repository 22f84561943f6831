"""`kiosk demo` opens the kiosk on a real X server (Xvfb) and stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

KIOSK_SCRIPT = Path(sys.executable).parent / "kiosk"


@pytest.fixture
def xvfb():
    binary = shutil.which("Xvfb")
    if binary is None:
        pytest.fail("Xvfb is not installed (package xvfb): run `make setup`")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [binary, "-displayfd", str(write_fd), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        ready, _, _ = select.select([read_fd], [], [], 15)
        if not ready:
            pytest.fail("Xvfb did not report a display within 15 s")
        display = os.read(read_fd, 16).decode().strip()
        if not display:
            pytest.fail(f"Xvfb exited with {proc.wait(5)} before choosing a display")
        yield f":{display}"
    finally:
        os.close(read_fd)
        proc.terminate()
        proc.wait(10)


@pytest.mark.slow
def test_demo_opens_under_xvfb_and_stops_on_sigterm(xvfb, tmp_path):
    env = {
        **os.environ,
        "DISPLAY": xvfb,
        "QT_QPA_PLATFORM": "xcb",
        "XDG_RUNTIME_DIR": str(tmp_path),
    }
    proc = subprocess.Popen(
        [str(KIOSK_SCRIPT), "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 30
        assert proc.stdout is not None
        os.set_blocking(proc.stdout.fileno(), False)
        while time.monotonic() < deadline and proc.poll() is None:
            ready, _, _ = select.select([proc.stdout], [], [], 0.5)
            if ready:
                chunk = proc.stdout.read() or ""
                lines.extend(chunk.splitlines())
            if any("first screen painted" in line for line in lines):
                break
        assert any("first screen painted" in line for line in lines), "\n".join(lines)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
        rest = proc.stdout.read() or ""
        proc.stdout.close()
    lines.extend(rest.splitlines())
    assert any("kiosk stopped" in line for line in lines), "\n".join(lines)
    assert not any("Traceback" in line for line in lines), "\n".join(lines)
