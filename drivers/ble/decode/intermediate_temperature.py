"""``kiosk decode``: the Intermediate Temperature 0x2A1E record as a reading."""

from drivers.ble import gatt
from drivers.ble.decode import reading_decoder

decode_reading = reading_decoder(gatt.decode_intermediate_temperature)
