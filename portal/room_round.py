"""One waiting-room round: the rows every doctor's room is made of, built once.

A doctor's room is the same line for every doctor but for a few rows: the doctor's own call
(``mine``, its call id) and the patients a nurse addressed to that doctor (seen by nobody else).
A round builds each patient's row and each listed cabin's row once; a doctor with nothing of
their own gets the message shared by all of them, encoded once; the others get the shared rows
with their own few rows marked. With 200 doctors, a round no longer builds and encodes 200 full
rooms (tens of milliseconds each time a patient checks in or is taken, with the portal's loop
held meanwhile).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import protocol
from portal import direct, room_view
from portal.cluster.base import RoomEntry, queue_order
from portal.hours import where_today

if TYPE_CHECKING:
    from portal.hub import Hub
    from portal.presence import Patient


@dataclass(frozen=True)
class _Row:
    """A patient's row as any doctor sees it, and what makes it someone's own."""

    fields: dict[str, Any]
    taken_by: str
    call_id: str
    #: the doctor a nurse called (the row is that doctor's only), else ""
    doctor_id: str
    nurse_name: str
    nurse_profession: str

    def seen_by(self, doctor_id: str) -> dict[str, Any]:
        mine = bool(doctor_id) and self.taken_by == doctor_id
        if not mine and (not doctor_id or self.doctor_id != doctor_id):
            return self.fields  # shared, not copied
        return {
            **self.fields,
            "mine": mine,
            "call_id": self.call_id if mine else "",
            **direct.row(self, doctor_id),
        }


class Round:
    """The rooms of one moment: ``view(doctor)`` for the page, ``encoded(doctor)`` to send."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.now = hub.clock()
        self.stale_after = 3 * hub.cfg.server.heartbeat_s
        self.counts = hub.counts()
        self.booking = hub.appointments is not None
        self.rows = self._rows()
        #: the doctors with a row of their own (a call, a nurse's direct call)
        self.concerned = {r.taken_by for r in self.rows} | {r.doctor_id for r in self.rows}
        self.concerned.discard("")
        self._cabins: dict[str, dict[str, Any]] = {}
        self._shared: str | None = None

    def view(self, doctor_id: str) -> dict[str, Any]:
        """``doctor_id``'s waiting room (the ``waiting_room`` message's fields)."""
        patients = [
            r.seen_by(doctor_id) for r in self.rows if not r.doctor_id or r.doctor_id == doctor_id
        ]
        if doctor_id in self.concerned:
            patients = direct.first(patients)  # who asked for this doctor, first
        listed = room_view.head(patients)
        ids = room_view.cabins_listed(self.counts, listed, self.counts.calling)
        return {
            "patients": listed,
            "cabins": [self._cabin(cabin_id) for cabin_id in ids],
            "patients_total": len(patients),
            "cabins_total": self.counts.total,
            "cabins_online": self.counts.online,
        }

    def encoded(self, doctor_id: str) -> str:
        """The ``waiting_room`` message for ``doctor_id``, encoded once for all the doctors
        with nothing of their own."""
        if doctor_id in self.concerned:
            return protocol.signal("waiting_room", **self.view(doctor_id))
        if self._shared is None:
            self._shared = protocol.signal("waiting_room", **self.view(""))
        return self._shared

    # -- built once a round ------------------------------------------------------------------

    def _rows(self) -> list[_Row]:
        hub, mesh = self.hub, self.hub.mesh
        grace = hub.cfg.limits.reclaim_grace_s
        keyed: list[tuple[tuple[int, int, float], _Row]] = []
        for p in hub.patients.values():
            if not hub.online(hub.cabins.get(p.cabin_id), self.now, self.stale_after):
                continue
            # with other instances, the order is of the shared (wall clock) arrival times
            key = queue_order(mesh.entry(p) if mesh is not None else p)
            keyed.append((key, self._row(p, p.busy(self.now, grace), self.now - p.since)))
        if mesh is not None:  # and the other instances' patients
            wall = hub.wall()
            keyed += [(queue_order(e), self._row(e, bool(e.taken_by), wall - e.since))
                      for e in mesh.remote]  # fmt: skip
        keyed.sort(key=lambda pair: pair[0])
        return [row for _, row in keyed]

    def _row(self, p: Patient | RoomEntry, busy: bool, waited: float) -> _Row:
        fields = {
            "cabin_id": p.cabin_id,
            "session_id": p.session_id,
            "waiting_s": round(waited, 1),
            "state": "taken" if busy else "waiting",
            "mine": False,
            "call_id": "",
            # with appointments: booked (and its slot) or a walk-in
            **({"booked": bool(p.slot_start), "slot": p.slot_label} if self.booking else {}),
        }
        return _Row(fields, p.taken_by, p.call_id, p.doctor_id, p.nurse_name, p.nurse_profession)

    def _cabin(self, cabin_id: str) -> dict[str, Any]:
        row = self._cabins.get(cabin_id)
        if row is None:
            row = self._cabins[cabin_id] = self._cabin_row(cabin_id)
        return row

    def _cabin_row(self, cabin_id: str) -> dict[str, Any]:
        hub, now, mesh = self.hub, self.now, self.hub.mesh
        cabin = hub.cabins.get(cabin_id)
        account = hub.cfg.cabins.get(cabin_id)
        row = {
            "cabin_id": cabin_id,
            "name": account.name if account else "",
            "today": where_today(hub.cfg, cabin_id, hub.wall()),  # a bus: where
            "online": hub.online(cabin, now, self.stale_after)
            or bool(mesh and cabin_id in mesh.remote_cabins),
            "heartbeat_age_s": (
                round(now - cabin.last_heartbeat, 1) if cabin and cabin.peer else None
            ),
            "devices": dict(cabin.devices) if cabin else {},
            "version": cabin.version if cabin else "",
            "uptime_s": cabin.uptime_s if cabin else None,
            "printer": cabin.printer if cabin else "",
            "printer_detail": cabin.printer_detail if cabin else "",
            "staff_call": hub.staff_call_shown(cabin, now),
        }
        if mesh is not None:  # a cabin on another instance: its state as reported
            mesh.states.overlay([row])
        return row
