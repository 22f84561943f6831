"""A simulated BlueZ on a private D-Bus bus, so bleak's real BlueZ backend meets instruments.

:class:`DBusDaemon` runs a private ``dbus-daemon`` (our own config file; started and stopped
by PID); :class:`BlueZSimulator` owns ``org.bluez`` on it from a named thread with its own
event loop and serves the objects bleak reads: ObjectManager, Adapter1, Device1,
GattService1 and GattCharacteristic1 (Properties, InterfacesAdded/Removed, PropertiesChanged).
Each simulated instrument indicates the exact bytes of its health profile.

Why dbus-fast and not python-dbusmock: dbus-fast is already installed with bleak (no
compiling of dbus-python), speaks asyncio, and lets us answer each call ourselves (GATT,
pairing, faults) instead of patching a template whose ManufacturerData type breaks bleak.

Faults (:class:`Fault`) are armed per device with a count: ``connect_fail``,
``never_resolve``, ``link_drop`` (before the measurement is indicated), ``pairing_refused``,
``bond_lost``. A device spec can also hide it (``advertising = false``: not found), re-send
its stored records on every connection (``resend_stored``), keep a wrong clock
(``clock_offset`` without Current Time), or send raw bytes (a malformed payload).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from dbus_fast import BusType, DBusError, Message, MessageType, Variant
from dbus_fast.aio import MessageBus

from drivers.ble import gatt as g
from drivers.ieee11073 import DateTime, Number, Special
from drivers.ptysim import ScriptError, Step, load_script
from drivers.types import Unit

log = logging.getLogger(__name__)

T = TypeVar("T")

BLUEZ = "org.bluez"
ADAPTER_PATH = "/org/bluez/hci0"
ADAPTER = "org.bluez.Adapter1"
DEVICE = "org.bluez.Device1"
SERVICE = "org.bluez.GattService1"
CHARACTERISTIC = "org.bluez.GattCharacteristic1"
PROPERTIES = "org.freedesktop.DBus.Properties"
OBJECT_MANAGER = "org.freedesktop.DBus.ObjectManager"

#: D-Bus type of every property this simulator serves.
PROP_TYPES = {
    "Address": "s",
    "UUID": "s",
    "AddressType": "s",
    "Name": "s",
    "Alias": "s",
    "Class": "u",
    "Powered": "b",
    "Discoverable": "b",
    "Pairable": "b",
    "Discovering": "b",
    "Roles": "as",
    "UUIDs": "as",
    "Adapter": "o",
    "Paired": "b",
    "Bonded": "b",
    "Trusted": "b",
    "Blocked": "b",
    "LegacyPairing": "b",
    "Connected": "b",
    "ServicesResolved": "b",
    "RSSI": "n",
    "Device": "o",
    "Primary": "b",
    "Includes": "ao",
    "Handle": "q",
    "Service": "o",
    "Value": "ay",
    "Notifying": "b",
    "Flags": "as",
    "MTU": "q",
}

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class SimulatorError(RuntimeError):
    """The simulated BlueZ could not start or was driven wrongly; the message says which."""


def _variants(props: Mapping[str, Any]) -> dict[str, Variant]:
    return {name: Variant(PROP_TYPES[name], value) for name, value in props.items()}


class DBusDaemon:
    """A private ``dbus-daemon`` with its own config file, stopped by PID."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.socket = directory / "system_bus_socket"
        self.config = directory / "bus.conf"
        self.address = ""
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def start(self, *, timeout: float = 5.0) -> str:
        binary = shutil.which("dbus-daemon")
        if binary is None:
            raise SimulatorError("dbus-daemon not found: install the Debian package 'dbus'")
        self.config.write_text(BUS_CONFIG.format(socket=self.socket), encoding="utf-8")
        self._proc = subprocess.Popen(
            [
                binary,
                f"--config-file={self.config}",
                "--nofork",
                "--nopidfile",
                "--print-address=1",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert self._proc.stdout is not None
        deadline = time.monotonic() + timeout
        line = b""
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self._proc.stdout], [], [], max(0.0, remaining))
            chunk = os.read(self._proc.stdout.fileno(), 4096) if ready else b""
            if not chunk:
                err = self._stderr()
                self.stop()
                raise SimulatorError(f"dbus-daemon did not start: {err}")
            line += chunk
        self.address = line.decode().strip()
        log.info("ble sim: dbus-daemon pid %s on %s", self._proc.pid, self.socket)
        return self.address

    def _stderr(self) -> str:
        proc = self._proc
        if proc is None or proc.stderr is None:
            return "no answer"
        try:
            proc.wait(timeout=1.0)  # stdout closed: it is exiting, its reason is on stderr
        except subprocess.TimeoutExpired:
            return "no answer"
        return proc.stderr.read().decode(errors="replace").strip() or f"exit {proc.returncode}"

    def stop(self, *, timeout: float = 5.0) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=timeout)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


class Profile(StrEnum):
    BLOOD_PRESSURE = "blood_pressure"
    THERMOMETER = "thermometer"
    WEIGHT = "weight"
    PULSE_OXIMETER = "pulse_oximeter"


class Fault(StrEnum):
    CONNECT_FAIL = "connect_fail"  # Connect/Pair answers org.bluez.Error.Failed
    NEVER_RESOLVE = "never_resolve"  # connected, but ServicesResolved never comes
    LINK_DROP = "link_drop"  # the link drops after subscription, before the indication
    PAIRING_REFUSED = "pairing_refused"  # Pair answers AuthenticationRejected
    BOND_LOST = "bond_lost"  # BlueZ holds a bond the device has forgotten (acts when armed)


