"""The patient's screen when the call is given up: nothing resumes, the patient books again."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from kiosk import config as config_mod
from kiosk.clock import ManualClock
from kiosk.domain import Beneficiary
from kiosk.session import (
    BeneficiaryChosen,
    CardInserted,
    CardRead,
    ConsentGiven,
    DoctorJoined,
    Fault,
    FaultCleared,
    FaultKind,
    State,
)

PATIENT = Beneficiary(
    last_name="DUPONT", first_name="Anne", birth_date="19450704", nir="245077512345612", rank=1
)

#: language -> (title, words of the body saying nothing was kept and how to book again)
TEXTS = {
    "fr": (
        "La liaison avec le médecin n'a pas pu être rétablie",
        ("Rien n'a été conservé", "reprendre rendez-vous", "personnel", "« Terminer »"),
    ),
    "en": (
        "The connection with the doctor could not be restored",
        ("Nothing was kept", "book a new consultation", "staff", "\u201cFinish\u201d"),
    ),
    "ar": (
        "تعذّرت استعادة الاتصال بالطبيب",
        ("لم يُحفظ أي شيء", "لحجز استشارة جديدة", "الموظفين", "«إنهاء»"),
    ),
    "es": (
        "No se ha podido restablecer la conexión con el médico",
        ("No se ha guardado nada", "pedir una nueva cita", "personal", "«Terminar»"),
    ),
}
FINISH = {"fr": "Terminer", "en": "Finish", "ar": "إنهاء", "es": "Terminar"}


@pytest.fixture
def kiosk_app(qtbot: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from ui.app import KioskApp

    cfg = config_mod.load(config_mod.project_config("demo"))
    spool = (
        Path("/dev/shm") / f"cabine-call-lost-{os.getpid()}-{tmp_path_factory.getbasetemp().name}"
    )
    cfg = replace(cfg, session=replace(cfg.session, spool_dir=str(spool)))
    app = KioskApp(cfg, fullscreen=False, clock=ManualClock())
    try:
        app.start_session()
        qtbot.addWidget(app.window)
        app.window.resize(1920, 1080)
        app.show()
        qtbot.waitExposed(app.window)
        yield app
    finally:
        app.close()
        shutil.rmtree(spool, ignore_errors=True)


def test_call_lost_screen_says_nothing_was_kept_and_how_to_book_again(
    kiosk_app: Any, qtbot: Any
) -> None:
    send, session = kiosk_app.bridge.send, kiosk_app.runtime.session
    for event in (
        CardInserted(),
        CardRead((PATIENT,)),
        BeneficiaryChosen(1),
        ConsentGiven(),
        DoctorJoined(),
    ):
        assert send(event), event
    assert session.state is State.IN_CALL
    # what kiosk.call emits after its last reconnection attempt
    assert send(Fault(FaultKind.NETWORK_LOST, "call_lost", resumable=False))
    assert session.state is State.FAULT
    screen = kiosk_app.window.current
    assert screen.picture.name == "network_lost"

    for language, (title, words) in TEXTS.items():
        qtbot.mouseClick(screen.language_buttons[language], Qt.MouseButton.LeftButton)
        assert screen.language == language
        assert screen.title.text() == title
        body = screen.body.text()
        for word in words:
            assert word in body, (language, word, body)
        assert "reconnect" not in body.lower()  # not the screen of a call still being rebuilt
        assert screen.finish_button.isVisible()
        assert screen.finish_button.text() == FINISH[language]

    # nothing can bring the call back; "Finish" ends the session through the wipe
    assert not send(FaultCleared())
    assert session.state is State.FAULT
    qtbot.mouseClick(screen.finish_button, Qt.MouseButton.LeftButton)
    assert session.state in (State.CLEANING, State.IDLE)
    assert session.data is None


def test_a_call_still_being_rebuilt_keeps_its_own_screen(kiosk_app: Any) -> None:
    send = kiosk_app.bridge.send
    for event in (CardInserted(), CardRead((PATIENT,)), BeneficiaryChosen(1), ConsentGiven()):
        assert send(event)
    assert send(DoctorJoined())
    assert send(Fault(FaultKind.NETWORK_LOST))
    screen = kiosk_app.window.current
    assert screen.title.text() == "La liaison avec le médecin est coupée"
    assert "conservée" in screen.body.text()
    assert not screen.finish_button.isVisible()
