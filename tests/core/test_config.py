"""Config loading: documented defaults, strict types, clear one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import config
from kiosk.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
KIOSK = [sys.executable, "-m", "ui"]


def test_default_toml_documents_every_key_with_its_default():
    cfg = config.load(ROOT / "config" / "default.toml")
    defaults = config.Config(cabin=config.CabinConfig(id="cabin-000"))
    assert cfg == defaults
    text = (ROOT / "config" / "default.toml").read_text()
    tables = {
        "cabin": config.CabinConfig,
        "session": config.SessionConfig,
        "timeouts": config.TimeoutsConfig,
        "ui": config.UiConfig,
        "portal": config.PortalLinkConfig,
        "card": config.CardConfig,
        "printer": config.PrinterConfig,
        "logging": config.LoggingConfig,
    }
    import dataclasses

    for table, cls in tables.items():
        assert f"[{table}]" in text
        for f in dataclasses.fields(cls):
            assert f"\n{f.name} = " in text, f"[{table}] {f.name} is not documented"
    for f in dataclasses.fields(config.DeviceConfig):
        assert f"# {f.name} = " in text, f"[devices.ID] {f.name} is not documented"


def test_demo_config_loads():
    cfg = config.load(config.project_config("demo"))
    assert cfg.session.simulated
    assert cfg.cabin.id == "demo-cabin-01"


def test_the_papers_time_zone_is_paris_unless_set():
    assert config.parse('[cabin]\nid = "c"\n').cabin.timezone == "Europe/Paris"
    cfg = config.parse('[cabin]\nid = "c"\ntimezone = "America/Cayenne"\n')
    assert cfg.cabin.timezone == "America/Cayenne"


def test_devices_tables():
    cfg = config.parse(
        """
        [cabin]
        id = "c1"
        [devices.scale]
        driver = "and-weight"
        kind = "weight"
        port = "/dev/ttyUSB0"
        baudrate = 2400
        parity = "E"
        bytesize = 7
        """
    )
    scale = cfg.devices["scale"]
    assert scale.baudrate == 2400
    assert scale.parity == "E"
    assert scale.measure_timeout == 120.0


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[cabin]\nid = "c"\ncolour = 1\n', "[cabin]: unknown key 'colour'"),
        (
            '[cabin]\nid = "c"\n[timeouts]\nconsent = "long"\n',
            "[timeouts] key 'consent' must be a number",
        ),
        ("[session]\nsimulated = true\n", "table [cabin] is required"),
        ("[cabin]\nname = 'x'\n", "[cabin] key 'id' is required"),
        ('[cabin]\nid = ""\n', "[cabin] key 'id' must not be empty"),
        ('[cabin]\nid = "c"\n[extra]\n', "top level: unknown key 'extra'"),
        (
            '[cabin]\nid = "c"\n[ui]\nfullscreen = "yes"\n',
            "[ui] key 'fullscreen' must be true or false",
        ),
        ('[cabin]\nid = "c"\n[timeouts]\nmax_extensions = 1.5\n', "must be an integer"),
        ('[cabin]\nid = "c"\nlanguages = ["fr", "de"]\n', "'de' is not one of"),
        ('[cabin]\nid = "c"\nlanguages = "fr"\n', "must be a list of a string"),
        ('[cabin]\nid = "c"\ndefault_language = "es"\nlanguages = ["fr"]\n', "default_language"),
        ('[cabin]\nid = "c"\n[timeouts]\nconsent = -1\n', "must not be negative"),
        ('[cabin]\nid = "c"\ntimezone = "Europe/Pariss"\n', "'Europe/Pariss' is not a known"),
        ('[cabin]\nid = "c"\ntimezone = "../../etc/passwd"\n', "is not a known time zone"),
        ('[cabin]\nid = "c"\ntimezone = "/etc/localtime"\n', "is not a known time zone"),
        ('[cabin]\nid = "c"\ntimezone = ""\n', "is not a known time zone"),
        ("[cabin]\nid = 3\n", "[cabin] key 'id' must be a string"),
        ("cabin = 3\n", "table [cabin] must be a table"),
        ('[cabin]\nid = "c"\n[devices]\nscale = 3\n', "[devices] key 'scale' must be a table"),
        ('devices = 3\n[cabin]\nid = "c"\n', "table [devices] must be a table"),
        (
            '[cabin]\nid = "c"\n[devices.s]\ndriver = "x"\nkind = "height"\n',
            "[devices.s] key 'kind' must be one of",
        ),
        (
            '[cabin]\nid = "c"\n[devices.s]\nkind = "weight"\n',
            "[devices.s] key 'driver' is required",
        ),
        ('[cabin]\nid = "c"\n[logging]\nlevel = 10\n', "[logging] key 'level' must be one of"),
        ("[cabin\n", "not valid TOML"),
    ],
)
def test_bad_config_is_one_clear_error(toml: str, message: str):
    with pytest.raises(ConfigError) as info:
        config.parse(toml, source="cabin.toml")
    text = str(info.value)
    assert text.startswith("cabin.toml: ")
    assert message in text
    assert "\n" not in text


def test_missing_file(tmp_path: Path):
    with pytest.raises(ConfigError, match="config file not found"):
        config.load(tmp_path / "nope.toml")


def test_unreadable_file(tmp_path: Path):
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(b'[cabin]\nid = "caf\xe9"\n')
    with pytest.raises(ConfigError, match="cannot read config"):
        config.load(bad)


def test_path_resolution(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(config.ENV_VAR, raising=False)
    assert config.resolve_path(None) == config.DEFAULT_PATH
    monkeypatch.setenv(config.ENV_VAR, "/tmp/from-env.toml")
    assert config.resolve_path(None) == Path("/tmp/from-env.toml")
    assert config.resolve_path("/tmp/flag.toml") == Path("/tmp/flag.toml")


@pytest.mark.parametrize(
    ("toml", "expect"),
    [
        ('[cabin]\nid = "c"\ncolour = 1\n', "unknown key 'colour'"),
        ('[cabin]\nid = "c"\n[timeouts]\nconsent = "long"\n', "must be a number"),
        ("[session]\nsimulated = true\n", "table [cabin] is required"),
    ],
)
def test_cli_exits_2_with_one_line(tmp_path: Path, toml: str, expect: str):
    path = tmp_path / "kiosk.toml"
    path.write_text(toml)
    for args in (["selftest"], ["run", "--window"]):
        proc = subprocess.run(
            [*KIOSK, *args, "--config", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            check=False,
        )
        if args == ["selftest"]:
            # selftest reports the bad config as a failed check, not as a crash
            assert proc.returncode == 1, proc.stderr
            assert expect in proc.stdout
            continue
        assert proc.returncode == 2
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, proc.stderr
        assert lines[0].startswith(f"kiosk: config error: {path}: ")
        assert expect in lines[0]
        assert "Traceback" not in proc.stderr


def test_kiosk_config_env_var(tmp_path: Path):
    path = tmp_path / "kiosk.toml"
    path.write_text("[cabin]\nname = 'x'\n")
    proc = subprocess.run(
        [*KIOSK, "run"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "KIOSK_CONFIG": str(path), "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    assert proc.returncode == 2
    assert "[cabin] key 'id' is required" in proc.stderr
