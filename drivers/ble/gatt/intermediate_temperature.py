"""Intermediate Temperature 0x2A1E: the thermometer's value while it settles.

Its record is the Temperature Measurement's, marked intermediate.
"""

from __future__ import annotations

from drivers.ble.gatt.common import reading_decoder
from drivers.ble.gatt.temperature import Temperature, decode_temperature


def decode_intermediate_temperature(data: bytes | bytearray) -> Temperature:
    return decode_temperature(data, intermediate=True)


#: ``kiosk decode gatt-intermediate-temperature``
decode_reading = reading_decoder(decode_intermediate_temperature)
