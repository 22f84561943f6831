"""The simulated adapter ``hci0`` and its device objects: discovery and advertisements,
connection and pairing (Adapter1 and Device1 calls), and the GATT database a device exports
once its services resolve.
"""

from __future__ import annotations

import asyncio
import logging

from dbus_fast import DBusError, Message

from drivers.ble import gatt as g
from drivers.ble.sim.device import ADAPTER_PATH, Characteristic, SimDevice
from drivers.ble.sim.errors import SimulatorError
from drivers.ble.sim.profiles import DeviceSpec, Fault
from drivers.ble.sim.tree import (
    ADAPTER,
    CHARACTERISTIC,
    DEVICE,
    SERVICE,
    Handler,
    ObjectTree,
    ok,
    variants,
)

log = logging.getLogger(__name__)


class Adapter:
    """``hci0``: the simulated devices, what the host sees of them; runs on the sim's loop."""

    #: Seconds between two advertisements of a device while the host scans.
    advertising_interval = 0.1

    def __init__(self, tree: ObjectTree) -> None:
        self.tree = tree
        self.devices: dict[str, SimDevice] = {}
        self.by_char_path: dict[str, tuple[SimDevice, Characteristic]] = {}
        self.discovering = False
        self._advert: asyncio.Handle | None = None

    def export(self) -> None:
        """The adapter object itself, as bleak expects to find it."""
        self.tree.objects[ADAPTER_PATH] = {
            ADAPTER: variants(
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

    def device(self, address: str) -> SimDevice:
        try:
            return self.devices[address.upper()]
        except KeyError:
            raise SimulatorError(f"no simulated device {address}") from None

    def add_device(self, spec: DeviceSpec) -> None:
        if spec.address in self.devices:
            raise SimulatorError(f"device {spec.address} already simulated")
        device = SimDevice(spec)
        self.devices[spec.address] = device
        for _path, _uuid, chars in device.services:
            for char in chars:
                self.by_char_path[char.path] = (device, char)
        if self.discovering:
            self.advertise(device)

    def arm(self, device: SimDevice, fault: Fault, count: int) -> None:
        if fault is Fault.BOND_LOST:
            # the device forgot its keys (reset, or paired with a phone); BlueZ still has its
            device.bonded = False
            device.host_paired = True
            self.tree.set(device.path, DEVICE, Paired=True, Bonded=True)
            return
        device.faults[fault] = count

    def advertise(self, device: SimDevice) -> None:
        if not device.spec.advertising:
            return
        if not device.exported:
            self.tree.export(device.path, DEVICE, device.device_props())
            device.exported = True
        else:
            self.tree.set(device.path, DEVICE, RSSI=-50 - len(device.sent) % 5)

    def _advertise_all(self) -> None:
        """Advertise now and again every :attr:`advertising_interval` while discovering."""
        if self.discovering:
            for device in self.devices.values():
                if not device.connected:
                    self.advertise(device)
            loop = asyncio.get_running_loop()
            self._advert = loop.call_later(self.advertising_interval, self._advertise_all)

    def forget(self, device: SimDevice) -> None:
        """BlueZ drops the device object (RemoveDevice, or the device is gone)."""
        if device.connected:
            self.drop(device)
        for service_path, _uuid, chars in device.services:
            for char in chars:
                self.tree.unexport(char.path)
            self.tree.unexport(service_path)
        self.tree.unexport(device.path)
        device.exported = False
        device.host_paired = False
        device.resolved = False

    def _resolve(self, device: SimDevice) -> None:
        if device.take_fault(Fault.NEVER_RESOLVE):
            log.info("ble sim %s: services will not resolve", device.spec.address)
            return
        for service_path, uuid, chars in device.services:
            if service_path in self.tree:
                continue  # BlueZ keeps the GATT database of a known device
            self.tree.export(
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
                self.tree.export(
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
        self.tree.set(device.path, DEVICE, ServicesResolved=True)

    def link_up(self, device: SimDevice) -> None:
        if not device.connected:
            device.connected = True
            self.tree.set(device.path, DEVICE, Connected=True)
            asyncio.get_running_loop().call_soon(self._resolve, device)

    def drop(self, device: SimDevice) -> None:
        """The link goes down: the measurement stops, nothing notifies any more."""
        device.connected = False
        device.resolved = False
        device.racp_busy = False
        if device.session is not None:
            device.session.cancel()
            device.session = None
        for char in device.chars.values():
            if char.notifying:
                char.notifying = False
                self.tree.set(char.path, CHARACTERISTIC, Notifying=False)
        self.tree.set(device.path, DEVICE, ServicesResolved=False, Connected=False)

    # -- D-Bus calls -------------------------------------------------------------------

    def handlers(self) -> dict[str, Handler]:
        return {
            f"{ADAPTER}.SetDiscoveryFilter": ok,
            f"{ADAPTER}.StartDiscovery": self._start_discovery,
            f"{ADAPTER}.StopDiscovery": self._stop_discovery,
            f"{ADAPTER}.RemoveDevice": self._remove_device,
            f"{DEVICE}.Connect": self._connect_device,
            f"{DEVICE}.Disconnect": self._disconnect_device,
            f"{DEVICE}.Pair": self._pair,
        }

    def _start_discovery(self, msg: Message) -> Message:
        if self.discovering:
            return ok(msg)
        self.discovering = True
        self.tree.set(ADAPTER_PATH, ADAPTER, Discovering=True)
        # the reply first, then the advertisements, as BlueZ does
        self._advert = asyncio.get_running_loop().call_soon(self._advertise_all)
        return ok(msg)

    def _stop_discovery(self, msg: Message) -> Message:
        if not self.discovering:
            raise DBusError("org.bluez.Error.Failed", "No discovery started")
        self.discovering = False
        if self._advert is not None:
            self._advert.cancel()
            self._advert = None
        self.tree.set(ADAPTER_PATH, ADAPTER, Discovering=False)
        return ok(msg)

    def _remove_device(self, msg: Message) -> Message:
        path = msg.body[0]
        device = next((d for d in self.devices.values() if d.path == path and d.exported), None)
        if device is None:
            raise DBusError("org.bluez.Error.DoesNotExist", "Does Not Exist")
        self.forget(device)
        return ok(msg)

    def _device_at(self, msg: Message) -> SimDevice:
        for device in self.devices.values():
            if device.path == msg.path and device.exported:
                return device
        raise DBusError("org.freedesktop.DBus.Error.UnknownObject", f"no device at {msg.path}")

    def _connect_device(self, msg: Message) -> Message:
        device = self._device_at(msg)
        if device.take_fault(Fault.CONNECT_FAIL):
            raise DBusError("org.bluez.Error.Failed", "le-connection-abort-by-remote")
        self.link_up(device)
        return ok(msg)

    def _disconnect_device(self, msg: Message) -> Message:
        device = self._device_at(msg)
        if device.connected:
            self.drop(device)
        return ok(msg)

    def _pair(self, msg: Message) -> Message:
        device = self._device_at(msg)
        if device.host_paired:
            raise DBusError("org.bluez.Error.AlreadyExists", "Already Exists")
        if device.spec.bonded_elsewhere:
            # what BlueZ answers when the device's keys belong to another host (a phone)
            raise DBusError("org.bluez.Error.AuthenticationFailed", "Authentication Failed")
        if device.take_fault(Fault.PAIRING_REFUSED):
            raise DBusError("org.bluez.Error.AuthenticationRejected", "Authentication Rejected")
        if device.take_fault(Fault.CONNECT_FAIL):
            raise DBusError("org.bluez.Error.ConnectionAttemptFailed", "Page Timeout")
        self.link_up(device)
        device.host_paired = True
        device.bonded = True
        self.tree.set(device.path, DEVICE, Paired=True, Bonded=True)
        return ok(msg)
