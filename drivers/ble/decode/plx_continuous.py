"""``kiosk decode``: the PLX Continuous Measurement 0x2A5F record as a reading."""

from drivers.ble import gatt
from drivers.ble.decode import reading_decoder

decode_reading = reading_decoder(gatt.decode_plx_continuous)
