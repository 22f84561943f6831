"""Domain types of the kiosk core: documents, plus the hardware values it relays."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum

from drivers.types import Beneficiary, DeviceInfo, Reading, ReadingKind, Unit

__all__ = [
    "Beneficiary",
    "DeviceInfo",
    "Document",
    "DocumentKind",
    "Reading",
    "ReadingKind",
    "Unit",
]


class DocumentKind(StrEnum):
    RESULTS = "results"  # readings sheet composed by the kiosk
    PRESCRIPTION = "prescription"  # composed by the kiosk from the doctor's form
    UPLOADED_PRESCRIPTION = "uploaded_prescription"  # PDF from the doctor's software
    GP_REPORT = "gp_report"  # the doctor's report for the patient's GP, composed by the kiosk


@dataclass(frozen=True, kw_only=True)
class Document:
    """A PDF to print for the patient; its bytes never appear in a repr."""

    kind: DocumentKind
    id: str
    pdf: bytes = field(repr=False)
    sha256: str = ""

    def __post_init__(self) -> None:
        digest = hashlib.sha256(self.pdf).hexdigest()
        if self.sha256 and self.sha256 != digest:
            raise ValueError("document hash does not match its content")
        object.__setattr__(self, "sha256", digest)

    def __repr__(self) -> str:
        return f"Document(kind={self.kind.value}, id={self.id}, {len(self.pdf)} bytes)"
