"""The FHIR models (fhir.resources on pydantic) load with the first bundle the doctor asks
for, never with the idle kiosk, nor with the call and its data channel."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.ui.test_idle_imports import ROOT, SCRIPT

FHIR_STACK = ("pydantic", "fhir", "fhir.resources", "fhir_core")
IDLE = SCRIPT.replace('("aiortc", "av", "aioice")', repr(FHIR_STACK))

CALL = f"""
import sys
import kiosk.cabin, kiosk.call, kiosk.call.datachannel, kiosk.records.channel
print("heavy:", ",".join(m for m in {FHIR_STACK!r} if m in sys.modules) or "none")
from datetime import UTC, datetime
from kiosk.records.fhir import build
build("s", None, [], now=datetime.now(UTC))
print("after a bundle:", "pydantic" in sys.modules)
"""


def run(script: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=cwd,
        check=False,
    )


def test_the_idle_kiosk_loads_no_fhir_models(tmp_path: Path) -> None:
    assert IDLE != SCRIPT, "the idle-imports script changed: update this test"
    spool = Path("/dev/shm") / f"cabine-idle-fhir-{os.getpid()}"
    try:
        proc = run(IDLE, str(ROOT / "config" / "demo.toml"), str(spool), cwd=tmp_path)
    finally:
        subprocess.run(["rm", "-rf", str(spool)], check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "heavy: none" in proc.stdout, proc.stdout + proc.stderr[-1000:]


def test_the_call_loads_them_only_when_a_bundle_is_built(tmp_path: Path) -> None:
    proc = run(CALL, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "heavy: none" in proc.stdout, proc.stdout
    assert "after a bundle: True" in proc.stdout, proc.stdout