#: Per profile: (service, [(characteristic, flags)]), and the characteristic of the result.
LAYOUTS: dict[Profile, list[tuple[int, list[tuple[int, list[str]]]]]] = {
    Profile.BLOOD_PRESSURE: [
        (
            g.BLOOD_PRESSURE_SERVICE,
            [
                (g.BLOOD_PRESSURE_MEASUREMENT, ["indicate"]),
                (g.INTERMEDIATE_CUFF_PRESSURE, ["notify"]),
                (0x2A49, ["read"]),
            ],
        )
    ],
    Profile.THERMOMETER: [
        (
            g.HEALTH_THERMOMETER_SERVICE,
            [(g.TEMPERATURE_MEASUREMENT, ["indicate"]), (g.INTERMEDIATE_TEMPERATURE, ["notify"])],
        )
    ],
    Profile.WEIGHT: [
        (g.WEIGHT_SCALE_SERVICE, [(g.WEIGHT_MEASUREMENT, ["indicate"]), (0x2A9E, ["read"])]),
        (g.BODY_COMPOSITION_SERVICE, [(g.BODY_COMPOSITION_MEASUREMENT, ["indicate"])]),
    ],
    Profile.PULSE_OXIMETER: [
        (
            g.PULSE_OXIMETER_SERVICE,
            [
                (g.PLX_SPOT_CHECK, ["indicate"]),
                (g.PLX_CONTINUOUS, ["notify"]),
                (0x2A60, ["read"]),
            ],
        )
    ],
}
MAIN_CHARACTERISTIC = {
    Profile.BLOOD_PRESSURE: g.BLOOD_PRESSURE_MEASUREMENT,
    Profile.THERMOMETER: g.TEMPERATURE_MEASUREMENT,
    Profile.WEIGHT: g.WEIGHT_MEASUREMENT,
    Profile.PULSE_OXIMETER: g.PLX_SPOT_CHECK,
}
DEFAULT_NAMES = {
    Profile.BLOOD_PRESSURE: "Sim BP",
    Profile.THERMOMETER: "Sim Thermo",
    Profile.WEIGHT: "Sim Scale",
    Profile.PULSE_OXIMETER: "Sim Oximeter",
}
DEFAULT_VALUES: dict[Profile, dict[str, Any]] = {
    Profile.BLOOD_PRESSURE: {"systolic": 120, "diastolic": 80, "map": 93, "pulse": 72},
    Profile.THERMOMETER: {"temperature": 37.2, "site": 9},
    Profile.WEIGHT: {"weight": 70.5},
    Profile.PULSE_OXIMETER: {"spo2": 97, "pulse": 64},
}
#: Script keys of a ``measure`` step, per profile (plus "nan", "time", "status", "cuff").
MEASURE_KEYS: dict[Profile, set[str]] = {
    Profile.BLOOD_PRESSURE: {
        "systolic",
        "diastolic",
        "map",
        "pulse",
        "status",
        "user",
        "kpa",
        "cuff",
    },
    Profile.THERMOMETER: {"temperature", "site", "fahrenheit"},
    Profile.WEIGHT: {"weight", "bmi", "height", "body_fat", "imperial"},
    Profile.PULSE_OXIMETER: {"spo2", "pulse", "pai", "search"},
}
COMMON_MEASURE_KEYS = {"nan", "time", "steps", "every"}
SPEC_KEYS = {
    "profile",
    "address",
    "name",
    "pairing",
    "racp",
    "current_time",
    "clock_offset",
    "resend_stored",
    "advertising",
    "interval_s",
    "auto_measure",
}


@dataclass(kw_only=True)
class DeviceSpec:
    """What a simulated instrument is; every field is also a ``[device]`` script key."""

    profile: Profile
    address: str = "C0:FF:EE:00:00:01"
    name: str = ""
    pairing: bool = False  # measurement characteristics need a bond (encrypted link)
    racp: bool = False  # stored records through the Record Access Control Point
    current_time: bool = True  # Current Time Service: a write sets the device clock
    clock_offset: float = 0.0  # device clock minus true time (s), until the host sets it
    resend_stored: int = 0  # each past record re-sent this many times on every connection
    advertising: bool = True  # False: the device is never found
    interval_s: float = 0.0  # pause between the notifications of one measurement
    auto_measure: bool = True  # nothing queued: a default measurement on each connection

    def __post_init__(self) -> None:
        self.profile = Profile(self.profile)
        self.address = self.address.upper()


@dataclass
class _Char:
    uuid: int
    flags: list[str]
    path: str
    value: bytes = b""
    notifying: bool = False


@dataclass
class _Pending:
    """One measurement waiting for the host: profile values, or raw bytes."""

    values: dict[str, Any] = field(default_factory=dict)
    raw: bytes | None = None


