"""Temperature Measurement 0x2A1C: the thermometer's result, its unit, time and body site.

The same record shape carries the Intermediate Temperature 0x2A1E (see
``intermediate_temperature``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from drivers.ble.gatt.common import Reader, device_time, reading_decoder, split, time_flags
from drivers.ieee11073 import DateTime, Number, encode_float
from drivers.types import DeviceInfo, Reading, ReadingKind, Unit

TEMP_FAHRENHEIT = 0x01
TEMP_TIME = 0x02
TEMP_TYPE = 0x04

TEMPERATURE_SITES = {
    1: "armpit",
    2: "body",
    3: "ear",
    4: "finger",
    5: "gastrointestinal",
    6: "mouth",
    7: "rectum",
    8: "toe",
    9: "tympanum",
}


@dataclass(frozen=True)
class Temperature:
    unit: Unit
    value: Number
    time: DateTime | None = None
    site: int | None = None
    intermediate: bool = False

    @property
    def site_name(self) -> str | None:
        if self.site is None:
            return None
        return TEMPERATURE_SITES.get(self.site, "reserved")

    def reading(self, *, device: DeviceInfo, received_at: datetime) -> Reading:
        values, missing = split({"temperature": self.value})
        flags = time_flags(self.time)
        if self.site_name is not None:
            flags |= {f"site:{self.site_name}"}
        return Reading(
            kind=ReadingKind.TEMPERATURE,
            unit=self.unit,
            values=values,
            missing=missing,
            device=device,
            received_at=received_at,
            device_time=device_time(self.time),
            flags=flags,
            intermediate=self.intermediate,
        )


def decode_temperature(data: bytes | bytearray, *, intermediate: bool = False) -> Temperature:
    r = Reader("intermediate temperature" if intermediate else "temperature measurement", data, 5)
    flags = r.u8()
    unit = Unit.FAHRENHEIT if flags & TEMP_FAHRENHEIT else Unit.CELSIUS
    value = r.float32()
    stamp = r.date_time() if flags & TEMP_TIME else None
    site = r.u8() if flags & TEMP_TYPE else None
    return Temperature(unit, value, stamp, site, intermediate)


def encode_temperature(m: Temperature, *, exponent: int = -2) -> bytes:
    flags = (
        (TEMP_FAHRENHEIT if m.unit is Unit.FAHRENHEIT else 0)
        | (TEMP_TIME if m.time is not None else 0)
        | (TEMP_TYPE if m.site is not None else 0)
    )
    out = bytearray([flags]) + encode_float(m.value, exponent=exponent).to_bytes(4, "little")
    if m.time is not None:
        out += m.time.encode()
    if m.site is not None:
        out.append(m.site)
    return bytes(out)


#: ``kiosk decode gatt-temperature``
decode_reading = reading_decoder(decode_temperature)
