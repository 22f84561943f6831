"""A nurse calls one doctor directly (a mallette): the list of doctors a cabin may call, and
the patient addressed to one doctor, whom that doctor alone sees and takes.

The hub and the mesh call these few functions; a patient not addressed (``doctor_id`` "")
is the general waiting room's, seen and taken by every doctor as before. Other doctors do
not see an addressed patient at all: the nurse asked for one doctor by name, and a row
nobody else may take would only crowd every other doctor's list. When that doctor is not
connected, the cabin is told (``queue``'s ``doctor``) and the nurse may move the patient to
the general room, keeping their arrival time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from portal import security
from protocol import ErrorCode, ProtocolError

if TYPE_CHECKING:
    from portal.hub import Hub
    from portal.presence import Patient, Peer

log = security.escaped_logger(__name__)


def doctor_state(hub: Hub, doctor_id: str) -> str:
    """``available`` (a socket open, here or on another instance), ``busy`` (in a call),
    or ``offline``."""
    here = any(d.ident == doctor_id for d in hub.doctors)
    mesh = hub.mesh
    elsewhere = mesh is not None and bool(mesh.on_duty.get(doctor_id, set()) - {mesh.instance})
    if not (here or elsewhere):
        return "offline"
    now, grace = hub.clock(), hub.cfg.limits.reclaim_grace_s
    busy = any(p.taken_by == doctor_id and p.busy(now, grace) for p in hub.patients.values())
    if mesh is not None:
        busy = busy or any(e.taken_by == doctor_id for e in mesh.remote)
    return "busy" if busy else "available"


def doctor_list(hub: Hub) -> list[dict[str, str]]:
    """Every enabled doctor account, available first, then by name (nothing of patients)."""
    rank = {"available": 0, "busy": 1, "offline": 2}
    doctors = [
        {"id": login, "name": account.name[:80], "state": doctor_state(hub, login)}
        for login, account in hub.cfg.doctors.items()
    ]
    return sorted(doctors, key=lambda d: (rank[d["state"]], d["name"].casefold(), d["id"]))


async def ask(hub: Hub, peer: Peer, _msg: dict[str, Any]) -> None:
    """A cabin's ``doctors_ask``: the doctors its nurse may call."""
    await peer.send("doctors", doctors=doctor_list(hub))


async def known(hub: Hub, peer: Peer, msg: dict[str, Any]) -> bool:
    """A checkin naming a doctor who has no enabled account: the cabin is told (``direct``
    ``unknown``) and the patient is not put in the room (False); True otherwise."""
    doctor_id = msg.get("doctor_id", "")
    if not doctor_id or doctor_id in hub.cfg.doctors:
        return True
    log.info("cabin %s: session %s asked for an unknown doctor", peer.ident, msg["session_id"])
    await peer.send("direct", session_id=msg["session_id"], doctor_id=doctor_id, state="unknown")
    return False


async def address(peer: Peer, patient: Patient, msg: dict[str, Any]) -> None:
    """The patient waits for the doctor the checkin names, or (none named) in the general
    room: a switch keeps the patient's arrival time, so their place."""
    doctor_id = msg.get("doctor_id", "")
    if doctor_id != patient.doctor_id:
        where = f"waits for doctor {doctor_id}" if doctor_id else "in the general room"
        log.info("cabin %s: session %s %s", peer.ident, patient.session_id, where)
    patient.doctor_id = doctor_id
    patient.nurse_name = msg.get("nurse_name", "") if doctor_id else ""
    patient.nurse_profession = msg.get("nurse_profession", "") if doctor_id else ""
    if doctor_id:
        await peer.send("direct", session_id=patient.session_id, doctor_id=doctor_id,
                        state="waiting")  # fmt: skip


def visible(entry: Any, doctor_id: str) -> bool:
    """Whether ``doctor_id`` sees this patient (a Patient or a RoomEntry)."""
    return not entry.doctor_id or entry.doctor_id == doctor_id


def row(entry: Any, doctor_id: str) -> dict[str, Any]:
    """The waiting-room row's fields for a patient addressed to ``doctor_id``."""
    if not entry.doctor_id or entry.doctor_id != doctor_id:
        return {}
    return {
        "asked_for_you": True,
        "nurse": entry.nurse_name,
        "nurse_profession": entry.nurse_profession,
    }


def first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The patients who asked for this doctor first, the others in the room's order."""
    return sorted(rows, key=lambda r: not r.get("asked_for_you"))


def check_take(patient: Patient, doctor_id: str) -> None:
    """Only the doctor a patient asked for takes them."""
    if patient.doctor_id and patient.doctor_id != doctor_id:
        log.info("doctor %s: session %s asked for another doctor", doctor_id, patient.session_id)
        raise ProtocolError(ErrorCode.TAKEN, "this patient asked for another doctor", ref="take")


def queue_fields(hub: Hub, patient: Any) -> dict[str, Any]:
    """A waiting patient's ``queue`` extra: where the doctor they wait for is."""
    return {"doctor": doctor_state(hub, patient.doctor_id)} if patient.doctor_id else {}
