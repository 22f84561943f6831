"""Cold start to the idle screen's first paint, and idle memory, each against a bare reference.

``cold_start``: ``kiosk run`` on the demo config (offscreen) vs a bare PyQt6 window, spawn to
first paint. ``memory_idle``: the kiosk's PSS once ready and idle vs a headless Chromium
showing a static kiosk page.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import entry, not_measured, stats

ENTRIES = ("cold_start", "memory_idle")
RUNS = 10
KIOSK = str(Path(sys.executable).parent / "kiosk")
# Compiled bytecode, as on a cabin: `pip install .` compiles it there (the unit's
# PYTHONDONTWRITEBYTECODE only stops writing it). Without it, every start here would
# compile the kiosk's ~20 modules first (~20 ms); the warm-up runs write it.
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "QT_QPA_PLATFORM": "offscreen",
}
DEMO_CONFIG = Path(__file__).resolve().parent.parent / "config" / "demo.toml"


def _first_paint(cmd: list[str], env: dict[str, str]) -> float:
    start = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env, check=False)
    for line in proc.stdout.splitlines():
        if line.startswith("first-paint "):
            return float(line.split()[1]) - start
    raise RuntimeError(f"{cmd[0]} printed no first paint (exit {proc.returncode}): {proc.stderr}")


def cold_start() -> dict[str, Any]:
    kiosk_env = {**ENV, "CABINE_FIRST_PAINT_EXIT": "1"}
    bare_cmd = [sys.executable, "-m", "bench.bare_window"]
    kiosk_cmd = [KIOSK, "run", "--window", "--config", str(DEMO_CONFIG)]
    _first_paint(bare_cmd, ENV)  # warm the page cache for both
    _first_paint(kiosk_cmd, kiosk_env)
    bare, kiosk = [], []
    for _ in range(RUNS):
        bare.append(_first_paint(bare_cmd, ENV))
        kiosk.append(_first_paint(kiosk_cmd, kiosk_env))
    k, b = stats(kiosk, "s"), stats(bare, "s")
    return entry(
        k, b, budget="<= 2x bare PyQt6 window (~0.25 s)", met=k["median"] <= 2 * b["median"]
    )


def _pss_mb(pids: list[int]) -> float:
    total_kb = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("Pss:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


def _tree(pid: int) -> list[int]:
    out = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        for child in children.read_text().split():
            out.extend(_tree(int(child)))
    return out


def _kiosk_idle_pss() -> float:
    env = {**ENV, "CABINE_FIRST_PAINT_EXIT": ""}
    with subprocess.Popen(
        [KIOSK, "run", "--window", "--config", str(DEMO_CONFIG)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    ) as proc:
        try:
            assert proc.stdout is not None
            deadline = time.monotonic() + 30
            for line in proc.stdout:
                if "ready" in line or time.monotonic() > deadline:
                    break
            time.sleep(2.0)  # let start-up allocations settle
            return _pss_mb(_tree(proc.pid))
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(15)


def _chromium_idle_pss() -> float:
    binary = shutil.which("chromium")
    if binary is None:
        raise RuntimeError("chromium is not installed")
    page = "data:text/html,<h1 style='font-size:48px'>Ins%C3%A9rez votre carte Vitale</h1>"
    with tempfile.TemporaryDirectory() as profile:
        args = [
            binary,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--window-size=1280,800",
            "--remote-debugging-port=0",
            page,
        ]
        with subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as proc:
            try:
                time.sleep(5.0)
                return _pss_mb(_tree(proc.pid))
            finally:
                proc.terminate()
                proc.wait(15)


def memory_idle() -> dict[str, Any]:
    kiosk = [_kiosk_idle_pss() for _ in range(3)]
    try:
        bare = [_chromium_idle_pss() for _ in range(2)]
        b: dict[str, Any] | None = stats(bare, "MB")
    except (RuntimeError, OSError) as exc:
        print(f"memory_idle: no Chromium reference: {exc}")
        b = None
    k = stats(kiosk, "MB")
    return entry(k, b, budget="<= 120 MB PSS at idle", met=k["median"] <= 120)


def run() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, func in (("cold_start", cold_start), ("memory_idle", memory_idle)):
        try:
            out[name] = func()
        except Exception as exc:  # one failed measurement must not hide the other
            out[name] = not_measured("see DESIGN §7", f"{type(exc).__name__}: {exc}")
    return out
