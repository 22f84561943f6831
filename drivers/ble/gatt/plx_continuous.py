"""PLX Continuous Measurement 0x2A5F: a pulse oximeter's running SpO2 and pulse.

Optional fast and slow averages become ``spo2_fast``/``pulse_fast`` (``_slow``) values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from drivers.ble.gatt.common import (
    PLX_DEVICE_STATUS,
    PLX_MEASUREMENT_STATUS,
    Reader,
    bit_flags,
    plx_status_bytes,
    reading_decoder,
    sfloat_bytes,
    split,
)
from drivers.ieee11073 import Number
from drivers.types import DeviceInfo, Reading, ReadingKind, Unit

CONT_FAST = 0x01
CONT_SLOW = 0x02
CONT_MEASUREMENT_STATUS = 0x04
CONT_DEVICE_STATUS = 0x08
CONT_PAI = 0x10


@dataclass(frozen=True)
class PlxContinuous:
    spo2: Number
    pulse: Number
    fast: tuple[Number, Number] | None = None
    slow: tuple[Number, Number] | None = None
    measurement_status: int | None = None
    device_status: int | None = None
    pai: Number | None = None

    def reading(self, *, device: DeviceInfo, received_at: datetime) -> Reading:
        named: dict[str, Number | None] = {"spo2": self.spo2, "pulse": self.pulse}
        units = {"pulse": Unit.PER_MINUTE}
        for suffix, pair in (("fast", self.fast), ("slow", self.slow)):
            if pair is not None:
                named[f"spo2_{suffix}"], named[f"pulse_{suffix}"] = pair
                units[f"pulse_{suffix}"] = Unit.PER_MINUTE
        named["pai"] = self.pai
        values, missing = split(named)
        return Reading(
            kind=ReadingKind.SPO2,
            unit=Unit.PERCENT,
            values=values,
            missing=missing,
            units=units,
            device=device,
            received_at=received_at,
            flags=bit_flags(self.measurement_status, PLX_MEASUREMENT_STATUS)
            | bit_flags(self.device_status, PLX_DEVICE_STATUS),
        )


def decode_plx_continuous(data: bytes | bytearray) -> PlxContinuous:
    r = Reader("PLX continuous measurement", data, 5)
    flags = r.u8()
    spo2, pulse = r.sfloat(), r.sfloat()
    fast = (r.sfloat(), r.sfloat()) if flags & CONT_FAST else None
    slow = (r.sfloat(), r.sfloat()) if flags & CONT_SLOW else None
    measurement_status = r.u16() if flags & CONT_MEASUREMENT_STATUS else None
    device_status = r.u24() if flags & CONT_DEVICE_STATUS else None
    pai = r.sfloat() if flags & CONT_PAI else None
    return PlxContinuous(spo2, pulse, fast, slow, measurement_status, device_status, pai)


def encode_plx_continuous(m: PlxContinuous) -> bytes:
    flags = (
        (CONT_FAST if m.fast is not None else 0)
        | (CONT_SLOW if m.slow is not None else 0)
        | (CONT_MEASUREMENT_STATUS if m.measurement_status is not None else 0)
        | (CONT_DEVICE_STATUS if m.device_status is not None else 0)
        | (CONT_PAI if m.pai is not None else 0)
    )
    out = bytearray([flags]) + sfloat_bytes(m.spo2) + sfloat_bytes(m.pulse)
    for pair in (m.fast, m.slow):
        if pair is not None:
            out += sfloat_bytes(pair[0]) + sfloat_bytes(pair[1])
    out += plx_status_bytes(m.measurement_status, m.device_status, m.pai)
    return bytes(out)


#: ``kiosk decode gatt-plx-continuous``
decode_reading = reading_decoder(decode_plx_continuous)
