"""The fleet operators' files: Prometheus alert rules, their unit tests and configs, checked by
the real promtool, and the Grafana dashboard; every metric they name is one that exists."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from drivers.printer.errors import PrinterReason
from kiosk.health import (
    PRINTER_PROBLEMS,
    DeviceState,
    HealthMonitor,
    PrinterState,
    serve_metrics,
)
from kiosk.services.printing import printer_health

REPO = Path(__file__).resolve().parents[2]
PROMETHEUS_DIR = REPO / "config" / "prometheus"
RULES = PROMETHEUS_DIR / "cabine-alerts.yml"
RULES_TEST = PROMETHEUS_DIR / "cabine-alerts-test.yml"
DASHBOARD = REPO / "config" / "grafana" / "cabine-fleet.json"

#: node_exporter's standard metrics the operators' files may use (node_exporter 1.5, the
#: filesystem and timex collectors, both on by default).
NODE_EXPORTER = {
    "node_filesystem_avail_bytes",
    "node_timex_offset_seconds",
    "node_timex_sync_status",
    "node_timex_maxerror_seconds",
}
#: Series Prometheus makes itself: each scrape's ``up`` and the alerts' ``ALERTS``.
PROMETHEUS_OWN = {"up", "ALERTS"}
#: The alerts issue #20 asks for, by what they watch.
REQUIRED_ALERTS = {
    "CabineOffline",
    "CabineInstrumentFaulty",
    "CabinePrinterOutOfPaper",
    "CabineDiskLow",
    "CabineClockOff",
}

PROMQL_WORDS = {"and", "or", "unless", "bool", "offset", "inf", "nan"}
GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
MATCHER = re.compile(r'(\w+)\s*(=~|!~|!=|=)\s*"([^"]*)"')
SELECTOR = re.compile(r"([a-zA-Z_:][\w:]*)\s*\{([^}]*)\}")


def promtool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("promtool")
    if tool is None:
        pytest.fail(
            "promtool is missing: install Debian's `prometheus` package "
            "(`make setup`, or `apt-get install --no-install-recommends prometheus`)"
        )
    return subprocess.run(
        [tool, *map(str, args)], capture_output=True, text=True, timeout=120, check=False
    )


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects (not its functions, keywords, labels)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = GROUPING.sub(" ", text)
    names = set()
    for match in re.finditer(r"([a-zA-Z_:][\w:]*)(\s*\()?", text):
        if match.group(2) is None and match.group(1).lower() not in PROMQL_WORDS:
            names.add(match.group(1))
    return names


def rule_expressions(text: str) -> dict[str, str]:
    """Each alert's ``expr`` from the rules file (one-line or ``|`` block), by alert name."""
    found: dict[str, str] = {}
    for block in re.split(r"\n\s*- alert: ", text)[1:]:
        name, _, rest = block.partition("\n")
        match = re.search(r"expr: (?:\|\n((?:\s{10,}.*\n)+)|(.*)\n)", rest)
        assert match is not None, f"no expr for {name}"
        found[name.strip()] = " ".join((match.group(1) or match.group(2)).split())
    return found


