"""``kiosk selftest`` for a technician: without a config, typos, ``--config`` before the
command, and a hint on every failed check."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
from pathlib import Path

import pytest

from kiosk.cli import build_parser, parse
from kiosk.config import DEFAULT_PATH, ENV_VAR, CabinConfig, Config, PrinterConfig
from kiosk.selftest import CRASH_HINT, HINTS, CheckResult, hint_for
from tests.core.test_cli import KIOSK_SCRIPT, kiosk
from ui import commands as ui_commands

PCSCD_ABSENT = "(0x8010001D)"
START_PCSCD = "start pcscd: systemctl start pcscd.socket"


def no_pcscd(tmp_path: Path) -> dict[str, str]:
    """pyscard pointed at a pcscd socket that does not exist: PC/SC answers 0x8010001D."""
    return {"PCSCLITE_CSOCK_NAME": str(tmp_path / "no-pcscd.comm")}


def without_config_env(env: dict[str, str]) -> dict[str, str]:
    full = {**os.environ, **env}
    full.pop(ENV_VAR, None)
    return full


def run_without_config(*args: str, tmp_path: Path) -> tuple[int, str, str]:
    assert not DEFAULT_PATH.exists(), f"this test needs a machine without {DEFAULT_PATH}"
    env = {**no_pcscd(tmp_path), "CUPS_SERVER": str(tmp_path / "no-cups.sock")}
    proc = subprocess.run(
        [str(KIOSK_SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=90,
        env=without_config_env({**env, "QT_QPA_PLATFORM": "offscreen"}),
        check=False,
    )
    return proc.returncode, proc.stdout, proc.stderr


def test_selftest_without_any_config_runs_what_needs_none(tmp_path: Path):
    code, out, err = run_without_config("selftest", tmp_path=tmp_path)
    assert code == 1, err
    lines = out.splitlines()
    assert lines[0].startswith("FAIL config: no config: none given (--config, $KIOSK_CONFIG)")
    assert lines[1] == (
        "     -> give one: kiosk selftest --config FILE, or export KIOSK_CONFIG=FILE "
        "(every key is documented in config/default.toml)"
    )
    checked = [line.split(":")[0].split()[-1] for line in lines if line[:4] in ("ok  ", "FAIL")]
    assert {"config", "system", "card", "disk", "printer"} == set(checked)
    assert "spool" not in checked and "device" not in checked
    card = lines.index(next(line for line in lines if line.startswith("FAIL card:service:")))
    assert lines[card].endswith(PCSCD_ABSENT)
    assert lines[card + 1] == f"     -> {START_PCSCD}"
    assert lines[-1] == "some checks failed"


def test_selftest_json_without_any_config(tmp_path: Path):
    code, out, _ = run_without_config("selftest", "--json", tmp_path=tmp_path)
    report = json.loads(out)
    assert code == 1 and report["ok"] is False
    names = [c["name"] for c in report["checks"]]
    assert names[:4] == ["config", "system:pcscd", "system:lp", "system:lpstat"]
    assert {"card:service", "disk:/", "printer"} <= set(names)
    assert "--config FILE" in report["checks"][0]["hint"]
    for check in report["checks"]:
        assert bool(check["hint"]) is not check["ok"], check


def test_selftest_typo_shows_the_selftest_usage():
    proc = kiosk("selftest", "--jsn")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        "usage: kiosk selftest [-h] [--config PATH] [--json]",
        "kiosk selftest: error: unrecognized arguments: --jsn",
    ]


def test_an_unknown_option_before_the_command_is_the_top_level_parser_s():
    proc = kiosk("--jsn", "selftest")
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1] == "kiosk: error: unrecognized arguments: --jsn"


def test_config_before_the_command(tmp_path: Path, shm_spool: Path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[cabin]\nid = "c"\n[session]\nspool_dir = "{shm_spool}"\n')
    env = {**no_pcscd(tmp_path), ENV_VAR: str(tmp_path / "not-this-one.toml")}
    before = kiosk("--config", str(cfg), "selftest", "--json", env=env)
    after = kiosk("selftest", "--json", "--config", str(cfg), env=env)
    first, second = json.loads(before.stdout), json.loads(after.stdout)
    assert first["checks"][0] == {"name": "config", "ok": True, "detail": str(cfg), "hint": ""}
    assert [c["name"] for c in first["checks"]] == [c["name"] for c in second["checks"]]
    assert "spool" in [c["name"] for c in first["checks"]]
    assert before.returncode == after.returncode


def test_selftest_reports_pcscd_absent_with_what_to_do(tmp_path: Path, shm_spool: Path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[cabin]\nid = "c"\n[session]\nspool_dir = "{shm_spool}"\n')
    proc = kiosk("selftest", "--json", "--config", str(cfg), env=no_pcscd(tmp_path))
    checks = {c["name"]: c for c in json.loads(proc.stdout)["checks"]}
    service = checks["card:service"]
    assert service["ok"] is False
    assert service["detail"].endswith(PCSCD_ABSENT)
    assert service["hint"] == START_PCSCD
    assert proc.returncode == 1


# -- --config before the command, for every command that takes it --------------------------

#: One way to call each command that takes ``--config`` (with its required arguments).
CONFIG_COMMANDS = [
    ["selftest"],
    ["card", "read"],
    ["measure", "bp"],
    ["print", "x.pdf"],
    ["print-test"],
    ["portal"],
    ["run"],
    ["demo"],
    ["fault-screen"],
]


def _parsers_with_config(parser: argparse.ArgumentParser) -> set[str]:
    found = set()
    for action in parser._actions:
        if "--config" in action.option_strings and action.dest == "config":
            found.add(parser.prog)
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= _parsers_with_config(sub)
    return found


def test_every_command_taking_config_is_listed_here():
    from kiosk.cli import COMMANDS

    progs: set[str] = set()
    for name in [*COMMANDS, "run", "demo", "fault-screen", "screenshots"]:
        progs |= _parsers_with_config(build_parser([ui_commands], [name]))
    assert progs == {
        "kiosk " + " ".join(argv[:-1] if argv[0] in ("measure", "print") else argv)
        for argv in CONFIG_COMMANDS
    }


@pytest.mark.parametrize("argv", CONFIG_COMMANDS, ids=lambda argv: argv[0])
def test_config_before_or_after_the_command_is_the_same(argv: list[str]):
    before = ["--config", "cabin.toml", *argv]
    after = [*argv, "--config", "cabin.toml"]
    first = parse(build_parser([ui_commands], before), before)
    second = parse(build_parser([ui_commands], after), after)
    assert first.config == "cabin.toml"
    assert vars(first) == vars(second)


def test_config_for_a_command_without_one_is_an_error(capsys: pytest.CaptureFixture[str]):
    argv = ["--config", "cabin.toml", "version"]
    with pytest.raises(SystemExit) as exit_info:
        parse(build_parser([ui_commands], argv), argv)
    assert exit_info.value.code == 2
    assert "kiosk version: error: argument --config: this command takes no config" in (
        capsys.readouterr().err
    )


def test_two_different_configs_are_an_error(capsys: pytest.CaptureFixture[str]):
    argv = ["--config", "a.toml", "selftest", "--config", "b.toml"]
    with pytest.raises(SystemExit):
        parse(build_parser([ui_commands], argv), argv)
    assert "--config given twice: a.toml and b.toml" in capsys.readouterr().err


# -- a hint for every failed check --------------------------------------------------------

#: A failure of each check family, as the checks word them, and a piece of its hint.
FAILURES = [
    ("config", "/etc/cabine/kiosk.toml: config file not found", "--config FILE"),
    ("config", "k.toml: cannot read config: [Errno 13] Permission denied", "read the file"),
    ("config", "k.toml: [cabin] key 'id' must be a string, not 1", "config/default.toml"),
    ("system:pcscd", "pcscd not found: install ...", "apt-get install pcscd"),
    ("system:lp", "lp not found: install ...", "apt-get install cups-client"),
    ("system:lpstat", "lpstat not found: install ...", "apt-get install cups-client"),
    ("spool", "spool /var/x is on ext4, not tmpfs: patient documents ...", "on a tmpfs"),
    ("spool", "[Errno 13] Permission denied: '/run/cabine'", "create [session] spool_dir"),
    ("device:scale", "no driver named 'x' (known: and-weight)", "[devices.scale] driver"),
    ("device:scale", "driver 'x' cannot load: No module named 'y'", "make setup"),
    ("device:scale", "[devices.scale]: driver 'x' is not an instrument", "measures its kind"),
    ("device:scale", "[devices.scale]: driver 'x' measures spo2, not weight", "its kind"),
    ("device:scale", "AndScale; port FAILED: /dev/ttyUSB0: absent", "[devices.scale] port"),
    ("device:scale", "AndScale; port ok: open; answers FAILED: silent", "check its cable"),
    ("device:scale", "AndScale; answers ok: ; last_frame FAILED: x", "[devices.scale] baud"),
    ("device:scale", "AndScale; answers FAILED: no answer in time", "switch the instrument"),
    ("device:scale", "AndScale; unplugged FAILED: gone", "kiosk measure scale"),
    ("device:thermo", "BleThermo; advertising FAILED: not seen in 5.0 s", "press its button"),
    ("device:thermo", "BleThermo; advertising ok: ; connects FAILED: x", "bluetoothctl remove"),
    ("device:thermo", "BleThermo; profile FAILED: service 0x1809", "[devices.thermo] driver"),
    ("card:service", "...: Service not available. (0x8010001D)", START_PCSCD),
    ("card:service", "...: Service was stopped. (0x8010001E)", "systemctl restart pcscd"),
    ("card:reader", "no card reader is plugged in", "plug the card reader in"),
    ("disk:/", "1.2 GiB free (below 2 GiB: remove old releases)", "free space on /:"),
    ("printer", "CUPS does not answer [cups_unavailable]", "systemctl start cups"),
    ("printer", "printer q does not exist in CUPS [no_such_queue]", "lpstat -p"),
    ("printer", "printer q: media-empty-error [paper_out]", "load paper"),
    ("printer", "printer q: media-jam-error [paper_jam]", "paper jam"),
    ("printer", "printer q: offline-report [offline]", "switch the printer on"),
    ("printer", "printer q does not accept jobs [not_accepting]", "cupsaccept cabin-printer"),
    ("printer", "printer q is stopped [stopped]", "lpstat -l -p cabin-printer"),
    ("printer", "printer q: job timed out [timeout]", "kiosk print-test"),
]
CFG = Config(cabin=CabinConfig(id="c"), printer=PrinterConfig(name="cabin-printer"))


@pytest.mark.parametrize(("name", "detail", "expect"), FAILURES)
def test_every_failed_check_says_what_to_do(name: str, detail: str, expect: str):
    hint = hint_for(CheckResult(name, False, detail), CFG)
    assert expect in hint
    assert "{" not in hint, "every placeholder is filled"


def test_the_paper_hints_name_the_queue():
    paper_out = CheckResult("printer", False, "printer q: media-empty-error [paper_out]")
    assert hint_for(paper_out, CFG).endswith("cupsenable cabin-printer")
    assert hint_for(paper_out, None).endswith("cupsenable QUEUE")


def test_no_hint_for_a_pass_and_the_crash_hint_for_a_crash():
    assert hint_for(CheckResult("card:service", True, "pcscd answers"), CFG) == ""
    assert hint_for(CheckResult("check_spool", False, "TypeError: boom"), CFG) == CRASH_HINT


def test_every_family_ends_with_a_catch_all():
    last = {hint.name: hint for hint in HINTS}
    assert [name for name, hint in last.items() if hint.detail] == []
