"""``kiosk decode``: the Temperature Measurement 0x2A1C record as a reading."""

from drivers.ble import gatt
from drivers.ble.decode import reading_decoder

decode_reading = reading_decoder(gatt.decode_temperature)
