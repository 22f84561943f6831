"""The CLI as a technician uses it: ``kiosk sim ble``, then ``kiosk measure``/``selftest``/
``decode`` against it, each in its own process, bleak's real BlueZ backend in between."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.ble.sim import DeviceSpec, Profile, ScriptError, load_device_script
from tests.helpers.cli import kiosk_beside, kiosk_config, run_kiosk

SOCKET_DIR_PREFIX = "unix:path="


@pytest.fixture
def sim_ble(tmp_path: Path) -> Iterator[str]:
    """``kiosk sim ble blood_pressure`` with a script; yields the bus address it printed."""
    script = tmp_path / "cuff.toml"
    script.write_text(
        '[device]\naddress = "C0:FF:EE:AA:00:01"\npairing = true\n'
        "[[step]]\nmeasure = { systolic = 128, diastolic = 84, map = 99, pulse = 70 }\n"
        '[[step]]\nfault = "connect_fail"\ncount = 1\n',
        encoding="utf-8",
    )
    args = ("sim", "ble", "blood_pressure", "--script", str(script))
    with kiosk_beside(*args, stop_timeout=10) as (proc, line):
        yield line
    assert proc.returncode == 0
    socket = Path(line.removeprefix(SOCKET_DIR_PREFIX).split(",")[0])
    assert not socket.parent.exists(), "the private bus outlived kiosk sim ble"


@pytest.mark.slow
def test_kiosk_measure_and_selftest_against_kiosk_sim_ble(
    sim_ble: str, tmp_path: Path, shm_spool: Path
) -> None:
    env = {"DBUS_SYSTEM_BUS_ADDRESS": sim_ble}
    cfg = kiosk_config(
        tmp_path,
        '[devices.bp]\ndriver = "ble-blood-pressure"\nkind = "blood_pressure"\n'
        'address = "C0:FF:EE:AA:00:01"\n',
        shm_spool,
    )
    measured = run_kiosk("measure", "bp", "--json", "--config", str(cfg), env=env)
    assert measured.returncode == 0, measured.stderr
    reading = json.loads(measured.stdout)
    assert reading["values"] == {"systolic": 128, "diastolic": 84, "map": 99, "pulse": 70}
    assert reading["units"] == {"pulse": "/min"}
    check = run_kiosk("selftest", "--json", "--config", str(cfg), env=env)
    checks = {c["name"]: c for c in json.loads(check.stdout)["checks"]}
    assert checks["device:bp"]["ok"], checks["device:bp"]


def test_sim_ble_rejects_a_bad_script(tmp_path: Path) -> None:
    script = tmp_path / "bad.toml"
    script.write_text('[[step]]\nfault = "meltdown"\n', encoding="utf-8")
    proc = run_kiosk("sim", "ble", "weight", "--script", str(script))
    assert proc.returncode == 2 and "fault step: one of" in proc.stderr
    other = tmp_path / "other.toml"
    other.write_text('[device]\nprofile = "thermometer"\n', encoding="utf-8")
    proc = run_kiosk("sim", "ble", "weight", "--script", str(other))
    assert proc.returncode == 2 and "not weight" in proc.stderr
    ok = run_kiosk("sim", "ble", "weight", "--duration", "0.2")
    assert ok.returncode == 0 and ok.stdout.startswith("unix:path=")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[device]\nvolume = 3\n", "unknown [device] keys"),
        ('[device]\nprofile = "toaster"\n', "bad [device] table"),
        ("[device]\n", "needs a profile"),
        ("[[step]]\nmeasure = { color = 1 }\n", "measure step: keys"),
        ('[[step]]\nraw = "zz"\n', "raw step: hex"),
        ("[[step]]\nwait = 1\nraw = '00'\n", "one of measure, raw, fault"),
        ("not toml [", "cannot read script"),
    ],
)
def test_device_script_errors(tmp_path: Path, text: str, message: str) -> None:
    script = tmp_path / "s.toml"
    script.write_text(text, encoding="utf-8")
    profile = None if "needs a profile" in message else Profile.WEIGHT
    with pytest.raises(ScriptError, match=message.replace("[", r"\[")):
        load_device_script(script, profile=profile)


def test_device_script_loads(tmp_path: Path) -> None:
    script = tmp_path / "s.toml"
    script.write_text(
        "[device]\nracp = true\nclock_offset = -3600\n[[step]]\nmeasure = { weight = 80 }\n"
        '[[step]]\nraw = "00FFFF"\n',
        encoding="utf-8",
    )
    spec, steps = load_device_script(script, profile=Profile.WEIGHT)
    assert spec == DeviceSpec(profile=Profile.WEIGHT, racp=True, clock_offset=-3600)
    assert [set(s) for s in steps] == [{"measure"}, {"raw"}]


@pytest.mark.parametrize(
    ("profile", "data", "kind"),
    [
        ("gatt-blood-pressure", "1E8A00580078000000041114293B3C00012700", "blood_pressure"),
        ("gatt-temperature", "06 B0 0E 00 FE DC 07 0C 05 0B 32 1B 04", "temperature"),
        ("gatt-weight", "001437", "weight"),
        ("gatt-body-composition", "0000D500", "body_composition"),
        ("gatt-plx-spot", "006100400000", "spo2"),
        ("gatt-plx-continuous", "006100400000", "spo2"),
    ],
)
def test_kiosk_decode_gatt_profiles(profile: str, data: str, kind: str) -> None:
    proc = run_kiosk("decode", profile, data)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["kind"] == kind


def test_kiosk_decode_gatt_short_payload_is_one_line() -> None:
    proc = run_kiosk("decode", "gatt-temperature", "06B00E")
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "kiosk decode: temperature measurement: payload of 3 byte(s), its flags need 5"
    )