@pytest.fixture(scope="module")
def kiosk_metrics() -> Iterator[dict[str, dict[str, set[str]]]]:
    """What a real kiosk's endpoint serves: sample name -> label name -> values seen."""
    monitor = HealthMonitor(cabin_id="cabin-042")
    monitor.set_device("bp", "blood_pressure", DeviceState.FAULT, "no reply in 5 s")
    monitor.set_device("scale", "weight", DeviceState.MISSING)
    monitor.set_printer(PrinterState.STOPPED, "paper_out")
    monitor.set_session_state("in_call")
    server = serve_metrics(monitor, port=0)
    try:
        with urllib.request.urlopen(server.url, timeout=5) as reply:
            text = reply.read().decode()
    finally:
        server.close()
    found: dict[str, dict[str, set[str]]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = found.setdefault(sample.name, {})
            for key, value in sample.labels.items():
                labels.setdefault(key, set()).add(value)
    yield found


def check_names(expressions: dict[str, str], kiosk: dict[str, dict[str, set[str]]]) -> None:
    """Every metric is the kiosk's, node_exporter's or Prometheus's; every label and value a
    kiosk metric is matched on is one the kiosk serves."""
    known = set(kiosk) | NODE_EXPORTER | PROMETHEUS_OWN
    for where, expr in expressions.items():
        unknown = metric_names(expr) - known
        assert not unknown, f"{where}: no such metric {sorted(unknown)} in {expr!r}"
        for name, matchers in SELECTOR.findall(expr):
            if name not in kiosk:
                continue
            for label, op, value in MATCHER.findall(matchers):
                if label in ("job", "cabin"):  # set by the scrape, not the kiosk
                    continue
                assert label in kiosk[name], f"{where}: {name} has no label {label!r}"
                if op in ("=", "=~") and "$" not in value:
                    for one in value.split("|"):
                        assert one in kiosk[name][label], f"{where}: {name}{{{label}={one!r}}}"


# -- the rules ------------------------------------------------------------------------------
def test_promtool_accepts_the_rules() -> None:
    done = promtool("check", "rules", RULES)
    assert done.returncode == 0, done.stdout + done.stderr
    count = int(re.search(r"SUCCESS: (\d+) rules found", done.stdout).group(1))  # type: ignore[union-attr]
    assert count == len(rule_expressions(RULES.read_text(encoding="utf-8")))


def test_the_rules_unit_tests_pass() -> None:
    done = promtool("test", "rules", RULES_TEST)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS" in done.stdout


def test_each_alert_fires_when_broken_and_not_when_healthy() -> None:
    """The unit tests cover every alert both ways; the required ones exist."""
    alerts = set(rule_expressions(RULES.read_text(encoding="utf-8")))
    assert alerts >= REQUIRED_ALERTS
    tests = RULES_TEST.read_text(encoding="utf-8")
    broken, healthy = tests.split("- name: a healthy cabin fires nothing")
    for alert in alerts:
        firing = re.search(rf"alertname: {alert}\n\s+exp_alerts:\n\s+- exp_labels:", broken)
        assert firing, f"no unit test where {alert} fires"
        assert f"alertname: {alert}, exp_alerts: []" in healthy, f"{alert} not checked quiet"


def test_every_alert_has_a_severity_and_both_languages() -> None:
    text = RULES.read_text(encoding="utf-8")
    for block in re.split(r"\n\s*- alert: ", text)[1:]:
        name = block.partition("\n")[0]
        assert re.search(r"severity: (critical|warning)\n", block), name
        assert re.search(r"\n\s+for: \d+m\n", block), name
        assert 'summary: "Cabine {{ $labels.cabin }}' in block, name
        description = block.split("description: >-", 1)[1]
        assert " / " in description, f"{name}: description in French / English"


def test_the_rules_name_only_metrics_that_exist(
    kiosk_metrics: dict[str, dict[str, set[str]]],
) -> None:
    expressions = rule_expressions(RULES.read_text(encoding="utf-8"))
    check_names(expressions, kiosk_metrics)
    used = set().union(*(metric_names(e) for e in expressions.values()))
    assert {"cabine_device_state", "cabine_printer_problem", "up"} <= used


def test_the_name_check_catches_a_typo(kiosk_metrics: dict[str, dict[str, set[str]]]) -> None:
    with pytest.raises(AssertionError, match="no such metric"):
        check_names({"x": 'cabine_device_sate{state="fault"} == 1'}, kiosk_metrics)
    with pytest.raises(AssertionError, match="paper_empty"):
        check_names({"x": 'cabine_printer_problem{reason="paper_empty"} == 1'}, kiosk_metrics)
    assert metric_names(
        'count(max by (cabin) (max_over_time(up{job="k"}[7d])) unless on (cabin) ALERTS)'
        " or vector(0)"
    ) == {"up", "ALERTS"}


def test_the_configs_are_valid() -> None:
    central = promtool("check", "config", PROMETHEUS_DIR / "prometheus-example.yml")
    assert central.returncode == 0, central.stdout + central.stderr
    assert "1 rule files found" in central.stdout  # the alert rules, next to it
    agent = promtool("check", "config", "--agent", PROMETHEUS_DIR / "cabine-agent.yml")
    assert agent.returncode == 0, agent.stdout + agent.stderr
    text = (PROMETHEUS_DIR / "cabine-agent.yml").read_text(encoding="utf-8")
    # The agent scrapes the loopback ports the kiosk and node_exporter serve on.
    assert '"127.0.0.1:9108"' in text and '"127.0.0.1:9100"' in text
    assert "job_name: cabine-kiosk" in text and "job_name: node" in text


# -- the kiosk's printer reason -------------------------------------------------------------
def test_the_printer_problem_is_a_metric_with_bounded_reasons() -> None:
    assert set(PRINTER_PROBLEMS) <= {r.value for r in PrinterReason}
    for reason in PrinterReason:
        state, detail = printer_health(type("E", (), {"reason": reason})())
        if state is PrinterState.STOPPED:
            assert detail in PRINTER_PROBLEMS, reason

    monitor = HealthMonitor(cabin_id="c1")

    def problems() -> dict[str, float]:
        (family,) = (f for f in monitor.registry.collect() if f.name == "cabine_printer_problem")
        return {s.labels["reason"]: s.value for s in family.samples}

    monitor.set_printer(PrinterState.STOPPED, "paper_out")
    assert problems() == {r: float(r == "paper_out") for r in PRINTER_PROBLEMS}
    monitor.set_printer(PrinterState.STOPPED, "disabled since Mon Nov 23 18:30:02 2026 -")
    assert set(problems().values()) == {0.0}  # lpstat's free text is no label
    monitor.set_printer(PrinterState.IDLE, "")
    assert set(problems().values()) == {0.0}


# -- the dashboard --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dashboard() -> dict[str, object]:
    loaded = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _panels(dashboard: dict[str, object]) -> list[dict[str, object]]:
    panels = dashboard["panels"]
    assert isinstance(panels, list)
    return panels


def _expressions(dashboard: dict[str, object]) -> dict[str, str]:
    return {
        f"panel {p['title']} {t['refId']}": t["expr"]
        for p in _panels(dashboard)
        for t in p["targets"]  # type: ignore[attr-defined]
    }


def test_the_dashboard_is_one_grafana_imports(dashboard: dict[str, object]) -> None:
    assert dashboard["uid"] == "cabine-fleet" and dashboard["title"]
    assert isinstance(dashboard["schemaVersion"], int) and dashboard["schemaVersion"] >= 36
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}  # type: ignore[index]
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    cabin = variables["cabin"]
    assert cabin["type"] == "query" and cabin["multi"] and cabin["includeAll"]
    assert "label_values(" in cabin["definition"] and "cabin)" in cabin["definition"]
    ids = [p["id"] for p in _panels(dashboard)]
    assert len(ids) == len(set(ids))
    for panel in _panels(dashboard):
        # The datasource is the variable, so an import needs no editing.
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel
        grid = panel["gridPos"]
        assert isinstance(grid, dict) and grid["x"] + grid["w"] <= 24 and grid["h"] > 0
        assert panel["type"] in {"stat", "table", "timeseries", "state-timeline"}
        for target in panel["targets"]:  # type: ignore[attr-defined]
            assert 'cabin=~"$cabin"' in target["expr"], (panel["title"], target["expr"])


def test_the_dashboards_queries_are_valid_promql(
    dashboard: dict[str, object], tmp_path: Path
) -> None:
    # promtool parses recording rules' PromQL; YAML reads JSON.
    rules = [
        {"record": f"dashboard:query_{i}", "expr": expr.replace("$cabin", ".*")}
        for i, expr in enumerate(_expressions(dashboard).values())
    ]
    file = tmp_path / "dashboard-queries.yml"
    file.write_text(json.dumps({"groups": [{"name": "dashboard", "rules": rules}]}))
    done = promtool("check", "rules", file)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_dashboard_shows_what_operators_watch(
    dashboard: dict[str, object], kiosk_metrics: dict[str, dict[str, set[str]]]
) -> None:
    expressions = _expressions(dashboard)
    check_names(expressions, kiosk_metrics)
    used = set().union(*(metric_names(e) for e in expressions.values()))
    assert {
        "up",  # cabins online
        "cabine_device_state",  # instruments
        "cabine_printer_state",
        "node_filesystem_avail_bytes",
        "node_timex_offset_seconds",
        "cabine_session_active",
    } <= used
