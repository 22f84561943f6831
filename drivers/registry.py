"""Driver registry: config name -> (module, class), plain data, imported only when used.

A missing vendor library thus fails only for the device that needs it.
"""

from __future__ import annotations

import importlib

from drivers.errors import DriverError

#: ``driver = "..."`` in a ``[devices.ID]`` table names one of these.
DRIVERS: dict[str, tuple[str, str]] = {
    "suntech-advantage": ("drivers.suntech.serial", "SunTechAdvantage"),
    "and-weight": ("drivers.and_scale.serial", "AndWeighing"),
    "nonin-oem3": ("drivers.nonin.serial", "NoninOem3"),
    "contec-cms50d": ("drivers.contec.serial", "ContecCms50d"),
    "masimo-ascii1": ("drivers.masimo.serial", "MasimoRad8"),
    "ble-blood-pressure": ("drivers.ble.drivers", "BleBloodPressure"),
    "ble-thermometer": ("drivers.ble.drivers", "BleThermometer"),
    "ble-weight": ("drivers.ble.drivers", "BleWeight"),
    "ble-pulse-oximeter": ("drivers.ble.drivers", "BlePulseOximeter"),
}


class UnknownDriverError(DriverError):
    """The config names a driver this build does not have."""


def resolve(name: str) -> type:
    """The driver class registered as ``name``; raises :class:`UnknownDriverError`."""
    try:
        module_name, class_name = DRIVERS[name]
    except KeyError:
        known = ", ".join(sorted(DRIVERS)) or "none yet"
        raise UnknownDriverError(
            f"no driver named {name!r} (known: {known})", device=name, reason="unknown_driver"
        ) from None
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise DriverError(
            f"driver {name!r} cannot load: {exc}", device=name, reason="import_failed"
        ) from exc
    cls: type = getattr(module, class_name)
    return cls