class SimDevice:
    """One simulated instrument; lives on the simulator's loop (use the simulator's methods)."""

    def __init__(self, sim: BlueZSimulator, spec: DeviceSpec) -> None:
        self.sim = sim
        self.spec = spec
        self.path = f"{ADAPTER_PATH}/dev_{spec.address.replace(':', '_')}"
        self.exported = False
        self.connected = False
        self.resolved = False
        self.host_paired = False
        self.bonded = False
        self.clock_offset = spec.clock_offset
        self.faults: dict[Fault, int] = {}
        self.pending: deque[_Pending] = deque()
        self.history: list[tuple[int, bytes]] = []  # every record indicated, for resend_stored
        self.sent: list[tuple[int, bytes, float]] = []  # (uuid, bytes, monotonic) for benches
        self.writes: list[tuple[int, bytes]] = []
        self.racp_busy = False
        self.silent_until = 0.0
        self.subscribed_at = 0.0  # monotonic time of the last subscription to the record
        self.noise = False
        self.last_stamp: datetime | None = None
        self._session: asyncio.Task[None] | None = None
        self.chars: dict[int, _Char] = {}
        self.services: list[tuple[str, int, list[_Char]]] = []
        self._layout()

    def _layout(self) -> None:
        layout = list(LAYOUTS[self.spec.profile])
        if self.spec.racp:
            service, chars = layout[0]
            layout[0] = (service, [*chars, (g.RECORD_ACCESS_CONTROL_POINT, ["write", "indicate"])])
        if self.spec.current_time:
            layout.append((g.CURRENT_TIME_SERVICE, [(g.CURRENT_TIME, ["read", "write", "notify"])]))
        layout.append(
            (
                g.DEVICE_INFORMATION_SERVICE,
                [(g.MANUFACTURER_NAME, ["read"]), (g.MODEL_NUMBER, ["read"])],
            )
        )
        handle = 0x0010
        for service, chars in layout:
            service_path = f"{self.path}/service{handle:04x}"
            handle += 1
            items: list[_Char] = []
            for uuid, flags in chars:
                char = _Char(uuid, flags, f"{service_path}/char{handle:04x}")
                handle += 2
                items.append(char)
                self.chars[uuid] = char
            self.services.append((service_path, service, items))
        self.chars[g.MANUFACTURER_NAME].value = b"Cabine Simulators"
        self.chars[g.MODEL_NUMBER].value = self.spec.profile.value.encode()

    @property
    def main(self) -> int:
        return MAIN_CHARACTERISTIC[self.spec.profile]

    def take_fault(self, fault: Fault) -> bool:
        left = self.faults.get(fault, 0)
        if left <= 0:
            return False
        self.faults[fault] = left - 1
        return True

    def device_now(self) -> datetime:
        return datetime.now() + timedelta(seconds=self.clock_offset)

    def device_props(self) -> dict[str, Any]:
        name = self.spec.name or DEFAULT_NAMES[self.spec.profile]
        return {
            "Address": self.spec.address,
            "AddressType": "public",
            "Name": name,
            "Alias": name,
            "Adapter": ADAPTER_PATH,
            "Paired": self.host_paired,
            "Bonded": self.host_paired,
            "Trusted": False,
            "Blocked": False,
            "LegacyPairing": False,
            "Connected": self.connected,
            "ServicesResolved": self.resolved,
            "UUIDs": [g.uuid16(s) for _p, s, _c in self.services],
            "RSSI": -52,
        }

    # -- payloads ----------------------------------------------------------------------

    def encode(self, pending: _Pending) -> tuple[list[tuple[int, bytes]], bytes]:
        """(notifications before the record, the record) for one measurement."""
        v = {**DEFAULT_VALUES[self.spec.profile], **pending.values}
        nan = bool(v.get("nan", False))
        now = self.device_now().replace(microsecond=0)
        if self.last_stamp is not None and now <= self.last_stamp:
            now = self.last_stamp + timedelta(seconds=1)  # one record per second at most
        self.last_stamp = now
        stamp: DateTime | None = DateTime.from_datetime(now)
        if v.get("time") is False:
            stamp = None
        elif v.get("time") == "unknown":
            stamp = DateTime(0, 0, 0, 0, 0, 0)
        elif isinstance(v.get("time"), str):
            stamp = DateTime.from_datetime(datetime.fromisoformat(v["time"]))

        def num(name: str) -> Number:
            return Special.NAN if nan else float(v[name])

        before: list[tuple[int, bytes]] = []
        profile = self.spec.profile
        steps = int(v["steps"]) if "steps" in v else None
        if profile is Profile.BLOOD_PRESSURE:
            unit = Unit.KPA if v.get("kpa") else Unit.MM_HG
            ramp = [20 + 160 * i // steps for i in range(steps)] if steps is not None else None
            for pressure in ramp or v.get("cuff", (60, 120, 160)):
                cuff = g.BloodPressure(unit, float(pressure), Special.NAN, Special.NAN)
                before.append((g.INTERMEDIATE_CUFF_PRESSURE, g.encode_blood_pressure(cuff)))
            record = g.encode_blood_pressure(
                g.BloodPressure(
                    unit,
                    num("systolic"),
                    num("diastolic"),
                    num("map"),
                    stamp,
                    num("pulse"),
                    v.get("user"),
                    v.get("status"),
                ),
                exponent=-1 if v.get("kpa") else 0,
            )
        elif profile is Profile.THERMOMETER:
            unit = Unit.FAHRENHEIT if v.get("fahrenheit") else Unit.CELSIUS
            for i in range(steps or 0):
                rising = g.Temperature(unit, round(34 + i * 0.01, 2), intermediate=True)
                before.append((g.INTERMEDIATE_TEMPERATURE, g.encode_temperature(rising)))
            record = g.encode_temperature(
                g.Temperature(unit, num("temperature"), stamp, v.get("site"))
            )
        elif profile is Profile.WEIGHT:
            imperial = bool(v.get("imperial"))
            weight = None if nan else float(v["weight"])
            for _ in range(steps or 0):  # impedance still being measured: no value yet
                waiting = g.BodyComposition(imperial, None)
                before.append((g.BODY_COMPOSITION_MEASUREMENT, g.encode_body_composition(waiting)))
            if "body_fat" in v:
                composition = g.BodyComposition(
                    imperial, None if nan else float(v["body_fat"]), stamp, weight=weight
                )
                before.append(
                    (g.BODY_COMPOSITION_MEASUREMENT, g.encode_body_composition(composition))
                )
            record = g.encode_weight(
                g.Weight(imperial, weight, stamp, None, v.get("bmi"), v.get("height"))
            )
        else:
            for _ in range(steps if steps is not None else int(v.get("search", 2))):
                searching = g.PlxContinuous(Special.NAN, Special.NAN)
                before.append((g.PLX_CONTINUOUS, g.encode_plx_continuous(searching)))
            pai = float(v["pai"]) if "pai" in v else None
            record = g.encode_plx_spot_check(
                g.PlxSpotCheck(num("spo2"), num("pulse"), stamp, pai=pai)
            )
        return before, record


def _error(name: str, text: str) -> DBusError:
    return DBusError(name, text)


class BlueZSimulator:
    """``org.bluez`` on a private bus, served from the named thread ``ble-sim``.

    ``start()`` starts the daemon (unless given an address) and returns the bus address to put
    in ``DBUS_SYSTEM_BUS_ADDRESS``; ``stop()`` stops both. Every public method is thread-safe.
    """

    #: Seconds between two advertisements of a device while the host scans.
    advertising_interval = 0.1

    def __init__(self, *, address: str = "", directory: Path | None = None) -> None:
        self.address = address
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._directory = directory
        self.daemon: DBusDaemon | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._bus: MessageBus | None = None
        self._objects: dict[str, dict[str, dict[str, Variant]]] = {}
        self.devices: dict[str, SimDevice] = {}
        self._by_char_path: dict[str, tuple[SimDevice, _Char]] = {}
        self.discovering = False
        self.calls: list[str] = []  # "Interface.Member path" of every call, for tests
        self._racp_waiters: dict[str, list[asyncio.Event]] = {}
        self._advert: asyncio.Handle | None = None

    # -- life cycle --------------------------------------------------------------------

    def start(self, *, timeout: float = 5.0) -> str:
        if not self.address:
            if self._directory is None:
                self._tmp = tempfile.TemporaryDirectory(prefix="cabine-ble-")
                self._directory = Path(self._tmp.name)
            self.daemon = DBusDaemon(self._directory)
            self.address = self.daemon.start(timeout=timeout)
        started = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self._connect())
            except BaseException as exc:  # reported to start() below
                failure.append(exc)
                started.set()
                loop.close()
                return
            started.set()
            loop.run_forever()
            loop.run_until_complete(self._disconnect())
            loop.close()

        self._thread = threading.Thread(target=run, name="ble-sim", daemon=True)
        self._thread.start()
        if not started.wait(timeout) or failure:
            self.stop()
            why = repr(failure[0]) if failure else "no answer"
            raise SimulatorError(f"simulated BlueZ could not own org.bluez: {why}")
        return self.address

    def stop(self, *, timeout: float = 5.0) -> None:
        loop, thread = self._loop, self._thread
        if loop is not None and thread is not None and thread.is_alive():
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout)
        self._thread = None
        self._loop = None
        if self.daemon is not None:
            self.daemon.stop(timeout=timeout)
            self.daemon = None
            self.address = ""
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
            self._directory = None

    def __enter__(self) -> BlueZSimulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def env(self) -> dict[str, str]:
        """What a client process needs in its environment to find this BlueZ."""
        return {"DBUS_SYSTEM_BUS_ADDRESS": self.address}

    async def _connect(self) -> None:
        bus = MessageBus(bus_address=self.address, bus_type=BusType.SYSTEM)
        await bus.connect()
        bus.add_message_handler(self._on_message)
        await bus.request_name(BLUEZ)
        self._bus = bus
        self._objects[ADAPTER_PATH] = {
            ADAPTER: _variants(
                {
                    "Address": "00:AA:01:00:00:01",
                    "AddressType": "public",
                    "Name": "cabine-sim",
                    "Alias": "cabine-sim",
                    "Class": 0,
                    "Powered": True,
                    "Discoverable": False,
                    "Pairable": True,
                    "Discovering": False,
                    "Roles": ["central", "peripheral"],
                    "UUIDs": [],
                }
            )
        }

    async def _disconnect(self) -> None:
        for device in self.devices.values():
            if device._session is not None:
                device._session.cancel()
        if self._bus is not None:
            self._bus.disconnect()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._bus.wait_for_disconnect(), 2.0)  # type: ignore[no-untyped-call]

    def _call(self, fn: Callable[[], T], *, timeout: float = 5.0) -> T:
        loop = self._loop
        if loop is None:
            raise SimulatorError("the simulated BlueZ is not running")

        async def run() -> T:
            return fn()

        return asyncio.run_coroutine_threadsafe(run(), loop).result(timeout)

    # -- public, thread-safe -----------------------------------------------------------

    def add_device(self, spec: DeviceSpec) -> None:
        self._call(lambda: self._add_device(spec))

    def remove_device(self, address: str) -> None:
        self._call(lambda: self._forget(self.devices.pop(address.upper())))

    def measure(self, address: str, **values: Any) -> None:
        """Queue a measurement; it is indicated when the host next subscribes."""
        self._call(lambda: self._device(address).pending.append(_Pending(values=values)))

    def send_raw(self, address: str, payload: bytes) -> None:
        """Queue raw bytes as the next measurement record (a malformed payload)."""
        self._call(lambda: self._device(address).pending.append(_Pending(raw=payload)))

    def arm(self, address: str, fault: Fault | str, count: int = 1) -> None:
        """Arm ``fault`` for its next ``count`` occasions (bond_lost acts at once)."""
        self._call(lambda: self._arm(self._device(address), Fault(fault), count))

    def _arm(self, device: SimDevice, fault: Fault, count: int) -> None:
        if fault is Fault.BOND_LOST:
            # the device forgot its keys (reset, or paired with a phone); BlueZ still has its
            device.bonded = False
            device.host_paired = True
            self._set(device.path, DEVICE, Paired=True, Bonded=True)
            return
        device.faults[fault] = count

    def unplug(self, address: str) -> None:
        """The device goes away: link dropped, no more advertisements."""

        def gone() -> None:
            device = self._device(address)
            device.spec.advertising = False
            if device.connected:
                self._drop(device)

        self._call(gone)

    def replug(self, address: str) -> None:
        """The device is back in range and advertises again."""

        def back() -> None:
            device = self._device(address)
            device.spec.advertising = True
            if self.discovering:
                self._advertise(device)

        self._call(back)

    def silence(self, address: str, seconds: float) -> None:
        """The device connects but sends nothing for ``seconds``."""
        until = time.monotonic() + seconds
        self._call(lambda: setattr(self._device(address), "silent_until", until))

    def set_noise(self, address: str, noise: bool = True) -> None:
        """From now on a truncated record precedes each record."""
        self._call(lambda: setattr(self._device(address), "noise", noise))

    def notify(self, address: str, uuid: int, payload: bytes) -> float:
        """Send one notification now if the host listens; returns its monotonic send time."""
        return self._call(lambda: self._notify(self._device(address), uuid, payload))

    def state(self, address: str) -> dict[str, Any]:
        """A snapshot for tests: connected, paired, writes, sent records, clock offset."""

        def snap() -> dict[str, Any]:
            d = self._device(address)
            return {
                "connected": d.connected,
                "resolved": d.resolved,
                "host_paired": d.host_paired,
                "bonded": d.bonded,
                "clock_offset": d.clock_offset,
                "writes": list(d.writes),
                "sent": list(d.sent),
                "pending": len(d.pending),
                "notifying": sorted(u for u, c in d.chars.items() if c.notifying),
                "subscribed_at": d.subscribed_at,
            }

        return self._call(snap)

    def play(self, spec: DeviceSpec, steps: Iterable[Step]) -> None:
        """Add ``spec``'s device and apply script steps: measure, raw, fault (+ count)."""
        checked = [check_step(spec.profile, step) for step in steps]
        self.add_device(spec)
        for step in checked:
            if "measure" in step:
                self.measure(spec.address, **step["measure"])
            elif "raw" in step:
                self.send_raw(spec.address, bytes.fromhex(step["raw"]))
            else:
                self.arm(spec.address, step["fault"], int(step.get("count", 1)))

    # -- objects -----------------------------------------------------------------------

    def _device(self, address: str) -> SimDevice:
        try:
            return self.devices[address.upper()]
        except KeyError:
            raise SimulatorError(f"no simulated device {address}") from None

    def _send(self, msg: Message) -> None:
        assert self._bus is not None
        self._bus.send(msg)

    def _export(self, path: str, interface: str, props: dict[str, Any]) -> None:
        variants = _variants(props)
        self._objects.setdefault(path, {})[interface] = variants
        self._send(
            Message.new_signal(
                path, OBJECT_MANAGER, "InterfacesAdded", "oa{sa{sv}}", [path, {interface: variants}]
            )
        )

    def _unexport(self, path: str) -> None:
        interfaces = self._objects.pop(path, None)
        if interfaces:
            self._send(
                Message.new_signal(
                    path, OBJECT_MANAGER, "InterfacesRemoved", "oas", [path, list(interfaces)]
                )
            )

    def _set(self, path: str, interface: str, **changes: Any) -> None:
        variants = _variants(changes)
        if path in self._objects:
            self._objects[path][interface].update(variants)
            self._send(
                Message.new_signal(
                    path, PROPERTIES, "PropertiesChanged", "sa{sv}as", [interface, variants, []]
                )
            )

    def _add_device(self, spec: DeviceSpec) -> None:
        if spec.address in self.devices:
            raise SimulatorError(f"device {spec.address} already simulated")
        device = SimDevice(self, spec)
        self.devices[spec.address] = device
        for _path, _uuid, chars in device.services:
            for char in chars:
                self._by_char_path[char.path] = (device, char)
        if self.discovering:
            self._advertise(device)

    def _advertise(self, device: SimDevice) -> None:
        if not device.spec.advertising:
            return
        if not device.exported:
            self._export(device.path, DEVICE, device.device_props())
            device.exported = True
        else:
            self._set(device.path, DEVICE, RSSI=-50 - len(device.sent) % 5)

    def _forget(self, device: SimDevice) -> None:
        """BlueZ drops the device object (RemoveDevice, or the device is gone)."""
        if device.connected:
            self._drop(device)
        for service_path, _uuid, chars in device.services:
            for char in chars:
                self._unexport(char.path)
            self._unexport(service_path)
        self._unexport(device.path)
        device.exported = False
        device.host_paired = False
        device.resolved = False

    def _resolve(self, device: SimDevice) -> None:
        if device.take_fault(Fault.NEVER_RESOLVE):
            log.info("ble sim %s: services will not resolve", device.spec.address)
            return
        for service_path, uuid, chars in device.services:
            if service_path in self._objects:
                continue  # BlueZ keeps the GATT database of a known device
            self._export(
                service_path,
                SERVICE,
                {
                    "UUID": g.uuid16(uuid),
                    "Device": device.path,
                    "Primary": True,
                    "Includes": [],
                    "Handle": int(service_path[-4:], 16),
                },
            )
            for char in chars:
                self._export(
                    char.path,
                    CHARACTERISTIC,
                    {
                        "UUID": g.uuid16(char.uuid),
                        "Service": service_path,
                        "Value": char.value,
                        "Notifying": char.notifying,
                        "Flags": char.flags,
                        "Handle": int(char.path[-4:], 16),
                        "MTU": 247,
                    },
                )
        device.resolved = True
        self._set(device.path, DEVICE, ServicesResolved=True)

    def _drop(self, device: SimDevice) -> None:
        device.connected = False
        device.resolved = False
        device.racp_busy = False
        if device._session is not None:
            device._session.cancel()
            device._session = None
        for char in device.chars.values():
            if char.notifying:
                char.notifying = False
                self._set(char.path, CHARACTERISTIC, Notifying=False)
        self._set(device.path, DEVICE, ServicesResolved=False, Connected=False)

    # -- D-Bus calls -------------------------------------------------------------------

    def _on_message(self, msg: Message) -> Message | bool | None:
        if msg.message_type is not MessageType.METHOD_CALL:
            return None
        key = f"{msg.interface}.{msg.member}"
        self.calls.append(f"{key} {msg.path}")
        handler = self._handlers().get(key)
        if handler is None:
            return None
        return handler(msg)

    def _handlers(self) -> dict[str, Callable[[Message], Message | bool]]:
        return {
            f"{OBJECT_MANAGER}.GetManagedObjects": self._get_managed_objects,
            f"{PROPERTIES}.Get": self._prop_get,
            f"{PROPERTIES}.GetAll": self._prop_get_all,
            f"{PROPERTIES}.Set": self._prop_set,
            f"{ADAPTER}.SetDiscoveryFilter": self._ok,
            f"{ADAPTER}.StartDiscovery": self._start_discovery,
            f"{ADAPTER}.StopDiscovery": self._stop_discovery,
            f"{ADAPTER}.RemoveDevice": self._remove_device,
            f"{DEVICE}.Connect": self._connect_device,
            f"{DEVICE}.Disconnect": self._disconnect_device,
            f"{DEVICE}.Pair": self._pair,
            f"{CHARACTERISTIC}.ReadValue": self._read_value,
            f"{CHARACTERISTIC}.WriteValue": self._write_value,
            f"{CHARACTERISTIC}.StartNotify": self._start_notify,
            f"{CHARACTERISTIC}.StopNotify": self._stop_notify,
        }

    @staticmethod
    def _ok(msg: Message) -> Message:
        return Message.new_method_return(msg)

    def _get_managed_objects(self, msg: Message) -> Message:
        return Message.new_method_return(msg, "a{oa{sa{sv}}}", [self._objects])

    def _interface_props(self, msg: Message) -> dict[str, Variant]:
        try:
            return self._objects[msg.path or ""][msg.body[0]]
        except KeyError:
            raise _error("org.freedesktop.DBus.Error.UnknownObject", str(msg.path)) from None

    def _prop_get(self, msg: Message) -> Message:
        props = self._interface_props(msg)
        try:
            return Message.new_method_return(msg, "v", [props[msg.body[1]]])
        except KeyError:
            raise _error("org.freedesktop.DBus.Error.InvalidArgs", msg.body[1]) from None

    def _prop_get_all(self, msg: Message) -> Message:
        return Message.new_method_return(msg, "a{sv}", [self._interface_props(msg)])

    def _prop_set(self, msg: Message) -> Message:
        interface, name, value = msg.body
        if interface != DEVICE or name != "Trusted":
            raise _error("org.freedesktop.DBus.Error.PropertyReadOnly", name)
        self._set(msg.path or "", DEVICE, Trusted=bool(value.value))
        return Message.new_method_return(msg)

    def _start_discovery(self, msg: Message) -> Message:
        if self.discovering:
            return Message.new_method_return(msg)
        self.discovering = True
        self._set(ADAPTER_PATH, ADAPTER, Discovering=True)
        assert self._loop is not None
        # the reply first, then the advertisements, as BlueZ does
        self._advert = self._loop.call_soon(self._advertise_all)
        return Message.new_method_return(msg)

    def _advertise_all(self) -> None:
        """Advertise now and again every :attr:`advertising_interval` while discovering."""
        if self.discovering:
            for device in self.devices.values():
                if not device.connected:
                    self._advertise(device)
            assert self._loop is not None
            self._advert = self._loop.call_later(self.advertising_interval, self._advertise_all)

    def _stop_discovery(self, msg: Message) -> Message:
        if not self.discovering:
            raise _error("org.bluez.Error.Failed", "No discovery started")
        self.discovering = False
        if self._advert is not None:
            self._advert.cancel()
            self._advert = None
        self._set(ADAPTER_PATH, ADAPTER, Discovering=False)
        return Message.new_method_return(msg)

    def _remove_device(self, msg: Message) -> Message:
        path = msg.body[0]
        device = next((d for d in self.devices.values() if d.path == path and d.exported), None)
        if device is None:
            raise _error("org.bluez.Error.DoesNotExist", "Does Not Exist")
        self._forget(device)
        return Message.new_method_return(msg)

    def _device_at(self, msg: Message) -> SimDevice:
        for device in self.devices.values():
            if device.path == msg.path and device.exported:
                return device
        raise _error("org.freedesktop.DBus.Error.UnknownObject", f"no device at {msg.path}")

    def _connect_device(self, msg: Message) -> Message:
        device = self._device_at(msg)
        if device.take_fault(Fault.CONNECT_FAIL):
            raise _error("org.bluez.Error.Failed", "le-connection-abort-by-remote")
        self._link_up(device)
        return Message.new_method_return(msg)

    def _link_up(self, device: SimDevice) -> None:
        if not device.connected:
            device.connected = True
            self._set(device.path, DEVICE, Connected=True)
            assert self._loop is not None
            self._loop.call_soon(self._resolve, device)

    def _disconnect_device(self, msg: Message) -> Message:
        device = self._device_at(msg)
        if device.connected:
            self._drop(device)
        return Message.new_method_return(msg)

    def _pair(self, msg: Message) -> Message:
        device = self._device_at(msg)
        if device.host_paired:
            raise _error("org.bluez.Error.AlreadyExists", "Already Exists")
        if device.take_fault(Fault.PAIRING_REFUSED):
            raise _error("org.bluez.Error.AuthenticationRejected", "Authentication Rejected")
        if device.take_fault(Fault.CONNECT_FAIL):
            raise _error("org.bluez.Error.ConnectionAttemptFailed", "Page Timeout")
        self._link_up(device)
        device.host_paired = True
        device.bonded = True
        self._set(device.path, DEVICE, Paired=True, Bonded=True)
        return Message.new_method_return(msg)

    def _char_at(self, msg: Message) -> tuple[SimDevice, _Char]:
        try:
            device, char = self._by_char_path[msg.path or ""]
        except KeyError:
            raise _error("org.freedesktop.DBus.Error.UnknownObject", str(msg.path)) from None
        if not device.connected:
            raise _error("org.bluez.Error.Failed", "Not connected")
        return device, char

    def _read_value(self, msg: Message) -> Message:
        _device, char = self._char_at(msg)
        if "read" not in char.flags:
            raise _error("org.bluez.Error.NotPermitted", "Read not permitted")
        return Message.new_method_return(msg, "ay", [char.value])

    def _write_value(self, msg: Message) -> Message:
        device, char = self._char_at(msg)
        if "write" not in char.flags:
            raise _error("org.bluez.Error.NotPermitted", "Write not permitted")
        data = bytes(msg.body[0])
        device.writes.append((char.uuid, data))
        if char.uuid == g.CURRENT_TIME:
            try:
                written = g.decode_current_time(data).time.to_datetime()
            except ValueError as exc:
                raise _error("org.bluez.Error.InvalidArguments", "Invalid Length") from exc
            if written is not None:
                device.clock_offset = (written - datetime.now()).total_seconds()
        elif char.uuid == g.RECORD_ACCESS_CONTROL_POINT:
            assert self._loop is not None
            self._loop.call_soon(self._racp, device, data)
        return Message.new_method_return(msg)

    def _protected(self, device: SimDevice, char: _Char) -> bool:
        return device.spec.pairing and char.uuid in g.MEASUREMENT_DECODERS

    def _start_notify(self, msg: Message) -> Message:
        device, char = self._char_at(msg)
        if not {"notify", "indicate"} & set(char.flags):
            raise _error("org.bluez.Error.NotSupported", "Operation is not supported")
        if self._protected(device, char) and not (device.host_paired and device.bonded):
            raise _error("org.bluez.Error.Failed", "Operation failed with ATT error: 0x05")
        if not char.notifying:
            char.notifying = True
            self._set(char.path, CHARACTERISTIC, Notifying=True)
        if char.uuid == device.main:
            device.subscribed_at = time.monotonic()
        if char.uuid == device.main and device._session is None:
            assert self._loop is not None
            device._session = self._loop.create_task(
                self._measurement_session(device), name=f"ble-sim-{device.spec.address}"
            )
        return Message.new_method_return(msg)

    def _stop_notify(self, msg: Message) -> Message:
        _device, char = self._char_at(msg)
        if char.notifying:
            char.notifying = False
            self._set(char.path, CHARACTERISTIC, Notifying=False)
        return Message.new_method_return(msg)

    # -- the device's side -------------------------------------------------------------

    def _notify(self, device: SimDevice, uuid: int, payload: bytes) -> float:
        char = device.chars.get(uuid)
        sent_at = time.monotonic()
        if char is None or not char.notifying or not device.connected:
            return sent_at
        char.value = payload
        device.sent.append((uuid, payload, sent_at))
        self._set(char.path, CHARACTERISTIC, Value=payload)
        return sent_at

    @staticmethod
    async def _pause(seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))  # the device's own pace, not a wait for an event

    async def _measurement_session(self, device: SimDevice) -> None:
        """Subscribed: re-send old records if the device does, wait for RACP, measure."""
        try:
            racp = device.chars.get(g.RECORD_ACCESS_CONTROL_POINT)
            if racp is not None and racp.notifying:
                device.racp_busy = True  # the host fetches stored records first
            for uuid, record in list(device.history):
                for _ in range(device.spec.resend_stored):
                    self._notify(device, uuid, record)
                    await self._pause(device.spec.interval_s)
            if time.monotonic() < device.silent_until:
                await asyncio.sleep(device.silent_until - time.monotonic())  # the device sleeps
            while device.connected and device.pending and device.pending[0].raw is not None:
                raw = device.pending.popleft().raw  # malformed bytes go out with the next one
                assert raw is not None
                self._notify(device, device.main, raw)
            if not device.pending and device.spec.auto_measure:
                device.pending.append(_Pending())
            # one new measurement per connection, as a cuff sends the one it just took
            if device.connected and device.pending:
                while device.racp_busy:
                    await self._racp_done(device)
                pending = device.pending[0]
                before, record = device.encode(pending)
                every = float(pending.values.get("every", device.spec.interval_s))
                for uuid, payload in before:
                    self._notify(device, uuid, payload)
                    await self._pause(every)
                if device.take_fault(Fault.LINK_DROP):
                    log.info("ble sim %s: link drops before the indication", device.spec.address)
                    device._session = None
                    self._drop(device)
                    return
                if device.noise:
                    self._notify(device, device.main, record[:2])  # a truncated record
                device.pending.popleft()
                self._notify(device, device.main, record)
                device.history.append((device.main, record))
        finally:
            if device._session is asyncio.current_task():
                device._session = None

    async def _racp_done(self, device: SimDevice) -> None:
        event = asyncio.Event()
        self._racp_waiters.setdefault(device.spec.address, []).append(event)
        await event.wait()

    def _racp(self, device: SimDevice, data: bytes) -> None:
        try:
            request = g.decode_racp(data)
        except ValueError:
            self._notify(
                device,
                g.RECORD_ACCESS_CONTROL_POINT,
                g.encode_racp(
                    g.racp_response(data[0] if data else 0, g.RacpResponse.OP_CODE_NOT_SUPPORTED)
                ),
            )
            return
        if request.op is g.RacpOp.REPORT_NUMBER_OF_RECORDS:
            count = len(device.history).to_bytes(2, "little")
            self._notify(
                device,
                g.RECORD_ACCESS_CONTROL_POINT,
                g.encode_racp(
                    g.Racp(g.RacpOp.NUMBER_OF_RECORDS_RESPONSE, g.RacpOperator.NULL, count)
                ),
            )
        elif request.op is g.RacpOp.REPORT_STORED_RECORDS:
            records = list(device.history)
            if request.operator is g.RacpOperator.LAST:
                records = records[-1:]
            elif request.operator is g.RacpOperator.FIRST:
                records = records[:1]
            for uuid, record in records:
                self._notify(device, uuid, record)
            code = g.RacpResponse.SUCCESS if records else g.RacpResponse.NO_RECORDS_FOUND
            self._notify(
                device,
                g.RECORD_ACCESS_CONTROL_POINT,
                g.encode_racp(g.racp_response(request.op, code)),
            )
        else:
            self._notify(
                device,
                g.RECORD_ACCESS_CONTROL_POINT,
                g.encode_racp(g.racp_response(request.op, g.RacpResponse.OP_CODE_NOT_SUPPORTED)),
            )
        device.racp_busy = False
        for event in self._racp_waiters.pop(device.spec.address, []):
            event.set()


