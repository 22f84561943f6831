"""The simulated BlueZ itself: its private dbus-daemon, its errors, the calls bleak makes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from drivers.ble.sim import BlueZSimulator, DBusDaemon, DeviceSpec, Profile, SimulatorError


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_daemon_runs_our_config_and_stops_by_pid(tmp_path: Path) -> None:
    daemon = DBusDaemon(tmp_path)
    address = daemon.start()
    pid = daemon.pid
    assert pid is not None and _alive(pid)
    assert address.startswith(f"unix:path={tmp_path}/system_bus_socket")
    assert "<auth>EXTERNAL</auth>" in daemon.config.read_text()
    daemon.stop()
    assert not _alive(pid)
    daemon.stop()  # twice is fine


def test_missing_dbus_daemon_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a real PATH without the binary
    with pytest.raises(SimulatorError, match="dbus-daemon not found"):
        DBusDaemon(tmp_path).start()


def test_daemon_that_cannot_listen_fails_with_its_reason(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 120)  # a unix socket path longer than the kernel allows
    deep.mkdir()
    daemon = DBusDaemon(deep)
    with pytest.raises(SimulatorError, match="did not start") as info:
        daemon.start(timeout=5)
    assert "long" in str(info.value).lower() or "exit" in str(info.value)
    assert daemon.pid is None


def test_simulator_lifecycle_and_misuse() -> None:
    sim = BlueZSimulator()
    with pytest.raises(SimulatorError, match="not running"):
        sim.add_device(DeviceSpec(profile=Profile.WEIGHT))
    with sim:
        assert sim.env == {"DBUS_SYSTEM_BUS_ADDRESS": sim.address}
        assert sim.daemon is not None
        pid = sim.daemon.pid
        sim.add_device(DeviceSpec(profile=Profile.WEIGHT, address="c0:ff:ee:00:99:01"))
        with pytest.raises(SimulatorError, match="already simulated"):
            sim.add_device(DeviceSpec(profile=Profile.WEIGHT, address="C0:FF:EE:00:99:01"))
        with pytest.raises(SimulatorError, match="no simulated device"):
            sim.measure("C0:FF:EE:00:99:02", weight=80)
        assert sim.state("C0:FF:EE:00:99:01")["connected"] is False
    assert pid is not None and not _alive(pid)
    assert sim.address == ""
