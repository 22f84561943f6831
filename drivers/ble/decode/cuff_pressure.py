"""``kiosk decode``: the Intermediate Cuff Pressure 0x2A36 record as a reading."""

from drivers.ble import gatt
from drivers.ble.decode import reading_decoder

decode_reading = reading_decoder(gatt.decode_intermediate_cuff_pressure)
