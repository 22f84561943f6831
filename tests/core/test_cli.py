"""The ``kiosk`` command: every sub-command has help; selftest speaks JSON; version."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import project_config

KIOSK_SCRIPT = Path(sys.executable).parent / "kiosk"


def kiosk(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(KIOSK_SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=90,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
        check=False,
    )


def commands() -> list[str]:
    import argparse

    from kiosk.cli import build_parser
    from ui import commands as ui_commands

    parser = build_parser([ui_commands])
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(sub.choices)


def test_console_script_is_installed():
    assert KIOSK_SCRIPT.exists(), f"{KIOSK_SCRIPT} missing: run `make setup`"


def test_help_lists_every_command():
    names = commands()
    for name in ("run", "demo", "selftest", "version", "sim"):
        assert name in names
    proc = kiosk("--help")
    assert proc.returncode == 0, proc.stderr
    listed = re.findall(r"^    (\S+)(?:\s|$)", proc.stdout, re.MULTILINE)
    assert listed == names


@pytest.mark.parametrize("name", commands())
def test_every_command_has_its_own_help(name: str):
    proc = kiosk(name, "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"usage: kiosk {name}")


def test_no_command_prints_help_and_exits_2():
    proc = kiosk()
    assert proc.returncode == 2
    assert "usage: kiosk" in proc.stdout


def test_version():
    proc = kiosk("version")
    assert proc.returncode == 0
    assert re.match(r"cabine \d+\.\d+\.\d+ \(Python 3\.\d+", proc.stdout)


def test_selftest_json_on_demo_config():
    proc = kiosk("selftest", "--json", "--config", str(project_config("demo")))
    report = json.loads(proc.stdout)
    assert set(report) >= {"version", "ok", "checks"}
    names = [c["name"] for c in report["checks"]]
    assert len(names) == len(set(names)), "one entry per check"
    assert names[0] == "config"
    assert {"system:pcscd", "system:lp", "spool"} <= set(names)
    for check in report["checks"]:
        assert set(check) == {"name", "ok", "detail", "hint"}
        assert isinstance(check["ok"], bool)
        assert bool(check["hint"]) is not check["ok"], "failed checks, and only they, have a hint"
    assert report["ok"] == all(c["ok"] for c in report["checks"])
    assert proc.returncode == (0 if report["ok"] else 1)


def test_selftest_fails_on_a_missing_command(tmp_path: Path, shm_spool: Path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[cabin]\nid = "c"\n[session]\nspool_dir = "{shm_spool}"\n')
    proc = kiosk("selftest", "--json", "--config", str(cfg), env={"PATH": "/nonexistent"})
    report = json.loads(proc.stdout)
    assert proc.returncode == 1
    assert report["ok"] is False
    failed = {c["name"] for c in report["checks"] if not c["ok"]}
    assert "system:lp" in failed


def test_selftest_unknown_driver(tmp_path: Path, shm_spool: Path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(
        f'[cabin]\nid = "c"\n[session]\nspool_dir = "{shm_spool}"\n'
        '[devices.toaster]\ndriver = "no-such-driver"\nkind = "weight"\n'
    )
    proc = kiosk("selftest", "--config", str(cfg))
    assert proc.returncode == 1
    assert "FAIL device:toaster: no driver named 'no-such-driver'" in proc.stdout
    assert "     -> set [devices.toaster] driver to one of the known names" in proc.stdout


def test_selftest_with_broken_config_is_valid_json(tmp_path: Path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text("[cabin]\nid = 1\n")
    proc = kiosk("selftest", "--json", "--config", str(cfg))
    report = json.loads(proc.stdout)
    assert proc.returncode == 1
    (check,) = report["checks"]
    assert (check["name"], check["ok"]) == ("config", False)
    assert "[cabin] key 'id' must be a string" in check["detail"]
    assert "config/default.toml" in check["hint"]


def test_help_lines_of_lazy_commands_match_their_modules():
    import argparse

    from kiosk.cli import COMMANDS, build_parser

    def help_of(parser: argparse.ArgumentParser, name: str) -> str:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        return next(c.help for c in sub._choices_actions if c.dest == name)

    for name, (_module, help_text) in COMMANDS.items():
        full = build_parser((), [name])
        assert help_of(full, name) == help_text, name


def test_kiosk_version_does_not_import_the_hardware_stacks():
    probe = (
        "import sys; from ui.entry import main; main(['version']); "
        "heavy = [m for m in ('smartcard', 'asyncio', 'aiortc', 'serial', 'bleak', "
        "'reportlab', 'PyQt6') if m in sys.modules]; print('HEAVY', heavy)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert "HEAVY []" in proc.stdout, proc.stdout + proc.stderr
