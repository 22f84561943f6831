"""``kiosk decode``: the Blood Pressure Measurement 0x2A35 record as a reading."""

from drivers.ble import gatt
from drivers.ble.decode import reading_decoder

decode_reading = reading_decoder(gatt.decode_blood_pressure)
