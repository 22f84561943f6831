"""The D-Bus object tree the simulated BlueZ serves: objects, their interfaces and properties,
the ObjectManager and Properties calls, and the signals bleak follows (InterfacesAdded and
Removed, PropertiesChanged).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from dbus_fast import DBusError, Message, Variant
from dbus_fast.aio import MessageBus

BLUEZ = "org.bluez"
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

#: A D-Bus method handler: the call in, its reply out (or a raised :class:`DBusError`).
Handler = Callable[[Message], Message | bool]


def variants(props: Mapping[str, Any]) -> dict[str, Variant]:
    return {name: Variant(PROP_TYPES[name], value) for name, value in props.items()}


def ok(msg: Message) -> Message:
    """The empty reply."""
    return Message.new_method_return(msg)


class ObjectTree:
    """The exported objects (path -> interface -> properties), sent on :attr:`bus` once set."""

    def __init__(self) -> None:
        self.bus: MessageBus | None = None
        self.objects: dict[str, dict[str, dict[str, Variant]]] = {}

    def __contains__(self, path: str) -> bool:
        return path in self.objects

    def send(self, msg: Message) -> None:
        assert self.bus is not None
        self.bus.send(msg)

    def export(self, path: str, interface: str, props: dict[str, Any]) -> None:
        values = variants(props)
        self.objects.setdefault(path, {})[interface] = values
        self.send(
            Message.new_signal(
                path, OBJECT_MANAGER, "InterfacesAdded", "oa{sa{sv}}", [path, {interface: values}]
            )
        )

    def unexport(self, path: str) -> None:
        interfaces = self.objects.pop(path, None)
        if interfaces:
            self.send(
                Message.new_signal(
                    path, OBJECT_MANAGER, "InterfacesRemoved", "oas", [path, list(interfaces)]
                )
            )

    def set(self, path: str, interface: str, **changes: Any) -> None:
        """Change properties of an exported object and say so (nothing if not exported)."""
        values = variants(changes)
        if path in self.objects:
            self.objects[path][interface].update(values)
            self.send(
                Message.new_signal(
                    path, PROPERTIES, "PropertiesChanged", "sa{sv}as", [interface, values, []]
                )
            )

    # -- D-Bus calls -------------------------------------------------------------------

    def handlers(self) -> dict[str, Handler]:
        return {
            f"{OBJECT_MANAGER}.GetManagedObjects": self._get_managed_objects,
            f"{PROPERTIES}.Get": self._prop_get,
            f"{PROPERTIES}.GetAll": self._prop_get_all,
            f"{PROPERTIES}.Set": self._prop_set,
        }

    def _get_managed_objects(self, msg: Message) -> Message:
        return Message.new_method_return(msg, "a{oa{sa{sv}}}", [self.objects])

    def _interface_props(self, msg: Message) -> dict[str, Variant]:
        try:
            return self.objects[msg.path or ""][msg.body[0]]
        except KeyError:
            raise DBusError("org.freedesktop.DBus.Error.UnknownObject", str(msg.path)) from None

    def _prop_get(self, msg: Message) -> Message:
        props = self._interface_props(msg)
        try:
            return Message.new_method_return(msg, "v", [props[msg.body[1]]])
        except KeyError:
            raise DBusError("org.freedesktop.DBus.Error.InvalidArgs", msg.body[1]) from None

    def _prop_get_all(self, msg: Message) -> Message:
        return Message.new_method_return(msg, "a{sv}", [self._interface_props(msg)])

    def _prop_set(self, msg: Message) -> Message:
        interface, name, value = msg.body
        if interface != DEVICE or name != "Trusted":
            raise DBusError("org.freedesktop.DBus.Error.PropertyReadOnly", name)
        self.set(msg.path or "", DEVICE, Trusted=bool(value.value))
        return ok(msg)
