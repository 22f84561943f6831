"""``kiosk decode`` entry points for the GATT health profiles, one module per profile.

``drivers.decoding`` expects a module with ``decode_reading(data, *, device, received_at)``;
each module here binds one characteristic's codec from :mod:`drivers.ble.gatt`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from drivers.types import DeviceInfo, Reading

DecodeReading = Callable[..., Reading]


def reading_decoder(decode: Callable[[bytes], Any]) -> DecodeReading:
    """``decode_reading`` for one characteristic: its record as a reading (FrameError else)."""

    def decode_reading(data: bytes, *, device: DeviceInfo, received_at: datetime) -> Reading:
        reading: Reading = decode(data).reading(device=device, received_at=received_at)
        return reading

    return decode_reading
