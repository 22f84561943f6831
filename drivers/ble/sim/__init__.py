"""A simulated BlueZ on a private D-Bus bus, so bleak's real BlueZ backend meets instruments.

:class:`DBusDaemon` (``dbus``) runs a private ``dbus-daemon``; :class:`BlueZSimulator`
(``bluez``) owns ``org.bluez`` on it and serves the objects bleak reads: the object tree
(``tree``: ObjectManager, Properties, InterfacesAdded/Removed, PropertiesChanged), the adapter
and its devices (``adapter``: Adapter1, Device1) and their GATT servers (``gatt_server``:
GattCharacteristic1, notifications, RACP). Each simulated instrument (``device``, described
by ``profiles``) indicates the exact bytes of its health profile (``encoding``); ``script``
reads what ``kiosk sim ble --script`` plays.

Why dbus-fast and not python-dbusmock: dbus-fast is already installed with bleak (no
compiling of dbus-python), speaks asyncio, and lets us answer each call ourselves (GATT,
pairing, faults) instead of patching a template whose ManufacturerData type breaks bleak.

Faults (:class:`Fault`) are armed per device with a count: ``connect_fail``,
``never_resolve``, ``link_drop`` (before the measurement is indicated), ``pairing_refused``,
``bond_lost``. A device bonded to another host (a phone) refuses Pair with
AuthenticationFailed (``bonded_elsewhere = true``, or :meth:`BlueZSimulator.bond_elsewhere`);
each device has a Battery Service (``battery``, a percentage; -1: none). A device spec can
also hide it (``advertising = false``: not found), re-send its stored records on every
connection (``resend_stored``), keep a wrong clock (``clock_offset`` without Current Time), or
send raw bytes (a malformed payload).
"""

from __future__ import annotations

from drivers.ble.sim.bluez import BlueZSimulator
from drivers.ble.sim.dbus import DBusDaemon
from drivers.ble.sim.device import SimDevice
from drivers.ble.sim.errors import SimulatorError
from drivers.ble.sim.profiles import DeviceSpec, Fault, Profile
from drivers.ble.sim.script import check_step, load_device_script
from drivers.ptysim import ScriptError

__all__ = [
    "BlueZSimulator",
    "DBusDaemon",
    "DeviceSpec",
    "Fault",
    "Profile",
    "ScriptError",
    "SimDevice",
    "SimulatorError",
    "check_step",
    "load_device_script",
]
