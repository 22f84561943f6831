"""Fleet health: heartbeat content, the loopback Prometheus endpoint, CUPS printer state."""

from __future__ import annotations

import argparse
import socket
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kiosk import __version__, selftest
from kiosk import config as config_mod
from kiosk.health import (
    WITHHELD,
    DeviceState,
    HealthError,
    HealthMonitor,
    PrinterState,
    add_metrics_option,
    metrics_port,
    parse_lpstat,
    query_printer,
    serve_metrics,
    start_from_args,
)
from protocol import SIGNAL_SCHEMAS, validate

DATA = Path(__file__).resolve().parents[1] / "data" / "deploy"
NIR = "1 85 05 78 006 084 91"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def monitor() -> HealthMonitor:
    clock = Clock()
    m = HealthMonitor(
        cabin_id="cabin-042",
        disk_paths=("/", "/dev/shm"),
        clock=clock,
        wall_clock=lambda: datetime(2026, 11, 23, 18, 0, tzinfo=UTC),
    )
    clock.now += 125.5
    m.set_device("scale", "weight", DeviceState.OK)
    m.set_device("bp", "blood_pressure", DeviceState.MISSING, "port /dev/cabine/tensiometer absent")
    m.set_printer(PrinterState.STOPPED, "media-empty-error")
    m.set_session_state("in_call")
    return m


def test_heartbeat_holds_states_uptime_disk_and_version(monitor: HealthMonitor) -> None:
    hb = monitor.heartbeat().to_json()
    assert hb["cabin_id"] == "cabin-042"
    assert hb["version"] == __version__
    assert hb["uptime_s"] == 125.5
    assert hb["sent_at"] == "2026-11-23T18:00:00+00:00"
    assert hb["system_uptime_s"] is not None and hb["system_uptime_s"] > 0
    assert set(hb["disk"]) == {"/", "/dev/shm"}
    for usage in hb["disk"].values():
        assert 0 < usage["free_bytes"] <= usage["total_bytes"]
    assert hb["devices"] == {
        "bp": {
            "kind": "blood_pressure",
            "state": "missing",
            "detail": "port /dev/cabine/tensiometer absent",
        },
        "scale": {"kind": "weight", "state": "ok", "detail": ""},
    }
    assert hb["printer"] == {"state": "stopped", "detail": "media-empty-error"}
    assert hb["session_state"] == "in_call"


def test_a_detail_shaped_like_patient_data_is_withheld(monitor: HealthMonitor) -> None:
    monitor.set_device("card", "card", DeviceState.FAULT, f"card {NIR} unreadable")
    hb = monitor.heartbeat()
    assert hb.to_json()["devices"]["card"]["detail"] == WITHHELD
    assert NIR not in str(hb.to_json())
    monitor.set_device("scale", "weight", DeviceState.FAULT, "x" * 500 + "\nsecond line")
    assert len(monitor.heartbeat().to_json()["devices"]["scale"]["detail"]) == 120


def test_the_portal_message_is_one_the_protocol_accepts(monitor: HealthMonitor) -> None:
    message = monitor.heartbeat().to_message()
    validate(message, SIGNAL_SCHEMAS)
    assert message["type"] == "heartbeat"
    assert message["devices"]["scale"] == "ok"
    assert message["version"] == __version__ and message["uptime_s"] == 125.5
    assert message["printer"] == monitor.heartbeat().printer.value
    # What the cabin's link sends is that message, devices apart.
    assert {**monitor.fleet_fields(), "devices": monitor.device_states()} == {
        k: v for k, v in message.items() if k != "type"
    }
    # Only the fields asked for (an older portal's schema).
    older = monitor.heartbeat().to_message(["devices"])
    assert set(older) == {"type", "devices"}


def test_device_states_from_the_selftest() -> None:
    cfg = config_mod.parse(
        '[cabin]\nid = "c1"\n[devices.scale]\ndriver = "no-such-driver"\nkind = "weight"\n'
    )
    report = selftest.run_all(cfg)
    m = HealthMonitor(cabin_id=cfg.cabin.id)
    m.update_from_selftest(report.checks, {k: d.kind for k, d in cfg.devices.items()})
    device = m.heartbeat().to_json()["devices"]["scale"]
    assert device["kind"] == "weight"
    assert device["state"] == "fault"
    assert device["detail"]


def _scrape(url: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    with urllib.request.urlopen(url, timeout=5) as reply:
        text = reply.read().decode()
    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((sample.labels, sample.value))
    return found


def test_metrics_endpoint_on_loopback(monitor: HealthMonitor) -> None:
    server = serve_metrics(monitor, port=0)
    try:
        assert server.host == "127.0.0.1" and server.port > 0
        metrics = _scrape(server.url)
        assert metrics["cabine_build_info"] == [
            ({"version": __version__, "cabin": "cabin-042"}, 1.0)
        ]
        assert metrics["cabine_uptime_seconds"] == [({}, 125.5)]
        up = {labels["device"]: value for labels, value in metrics["cabine_device_up"]}
        assert up == {"bp": 0.0, "scale": 1.0}
        printer = {labels["state"]: value for labels, value in metrics["cabine_printer_state"]}
        assert printer["stopped"] == 1.0 and sum(printer.values()) == 1.0
        assert metrics["cabine_session_active"] == [({}, 1.0)]
        free = {labels["path"]: value for labels, value in metrics["cabine_disk_free_bytes"]}
        assert free["/"] > 0
        # Scraped live: a state change shows on the next scrape.
        monitor.set_device("bp", "blood_pressure", DeviceState.OK)
        monitor.set_session_state("idle")
        again = _scrape(server.url)
        assert {lb["device"]: v for lb, v in again["cabine_device_up"]}["bp"] == 1.0
        assert again["cabine_session_active"] == [({}, 0.0)]
    finally:
        server.close()
    with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
        probe.connect(("127.0.0.1", server.port))  # nobody listens any more


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "cabin.example"])
def test_metrics_refuse_a_public_address(monitor: HealthMonitor, host: str) -> None:
    with pytest.raises(HealthError, match="loopback"):
        serve_metrics(monitor, port=0, host=host)


