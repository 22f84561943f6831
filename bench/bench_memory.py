"""``memory_call``: the kiosk's memory (PSS, pages counted once) while a call plays.

The real kiosk process (Qt offscreen, cabin, aiortc call showing the doctor's video) in a
private network namespace, the portal in its own process, the doctor a real headless
Chromium. Only the kiosk process is measured. Reference: a browser kiosk in a call
(DESIGN §7: 455 MB), not measured here.
"""

from __future__ import annotations

import asyncio
import os
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import entry, not_measured, stats

ENTRIES = ("memory_call",)
BUDGET = "<= 200 MB PSS in a call"
ROOT = Path(__file__).resolve().parent.parent


def _pss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no Pss line")


def _read_line(proc: subprocess.Popen[str], timeout: float) -> str:
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    if not ready:
        raise RuntimeError(f"no output within {timeout:.0f} s")
    return proc.stdout.readline().strip()


async def _measure() -> dict[str, Any]:
    from harness.doctor import ScriptedDoctor

    portal = subprocess.Popen(
        [sys.executable, "-m", "portal", "--config", "config/portal-demo.toml", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    kiosk: subprocess.Popen[str] | None = None
    doctor: ScriptedDoctor | None = None
    try:
        url = (await asyncio.to_thread(_read_line, portal, 20)).split()[-1]
        kiosk = subprocess.Popen(
            [sys.executable, "-m", "bench.memory_call_kiosk", url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=ROOT,
        )
        if await asyncio.to_thread(_read_line, kiosk, 60) != "waiting":
            raise RuntimeError("the kiosk did not check the patient in")
        doctor = ScriptedDoctor(url)
        await doctor.start()
        await doctor.login("dr-demo", "demo")
        await doctor.take_first_patient()
        await doctor.wait_call()
        state = await asyncio.to_thread(_read_line, kiosk, 90)
        if state != "in_call":
            raise RuntimeError(f"the kiosk says {state!r}")
        samples = []
        for _ in range(5):
            await asyncio.sleep(1.0)
            samples.append(_pss_mb(kiosk.pid))
        return entry(stats(samples, "MB"), None, budget=BUDGET, met=max(samples) <= 200)
    finally:
        if doctor is not None:
            await doctor.stop()
        for proc in (kiosk, portal):
            if proc is None:
                continue
            if proc.stdin is not None:
                proc.stdin.close()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(5)
            if proc.stdout is not None:
                proc.stdout.close()


def _child() -> None:
    """Runs in a forked child: a private network, then the measurement, printed as JSON."""
    import json

    from harness.netns import enter_private_network

    enter_private_network()
    result = asyncio.run(_measure())
    print("RESULT " + json.dumps(result), flush=True)


def run() -> dict[str, Any]:
    import json

    if os.geteuid() != 0:
        return {"memory_call": not_measured(BUDGET, "needs root for a private network")}
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", "from bench.bench_memory import _child; _child()"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
            print(f"memory_call: measured in {time.monotonic() - started:.0f} s")
            return {"memory_call": result}
    return {
        "memory_call": not_measured(
            BUDGET, f"probe failed (exit {proc.returncode}): {proc.stderr.strip()[-300:]}"
        )
    }
