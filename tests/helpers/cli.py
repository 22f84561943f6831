"""The kiosk's command line as a technician runs it, for the tests: each command in its own
process, a config file written for the test, and a ``kiosk sim ...`` running beside."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_kiosk(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """``python -m kiosk ARGS`` from the repository, ``env`` added to this one's; never raises
    on a failed command (its return code and output are the test's to check)."""
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


def kiosk_config(tmp_path: Path, devices: str, spool: Path) -> Path:
    """A kiosk.toml in ``tmp_path``: cabin ``c``, its spool at ``spool``, then ``devices``."""
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[cabin]\nid = "c"\n[session]\nspool_dir = "{spool}"\n' + devices,
        encoding="utf-8",
    )
    return path


@contextlib.contextmanager
def kiosk_beside(*args: str, stop_timeout: float) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``python -m kiosk ARGS`` running beside the test (a simulator): yields the process and
    the first line it printed (where to reach it); stopped by SIGTERM, killed past
    ``stop_timeout`` s."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        if not line:
            pytest.fail(f"kiosk {' '.join(args)} did not start: {proc.stderr.read()}")  # type: ignore[union-attr]
        yield proc, line
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=stop_timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
