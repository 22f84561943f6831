"""A nurse calls one doctor directly, through the real screens of a mallette: sign-in, the
patient typed, the consent, "Which doctor do you call?", "Waiting for Dr X", and the switch
to the waiting room. The cabin's side with a real portal is tests/nurse/test_direct_cabin.py;
here the real :class:`DoctorChoice` runs on a call stand-in that records what it sends."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from kiosk.services.doctors import CHOOSING, DIRECTED, GENERAL, DoctorChoice
from kiosk.session import State
from tests.nurse.test_patient_screen import type_patient
from tests.nurse.test_signin_screen import sign_in
from tests.ui.helpers import click, touch_px
from ui.screens.doctor_choice import AssistedWaitingRoomScreen

FSI, PDI = "\u2068", "\u2069"
LIST = [
    {"id": "dr-martin", "name": "Dr Martin", "state": "available"},
    {"id": "dr-roux", "name": "Dr Roux", "state": "busy"},
    {"id": "dr-petit", "name": "Dr Petit", "state": "offline"},
]


class NowTasks:
    """Runs each task at once (the stand-in call's coroutines never wait)."""

    def spawn(self, coro: Any, name: str) -> None:
        asyncio.run(coro)


class Link:
    def __init__(self) -> None:
        self.commands: dict[str, Any] = {}
        self.sent: list[tuple[str, dict[str, Any]]] = []

    async def send(self, msg_type: str, **fields: Any) -> bool:
        self.sent.append((msg_type, fields))
        return True


class Call:
    """What DoctorChoice uses of a CabinCall, recorded."""

    def __init__(self) -> None:
        self.link = Link()
        self.room: dict[str, Any] = {}
        self.session_id = ""
        self.checkins: list[dict[str, Any] | None] = []

    async def check_in(self, session_id: str, *, direct: Any = None, **_: Any) -> None:
        self.session_id = session_id
        self.checkins.append(direct)

    async def redirect(self, direct: Any) -> bool:
        self.checkins.append(direct)
        self.room = {}
        return True


class Cabin:
    def __init__(self, choice: DoctorChoice) -> None:
        self.doctor_choice = choice


@pytest.fixture
def choosing(mallette, qtbot):
    """A typed patient who just consented, the nurse present: the screen of the choice."""
    call = Call()
    choice = DoctorChoice(mallette.runtime.session, call, tasks=NowTasks())  # type: ignore[arg-type]
    mallette.bridge.runtime = Cabin(choice)
    sign_in(qtbot, mallette)
    click(qtbot, mallette.window.current.no_card_button)
    type_patient(qtbot, mallette.window.current)
    click(qtbot, mallette.window.current.check_in_button)
    click(qtbot, mallette.window.current.agree_button)
    assert mallette.runtime.session.state is State.WAITING_ROOM
    screen = mallette.window.current
    assert isinstance(screen, AssistedWaitingRoomScreen)
    qtbot.waitUntil(screen.choice_panel.isVisible, timeout=2000)
    return screen, choice, call


def test_who_do_you_call_then_waiting_for_dr_x_then_the_room(mallette, qtbot, choosing):
    screen, choice, call = choosing
    assert choice.phase == CHOOSING
    assert call.link.sent == [("doctors_ask", {})] and call.checkins == []  # nobody told yet
    assert screen.title.text() == "Quel médecin appelez-vous ?"
    assert screen.body.text() == "Chargement de la liste des médecins…"
    assert screen.join_button.isVisible() and not screen.queue.isVisible()
    call.link.commands["doctors"]({"type": "doctors", "doctors": LIST})
    screen._queue_text()  # (the screen's one-second poll)
    texts = [b.text() for b in screen.doctor_buttons.values()]
    assert texts == [
        f"{FSI}Dr Martin{PDI}  ·  disponible",
        f"{FSI}Dr Roux{PDI}  ·  en consultation",
        f"{FSI}Dr Petit{PDI}  ·  non connecté",
    ]
    assert screen.body.text().startswith("Choisissez le médecin à appeler")
    martin = screen.doctor_buttons["dr-martin"]
    assert martin.height() >= touch_px(screen) and martin.focusPolicy() & Qt.FocusPolicy.TabFocus
    # the keyboard reaches every choice: Tab from the first doctor to the waiting room
    martin.setFocus()
    order = [martin]
    for _ in range(6):
        qtbot.keyClick(screen.window().focusWidget(), Qt.Key.Key_Tab)
        order.append(screen.window().focusWidget())
    assert order[:3] == list(screen.doctor_buttons.values())
    assert screen.join_button in order
    click(qtbot, martin)
    assert choice.phase == DIRECTED
    assert call.checkins == [
        {"doctor_id": "dr-martin", "nurse_name": "Claire Dubois", "nurse_profession": "infirmier"}
    ]
    assert screen.title.text() == f"En attente de {FSI}Dr Martin{PDI}"
    assert "en tête de la liste" in screen.body.text()
    assert screen.instead_button.isVisible() and not screen.choice_panel.isVisible()
    assert screen.instead_button.text() == "Rejoindre plutôt la salle d'attente"
    # the doctor left: the screen says so, and offers the room
    call.room = {"doctor": "offline"}
    screen._queue_text()
    assert screen.body.text().startswith(f"{FSI}Dr Martin{PDI} n'est pas connecté")
    assert not screen.apology.isVisible()
    click(qtbot, screen.instead_button)
    assert choice.phase == GENERAL and call.checkins[-1] is None
    assert screen.title.text() == "Un médecin va vous recevoir"
    assert not screen.instead_button.isVisible() and not screen.choice_panel.isVisible()
    assert mallette.runtime.session.state is State.WAITING_ROOM


def test_an_unknown_doctor_shows_the_list_again_calmly(mallette, qtbot, choosing):
    screen, choice, call = choosing
    call.link.commands["doctors"]({"type": "doctors", "doctors": LIST})
    screen._queue_text()
    click(qtbot, screen.doctor_buttons["dr-petit"])
    call.link.commands["direct"](
        {"type": "direct", "session_id": call.session_id, "doctor_id": "dr-petit",
         "state": "unknown"}
    )  # fmt: skip
    screen._queue_text()
    assert choice.phase == CHOOSING and screen.choice_panel.isVisible()
    assert screen.body.text().startswith("Ce médecin ne peut pas être appelé")
    assert call.link.sent[-1] == ("doctors_ask", {})  # the list read again


def test_no_list_offers_to_try_again_or_the_room(mallette, qtbot, choosing):
    screen, choice, call = choosing
    now = [1000.0]
    choice._clock = lambda: now[0]
    choice.refresh()
    now[0] += 11
    screen._queue_text()
    assert screen.body.text().startswith("La liste des médecins n'a pas pu être chargée")
    assert screen.retry_button.isVisible()
    click(qtbot, screen.retry_button)
    assert call.link.sent[-1] == ("doctors_ask", {}) and not screen.retry_button.isVisible()
    click(qtbot, screen.join_button)
    assert choice.phase == GENERAL and call.checkins == [None]


def test_the_choice_in_arabic(mallette, qtbot, choosing):
    screen, _choice, call = choosing
    call.link.commands["doctors"]({"type": "doctors", "doctors": LIST})
    mallette.bridge.on_language("ar")
    screen._queue_text()
    assert screen.title.text() == "أي طبيب تريد أن تتصل به؟"
    assert screen.doctor_buttons["dr-roux"].text() == f"{FSI}Dr Roux{PDI}  ·  في استشارة"
    assert screen.join_button.text() == "الانضمام إلى غرفة الانتظار"
    assert screen.isRightToLeft()
