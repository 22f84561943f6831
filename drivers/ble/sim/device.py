"""One simulated instrument's state: its GATT services and characteristics, its link, bond and
clock, its queued measurements and the records it has sent.

The simulated BlueZ exports and drives it from its own loop; nothing here talks to D-Bus.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from drivers.ble import gatt as g
from drivers.ble.sim.encoding import Payloads, measurement
from drivers.ble.sim.profiles import (
    BATTERY_LEVEL,
    BATTERY_SERVICE,
    DEFAULT_NAMES,
    LAYOUTS,
    MAIN_CHARACTERISTIC,
    DeviceSpec,
    Fault,
)

#: The object path of the one simulated adapter.
ADAPTER_PATH = "/org/bluez/hci0"


@dataclass
class Characteristic:
    uuid: int
    flags: list[str]
    path: str
    value: bytes = b""
    notifying: bool = False


@dataclass
class Pending:
    """One measurement waiting for the host: profile values, or raw bytes."""

    values: dict[str, Any] = field(default_factory=dict)
    raw: bytes | None = None


class SimDevice:
    """One simulated instrument; lives on the simulator's loop (use the simulator's methods)."""

    def __init__(self, spec: DeviceSpec) -> None:
        self.spec = spec
        self.path = f"{ADAPTER_PATH}/dev_{spec.address.replace(':', '_')}"
        self.exported = False
        self.connected = False
        self.resolved = False
        self.host_paired = False
        self.bonded = False
        self.clock_offset = spec.clock_offset
        self.faults: dict[Fault, int] = {}
        self.pending: deque[Pending] = deque()
        self.history: list[tuple[int, bytes]] = []  # every record indicated, for resend_stored
        self.sent: list[tuple[int, bytes, float]] = []  # (uuid, bytes, monotonic) for benches
        self.writes: list[tuple[int, bytes]] = []
        self.racp_busy = False
        self.silent_until = 0.0
        self.subscribed_at = 0.0  # monotonic time of the last subscription to the record
        self.noise = False
        self.last_stamp: datetime | None = None
        self.session: asyncio.Task[None] | None = None  # the measurement being sent
        self.chars: dict[int, Characteristic] = {}
        self.services: list[tuple[str, int, list[Characteristic]]] = []
        self._layout()

    def _layout(self) -> None:
        layout = list(LAYOUTS[self.spec.profile])
        if self.spec.racp:
            service, chars = layout[0]
            layout[0] = (service, [*chars, (g.RECORD_ACCESS_CONTROL_POINT, ["write", "indicate"])])
        if self.spec.current_time:
            layout.append((g.CURRENT_TIME_SERVICE, [(g.CURRENT_TIME, ["read", "write", "notify"])]))
        if self.spec.battery >= 0:
            layout.append((BATTERY_SERVICE, [(BATTERY_LEVEL, ["read", "notify"])]))
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
            items: list[Characteristic] = []
            for uuid, flags in chars:
                char = Characteristic(uuid, flags, f"{service_path}/char{handle:04x}")
                handle += 2
                items.append(char)
                self.chars[uuid] = char
            self.services.append((service_path, service, items))
        self.chars[g.MANUFACTURER_NAME].value = b"Cabine Simulators"
        self.chars[g.MODEL_NUMBER].value = self.spec.profile.value.encode()
        if self.spec.battery >= 0:
            self.chars[BATTERY_LEVEL].value = bytes([self.spec.battery])

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

    def encode(self, pending: Pending) -> Payloads:
        """(notifications before the record, the record) for one measurement."""
        now = self.device_now().replace(microsecond=0)
        if self.last_stamp is not None and now <= self.last_stamp:
            now = self.last_stamp + timedelta(seconds=1)  # one record per second at most
        self.last_stamp = now
        return measurement(self.spec.profile, pending.values, now)
