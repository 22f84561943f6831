"""``kiosk decode``: the Weight Measurement 0x2A9D record as a reading."""

from drivers.ble import gatt
from drivers.ble.decode import reading_decoder

decode_reading = reading_decoder(gatt.decode_weight)
