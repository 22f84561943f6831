"""A nurse calling one doctor directly (a mallette): the list of doctors a cabin may call, and
the check-in addressed to one of them; merged into :data:`protocol.SIGNAL_SCHEMAS`. Imports
nothing of the project but :mod:`protocol.nurse`; the field type is handed in.

No patient data: a doctor's login and display name, whether they are connected; the nurse's
name and profession (a professional's, already told to the doctor for the assisted act).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from protocol.nurse import PROFESSIONS

#: A doctor as the cabin's list says: a socket open and free, in a call, or not connected.
DOCTOR_STATES = ("available", "busy", "offline")
#: The portal's answer to a check-in addressed to a doctor: the patient waits for them, or
#: no such doctor (unknown login, or a disabled account): the patient is not in the room.
DIRECT_STATES = ("waiting", "unknown")
#: At most this many doctors in one list (a portal's whole roster).
MAX_DOCTORS = 200
NAME_MAX = 80


def doctors_schemas(
    field: Callable[..., Any], *, an_id: Any
) -> tuple[dict[str, Mapping[str, Any]], dict[str, Any], dict[str, Any]]:
    """The new signals, the ``checkin``'s extra fields and the ``queue``'s, built with the
    protocol's field type ``field`` (``protocol.F``)."""
    signals: dict[str, Mapping[str, Any]] = {
        # cabin -> portal: which doctors may the nurse call?
        "doctors_ask": {},
        # portal -> cabin: each enabled doctor account, {"id", "name", "state"} (DOCTOR_STATES)
        "doctors": {"doctors": field(list, max_len=MAX_DOCTORS)},
        # portal -> cabin: the answer to a checkin naming ``doctor_id`` (DIRECT_STATES)
        "direct": {
            "session_id": an_id,
            "doctor_id": an_id,
            "state": field(str, choices=DIRECT_STATES),
        },
    }
    checkin = {
        # the doctor the nurse calls (absent: the general waiting room); the nurse's name
        # and profession, shown to that doctor beside the patient
        "doctor_id": field(str, required=False, max_len=64),
        "nurse_name": field(str, required=False, max_len=NAME_MAX),
        "nurse_profession": field(str, required=False, choices=PROFESSIONS),
    }
    # a patient waiting for one doctor: where that doctor is (DOCTOR_STATES)
    queue = {"doctor": field(str, required=False, choices=DOCTOR_STATES)}
    return signals, checkin, queue


def doctor_entries(items: object) -> list[dict[str, str]]:
    """The well-formed entries of a ``doctors`` list (others dropped): id, name, state."""
    if not isinstance(items, list):
        return []
    entries = []
    for item in items[:MAX_DOCTORS]:
        if not isinstance(item, dict):
            continue
        ident, name, state = item.get("id"), item.get("name"), item.get("state")
        if (
            isinstance(ident, str)
            and 0 < len(ident) <= 64
            and isinstance(name, str)
            and len(name) <= NAME_MAX
            and state in DOCTOR_STATES
        ):
            entries.append({"id": ident, "name": name or ident, "state": str(state)})
    return entries
