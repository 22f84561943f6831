"""The screenshots of a nurse calling one doctor directly (after the consent of
:func:`harness.screenshot_states.mallette`): "Which doctor do you call?" with the portal's
list, then "Waiting for Dr X" while the doctor is connected, and once they have left.

The real :class:`~kiosk.services.doctors.DoctorChoice` runs on a stand-in of the call that
answers as a portal would (fictitious doctors)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

#: The portal's list of the screenshots (fictitious doctors), available first.
DOCTORS = (
    {"id": "dr-lefebvre", "name": "Dr Camille Lefebvre", "state": "available"},
    {"id": "dr-haddad", "name": "Dr Karim Haddad", "state": "available"},
    {"id": "dr-moreau", "name": "Dr Julien Moreau", "state": "busy"},
    {"id": "dr-nguyen", "name": "Dr Lan Nguyen", "state": "offline"},
)


class _Link:
    def __init__(self) -> None:
        self.commands: dict[str, Any] = {}

    async def send(self, msg_type: str, **fields: Any) -> bool:
        if msg_type == "doctors_ask" and "doctors" in self.commands:
            self.commands["doctors"]({"type": "doctors", "doctors": [dict(d) for d in DOCTORS]})
        return True


class _Call:
    """What the choice uses of a cabin's call: the list answered at once, check-ins kept."""

    def __init__(self) -> None:
        self.link = _Link()
        self.room: dict[str, Any] = {}
        self.session_id = ""

    async def check_in(self, session_id: str, **_: Any) -> None:
        self.session_id = session_id

    async def redirect(self, _direct: Any) -> bool:
        return True


class _Now:
    def spawn(self, coro: Any, name: str) -> None:
        asyncio.run(coro)


class _View:
    """The screens' view of the cabin: the choice, and the rest from the one it replaces."""

    def __init__(self, choice: Any, behind: Any) -> None:
        self.doctor_choice = choice
        self._behind = behind

    def __getattr__(self, name: str) -> Any:
        return getattr(self._behind, name)


def doctor_choice(kiosk: Any) -> Iterator[str]:
    """From the consent screen of a nurse's patient: the choice, and waiting for a doctor."""
    from kiosk.services.doctors import DoctorChoice
    from kiosk.session import ConsentGiven

    bridge, session = kiosk.bridge, kiosk.runtime.session
    call = _Call()
    choice = DoctorChoice(session, call, tasks=_Now())  # type: ignore[arg-type]
    behind = bridge.runtime
    bridge.runtime = _View(choice, behind)
    try:
        session.send(ConsentGiven())
        screen = kiosk.window.current
        screen.refresh()
        screen._queue_text()
        yield "21-nurse-doctor_choice"
        choice.call_doctor("dr-lefebvre")
        call.room = {"doctor": "available"}
        screen._queue_text()
        yield "21-nurse-waiting_for_doctor"
        call.room = {"doctor": "offline"}
        screen._queue_text()
        yield "21-nurse-waiting_for_doctor-offline"
    finally:
        choice.close()
        bridge.runtime = behind