def check_step(profile: Profile, step: Step) -> Step:
    """A script step, checked: ``measure = {...}``, ``raw = "hex"`` or ``fault = NAME``."""
    keys = set(step) - {"count"}
    if len(keys) != 1 or not keys <= {"measure", "raw", "fault"}:
        raise ScriptError(f"step {dict(step)}: one of measure, raw, fault (+ count) expected")
    if "measure" in step:
        values = step["measure"]
        allowed = MEASURE_KEYS[profile] | COMMON_MEASURE_KEYS
        if not isinstance(values, dict) or not set(values) <= allowed:
            raise ScriptError(f"measure step: keys for {profile} are {', '.join(sorted(allowed))}")
    elif "raw" in step:
        try:
            bytes.fromhex(step["raw"])
        except (TypeError, ValueError) as exc:
            raise ScriptError(f"raw step: hex bytes expected, not {step['raw']!r}") from exc
    else:
        try:
            Fault(step["fault"])
        except ValueError as exc:
            names = ", ".join(f.value for f in Fault)
            raise ScriptError(f"fault step: one of {names}") from exc
    return step


def load_device_script(
    path: Path, *, profile: Profile | None = None
) -> tuple[DeviceSpec, list[Step]]:
    """A TOML script: an optional ``[device]`` table (DeviceSpec keys) and ``[[step]]``s."""
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ScriptError(f"{path}: cannot read script: {exc}") from exc
    table = dict(data.get("device") or {})
    unknown = set(table) - SPEC_KEYS
    if unknown:
        raise ScriptError(f"{path}: unknown [device] keys {sorted(unknown)}")
    if profile is not None:
        table.setdefault("profile", profile)
    if "profile" not in table:
        raise ScriptError(f"{path}: [device] needs a profile ({', '.join(Profile)})")
    try:
        spec = DeviceSpec(**table)
    except (TypeError, ValueError) as exc:
        raise ScriptError(f"{path}: bad [device] table: {exc}") from exc
    steps = load_script(path) if "step" in data else []
    return spec, [check_step(spec.profile, s) for s in steps]
