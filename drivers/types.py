"""What the hardware hands to the rest of Cabine: card beneficiaries and instrument readings.

Frozen values only; their repr never shows a name, a NIR or a measured value, so one that
slips into a log line carries nothing of the patient.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class ReadingKind(StrEnum):
    """What an instrument measured."""

    BLOOD_PRESSURE = "blood_pressure"
    CUFF_PRESSURE = "cuff_pressure"  # intermediate, while the cuff inflates
    TEMPERATURE = "temperature"
    WEIGHT = "weight"
    BODY_COMPOSITION = "body_composition"
    SPO2 = "spo2"


class Unit(StrEnum):
    """UCUM codes, as printed and as sent to the doctor."""

    MM_HG = "mm[Hg]"
    KPA = "kPa"
    CELSIUS = "Cel"
    FAHRENHEIT = "[degF]"
    KG = "kg"
    POUND = "[lb_av]"
    GRAM = "g"
    PERCENT = "%"
    PER_MINUTE = "/min"
    METRE = "m"
    INCH = "[in_i]"
    KG_PER_M2 = "kg/m2"
    KILOJOULE = "kJ"
    OHM = "Ohm"

    @property
    def symbol(self) -> str:
        """How the unit is written for people (screens, printed sheets)."""
        return _SYMBOLS[self]


_SYMBOLS = {
    Unit.MM_HG: "mmHg",
    Unit.KPA: "kPa",
    Unit.CELSIUS: "°C",
    Unit.FAHRENHEIT: "°F",
    Unit.KG: "kg",
    Unit.POUND: "lb",
    Unit.GRAM: "g",
    Unit.PERCENT: "%",
    Unit.PER_MINUTE: "/min",
    Unit.METRE: "m",
    Unit.INCH: "in",
    Unit.KG_PER_M2: "kg/m²",
    Unit.KILOJOULE: "kJ",
    Unit.OHM: "Ω",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceInfo:
    """Which instrument produced a reading."""

    id: str
    model: str = ""
    serial: str = ""


def _frozen_map(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


@dataclass(frozen=True, kw_only=True, eq=True)
class Reading:
    """One measurement as the device reported it; the runtime relays, it does not interpret.

    ``values`` holds only real numbers. A value the device could not measure (NaN, NRes,
    out of range, "--", missing marker) is never a number: its name is in ``missing`` with the
    device's reason. ``units`` overrides ``unit`` for a value in another unit (the pulse rate
    of a blood-pressure reading is in /min).
    """

    kind: ReadingKind
    unit: Unit
    values: Mapping[str, float]
    device: DeviceInfo
    received_at: datetime
    missing: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[str, Unit] = field(default_factory=dict)
    device_time: datetime | None = None
    flags: frozenset[str] = frozenset()
    intermediate: bool = False

    def __post_init__(self) -> None:
        for name, number in self.values.items():
            if isinstance(number, bool) or not isinstance(number, int | float):
                raise TypeError(f"reading value {name!r} is not a number")
            if not math.isfinite(number):
                raise ValueError(f"reading value {name!r} is not finite; put it in missing")
        both = set(self.values) & set(self.missing)
        if both:
            raise ValueError(f"reading names both valued and missing: {sorted(both)}")
        object.__setattr__(self, "values", _frozen_map(self.values))
        object.__setattr__(self, "missing", _frozen_map(self.missing))
        object.__setattr__(self, "units", _frozen_map(self.units))
        object.__setattr__(self, "flags", frozenset(self.flags))

    def __repr__(self) -> str:
        return f"Reading(kind={self.kind.value}, device={self.device.id}, <values hidden>)"

    __str__ = __repr__

    def __hash__(self) -> int:
        return hash((self.kind, self.device.id, self.received_at))

    @property
    def valid(self) -> bool:
        """True when every value the device reported is a real number."""
        return bool(self.values) and not self.missing

    def unit_of(self, name: str) -> Unit:
        return self.units.get(name, self.unit)

    def to_json(self) -> dict[str, Any]:
        """The JSON shape shared by the CLI, the documents and the doctor's page."""
        return {
            "kind": self.kind.value,
            "unit": self.unit.value,
            "units": {k: v.value for k, v in self.units.items()},
            "values": dict(self.values),
            "missing": dict(self.missing),
            "device": {
                "id": self.device.id,
                "model": self.device.model,
                "serial": self.device.serial,
            },
            "timestamp": self.device_time.isoformat() if self.device_time else None,
            "received_at": self.received_at.isoformat(),
            "flags": sorted(self.flags),
            "intermediate": self.intermediate,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Reading:
        """Inverse of :meth:`to_json`; raises ``ValueError`` naming the bad field."""
        try:
            device = data.get("device") or {}
            stamp = data.get("timestamp")
            return cls(
                kind=ReadingKind(data["kind"]),
                unit=Unit(data["unit"]),
                units={k: Unit(v) for k, v in (data.get("units") or {}).items()},
                values={str(k): float(v) for k, v in (data.get("values") or {}).items()},
                missing={str(k): str(v) for k, v in (data.get("missing") or {}).items()},
                device=DeviceInfo(
                    id=str(device.get("id", "")),
                    model=str(device.get("model", "")),
                    serial=str(device.get("serial", "")),
                ),
                device_time=datetime.fromisoformat(stamp) if stamp else None,
                received_at=datetime.fromisoformat(data["received_at"]),
                flags=frozenset(str(f) for f in data.get("flags") or ()),
                intermediate=bool(data.get("intermediate", False)),
            )
        except KeyError as exc:
            raise ValueError(f"reading: missing field {exc.args[0]!r}") from exc
        except (TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"reading: {exc}") from exc


@dataclass(frozen=True, kw_only=True)
class Beneficiary:
    """One person on a Carte Vitale, as the card says (never 'qualified' as an INS).

    ``birth_date`` is kept as the card's ``AAAAMMJJ`` text: lunar dates have month or day
    ``00`` and are not calendar dates. ``nir`` is the 13-digit number followed by its key.
    """

    last_name: str = field(repr=False)
    first_name: str = field(repr=False)
    birth_date: str = field(repr=False)
    nir: str = field(repr=False)
    rank: int = 0

    def __repr__(self) -> str:
        return f"Beneficiary(rank={self.rank}, <identity hidden>)"

    __str__ = __repr__

    @property
    def masked_nir(self) -> str:
        """The NIR with all but the sex digit hidden, for screens and technician output."""
        if not self.nir:
            return ""
        return self.nir[0] + " •• •• •• ••• ••• ••"

    @property
    def sensitive_strings(self) -> tuple[str, ...]:
        """What must never reach a log line."""
        return tuple(s for s in (self.last_name, self.first_name, self.nir, self.nir[:13]) if s)

    def to_json(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "last_name": self.last_name,
            "first_name": self.first_name,
            "birth_date": self.birth_date,
            "nir": self.nir,
        }
