"""The simulated instruments' side of the codecs: a measurement's values -> the bytes sent.

A measurement is the notifications before its record (cuff pressures, a rising temperature,
a searching oximeter) and the record itself, built with :mod:`drivers.ble.gatt`'s encoders.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from drivers.ble import gatt as g
from drivers.ble.sim.profiles import Profile
from drivers.ieee11073 import DateTime, Number, Special
from drivers.types import Unit

#: (notifications before the record as (characteristic, bytes), the record)
Payloads = tuple[list[tuple[int, bytes]], bytes]

DEFAULT_VALUES: dict[Profile, dict[str, Any]] = {
    Profile.BLOOD_PRESSURE: {"systolic": 120, "diastolic": 80, "map": 93, "pulse": 72},
    Profile.THERMOMETER: {"temperature": 37.2, "site": 9},
    Profile.WEIGHT: {"weight": 70.5},
    Profile.PULSE_OXIMETER: {"spo2": 97, "pulse": 64},
}
#: Script keys of a ``measure`` step, per profile (plus :data:`COMMON_MEASURE_KEYS`).
MEASURE_KEYS: dict[Profile, set[str]] = {
    Profile.BLOOD_PRESSURE: {
        "systolic",
        "diastolic",
        "map",
        "pulse",
        "status",
        "user",
        "kpa",
        "cuff",
    },
    Profile.THERMOMETER: {"temperature", "site", "fahrenheit"},
    Profile.WEIGHT: {"weight", "bmi", "height", "body_fat", "imperial"},
    Profile.PULSE_OXIMETER: {"spo2", "pulse", "pai", "search"},
}
#: ``nan``: every value NaN; ``time``: false, "unknown" or ISO; ``steps``: notifications
#: before the record; ``every``: seconds between them.
COMMON_MEASURE_KEYS = {"nan", "time", "steps", "every"}


@dataclass(frozen=True)
class _Measure:
    """One measurement's values (the profile's defaults, overridden) and its time stamp."""

    values: dict[str, Any]
    stamp: DateTime | None

    @property
    def nan(self) -> bool:
        return bool(self.values.get("nan", False))

    @property
    def steps(self) -> int | None:
        return int(self.values["steps"]) if "steps" in self.values else None

    def num(self, name: str) -> Number:
        return Special.NAN if self.nan else float(self.values[name])


def _stamp(value: Any, now: datetime) -> DateTime | None:
    if value is False:
        return None
    if value == "unknown":
        return DateTime(0, 0, 0, 0, 0, 0)
    if isinstance(value, str):
        return DateTime.from_datetime(datetime.fromisoformat(value))
    return DateTime.from_datetime(now)


def _blood_pressure(m: _Measure) -> Payloads:
    v = m.values
    unit = Unit.KPA if v.get("kpa") else Unit.MM_HG
    steps = m.steps
    ramp = [20 + 160 * i // steps for i in range(steps)] if steps is not None else None
    before: list[tuple[int, bytes]] = []
    for pressure in ramp or v.get("cuff", (60, 120, 160)):
        cuff = g.BloodPressure(unit, float(pressure), Special.NAN, Special.NAN)
        before.append((g.INTERMEDIATE_CUFF_PRESSURE, g.encode_blood_pressure(cuff)))
    record = g.encode_blood_pressure(
        g.BloodPressure(
            unit,
            m.num("systolic"),
            m.num("diastolic"),
            m.num("map"),
            m.stamp,
            m.num("pulse"),
            v.get("user"),
            v.get("status"),
        ),
        exponent=-1 if v.get("kpa") else 0,
    )
    return before, record


def _thermometer(m: _Measure) -> Payloads:
    v = m.values
    unit = Unit.FAHRENHEIT if v.get("fahrenheit") else Unit.CELSIUS
    before: list[tuple[int, bytes]] = []
    for i in range(m.steps or 0):
        rising = g.Temperature(unit, round(34 + i * 0.01, 2), intermediate=True)
        before.append((g.INTERMEDIATE_TEMPERATURE, g.encode_temperature(rising)))
    record = g.encode_temperature(g.Temperature(unit, m.num("temperature"), m.stamp, v.get("site")))
    return before, record


def _weight(m: _Measure) -> Payloads:
    v = m.values
    imperial = bool(v.get("imperial"))
    weight = None if m.nan else float(v["weight"])
    before: list[tuple[int, bytes]] = []
    for _ in range(m.steps or 0):  # impedance still being measured: no value yet
        waiting = g.BodyComposition(imperial, None)
        before.append((g.BODY_COMPOSITION_MEASUREMENT, g.encode_body_composition(waiting)))
    if "body_fat" in v:
        composition = g.BodyComposition(
            imperial, None if m.nan else float(v["body_fat"]), m.stamp, weight=weight
        )
        before.append((g.BODY_COMPOSITION_MEASUREMENT, g.encode_body_composition(composition)))
    record = g.encode_weight(
        g.Weight(imperial, weight, m.stamp, None, v.get("bmi"), v.get("height"))
    )
    return before, record


def _pulse_oximeter(m: _Measure) -> Payloads:
    v = m.values
    before: list[tuple[int, bytes]] = []
    steps = m.steps
    for _ in range(steps if steps is not None else int(v.get("search", 2))):
        searching = g.PlxContinuous(Special.NAN, Special.NAN)
        before.append((g.PLX_CONTINUOUS, g.encode_plx_continuous(searching)))
    pai = float(v["pai"]) if "pai" in v else None
    record = g.encode_plx_spot_check(
        g.PlxSpotCheck(m.num("spo2"), m.num("pulse"), m.stamp, pai=pai)
    )
    return before, record


ENCODERS: dict[Profile, Callable[[_Measure], Payloads]] = {
    Profile.BLOOD_PRESSURE: _blood_pressure,
    Profile.THERMOMETER: _thermometer,
    Profile.WEIGHT: _weight,
    Profile.PULSE_OXIMETER: _pulse_oximeter,
}


def measurement(profile: Profile, values: Mapping[str, Any], now: datetime) -> Payloads:
    """The bytes of one measurement of ``profile`` taken at ``now`` (the device's clock)."""
    merged = {**DEFAULT_VALUES[profile], **values}
    return ENCODERS[profile](_Measure(merged, _stamp(merged.get("time"), now)))
