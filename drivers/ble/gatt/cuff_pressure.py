"""Intermediate Cuff Pressure 0x2A36: the cuff's pressure while it inflates.

Its record is the Blood Pressure Measurement's, read as one current pressure (``systolic``).
"""

from __future__ import annotations

from drivers.ble.gatt.blood_pressure import BloodPressure, decode_blood_pressure
from drivers.ble.gatt.common import reading_decoder


def decode_intermediate_cuff_pressure(data: bytes | bytearray) -> BloodPressure:
    return decode_blood_pressure(data, intermediate=True)


#: ``kiosk decode gatt-cuff-pressure``
decode_reading = reading_decoder(decode_intermediate_cuff_pressure)
