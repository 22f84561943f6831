"""What a doctor's waiting-room message carries when the portal serves a region.

A département's portal lists every cabin on the doctor's page (about fifty). A region's has
thousands: a message listing them all would pass the signalling size bound (64 KiB) and cost
every doctor's socket a full copy on every change. Past :data:`ALL_CABINS_UP_TO` cabins the page
lists the cabins that concern a doctor now (a patient in the room or in a call, a staff call)
and says how many cabins there are and how many are online; the room lists the head of the line
(:data:`PATIENTS_LISTED`, in queue order: nobody takes the 300th patient first) with the
doctor's own call always in, and says how many patients there are in all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: Up to this many cabins, the doctor's page lists every cabin (a département has ~50).
ALL_CABINS_UP_TO = 100
#: The head of the line the doctor's page lists (a row is ~170 bytes, a cabin's ~300: with the
#: cabins of these patients, a message stays well under the 64 KiB bound).
PATIENTS_LISTED = 80


@dataclass(frozen=True)
class Counts:
    """The whole portal's cabins, counted once per broadcast round, not once per doctor."""

    cabin_ids: frozenset[str]
    online: int
    #: The cabins whose patient called the staff (listed for every doctor).
    calling: frozenset[str] = frozenset()

    @property
    def total(self) -> int:
        return len(self.cabin_ids)


def head(patients: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first :data:`PATIENTS_LISTED` rows of the line, and the doctor's own beyond them."""
    if len(patients) <= PATIENTS_LISTED:
        return patients
    return patients[:PATIENTS_LISTED] + [p for p in patients[PATIENTS_LISTED:] if p["mine"]]


def cabins_listed(
    counts: Counts, patients: Iterable[dict[str, Any]], staff_calls: Iterable[str]
) -> list[str]:
    """The cabin ids whose rows the doctor's page shows, sorted."""
    if counts.total <= ALL_CABINS_UP_TO:
        return sorted(counts.cabin_ids)
    return sorted({p["cabin_id"] for p in patients} | set(staff_calls))
