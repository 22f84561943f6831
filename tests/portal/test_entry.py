"""``python -m portal``, as its systemd unit runs it: serves, stops on SIGTERM, clear errors."""

from __future__ import annotations

import select
import signal
import subprocess
import sys
import time
import urllib.request

from portal.config import demo_path


def test_python_m_portal_serves_and_stops_on_sigterm():
    with subprocess.Popen(
        [
            *(sys.executable, "-m", "portal", "--config", str(demo_path())),
            *("--host", "127.0.0.1", "--port", "0"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        try:
            ready, _, _ = select.select([proc.stdout], [], [], 20)
            assert ready, "the portal printed nothing within 20 s"
            line = proc.stdout.readline()
            assert line.startswith("portal listening on http://127.0.0.1:"), line
            url = line.split()[-1]
            deadline = time.monotonic() + 10
            with urllib.request.urlopen(url + "/", timeout=10) as page:
                assert page.status == 200
                assert b"<html" in page.read().lower()
            assert time.monotonic() < deadline
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(15) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(5)


def test_python_m_portal_bad_config_is_one_line(tmp_path):
    bad = tmp_path / "portal.toml"
    bad.write_text("[server]\nport = 'high'\n")
    proc = subprocess.run(
        [sys.executable, "-m", "portal", "--config", str(bad)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("portal: config error: "), proc.stderr


def test_python_m_portal_refuses_to_serve_without_a_config():
    """The demo's config signs cookies with a key anyone can read: never a default."""
    proc = subprocess.run(
        [sys.executable, "-m", "portal", "--host", "127.0.0.1", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert lines == [
        "portal: no config given: pass --config FILE (the demo's config/portal-demo.toml "
        "has a public session key: never serve it)"
    ], proc.stderr
