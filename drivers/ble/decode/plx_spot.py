"""``kiosk decode``: the PLX Spot-check Measurement 0x2A5E record as a reading."""

from drivers.ble import gatt
from drivers.ble.decode import reading_decoder

decode_reading = reading_decoder(gatt.decode_plx_spot_check)
