"""The registry of drivers and decoders: plain data naming a module, imported only when used.

Drivers: config name -> (module, class). Decoders (``kiosk decode``): profile name -> (module
with ``decode_reading``, input form). A missing vendor library thus fails only for the device
that needs it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from drivers.errors import DriverError, InstrumentError, InstrumentErrorReason
from drivers.types import Reading

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

#: ``kiosk decode PROFILE``: profile name -> (module with ``decode_reading``, input form:
#: "hex" or "text").
DECODERS: dict[str, tuple[str, str]] = {
    "suntech-advantage": ("drivers.suntech.protocol", "hex"),
    "and-weight": ("drivers.and_scale.protocol", "text"),
    "nonin-oem3": ("drivers.nonin.protocol", "hex"),
    "contec-cms50d": ("drivers.contec.protocol", "hex"),
    "masimo-ascii1": ("drivers.masimo.protocol", "text"),
    # BLE health profiles: one module per GATT characteristic in drivers/ble/gatt
    "gatt-blood-pressure": ("drivers.ble.gatt.blood_pressure", "hex"),
    "gatt-cuff-pressure": ("drivers.ble.gatt.cuff_pressure", "hex"),
    "gatt-temperature": ("drivers.ble.gatt.temperature", "hex"),
    "gatt-intermediate-temperature": ("drivers.ble.gatt.intermediate_temperature", "hex"),
    "gatt-weight": ("drivers.ble.gatt.weight", "hex"),
    "gatt-body-composition": ("drivers.ble.gatt.body_composition", "hex"),
    "gatt-plx-spot": ("drivers.ble.gatt.plx_spot", "hex"),
    "gatt-plx-continuous": ("drivers.ble.gatt.plx_continuous", "hex"),
}

#: ``decode_reading(data, *, device, received_at)``: a pure parser, bytes in, one reading out.
DecodeReading = Callable[..., Reading]


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


def resolve_decoder(name: str) -> tuple[DecodeReading, str]:
    """The ``decode_reading`` parser registered as ``name`` and its input form ("hex"/"text")."""
    try:
        module_name, form = DECODERS[name]
    except KeyError:
        known = ", ".join(sorted(DECODERS))
        raise InstrumentError(
            f"no decode profile {name!r} (known: {known})",
            reason=InstrumentErrorReason.BAD_OPTIONS,
        ) from None
    module: Any = importlib.import_module(module_name)
    decode_reading: DecodeReading = module.decode_reading
    return decode_reading, form
