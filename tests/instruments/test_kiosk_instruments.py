"""The kiosk's side: config to driver, the self-test check, and the CLI as a technician uses it."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from drivers.errors import DriverError
from drivers.instrument import InstrumentOptions
from drivers.nonin.serial import NoninOem3
from drivers.nonin.sim import NoninSimulator
from drivers.types import DeviceInfo, Reading, ReadingKind, Unit
from kiosk import config as config_mod
from kiosk import instruments, selftest
from kiosk.errors import ConfigError
from kiosk.session import ReadingReceived
from tests.helpers.cli import kiosk_beside, kiosk_config, run_kiosk


def test_options_from_config_keeps_every_key() -> None:
    device = config_mod.DeviceConfig(
        driver="contec-cms50d",
        kind="spo2",
        port="/dev/ttyUSB0",
        baudrate=4800,
        parity="E",
        bytesize=7,
        stopbits=2,
        model="CMS50D+",
        serial="SN1",
        measure_timeout=30,
        clock_window=60,
    )
    assert instruments.options_from_config("ox", device) == InstrumentOptions(
        id="ox",
        port="/dev/ttyUSB0",
        baudrate=4800,
        parity="E",
        bytesize=7,
        stopbits=2,
        model="CMS50D+",
        serial="SN1",
        measure_timeout=30,
        clock_window=60,
    )


def test_connect_grace_is_the_drivers_unless_configured() -> None:
    serial = config_mod.DeviceConfig(driver="nonin-oem3", kind="spo2", port="/dev/null")
    ble = config_mod.DeviceConfig(driver="ble-thermometer", kind="temperature", address="AA")
    assert instruments.build("ox", serial).options.connect_grace == 2.0
    assert instruments.build("t", ble).options.connect_grace == 60.0
    configured = replace(ble, connect_grace=15.0)
    assert instruments.build("t", configured).options.connect_grace == 15.0


def test_build_checks_driver_and_kind() -> None:
    ok = instruments.build(
        "ox", config_mod.DeviceConfig(driver="nonin-oem3", kind="spo2", port="/dev/null")
    )
    assert isinstance(ok, NoninOem3) and ok.device.model == "Nonin OEM III"
    with pytest.raises(ConfigError, match=r"\[devices.ox\].*measures spo2, not weight"):
        instruments.build(
            "ox", config_mod.DeviceConfig(driver="nonin-oem3", kind="weight", port="/dev/null")
        )
    with pytest.raises(DriverError, match="no driver named"):
        instruments.build("ox", config_mod.DeviceConfig(driver="toaster", kind="spo2"))


def test_device_config_names_the_known_ones(tmp_path: Path, shm_spool: Path) -> None:
    cfg = config_mod.load(
        kiosk_config(tmp_path, '[devices.a]\ndriver = "nonin-oem3"\nkind = "spo2"\n', shm_spool)
    )
    with pytest.raises(ConfigError, match=r"no device 'b' \(configured: a\)"):
        instruments.device_config(cfg, "b")


def test_relay_hands_each_reading_to_the_session() -> None:
    events: list[object] = []
    relay = instruments.relay_to(events.append)
    reading = Reading(
        kind=ReadingKind.SPO2,
        unit=Unit.PERCENT,
        values={"spo2": 97.0},
        device=DeviceInfo(id="ox"),
        received_at=__import__("datetime").datetime.now(),
    )
    relay(reading)
    assert events == [ReadingReceived(reading)]


def test_selftest_check_per_instrument(tmp_path: Path, shm_spool: Path) -> None:
    sim = NoninSimulator(link=tmp_path / "ox")
    sim.start()
    try:
        cfg = config_mod.load(
            kiosk_config(
                tmp_path,
                f'[devices.ox]\ndriver = "nonin-oem3"\nkind = "spo2"\nport = "{sim.path}"\n'
                f'[devices.gone]\ndriver = "and-weight"\nkind = "weight"\n'
                f'port = "{tmp_path / "nothing"}"\n'
                '[devices.toaster]\ndriver = "no-such-driver"\nkind = "weight"\n',
                shm_spool,
            )
        )
        assert instruments.check_instruments in selftest.CHECKS
        results = {r.name: r for r in instruments.check_instruments(cfg)}
    finally:
        sim.stop()
    assert results["device:ox"].ok, results["device:ox"].detail
    assert "answers ok" in results["device:ox"].detail
    assert not results["device:gone"].ok and "port FAILED" in results["device:gone"].detail
    assert not results["device:toaster"].ok
    assert "no driver named 'no-such-driver'" in results["device:toaster"].detail


# -- the CLI, as a new user would try it -------------------------------------------------------


@pytest.fixture
def sim_process(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[str, Path]]:
    """``kiosk sim serial KIND`` in its own process; yields (kind, the path it printed)."""
    kind, script = request.param
    args = ["sim", "serial", kind, "--link", str(tmp_path / "dev")]
    if script:
        script_path = tmp_path / "script.toml"
        script_path.write_text(script, encoding="utf-8")
        args += ["--script", str(script_path)]
    with kiosk_beside(*args, stop_timeout=5) as (_, line):  # the simulator prints its path first
        yield kind, Path(line)


KINDS = {
    "suntech-advantage": ("tensiometer", "blood_pressure"),
    "and-weight": ("scale", "weight"),
    "nonin-oem3": ("oximeter", "spo2"),
    "contec-cms50d": ("oximeter", "spo2"),
    "masimo-ascii1": ("oximeter", "spo2"),
}


#: A quick cuff for the tensiometer's two measurements; the others play their defaults.
SCRIPTS = {"suntech-advantage": "[[step]]\nmeasure = { inflate_s = 0.3, deflate_s = 0.3 }\n" * 2}


@pytest.mark.slow
@pytest.mark.parametrize(
    "sim_process", [(k, SCRIPTS.get(k, "")) for k in KINDS], indirect=True, ids=list(KINDS)
)
def test_kiosk_measure_against_kiosk_sim_serial(
    sim_process: tuple[str, Path], tmp_path: Path, shm_spool: Path
) -> None:
    kind, path = sim_process
    device_id, reading_kind = KINDS[kind]
    cfg = kiosk_config(
        tmp_path,
        f'[devices.{device_id}]\ndriver = "{kind}"\nkind = "{reading_kind}"\nport = "{path}"\n',
        shm_spool,
    )
    human = run_kiosk("measure", device_id, "--config", str(cfg), "--timeout", "20")
    assert human.returncode == 0, human.stderr
    assert human.stdout.startswith(f"{device_id}: ")
    as_json = run_kiosk("measure", device_id, "--json", "--config", str(cfg))
    assert as_json.returncode == 0, as_json.stderr
    reading = json.loads(as_json.stdout)
    assert reading["kind"] == reading_kind and reading["values"] and not reading["missing"]
    check = run_kiosk("selftest", "--json", "--config", str(cfg))
    checks = {c["name"]: c for c in json.loads(check.stdout)["checks"]}
    assert checks[f"device:{device_id}"]["ok"], checks[f"device:{device_id}"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sim_process",
    [("suntech-advantage", "[[step]]\nmeasure = { error = 87, inflate_s = 0.3 }\n")],
    indirect=True,
)
def test_scripted_loose_cuff_shows_no_value(
    sim_process: tuple[str, Path], tmp_path: Path, shm_spool: Path
) -> None:
    _, path = sim_process
    cfg = kiosk_config(
        tmp_path,
        f'[devices.bp]\ndriver = "suntech-advantage"\nkind = "blood_pressure"\nport = "{path}"\n',
        shm_spool,
    )
    proc = run_kiosk("measure", "bp", "--config", str(cfg))
    assert proc.returncode == 1
    assert "no valid measurement" in proc.stdout
    assert "systolic: no value (air_leak_or_loose_cuff)" in proc.stdout
    assert "cuff" in proc.stderr  # the cuff pressure shown while it inflated


#: A technician's script: the scale overloaded, as an A&D balance prints it (+ then -).
OVERLOAD_SCRIPT = (
    "[[step]]\nweight = { overload = true }\n[[step]]\nweight = { overload = true, value = -1 }\n"
) * 2


@pytest.mark.slow
@pytest.mark.parametrize("sim_process", [("and-weight", OVERLOAD_SCRIPT)], indirect=True)
def test_kiosk_sim_overload_sends_the_real_bytes_and_measures_no_value(
    sim_process: tuple[str, Path], tmp_path: Path, shm_spool: Path
) -> None:
    import serial

    _, path = sim_process
    with serial.serial_for_url(str(path), timeout=5) as port:
        port.write(b"Q\r\n")
        assert port.readline() == b"OL,+9999999E+19\r\n"
        port.write(b"Q\r\n")
        assert port.readline() == b"OL,-9999999E+19\r\n"
    cfg = kiosk_config(
        tmp_path,
        f'[devices.scale]\ndriver = "and-weight"\nkind = "weight"\nport = "{path}"\n',
        shm_spool,
    )
    for _ in range(2):  # the script's + then - overload
        proc = run_kiosk("measure", "scale", "--config", str(cfg), "--timeout", "10")
        assert proc.returncode == 1, proc.stderr
        assert (
            proc.stdout == "scale: no valid measurement: weight: no value (overload) [overload]\n"
        )


def test_measure_cli_errors_are_one_line(tmp_path: Path, shm_spool: Path) -> None:
    cfg = kiosk_config(
        tmp_path,
        f'[devices.ox]\ndriver = "nonin-oem3"\nkind = "spo2"\nport = "{tmp_path / "none"}"\n',
        shm_spool,
    )
    gone = run_kiosk("measure", "ox", "--config", str(cfg), "--timeout", "3")
    assert gone.returncode == 1
    assert gone.stderr.strip().splitlines()[-1].startswith("kiosk measure: ox: instrument not")
    unknown = run_kiosk("measure", "nope", "--config", str(cfg))
    assert unknown.returncode == 2 and "no device 'nope'" in unknown.stderr


def test_sim_serial_rejects_a_bad_script(tmp_path: Path) -> None:
    script = tmp_path / "bad.toml"
    script.write_text("[[step]]\nexplode = 1\n", encoding="utf-8")
    proc = run_kiosk(
        "sim", "serial", "and-weight", "--script", str(script), "--link", str(tmp_path / "d")
    )
    assert proc.returncode == 2 and "one key of" in proc.stderr
    started = time.monotonic()
    ok = run_kiosk(
        "sim", "serial", "and-weight", "--duration", "0.3", "--link", str(tmp_path / "d")
    )
    assert ok.returncode == 0 and ok.stdout.strip() == str(tmp_path / "d")
    assert time.monotonic() - started < 10
    assert not (tmp_path / "d").exists()  # the link goes with the simulator
