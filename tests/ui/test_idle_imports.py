"""The idle kiosk keeps the video-call stack unloaded: aiortc and PyAV (~35 MB) come with the
cabin's call, not with the screens reading the patient's volume (a regression once)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
from dataclasses import replace
from PyQt6.QtWidgets import QApplication
from kiosk import config
from ui.app import KioskApp

app = QApplication([])
cfg = config.load(sys.argv[1])
cfg = replace(cfg, session=replace(cfg.session, spool_dir=sys.argv[2]))
kiosk = KioskApp(cfg, fullscreen=False)
kiosk.show()
kiosk.start_session()  # every screen built, bound and translated
app.processEvents()
heavy = sorted(m for m in ("aiortc", "av", "aioice") if m in sys.modules)
print("heavy:", ",".join(heavy) or "none")
kiosk.close()
"""


def test_the_screens_and_the_session_load_no_call_stack(tmp_path: Path) -> None:
    spool = Path("/dev/shm") / f"cabine-idle-imports-{os.getpid()}"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    try:
        proc = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(ROOT / "config" / "demo.toml"), str(spool)],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            cwd=tmp_path,
            check=False,
        )
    finally:
        subprocess.run(["rm", "-rf", str(spool)], check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "heavy: none" in proc.stdout, proc.stdout + proc.stderr[-1000:]
