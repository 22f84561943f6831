"""PLX Spot-check Measurement 0x2A5E: one SpO2 and pulse result of a pulse oximeter.

Measurement and device status bits become flags; a device whose clock is not set gives no
device time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from drivers.ble.gatt.common import (
    PLX_DEVICE_STATUS,
    PLX_MEASUREMENT_STATUS,
    Reader,
    bit_flags,
    device_time,
    plx_status_bytes,
    reading_decoder,
    sfloat_bytes,
    split,
    time_flags,
)
from drivers.ieee11073 import DateTime, Number
from drivers.types import DeviceInfo, Reading, ReadingKind, Unit

SPOT_TIME = 0x01
SPOT_MEASUREMENT_STATUS = 0x02
SPOT_DEVICE_STATUS = 0x04
SPOT_PAI = 0x08
SPOT_CLOCK_NOT_SET = 0x10


@dataclass(frozen=True)
class PlxSpotCheck:
    spo2: Number
    pulse: Number
    time: DateTime | None = None
    measurement_status: int | None = None
    device_status: int | None = None
    pai: Number | None = None
    clock_not_set: bool = False

    def reading(self, *, device: DeviceInfo, received_at: datetime) -> Reading:
        values, missing = split({"spo2": self.spo2, "pulse": self.pulse, "pai": self.pai})
        flags = (
            bit_flags(self.measurement_status, PLX_MEASUREMENT_STATUS)
            | bit_flags(self.device_status, PLX_DEVICE_STATUS)
            | time_flags(self.time)
        )
        if self.clock_not_set:
            flags |= {"device_clock_not_set"}
        return Reading(
            kind=ReadingKind.SPO2,
            unit=Unit.PERCENT,
            values=values,
            missing=missing,
            units={"pulse": Unit.PER_MINUTE},
            device=device,
            received_at=received_at,
            device_time=None if self.clock_not_set else device_time(self.time),
            flags=flags,
        )


def decode_plx_spot_check(data: bytes | bytearray) -> PlxSpotCheck:
    r = Reader("PLX spot-check measurement", data, 5)
    flags = r.u8()
    spo2, pulse = r.sfloat(), r.sfloat()
    stamp = r.date_time() if flags & SPOT_TIME else None
    measurement_status = r.u16() if flags & SPOT_MEASUREMENT_STATUS else None
    device_status = r.u24() if flags & SPOT_DEVICE_STATUS else None
    pai = r.sfloat() if flags & SPOT_PAI else None
    return PlxSpotCheck(
        spo2,
        pulse,
        stamp,
        measurement_status,
        device_status,
        pai,
        clock_not_set=bool(flags & SPOT_CLOCK_NOT_SET),
    )


def encode_plx_spot_check(m: PlxSpotCheck) -> bytes:
    flags = (
        (SPOT_TIME if m.time is not None else 0)
        | (SPOT_MEASUREMENT_STATUS if m.measurement_status is not None else 0)
        | (SPOT_DEVICE_STATUS if m.device_status is not None else 0)
        | (SPOT_PAI if m.pai is not None else 0)
        | (SPOT_CLOCK_NOT_SET if m.clock_not_set else 0)
    )
    out = bytearray([flags]) + sfloat_bytes(m.spo2) + sfloat_bytes(m.pulse)
    if m.time is not None:
        out += m.time.encode()
    out += plx_status_bytes(m.measurement_status, m.device_status, m.pai)
    return bytes(out)


#: ``kiosk decode gatt-plx-spot``
decode_reading = reading_decoder(decode_plx_spot_check)