def test_a_busy_port_is_a_typed_error(monitor: HealthMonitor) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        with pytest.raises(HealthError, match="cannot serve metrics"):
            serve_metrics(monitor, port=holder.getsockname()[1])


def test_metrics_port_option(monkeypatch: pytest.MonkeyPatch, monitor: HealthMonitor) -> None:
    assert metrics_port("9108") == 9108
    for bad in ("http", "-1", "70000"):
        with pytest.raises(argparse.ArgumentTypeError):
            metrics_port(bad)
    monkeypatch.setenv("CABINE_METRICS_PORT", "9200")
    parser = argparse.ArgumentParser()
    add_metrics_option(parser)
    assert parser.parse_args([]).metrics_port == 9200
    args = parser.parse_args(["--metrics-port", "0"])
    assert start_from_args(args, monitor) is None
    with pytest.raises(SystemExit):
        parser.parse_args(["--metrics-port", "nope"])
    args = parser.parse_args(["--metrics-port", str(_free_port())])
    server = start_from_args(args, monitor)
    assert server is not None
    try:
        assert "cabine_uptime_seconds" in _scrape(server.url)
    finally:
        server.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("sample", "queue", "state", "detail"),
    [
        ("lpstat-idle.txt", "cabine-pdf", PrinterState.IDLE, ""),
        ("lpstat-printing.txt", "cabine-pdf", PrinterState.PRINTING, ""),
        ("lpstat-disabled.txt", "cabine-pdf", PrinterState.STOPPED, "disabled since"),
        ("lpstat-disabled.txt", "other", PrinterState.IDLE, ""),
        ("lpstat-idle.txt", "absent", PrinterState.MISSING, "absent"),
    ],
)
def test_printer_state_from_lpstat(
    sample: str, queue: str, state: PrinterState, detail: str
) -> None:
    got_state, got_detail = parse_lpstat((DATA / sample).read_text(), queue)
    assert got_state is state
    assert detail in got_detail


def test_printer_state_when_cups_does_not_answer(tmp_path: Path) -> None:
    # Real lpstat against a CUPS socket nobody serves.
    env = {"PATH": "/usr/bin:/bin", "CUPS_SERVER": str(tmp_path / "no-cups.sock")}
    state, detail = query_printer("cabine-pdf", env=env, timeout=10)
    assert (state, detail) == (PrinterState.UNKNOWN, "CUPS scheduler is not running")


@pytest.mark.slow
def test_printer_state_from_a_real_cups() -> None:
    from drivers.printer.sim import DEFAULT_QUEUE, PrivateCups

    with PrivateCups() as cups:
        env = cups.env()
        assert query_printer(DEFAULT_QUEUE, env=env) == (PrinterState.IDLE, "")
        cups.stop_queue(DEFAULT_QUEUE, reason="paper jam")
        state, _ = query_printer(DEFAULT_QUEUE, env=env)
        assert state is PrinterState.STOPPED
        assert query_printer("no-such-queue", env=env)[0] is PrinterState.MISSING


def test_selftest_reports_free_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk import health

    cfg = config_mod.parse('[cabin]\nid = "c1"\n')
    report = selftest.run_all(cfg)
    disk = next(c for c in report.checks if c.name == "disk:/")
    assert disk.ok and "GiB free" in disk.detail
    monkeypatch.setattr(health, "MIN_FREE_BYTES", 1 << 60)
    (low,) = health.check_disk(cfg)
    assert not low.ok and "remove old releases" in low.detail


@pytest.mark.slow
def test_kiosk_run_serves_the_cabins_own_health(tmp_path: Path, shm_spool: Path) -> None:
    """``kiosk run --metrics-port``: the metrics are the running cabin's (its instruments),
    not those of a monitor of its own."""
    import os
    import signal
    import subprocess
    import sys
    import time

    demo = (Path(config_mod.project_config("demo"))).read_text(encoding="utf-8")
    demo = demo.replace('spool_dir = "/dev/shm/cabine-demo"', f'spool_dir = "{shm_spool}"')
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(
        demo
        + '\n[devices.scale]\ndriver = "and-weight"\nkind = "weight"\n'
        + f'port = "{tmp_path / "no-scale"}"\n',
        encoding="utf-8",
    )
    port = _free_port()
    kiosk = str(Path(sys.executable).parent / "kiosk")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    log = tmp_path / "kiosk.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [kiosk, "run", "--window", "--config", str(cfg), "--metrics-port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        deadline = time.monotonic() + 30
        text = ""
        while time.monotonic() < deadline:
            assert proc.poll() is None, f"kiosk run ended early: {log.read_text()[-2000:]}"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as r:
                    text = r.read().decode()
            except OSError:
                text = ""
            if 'device="scale"' in text:
                break
            time.sleep(0.2)
        states = {
            sample.labels["state"]: sample.value
            for family in text_string_to_metric_families(text)
            if family.name == "cabine_device_state"
            for sample in family.samples
            if sample.labels.get("device") == "scale"
        }
        assert states.get("unknown") == 1.0, text[-2000:]
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
