"""A scripted consultation's readings, as the drivers' own parsers make them from the bytes
the instruments send: a cuff that fails (air leak) then succeeds, a BLE thermometer, a BLE
scale with BMI and body fat, a Nonin oximeter. Shared by the FHIR tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from drivers.decoding import decode
from drivers.nonin.protocol import NoninPacket
from drivers.suntech.protocol import BPData
from kiosk.domain import DeviceInfo, Reading

SESSION_ID = "3f6c0a9e2b7d4e1f"
#: The cabin's local time (a device's own clock reads it): Paris in winter.
PARIS = timezone(timedelta(hours=1))
#: When the first reading reached the cabin.
START = datetime(2026, 12, 3, 9, 31, 0, tzinfo=UTC)
#: When the doctor asked for the bundle.
NOW = datetime(2026, 12, 3, 9, 40, 0, tzinfo=UTC)

TENSIOMETER = DeviceInfo(id="tensiometer", model="SunTech Advantage")
THERMOMETER = DeviceInfo(id="thermometer", model="BLE thermometer")
SCALE = DeviceInfo(id="scale", model="BLE scale", serial="SC-0042")
OXIMETER = DeviceInfo(id="oximeter", model="Nonin OEM III")

#: What the doctor's page received as the identity (data channel), a card's beneficiary.
IDENTITY: dict[str, Any] = {
    "last_name": "Martin",
    "first_name": "Jeanne",
    "birth_date": "19850612",
    "nir": "285067505607843",
    "consent_time": "2026-12-03T09:28:00+00:00",
    "session_id": SESSION_ID,
    "source": "card",
}


def _at(minutes: int, seconds: int = 0) -> datetime:
    return START + timedelta(minutes=minutes, seconds=seconds)


def _frame(profile: str, data: str, device: DeviceInfo, received_at: datetime) -> Reading:
    """One frame through its driver's parser, as the instrument's driver hands it on: the
    device's (naive) clock is the cabin's local time."""
    reading = replace(decode(profile, data, received_at=received_at), device=device)
    if reading.device_time is not None:
        reading = replace(reading, device_time=reading.device_time.replace(tzinfo=PARIS))
    return reading


def readings() -> list[Reading]:
    """The session's stored readings, in order (numbered 1... as on the data channel)."""
    leak = BPData(systolic=0, diastolic=0, map=0, pulse=0, beats=0, status=0, error=87)
    return [
        # 1: the cuff leaks: no valid measurement, the module's reason
        leak.reading(device=TENSIOMETER, received_at=_at(0)),
        # 2: 115/74 mmHg, MAP 88, pulse 85 (the module has no clock)
        _frame(
            "suntech-advantage",
            "3E 18 73 00 4A 00 1E 01 00 00 00 00 00 00 31 07 55 00 58 00 00 00 00 E9",
            TENSIOMETER,
            _at(1, 30),
        ),
        # 3: 37.60 °C at the armpit, stamped 10:33:10 by the thermometer
        _frame(
            "gatt-temperature", "06 B0 0E 00 FE EA 07 0C 03 0A 21 0A 01", THERMOMETER, _at(2, 12)
        ),
        # 4: 70.5 kg, BMI 24.4 (height 1.70 m, the scale's setting), stamped 10:36:05
        _frame("gatt-weight", "0A 14 37 EA 07 0C 03 0A 24 05 F4 00 A4 06", SCALE, _at(5, 7)),
        # 5: 22.5 % body fat from the same scale, stamped 10:36:06
        _frame("gatt-body-composition", "02 00 E1 00 EA 07 0C 03 0A 24 06", SCALE, _at(5, 8)),
        # 6: SpO2 97 %, pulse 72 /min
        NoninPacket(pulse=72, spo2=97, status=0x80).reading(device=OXIMETER, received_at=_at(7)),
    ]
