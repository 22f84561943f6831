"""Body Composition Measurement 0x2A9C: body fat and the other masses a scale's electrodes give.

A body fat of 0xFFFF (measurement unsuccessful) decodes to ``body_fat`` None, relayed as
missing; basal metabolism is in kJ, impedance in ohm.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
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
        flags = time_flags(self.time) | user_flags(self.user)
        if self.multiple_packet:
            flags |= {"multiple_packet"}
        return Reading(
            kind=ReadingKind.BODY_COMPOSITION,
            unit=Unit.PERCENT,
            values=values,
            missing=missing,
            units=units,
            device=device,
            received_at=received_at,
            device_time=device_time(self.time),
            flags=flags,
        )


def decode_body_composition(data: bytes | bytearray) -> BodyComposition:
    r = Reader("body composition measurement", data, 4)
    flags = r.u16()
    imperial = bool(flags & BC_IMPERIAL)
    fat_raw = r.u16()
    stamp = r.date_time() if flags & BC_TIME else None
    user = r.u8() if flags & BC_USER else None
    basal = r.u16() if flags & BC_BASAL_METABOLISM else None
    muscle_pct = tenths(r.u16()) if flags & BC_MUSCLE_PERCENT else None
    masses = {name: mass(r.u16(), imperial) for name, bit in BC_MASSES if flags & bit}
    impedance = tenths(r.u16()) if flags & BC_IMPEDANCE else None
    weight = mass(r.u16(), imperial) if flags & BC_WEIGHT else None
    tall = height(r.u16(), imperial) if flags & BC_HEIGHT else None
    return BodyComposition(
        imperial=imperial,
        body_fat=None if fat_raw == UNSUCCESSFUL else tenths(fat_raw),
        time=stamp,
        user=user,
        basal_metabolism=basal,
        muscle_percentage=muscle_pct,
        masses=masses,
        impedance=impedance,
        weight=weight,
        height=tall,
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
    fat = UNSUCCESSFUL if m.body_fat is None else tenths_raw(m.body_fat)
    out = bytearray(le16(flags) + le16(fat))
    if m.time is not None:
        out += m.time.encode()
    if m.user is not None:
        out.append(m.user)
    if m.basal_metabolism is not None:
        out += le16(m.basal_metabolism)
    if m.muscle_percentage is not None:
        out += le16(tenths_raw(m.muscle_percentage))
    for name, _bit in BC_MASSES:
        if name in m.masses:
            out += le16(mass_raw(m.masses[name], m.imperial))
    if m.impedance is not None:
        out += le16(tenths_raw(m.impedance))
    if m.weight is not None:
        out += le16(mass_raw(m.weight, m.imperial))
    if m.height is not None:
        out += le16(height_raw(m.height, m.imperial))
    return bytes(out)


#: ``kiosk decode gatt-body-composition``
decode_reading = reading_decoder(decode_body_composition)
