"""Bluetooth health-profile characteristics: one pure codec each (bytes <-> typed values).

Decoders honour every flag and raise :class:`FrameError` on a payload too short for what its
flags announce; reserved flag bits are ignored and trailing bytes too (later versions of a
profile append fields). Encoders build the same bytes, for the simulator and the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from typing import Any

from drivers.ieee11073 import (
    DateTime,
    Number,
    Special,
    decode_float,
    decode_sfloat,
    encode_float,
    encode_sfloat,
)
from drivers.instrument import FrameError, InstrumentErrorReason
from drivers.types import DeviceInfo, Reading, ReadingKind, Unit

BASE_UUID = "-0000-1000-8000-00805f9b34fb"


def uuid16(short: int) -> str:
    """The full 128-bit UUID string of a SIG-assigned 16-bit UUID, as bleak and BlueZ spell it."""
    return f"0000{short:04x}{BASE_UUID}"


# Services
BLOOD_PRESSURE_SERVICE = 0x1810
HEALTH_THERMOMETER_SERVICE = 0x1809
WEIGHT_SCALE_SERVICE = 0x181D
BODY_COMPOSITION_SERVICE = 0x181B
PULSE_OXIMETER_SERVICE = 0x1822
CURRENT_TIME_SERVICE = 0x1805
DEVICE_INFORMATION_SERVICE = 0x180A

# Characteristics
BLOOD_PRESSURE_MEASUREMENT = 0x2A35
INTERMEDIATE_CUFF_PRESSURE = 0x2A36
TEMPERATURE_MEASUREMENT = 0x2A1C
INTERMEDIATE_TEMPERATURE = 0x2A1E
WEIGHT_MEASUREMENT = 0x2A9D
BODY_COMPOSITION_MEASUREMENT = 0x2A9C
PLX_SPOT_CHECK = 0x2A5E
PLX_CONTINUOUS = 0x2A5F
CURRENT_TIME = 0x2A2B
RECORD_ACCESS_CONTROL_POINT = 0x2A52
MANUFACTURER_NAME = 0x2A29
MODEL_NUMBER = 0x2A24


def _short(what: str, need: int, data: bytes) -> FrameError:
    return FrameError(
        f"{what}: payload of {len(data)} byte(s), its flags need {need}",
        reason=InstrumentErrorReason.UNUSABLE_FRAME,
        data=bytes(data),
    )


class _Reader:
    """Little-endian fields in order; running past the end raises the typed error."""

    def __init__(self, what: str, data: bytes | bytearray, need: int) -> None:
        self.what = what
        self.data = bytes(data)
        self.at = 0
        if len(self.data) < need:
            raise _short(what, need, self.data)

    def _take(self, n: int) -> bytes:
        if self.at + n > len(self.data):
            raise _short(self.what, self.at + n, self.data)
        chunk = self.data[self.at : self.at + n]
        self.at += n
        return chunk

    def u8(self) -> int:
        return self._take(1)[0]

    def u16(self) -> int:
        return int.from_bytes(self._take(2), "little")

    def u24(self) -> int:
        return int.from_bytes(self._take(3), "little")

    def sfloat(self) -> Number:
        return decode_sfloat(self.u16())

    def float32(self) -> Number:
        return decode_float(int.from_bytes(self._take(4), "little"))

    def date_time(self) -> DateTime:
        return DateTime.decode(self._take(DateTime.SIZE))


def _u16(value: int) -> bytes:
    return value.to_bytes(2, "little")


def _sf(value: Number, exponent: int = 0) -> bytes:
    return _u16(encode_sfloat(value, exponent=exponent))


def _split(named: Mapping[str, Number | None]) -> tuple[dict[str, float], dict[str, str]]:
    """Real numbers in ``values``, specials in ``missing`` with their reason; None is absent."""
    values: dict[str, float] = {}
    missing: dict[str, str] = {}
    for name, number in named.items():
        if isinstance(number, Special):
            missing[name] = number.value
        elif number is not None:
            values[name] = number
    return values, missing


def _time_flags(stamp: DateTime | None) -> frozenset[str]:
    if stamp is None or stamp.problem is None:
        return frozenset()
    return frozenset({stamp.problem.value})


def _stamp(stamp: DateTime | None) -> datetime | None:
    return None if stamp is None else stamp.to_datetime()


# -- Blood pressure 0x2A35 / intermediate cuff pressure 0x2A36 ------------------------------

BP_KPA = 0x01
BP_TIME = 0x02
BP_PULSE = 0x04
BP_USER = 0x08
BP_STATUS = 0x10

#: Measurement status bits relayed as flags (bits 3-4 are the pulse-rate range, below).
BP_STATUS_FLAGS = {
    0x0001: "body_movement",
    0x0002: "cuff_loose",
    0x0004: "irregular_pulse",
    0x0020: "improper_position",
}
PULSE_RANGE = {1: "pulse_rate_high", 2: "pulse_rate_low", 3: "pulse_rate_range_reserved"}
UNKNOWN_USER = 0xFF


@dataclass(frozen=True)
class BloodPressure:
    """0x2A35 (or 0x2A36, where ``systolic`` is the current cuff pressure)."""

    unit: Unit
    systolic: Number
    diastolic: Number
    map: Number
    time: DateTime | None = None
    pulse: Number | None = None
    user: int | None = None
    status: int | None = None
    intermediate: bool = False

    @property
    def status_flags(self) -> frozenset[str]:
        if self.status is None:
            return frozenset()
        flags = {name for bit, name in BP_STATUS_FLAGS.items() if self.status & bit}
        pulse_range = self.status >> 3 & 0x03
        if pulse_range:
            flags.add(PULSE_RANGE[pulse_range])
        return frozenset(flags)

    def reading(self, *, device: DeviceInfo, received_at: datetime) -> Reading:
        flags = self.status_flags | _time_flags(self.time)
        if self.user is not None and self.user != UNKNOWN_USER:
            flags |= {f"user:{self.user}"}
        if self.intermediate:
            values, missing = _split({"cuff": self.systolic})
            kind = ReadingKind.CUFF_PRESSURE
            units: dict[str, Unit] = {}
        else:
            values, missing = _split(
                {
                    "systolic": self.systolic,
                    "diastolic": self.diastolic,
                    "map": self.map,
                    "pulse": self.pulse,
                }
            )
            kind = ReadingKind.BLOOD_PRESSURE
            units = {"pulse": Unit.PER_MINUTE}
        return Reading(
            kind=kind,
            unit=self.unit,
            values=values,
            missing=missing,
            units=units,
            device=device,
            received_at=received_at,
            device_time=_stamp(self.time),
            flags=flags,
            intermediate=self.intermediate,
        )


def decode_blood_pressure(data: bytes | bytearray, *, intermediate: bool = False) -> BloodPressure:
    what = "intermediate cuff pressure" if intermediate else "blood pressure measurement"
    r = _Reader(what, data, 7)
    flags = r.u8()
    unit = Unit.KPA if flags & BP_KPA else Unit.MM_HG
    systolic, diastolic, mean = r.sfloat(), r.sfloat(), r.sfloat()
    stamp = r.date_time() if flags & BP_TIME else None
    pulse = r.sfloat() if flags & BP_PULSE else None
    user = r.u8() if flags & BP_USER else None
    status = r.u16() if flags & BP_STATUS else None
    return BloodPressure(unit, systolic, diastolic, mean, stamp, pulse, user, status, intermediate)


def decode_intermediate_cuff_pressure(data: bytes | bytearray) -> BloodPressure:
    return decode_blood_pressure(data, intermediate=True)


def encode_blood_pressure(m: BloodPressure, *, exponent: int = 0) -> bytes:
    flags = (
        (BP_KPA if m.unit is Unit.KPA else 0)
        | (BP_TIME if m.time is not None else 0)
        | (BP_PULSE if m.pulse is not None else 0)
        | (BP_USER if m.user is not None else 0)
        | (BP_STATUS if m.status is not None else 0)
    )
    out = bytearray([flags])
    out += _sf(m.systolic, exponent) + _sf(m.diastolic, exponent) + _sf(m.map, exponent)
    if m.time is not None:
        out += m.time.encode()
    if m.pulse is not None:
        out += _sf(m.pulse)
    if m.user is not None:
        out.append(m.user)
    if m.status is not None:
        out += _u16(m.status)
    return bytes(out)


# -- Temperature 0x2A1C ------------------------------------------------------------------------

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
        values, missing = _split({"temperature": self.value})
        flags = _time_flags(self.time)
        if self.site_name is not None:
            flags |= {f"site:{self.site_name}"}
        return Reading(
            kind=ReadingKind.TEMPERATURE,
            unit=self.unit,
            values=values,
            missing=missing,
            device=device,
            received_at=received_at,
            device_time=_stamp(self.time),
            flags=flags,
            intermediate=self.intermediate,
        )


def decode_temperature(data: bytes | bytearray, *, intermediate: bool = False) -> Temperature:
    r = _Reader("intermediate temperature" if intermediate else "temperature measurement", data, 5)
    flags = r.u8()
    unit = Unit.FAHRENHEIT if flags & TEMP_FAHRENHEIT else Unit.CELSIUS
    value = r.float32()
    stamp = r.date_time() if flags & TEMP_TIME else None
    site = r.u8() if flags & TEMP_TYPE else None
    return Temperature(unit, value, stamp, site, intermediate)


def decode_intermediate_temperature(data: bytes | bytearray) -> Temperature:
    return decode_temperature(data, intermediate=True)


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


# -- Weight 0x2A9D and body composition 0x2A9C ------------------------------------------------

WEIGHT_IMPERIAL = 0x01
WEIGHT_TIME = 0x02
WEIGHT_USER = 0x04
WEIGHT_BMI_HEIGHT = 0x08
#: A weight (or body fat) of 0xFFFF: the scale could not measure.
UNSUCCESSFUL = 0xFFFF
UNSUCCESSFUL_REASON = "measurement_unsuccessful"


def _mass(raw: int, imperial: bool) -> float:
    # SI 0.005 kg, imperial 0.01 lb; rounded to the resolution so 70.5 stays 70.5
    return round(raw * 0.01, 2) if imperial else round(raw * 0.005, 3)


def _mass_raw(value: float, imperial: bool) -> int:
    return round(value / 0.01) if imperial else round(value / 0.005)


def _height(raw: int, imperial: bool) -> float:
    return round(raw * 0.1, 1) if imperial else round(raw * 0.001, 3)


def _height_raw(value: float, imperial: bool) -> int:
    return round(value / 0.1) if imperial else round(value / 0.001)


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
        flags = _time_flags(self.time)
        if self.user is not None and self.user != UNKNOWN_USER:
            flags |= {f"user:{self.user}"}
        return Reading(
            kind=ReadingKind.WEIGHT,
            unit=Unit.POUND if self.imperial else Unit.KG,
            values=values,
            missing=missing,
            units=units,
            device=device,
            received_at=received_at,
            device_time=_stamp(self.time),
            flags=flags,
        )


def decode_weight(data: bytes | bytearray) -> Weight:
    r = _Reader("weight measurement", data, 3)
    flags = r.u8()
    imperial = bool(flags & WEIGHT_IMPERIAL)
    raw = r.u16()
    stamp = r.date_time() if flags & WEIGHT_TIME else None
    user = r.u8() if flags & WEIGHT_USER else None
    bmi = height = None
    if flags & WEIGHT_BMI_HEIGHT:
        bmi = round(r.u16() * 0.1, 1)
        height = _height(r.u16(), imperial)
    weight = None if raw == UNSUCCESSFUL else _mass(raw, imperial)
    return Weight(imperial, weight, stamp, user, bmi, height)


def encode_weight(m: Weight) -> bytes:
    flags = (
        (WEIGHT_IMPERIAL if m.imperial else 0)
        | (WEIGHT_TIME if m.time is not None else 0)
        | (WEIGHT_USER if m.user is not None else 0)
        | (WEIGHT_BMI_HEIGHT if m.bmi is not None and m.height is not None else 0)
    )
    raw = UNSUCCESSFUL if m.weight is None else _mass_raw(m.weight, m.imperial)
    out = bytearray([flags]) + _u16(raw)
    if m.time is not None:
        out += m.time.encode()
    if m.user is not None:
        out.append(m.user)
    if m.bmi is not None and m.height is not None:
        out += _u16(round(m.bmi / 0.1)) + _u16(_height_raw(m.height, m.imperial))
    return bytes(out)


BC_IMPERIAL = 0x0001
BC_TIME = 0x0002
BC_USER = 0x0004
BC_BASAL_METABOLISM = 0x0008
BC_MUSCLE_PERCENT = 0x0010
BC_MUSCLE_MASS = 0x0020
BC_FAT_FREE_MASS = 0x0040
BC_SOFT_LEAN_MASS = 0x0080
BC_BODY_WATER_MASS = 0x0100
BC_IMPEDANCE = 0x0200
BC_WEIGHT = 0x0400
BC_HEIGHT = 0x0800
BC_MULTIPLE_PACKET = 0x1000

#: Optional mass fields, in payload order, with their flag.
BC_MASSES = (
    ("muscle_mass", BC_MUSCLE_MASS),
    ("fat_free_mass", BC_FAT_FREE_MASS),
    ("soft_lean_mass", BC_SOFT_LEAN_MASS),
    ("body_water_mass", BC_BODY_WATER_MASS),
)


@dataclass(frozen=True)
class BodyComposition:
    """0x2A9C. ``body_fat`` None: 0xFFFF, measurement unsuccessful. Basal metabolism is in
    kJ, impedance in ohm."""

    imperial: bool
    body_fat: float | None
    time: DateTime | None = None
    user: int | None = None
    basal_metabolism: int | None = None
    muscle_percentage: float | None = None
    masses: Mapping[str, float] = field(default_factory=dict)
    impedance: float | None = None
    weight: float | None = None
    height: float | None = None
    multiple_packet: bool = False

    def reading(self, *, device: DeviceInfo, received_at: datetime) -> Reading:
        mass_unit = Unit.POUND if self.imperial else Unit.KG
        values: dict[str, float] = {}
        missing: dict[str, str] = {}
        units: dict[str, Unit] = {}
        if self.body_fat is None:
            missing["body_fat"] = UNSUCCESSFUL_REASON
        else:
            values["body_fat"] = self.body_fat
        if self.muscle_percentage is not None:
            values["muscle_percentage"] = self.muscle_percentage
        for name, number in (*self.masses.items(), ("weight", self.weight)):
            if number is not None:
                values[name] = number
                units[name] = mass_unit
        if self.height is not None:
            values["height"] = self.height
            units["height"] = Unit.INCH if self.imperial else Unit.METRE
        if self.basal_metabolism is not None:
            values["basal_metabolism"] = float(self.basal_metabolism)
            units["basal_metabolism"] = Unit.KILOJOULE
        if self.impedance is not None:
            values["impedance"] = self.impedance
            units["impedance"] = Unit.OHM
        flags = _time_flags(self.time)
        if self.multiple_packet:
            flags |= {"multiple_packet"}
        if self.user is not None and self.user != UNKNOWN_USER:
            flags |= {f"user:{self.user}"}
        return Reading(
            kind=ReadingKind.BODY_COMPOSITION,
            unit=Unit.PERCENT,
            values=values,
            missing=missing,
            units=units,
            device=device,
            received_at=received_at,
            device_time=_stamp(self.time),
            flags=flags,
        )


def decode_body_composition(data: bytes | bytearray) -> BodyComposition:
    r = _Reader("body composition measurement", data, 4)
    flags = r.u16()
    imperial = bool(flags & BC_IMPERIAL)
    fat_raw = r.u16()
    stamp = r.date_time() if flags & BC_TIME else None
    user = r.u8() if flags & BC_USER else None
    basal = r.u16() if flags & BC_BASAL_METABOLISM else None
    muscle_pct = round(r.u16() * 0.1, 1) if flags & BC_MUSCLE_PERCENT else None
    masses = {name: _mass(r.u16(), imperial) for name, bit in BC_MASSES if flags & bit}
    impedance = round(r.u16() * 0.1, 1) if flags & BC_IMPEDANCE else None
    weight = _mass(r.u16(), imperial) if flags & BC_WEIGHT else None
    height = _height(r.u16(), imperial) if flags & BC_HEIGHT else None
    return BodyComposition(
        imperial=imperial,
        body_fat=None if fat_raw == UNSUCCESSFUL else round(fat_raw * 0.1, 1),
        time=stamp,
        user=user,
        basal_metabolism=basal,
        muscle_percentage=muscle_pct,
        masses=masses,
        impedance=impedance,
        weight=weight,
        height=height,
        multiple_packet=bool(flags & BC_MULTIPLE_PACKET),
    )


def encode_body_composition(m: BodyComposition) -> bytes:
    flags = (
        (BC_IMPERIAL if m.imperial else 0)
        | (BC_TIME if m.time is not None else 0)
        | (BC_USER if m.user is not None else 0)
        | (BC_BASAL_METABOLISM if m.basal_metabolism is not None else 0)
        | (BC_MUSCLE_PERCENT if m.muscle_percentage is not None else 0)
        | sum(bit for name, bit in BC_MASSES if name in m.masses)
        | (BC_IMPEDANCE if m.impedance is not None else 0)
        | (BC_WEIGHT if m.weight is not None else 0)
        | (BC_HEIGHT if m.height is not None else 0)
        | (BC_MULTIPLE_PACKET if m.multiple_packet else 0)
    )
    fat = UNSUCCESSFUL if m.body_fat is None else round(m.body_fat / 0.1)
    out = bytearray(_u16(flags) + _u16(fat))
    if m.time is not None:
        out += m.time.encode()
    if m.user is not None:
        out.append(m.user)
    if m.basal_metabolism is not None:
        out += _u16(m.basal_metabolism)
    if m.muscle_percentage is not None:
        out += _u16(round(m.muscle_percentage / 0.1))
    for name, _bit in BC_MASSES:
        if name in m.masses:
            out += _u16(_mass_raw(m.masses[name], m.imperial))
    if m.impedance is not None:
        out += _u16(round(m.impedance / 0.1))
    if m.weight is not None:
        out += _u16(_mass_raw(m.weight, m.imperial))
    if m.height is not None:
        out += _u16(_height_raw(m.height, m.imperial))
    return bytes(out)


# -- Pulse oximeter: spot-check 0x2A5E, continuous 0x2A5F -------------------------------------

SPOT_TIME = 0x01
SPOT_MEASUREMENT_STATUS = 0x02
SPOT_DEVICE_STATUS = 0x04
SPOT_PAI = 0x08
SPOT_CLOCK_NOT_SET = 0x10

CONT_FAST = 0x01
CONT_SLOW = 0x02
CONT_MEASUREMENT_STATUS = 0x04
CONT_DEVICE_STATUS = 0x08
CONT_PAI = 0x10

PLX_MEASUREMENT_STATUS = {
    1 << 5: "measurement_ongoing",
    1 << 6: "early_estimated_data",
    1 << 7: "validated_data",
    1 << 8: "fully_qualified_data",
    1 << 9: "data_from_storage",
    1 << 10: "demonstration_data",
    1 << 11: "testing_data",
    1 << 12: "calibration_ongoing",
    1 << 13: "measurement_unavailable",
    1 << 14: "questionable_measurement",
    1 << 15: "invalid_measurement",
}
PLX_DEVICE_STATUS = {
    1 << 0: "extended_display_update",
    1 << 1: "equipment_malfunction",
    1 << 2: "signal_processing_irregularity",
    1 << 3: "inadequate_signal",
    1 << 4: "poor_signal",
    1 << 5: "low_perfusion",
    1 << 6: "erratic_signal",
    1 << 7: "nonpulsatile_signal",
    1 << 8: "questionable_pulse",
    1 << 9: "signal_analysis_ongoing",
    1 << 10: "sensor_interference",
    1 << 11: "sensor_unconnected",
    1 << 12: "unknown_sensor",
    1 << 13: "sensor_displaced",
    1 << 14: "sensor_malfunction",
    1 << 15: "sensor_disconnected",
}


def _bits(value: int | None, names: Mapping[int, str]) -> frozenset[str]:
    if value is None:
        return frozenset()
    return frozenset(name for bit, name in names.items() if value & bit)


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
        values, missing = _split({"spo2": self.spo2, "pulse": self.pulse, "pai": self.pai})
        flags = (
            _bits(self.measurement_status, PLX_MEASUREMENT_STATUS)
            | _bits(self.device_status, PLX_DEVICE_STATUS)
            | _time_flags(self.time)
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
            device_time=None if self.clock_not_set else _stamp(self.time),
            flags=flags,
        )


def decode_plx_spot_check(data: bytes | bytearray) -> PlxSpotCheck:
    r = _Reader("PLX spot-check measurement", data, 5)
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
    out = bytearray([flags]) + _sf(m.spo2) + _sf(m.pulse)
    if m.time is not None:
        out += m.time.encode()
    if m.measurement_status is not None:
        out += _u16(m.measurement_status)
    if m.device_status is not None:
        out += m.device_status.to_bytes(3, "little")
    if m.pai is not None:
        out += _sf(m.pai, -2)
    return bytes(out)


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
        values, missing = _split(named)
        return Reading(
            kind=ReadingKind.SPO2,
            unit=Unit.PERCENT,
            values=values,
            missing=missing,
            units=units,
            device=device,
            received_at=received_at,
            flags=_bits(self.measurement_status, PLX_MEASUREMENT_STATUS)
            | _bits(self.device_status, PLX_DEVICE_STATUS),
        )


def decode_plx_continuous(data: bytes | bytearray) -> PlxContinuous:
    r = _Reader("PLX continuous measurement", data, 5)
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
    out = bytearray([flags]) + _sf(m.spo2) + _sf(m.pulse)
    for pair in (m.fast, m.slow):
        if pair is not None:
            out += _sf(pair[0]) + _sf(pair[1])
    if m.measurement_status is not None:
        out += _u16(m.measurement_status)
    if m.device_status is not None:
        out += m.device_status.to_bytes(3, "little")
    if m.pai is not None:
        out += _sf(m.pai, -2)
    return bytes(out)


# -- Current Time 0x2A2B -------------------------------------------------------------------


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
    r = _Reader("current time", data, 10)
    return CurrentTime(r.date_time(), r.u8(), r.u8(), r.u8())


def encode_current_time(m: CurrentTime) -> bytes:
    return m.time.encode() + bytes([m.weekday, m.fractions256, m.adjust_reason])


# -- Record Access Control Point 0x2A52 ------------------------------------------------------


class RacpOp(IntEnum):
    REPORT_STORED_RECORDS = 1
    DELETE_STORED_RECORDS = 2
    ABORT = 3
    REPORT_NUMBER_OF_RECORDS = 4
    NUMBER_OF_RECORDS_RESPONSE = 5
    RESPONSE_CODE = 6


class RacpOperator(IntEnum):
    NULL = 0
    ALL = 1
    LESS_OR_EQUAL = 2
    GREATER_OR_EQUAL = 3
    WITHIN_RANGE = 4
    FIRST = 5
    LAST = 6


class RacpResponse(IntEnum):
    SUCCESS = 1
    OP_CODE_NOT_SUPPORTED = 2
    INVALID_OPERATOR = 3
    OPERATOR_NOT_SUPPORTED = 4
    INVALID_OPERAND = 5
    NO_RECORDS_FOUND = 6
    ABORT_UNSUCCESSFUL = 7
    PROCEDURE_NOT_COMPLETED = 8
    OPERAND_NOT_SUPPORTED = 9


@dataclass(frozen=True)
class Racp:
    """One RACP value: a request (host -> device) or a response (device -> host)."""

    op: RacpOp
    operator: RacpOperator = RacpOperator.NULL
    operand: bytes = b""

    @property
    def count(self) -> int:
        """The record count of a NUMBER_OF_RECORDS_RESPONSE."""
        return int.from_bytes(self.operand[:2], "little")

    @property
    def request_op(self) -> int:
        """The request a RESPONSE_CODE answers."""
        return self.operand[0]

    @property
    def response(self) -> RacpResponse | int:
        """The result of a RESPONSE_CODE (an int when the code is not one we know)."""
        code = self.operand[1]
        try:
            return RacpResponse(code)
        except ValueError:
            return code


def decode_racp(data: bytes | bytearray) -> Racp:
    r = _Reader("record access control point", data, 2)
    op_raw, operator_raw = r.u8(), r.u8()
    try:
        op = RacpOp(op_raw)
        operator = RacpOperator(operator_raw)
    except ValueError as exc:
        raise FrameError(
            f"record access control point: unknown op code {op_raw} or operator {operator_raw}",
            reason=InstrumentErrorReason.UNUSABLE_FRAME,
            data=bytes(data),
        ) from exc
    operand = r.data[r.at :]
    need = {RacpOp.NUMBER_OF_RECORDS_RESPONSE: 2, RacpOp.RESPONSE_CODE: 2}.get(op, 0)
    if len(operand) < need:
        raise _short("record access control point", 2 + need, r.data)
    return Racp(op, operator, operand)


def encode_racp(m: Racp) -> bytes:
    return bytes([m.op, m.operator]) + m.operand


def racp_response(request_op: int, code: RacpResponse) -> Racp:
    return Racp(RacpOp.RESPONSE_CODE, RacpOperator.NULL, bytes([request_op, code]))


# -- Lookup --------------------------------------------------------------------------------

#: Decoder of each measurement characteristic (16-bit UUID -> bytes -> value with .reading()).
MEASUREMENT_DECODERS: dict[int, Callable[[bytes | bytearray], Any]] = {
    BLOOD_PRESSURE_MEASUREMENT: decode_blood_pressure,
    INTERMEDIATE_CUFF_PRESSURE: decode_intermediate_cuff_pressure,
    TEMPERATURE_MEASUREMENT: decode_temperature,
    INTERMEDIATE_TEMPERATURE: decode_intermediate_temperature,
    WEIGHT_MEASUREMENT: decode_weight,
    BODY_COMPOSITION_MEASUREMENT: decode_body_composition,
    PLX_SPOT_CHECK: decode_plx_spot_check,
    PLX_CONTINUOUS: decode_plx_continuous,
}

#: ``kiosk decode`` profile names.
DECODE_PROFILES: dict[str, Callable[[bytes | bytearray], Any]] = {
    "gatt-blood-pressure": decode_blood_pressure,
    "gatt-cuff-pressure": decode_intermediate_cuff_pressure,
    "gatt-temperature": decode_temperature,
    "gatt-intermediate-temperature": decode_intermediate_temperature,
    "gatt-weight": decode_weight,
    "gatt-body-composition": decode_body_composition,
    "gatt-plx-spot": decode_plx_spot_check,
    "gatt-plx-continuous": decode_plx_continuous,
}
