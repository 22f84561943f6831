"""Decode profiles: a name -> the pure parser that turns a device's bytes into one reading.

Used by ``kiosk decode``. Each profile's module has ``decode_reading(data, *, device,
received_at)``; ``hex`` profiles take hex digits, ``text`` ones the line as typed.
"""

from __future__ import annotations

import importlib
import string
from datetime import UTC, datetime

from drivers.instrument import FrameError, InstrumentError, InstrumentErrorReason
from drivers.types import DeviceInfo, Reading

#: profile name -> (module with ``decode_reading``, input form: "hex" or "text")
PROFILES: dict[str, tuple[str, str]] = {
    "suntech-advantage": ("drivers.suntech.protocol", "hex"),
    "and-weight": ("drivers.and_scale.protocol", "text"),
    "nonin-oem3": ("drivers.nonin.protocol", "hex"),
    "contec-cms50d": ("drivers.contec.protocol", "hex"),
    "masimo-ascii1": ("drivers.masimo.protocol", "text"),
    # BLE health profiles (GATT characteristics), registered by drivers/ble
    "gatt-blood-pressure": ("drivers.ble.decode.blood_pressure", "hex"),
    "gatt-cuff-pressure": ("drivers.ble.decode.cuff_pressure", "hex"),
    "gatt-temperature": ("drivers.ble.decode.temperature", "hex"),
    "gatt-intermediate-temperature": ("drivers.ble.decode.intermediate_temperature", "hex"),
    "gatt-weight": ("drivers.ble.decode.weight", "hex"),
    "gatt-body-composition": ("drivers.ble.decode.body_composition", "hex"),
    "gatt-plx-spot": ("drivers.ble.decode.plx_spot", "hex"),
    "gatt-plx-continuous": ("drivers.ble.decode.plx_continuous", "hex"),
}

_HEX_SEPARATORS = str.maketrans("", "", " :-_\t\n")


def input_bytes(form: str, text: str) -> bytes:
    """The bytes a user typed: hex digits (spaces and colons allowed) or a text line."""
    if form == "hex":
        digits = text.translate(_HEX_SEPARATORS).removeprefix("0x")
        if not digits or len(digits) % 2 or not set(digits) <= set(string.hexdigits):
            raise FrameError(
                "expected hex bytes, like '3E 05 02 01 BA'", reason=InstrumentErrorReason.GARBAGE
            )
        return bytes.fromhex(digits)
    try:
        return text.encode("ascii")
    except UnicodeEncodeError:
        raise FrameError("expected an ASCII line", reason=InstrumentErrorReason.GARBAGE) from None


def decode(profile: str, text: str, *, received_at: datetime | None = None) -> Reading:
    """The reading in ``text`` for ``profile``; raises :class:`InstrumentError` subclasses."""
    try:
        module_name, form = PROFILES[profile]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise InstrumentError(
            f"no decode profile {profile!r} (known: {known})",
            reason=InstrumentErrorReason.BAD_OPTIONS,
        ) from None
    data = input_bytes(form, text)
    module = importlib.import_module(module_name)
    reading: Reading = module.decode_reading(
        data, device=DeviceInfo(id=profile), received_at=received_at or datetime.now(UTC)
    )
    return reading
