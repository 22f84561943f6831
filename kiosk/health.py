"""Fleet health without patient data: what a technician, Prometheus and the portal may know.

A :class:`HealthMonitor` holds the cabin's device and printer states (set by the runtime and
the self-tests) and measures uptime and free disk when asked. It gives a :class:`Heartbeat`
for the portal and serves Prometheus metrics on a loopback port (``--metrics-port``).
Nothing here ever holds a name, a NIR, a reading or a document: ids, states and counts only.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import __version__
from kiosk.errors import CabineError
from kiosk.logs import NIR_PATTERN

if TYPE_CHECKING:
    from wsgiref.simple_server import WSGIServer

    from prometheus_client import CollectorRegistry
    from prometheus_client.core import Metric

    from kiosk.config import Config
    from kiosk.selftest import CheckResult

log = logging.getLogger(__name__)

METRICS_PORT_ENV = "CABINE_METRICS_PORT"
#: A state's detail is a short technical reason ("no reply in 5 s"), never free text.
MAX_DETAIL = 120
WITHHELD = "[withheld]"


class HealthError(CabineError):
    """The health endpoint was asked for something it must not do (a public address...)."""


class DeviceState(StrEnum):
    OK = "ok"
    MISSING = "missing"  # configured but not found (unplugged, not paired)
    FAULT = "fault"  # found but failing (driver error, self-test failed)
    UNKNOWN = "unknown"  # not checked yet


#: The reasons a stopped printer reports (drivers.printer.errors.PrinterReason's values), as
#: ``cabine_printer_problem``'s bounded label set: lpstat's free text never becomes a label.
PRINTER_PROBLEMS = (
    "paper_out",
    "paper_jam",
    "offline",
    "stopped",
    "not_accepting",
    "job_aborted",
    "timeout",
)


class PrinterState(StrEnum):
    IDLE = "idle"
    PRINTING = "printing"
    STOPPED = "stopped"  # CUPS stopped the queue: jam, no paper, offline
    MISSING = "missing"  # no such queue
    UNKNOWN = "unknown"  # CUPS did not answer


def clean_detail(text: str) -> str:
    """One short line; anything shaped like a NIR is withheld, the rest cut to length."""
    line = " ".join(text.split())
    if NIR_PATTERN.search(line):
        return WITHHELD
    return line[:MAX_DETAIL]


@dataclass(frozen=True)
class DeviceHealth:
    device_id: str
    kind: str
    state: DeviceState
    detail: str = ""

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "state": self.state.value, "detail": self.detail}


@dataclass(frozen=True)
class Heartbeat:
    """One snapshot of the cabin's health; :meth:`to_json` is what the fleet sees."""

    cabin_id: str
    version: str
    sent_at: datetime
    uptime_s: float
    system_uptime_s: float | None
    disk: Mapping[str, tuple[int, int]]  # path -> (free bytes, total bytes)
    devices: tuple[DeviceHealth, ...]
    printer: PrinterState
    printer_detail: str
    session_state: str

    def to_json(self) -> dict[str, Any]:
        return {
            "cabin_id": self.cabin_id,
            "version": self.version,
            "sent_at": self.sent_at.isoformat(timespec="seconds"),
            "uptime_s": round(self.uptime_s, 1),
            "system_uptime_s": (
                None if self.system_uptime_s is None else round(self.system_uptime_s, 1)
            ),
            "disk": {p: {"free_bytes": f, "total_bytes": t} for p, (f, t) in self.disk.items()},
            "devices": {d.device_id: d.to_json() for d in self.devices},
            "printer": {"state": self.printer.value, "detail": self.printer_detail},
            "session_state": self.session_state,
        }

    def to_message(self, accepted: Iterable[str] | None = None) -> dict[str, Any]:
        """The ``heartbeat`` signalling message the portal gets: each device's state word,
        the version, the uptime, the printer's state and CUPS's reason.

        ``accepted`` defaults to the fields of ``protocol``'s ``heartbeat`` schema, so
        the message never carries a field the portal would refuse.
        """
        if accepted is None:
            from protocol import SIGNAL_SCHEMAS

            accepted = SIGNAL_SCHEMAS["heartbeat"].keys()
        fields: dict[str, Any] = {
            "devices": {d.device_id: d.state.value for d in self.devices},
            "version": self.version[:32],
            "uptime_s": round(self.uptime_s, 1),
            "printer": self.printer.value,
            "printer_detail": self.printer_detail,
        }
        return {"type": "heartbeat", **{k: fields[k] for k in accepted if k in fields}}


