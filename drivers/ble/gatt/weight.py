"""Weight Measurement 0x2A9D: the scale's weight, with BMI and height when it knows them.

A weight of 0xFFFF (measurement unsuccessful) decodes to ``weight`` None, relayed as missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from drivers.ble.gatt.common import (
    UNSUCCESSFUL,
    UNSUCCESSFUL_REASON,
    Reader,
    device_time,
    height,
    height_raw,
    le16,
    mass,
    mass_raw,
    reading_decoder,
    tenths,
    tenths_raw,
    time_flags,
    user_flags,
)
from drivers.ieee11073 import DateTime
from drivers.types import DeviceInfo, Reading, ReadingKind, Unit

WEIGHT_IMPERIAL = 0x01
WEIGHT_TIME = 0x02
WEIGHT_USER = 0x04
WEIGHT_BMI_HEIGHT = 0x08


@dataclass(frozen=True)
class Weight:
    """``weight`` None: the scale reported 0xFFFF (measurement unsuccessful)."""

    imperial: bool
    weight: float | None
    time: DateTime | None = None
    user: int | None = None
    bmi: float | None = None
    height: float | None = None

    def reading(self, *, device: DeviceInfo, received_at: datetime) -> Reading:
        values: dict[str, float] = {}
        missing: dict[str, str] = {}
        if self.weight is None:
            missing["weight"] = UNSUCCESSFUL_REASON
        else:
            values["weight"] = self.weight
        units: dict[str, Unit] = {}
        if self.bmi is not None and self.height is not None:
            values["bmi"] = self.bmi
            values["height"] = self.height
            units = {"bmi": Unit.KG_PER_M2, "height": Unit.INCH if self.imperial else Unit.METRE}
        return Reading(
            kind=ReadingKind.WEIGHT,
            unit=Unit.POUND if self.imperial else Unit.KG,
            values=values,
            missing=missing,
            units=units,
            device=device,
            received_at=received_at,
            device_time=device_time(self.time),
            flags=time_flags(self.time) | user_flags(self.user),
        )


def decode_weight(data: bytes | bytearray) -> Weight:
    r = Reader("weight measurement", data, 3)
    flags = r.u8()
    imperial = bool(flags & WEIGHT_IMPERIAL)
    raw = r.u16()
    stamp = r.date_time() if flags & WEIGHT_TIME else None
    user = r.u8() if flags & WEIGHT_USER else None
    bmi = tall = None
    if flags & WEIGHT_BMI_HEIGHT:
        bmi = tenths(r.u16())
        tall = height(r.u16(), imperial)
    weight = None if raw == UNSUCCESSFUL else mass(raw, imperial)
    return Weight(imperial, weight, stamp, user, bmi, tall)


def encode_weight(m: Weight) -> bytes:
    flags = (
        (WEIGHT_IMPERIAL if m.imperial else 0)
        | (WEIGHT_TIME if m.time is not None else 0)
        | (WEIGHT_USER if m.user is not None else 0)
        | (WEIGHT_BMI_HEIGHT if m.bmi is not None and m.height is not None else 0)
    )
    raw = UNSUCCESSFUL if m.weight is None else mass_raw(m.weight, m.imperial)
    out = bytearray([flags]) + le16(raw)
    if m.time is not None:
        out += m.time.encode()
    if m.user is not None:
        out.append(m.user)
    if m.bmi is not None and m.height is not None:
        out += le16(tenths_raw(m.bmi)) + le16(height_raw(m.height, m.imperial))
    return bytes(out)


#: ``kiosk decode gatt-weight``
decode_reading = reading_decoder(decode_weight)
