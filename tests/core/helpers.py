"""Builders of patient-like test data (fictitious people, valid NIR keys)."""

from __future__ import annotations

from datetime import UTC, datetime

from kiosk.domain import Beneficiary, DeviceInfo, Document, DocumentKind, Reading, ReadingKind, Unit

NIR13 = "1850578006084"
NIR = NIR13 + f"{97 - int(NIR13) % 97:02d}"
LAST_NAME = "Quérémadec"
FIRST_NAME = "Anne-Laure"


def beneficiary(rank: int = 0, *, last: str = LAST_NAME, first: str = FIRST_NAME) -> Beneficiary:
    return Beneficiary(last_name=last, first_name=first, birth_date="19850512", nir=NIR, rank=rank)


def reading(kind: ReadingKind = ReadingKind.BLOOD_PRESSURE, *, intermediate: bool = False):
    return Reading(
        kind=kind,
        unit=Unit.MM_HG,
        values={"systolic": 138.0, "diastolic": 88.0},
        units={"pulse": Unit.PER_MINUTE},
        missing={"pulse": "device reported NaN"},
        device=DeviceInfo(id="tensiometer", model="Advantage", serial="SN1"),
        received_at=datetime(2026, 1, 1, 9, 30, tzinfo=UTC),
        intermediate=intermediate,
    )


def document() -> Document:
    return Document(kind=DocumentKind.PRESCRIPTION, id="rx-1", pdf=b"%PDF-1.4 fake")