def system_uptime(path: Path = Path("/proc/uptime")) -> float | None:
    try:
        return float(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


class HealthMonitor:
    """The cabin's health, kept up to date by the runtime; thread-safe."""

    def __init__(
        self,
        *,
        cabin_id: str,
        version: str = __version__,
        disk_paths: Sequence[str | os.PathLike[str]] = ("/",),
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.cabin_id = cabin_id
        self.version = version
        self.disk_paths = tuple(Path(p) for p in disk_paths)
        self._clock = clock
        self._wall_clock = wall_clock
        self._started = clock()
        self._lock = threading.Lock()
        self._devices: dict[str, DeviceHealth] = {}
        self._printer = (PrinterState.UNKNOWN, "")
        self._session_state = "idle"
        self._registry: CollectorRegistry | None = None

    @property
    def registry(self) -> CollectorRegistry:
        """The Prometheus registry of this monitor's metrics, made when first served:
        a cabin without ``--metrics-port`` never loads prometheus_client (about 12 MB)."""
        if self._registry is None:
            from prometheus_client import CollectorRegistry

            self._registry = CollectorRegistry(auto_describe=True)
            self._registry.register(_Collector(self))
        return self._registry

    # -- updates from the runtime ---------------------------------------------------------
    def set_device(self, device_id: str, kind: str, state: DeviceState, detail: str = "") -> None:
        entry = DeviceHealth(device_id, kind, DeviceState(state), clean_detail(detail))
        with self._lock:
            previous = self._devices.get(device_id)
            self._devices[device_id] = entry
        if previous is None or previous.state != entry.state:
            log.info("health: device %s is %s", device_id, entry.state.value)

    def set_printer(self, state: PrinterState, detail: str = "") -> None:
        with self._lock:
            self._printer = (PrinterState(state), clean_detail(detail))

    def set_session_state(self, state: str) -> None:
        """The session machine's state name (``idle``, ``in_call``...): no patient data."""
        with self._lock:
            self._session_state = str(state)

    def device_states(self) -> dict[str, str]:
        """Each device's state word, for the portal's heartbeat."""
        with self._lock:
            return {d.device_id: d.state.value for d in self._devices.values()}

    def fleet_fields(self) -> dict[str, Any]:
        """What the portal's heartbeat carries besides the devices (see
        :meth:`Heartbeat.to_message`): version, uptime, printer."""
        message = self.heartbeat().to_message()
        return {k: v for k, v in message.items() if k not in ("type", "devices")}

    def update_from_selftest(self, checks: Iterable[Any], kinds: Mapping[str, str]) -> None:
        """Take device states from ``kiosk selftest`` results named ``device:<id>``."""
        for check in checks:
            name = getattr(check, "name", "")
            if not name.startswith("device:"):
                continue
            device_id = name.split(":", 1)[1]
            state = DeviceState.OK if check.ok else DeviceState.FAULT
            self.set_device(device_id, kinds.get(device_id, ""), state, check.detail)

    # -- reading ------------------------------------------------------------------------
    def disk(self) -> dict[str, tuple[int, int]]:
        usage: dict[str, tuple[int, int]] = {}
        for path in self.disk_paths:
            try:
                du = shutil.disk_usage(path)
            except OSError as exc:
                log.warning("health: cannot read free space of %s: %s", path, exc)
                continue
            usage[str(path)] = (du.free, du.total)
        return usage

    def heartbeat(self) -> Heartbeat:
        with self._lock:
            devices = tuple(sorted(self._devices.values(), key=lambda d: d.device_id))
            printer, printer_detail = self._printer
            session_state = self._session_state
        return Heartbeat(
            cabin_id=self.cabin_id,
            version=self.version,
            sent_at=self._wall_clock(),
            uptime_s=self._clock() - self._started,
            system_uptime_s=system_uptime(),
            disk=self.disk(),
            devices=devices,
            printer=printer,
            printer_detail=printer_detail,
            session_state=session_state,
        )


class _Collector:
    """Prometheus metrics computed at scrape time from the monitor's heartbeat (a collector
    as prometheus_client's registry takes them: anything with ``collect``)."""

    def __init__(self, monitor: HealthMonitor) -> None:
        self.monitor = monitor

    def collect(self) -> Iterator[Metric]:
        from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily

        hb = self.monitor.heartbeat()
        info = InfoMetricFamily("cabine_build", "Cabine version on this cabin")
        info.add_metric([], {"version": hb.version, "cabin": hb.cabin_id})
        yield info
        yield GaugeMetricFamily(
            "cabine_uptime_seconds", "Seconds since the kiosk started", value=hb.uptime_s
        )
        if hb.system_uptime_s is not None:
            yield GaugeMetricFamily(
                "cabine_system_uptime_seconds", "Seconds since boot", value=hb.system_uptime_s
            )
        free = GaugeMetricFamily(
            "cabine_disk_free_bytes", "Free bytes on the file system", labels=["path"]
        )
        total = GaugeMetricFamily(
            "cabine_disk_total_bytes", "Size of the file system", labels=["path"]
        )
        for path, (f, t) in hb.disk.items():
            free.add_metric([path], f)
            total.add_metric([path], t)
        yield free
        yield total
        up = GaugeMetricFamily(
            "cabine_device_up", "1 when the instrument is ok", labels=["device", "kind"]
        )
        state = GaugeMetricFamily(
            "cabine_device_state",
            "1 for the instrument's current state",
            labels=["device", "kind", "state"],
        )
        for d in hb.devices:
            up.add_metric([d.device_id, d.kind], 1.0 if d.state is DeviceState.OK else 0.0)
            for s in DeviceState:
                state.add_metric([d.device_id, d.kind, s.value], 1.0 if s is d.state else 0.0)
        yield up
        yield state
        printer = GaugeMetricFamily(
            "cabine_printer_state", "1 for the printer's current state", labels=["state"]
        )
        for p in PrinterState:
            printer.add_metric([p.value], 1.0 if p is hb.printer else 0.0)
        yield printer
        # The reason apart, so that "out of paper" sends someone with paper, not a technician.
        problem = GaugeMetricFamily(
            "cabine_printer_problem",
            "1 for the reason the printer stopped (none when it prints)",
            labels=["reason"],
        )
        stopped = hb.printer is PrinterState.STOPPED
        for reason in PRINTER_PROBLEMS:
            problem.add_metric([reason], 1.0 if stopped and hb.printer_detail == reason else 0.0)
        yield problem
        yield GaugeMetricFamily(
            "cabine_session_active",
            "1 while a patient session is open (no other session detail)",
            value=0.0 if hb.session_state == "idle" else 1.0,
        )


# -- printer state from CUPS ------------------------------------------------------------
def parse_lpstat(text: str, queue: str) -> tuple[PrinterState, str]:
    """The state of ``queue`` from ``lpstat -p QUEUE`` output (English or C locale)."""
    for line in text.splitlines():
        words = line.split()
        if len(words) < 3 or words[0] != "printer" or words[1] != queue:
            continue
        rest = " ".join(words[2:])
        if rest.startswith("is idle"):
            return PrinterState.IDLE, ""
        if rest.startswith("now printing"):
            return PrinterState.PRINTING, ""
        if "disabled" in rest:
            return PrinterState.STOPPED, clean_detail(rest)
        return PrinterState.UNKNOWN, clean_detail(rest)
    return PrinterState.MISSING, f"no queue {queue!r}"


def query_printer(
    queue: str, *, timeout: float = 5.0, env: Mapping[str, str] | None = None
) -> tuple[PrinterState, str]:
    """Ask CUPS (``lpstat``) for a queue's state; never raises."""
    import subprocess  # here: every ``kiosk`` command imports this module for its option

    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return PrinterState.UNKNOWN, "lpstat not installed"
    run_env = {**(os.environ if env is None else env), "LC_ALL": "C"}
    try:
        # Without a scheduler lpstat calls every queue unknown: ask whether it runs first.
        scheduler = subprocess.run(
            [lpstat, "-r"],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env=run_env,
        )
        if "is running" not in scheduler.stdout:
            return PrinterState.UNKNOWN, "CUPS scheduler is not running"
        done = subprocess.run(
            [lpstat, "-p", queue],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env=run_env,
        )
    except subprocess.TimeoutExpired:
        return PrinterState.UNKNOWN, f"CUPS did not answer in {timeout:g} s"
    except OSError as exc:
        return PrinterState.UNKNOWN, clean_detail(str(exc))
    if done.returncode != 0:
        error = done.stderr.strip()
        if "Invalid destination name" in error or "Unknown destination" in error:
            return PrinterState.MISSING, f"no queue {queue!r}"
        return PrinterState.UNKNOWN, clean_detail(error or f"lpstat exited {done.returncode}")
    return parse_lpstat(done.stdout, queue)


# -- the metrics endpoint ----------------------------------------------------------------
def metrics_port(value: str) -> int:
    """argparse type for ``--metrics-port``: 0 (off) or 1-65535."""
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0 (off) or 1-65535, not {port}")
    return port


def add_metrics_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--metrics-port PORT`` (default ``$CABINE_METRICS_PORT``, else 0 = off)."""
    # A text default goes through ``metrics_port`` when the arguments are parsed: a bad
    # variable is a usage error of the command, not a crash while its parser is built.
    default = os.environ.get(METRICS_PORT_ENV, "").strip() or "0"
    parser.add_argument(
        "--metrics-port",
        metavar="PORT",
        type=metrics_port,
        default=default,
        help=(
            "serve Prometheus metrics on 127.0.0.1:PORT "
            f"(default ${METRICS_PORT_ENV}, else 0 = off)"
        ),
    )


@dataclass
class MetricsServer:
    """A running endpoint; :meth:`close` stops its thread and frees the port."""

    host: str
    port: int
    _server: WSGIServer = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/metrics"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def serve_metrics(monitor: HealthMonitor, *, port: int, host: str = "127.0.0.1") -> MetricsServer:
    """Serve the monitor's metrics on a loopback address (port 0 picks a free port)."""
    import ipaddress

    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise HealthError(
            f"metrics are served on a loopback address only, not {host!r} "
            "(reach them over SSH: ssh -L PORT:127.0.0.1:PORT cabin)"
        )
    from prometheus_client import start_http_server

    try:
        server, thread = start_http_server(port, addr=host, registry=monitor.registry)
    except OSError as exc:
        raise HealthError(f"cannot serve metrics on {host}:{port}: {exc}") from exc
    thread.name = "metrics-http"
    bound = server.server_address[1]
    log.info("health: metrics on http://%s:%d/metrics", host, bound)
    return MetricsServer(host, int(bound), server, thread)


def start_from_args(args: argparse.Namespace, monitor: HealthMonitor) -> MetricsServer | None:
    """Start the endpoint when ``--metrics-port`` asked for one."""
    port = getattr(args, "metrics_port", 0)
    if not port:
        return None
    return serve_metrics(monitor, port=port)


# -- the technician's self-test ------------------------------------------------------------
#: Below this much free space a cabin cannot be updated safely (a release is ~600 MB).
MIN_FREE_BYTES = 2 * 1024**3


def check_disk(cfg: Config) -> Iterator[CheckResult]:
    """``kiosk selftest`` check: free space on the system disk."""
    from kiosk.selftest import CheckResult  # selftest imports this module

    for path in ("/",):
        try:
            usage = shutil.disk_usage(path)
        except OSError as exc:
            yield CheckResult(f"disk:{path}", False, f"cannot read free space: {exc}")
            continue
        free_gib = usage.free / 1024**3
        ok = usage.free >= MIN_FREE_BYTES
        advice = "" if ok else f" (below {MIN_FREE_BYTES // 1024**3} GiB: remove old releases)"
        yield CheckResult(f"disk:{path}", ok, f"{free_gib:.1f} GiB free{advice}")
