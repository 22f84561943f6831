"""``kiosk decode``: the Body Composition Measurement 0x2A9C record as a reading."""

from drivers.ble import gatt
from drivers.ble.decode import reading_decoder

decode_reading = reading_decoder(gatt.decode_body_composition)
