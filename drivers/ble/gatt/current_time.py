"""Current Time 0x2A2B: the value a host writes to set a device's clock (Exact Time 256).

Read back, it is the device's own clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from drivers.ble.gatt.common import Reader
from drivers.ieee11073 import DateTime


@dataclass(frozen=True)
class CurrentTime:
    """Exact Time 256 + adjust reason: date-time, weekday (1 Monday, 0 unknown), 1/256 s."""

    time: DateTime
    weekday: int
    fractions256: int = 0
    adjust_reason: int = 0

    @classmethod
    def of(cls, stamp: datetime, *, adjust_reason: int = 0x01) -> CurrentTime:
        """The value a host writes: ``stamp`` (device-local), reason "manual time update"."""
        return cls(
            DateTime.from_datetime(stamp),
            stamp.isoweekday(),
            stamp.microsecond * 256 // 1_000_000,
            adjust_reason,
        )


def decode_current_time(data: bytes | bytearray) -> CurrentTime:
    r = Reader("current time", data, 10)
    return CurrentTime(r.date_time(), r.u8(), r.u8(), r.u8())


def encode_current_time(m: CurrentTime) -> bytes:
    return m.time.encode() + bytes([m.weekday, m.fractions256, m.adjust_reason])
