"""Issue #20 item 5: a printer fault keeps the papers for the staff, says so, and "Finish"
asks before the patient leaves without them."""

from __future__ import annotations

from kiosk.domain import Unit
from kiosk.session import CallEnded, Fault, FaultKind, ReadingReceived, State
from tests.ui.helpers import click, reading
from tests.ui.test_screens import go_to


def printer_fault(app, *, hold_minutes: int = 30):
    app.runtime.papers_hold_minutes = hold_minutes  # what a cabin with a printer says
    send = app.bridge.send
    go_to(app, State.IN_CALL)
    send(ReadingReceived(reading("weight", {"weight": 70}, unit=Unit.KG)))
    send(CallEnded())
    assert app.runtime.session.state is State.PRINTING
    send(Fault(FaultKind.PRINTER_PROBLEM, "stopped"))
    assert app.runtime.session.state is State.FAULT
    return app.window.current


def test_the_patient_is_told_the_papers_wait_for_the_staff(kiosk_app):
    screen = printer_fault(kiosk_app)
    assert screen.title.text() == "L'imprimante a un problème"
    assert screen.body.text() == (
        "Vos papiers n'ont pas pu être imprimés. Ils sont conservés 30\u00a0minutes : "
        "le personnel vous les imprimera.\n"
        "Appuyez sur « Appeler le personnel », ou si vous partez maintenant, "
        "demandez à l'accueil."
    )
    assert screen.finish_button.isVisible()
    assert not screen.stay_button.isVisible() and not screen.leave_button.isVisible()


def test_finish_asks_first_and_stay_keeps_the_screen(kiosk_app, qtbot):
    screen = printer_fault(kiosk_app)
    click(qtbot, screen.finish_button)
    assert kiosk_app.runtime.session.state is State.FAULT  # nothing lost yet
    assert screen.body.text() == (
        "Partir sans vos papiers ?\nDemandez à l'accueil : le personnel peut vous les "
        "imprimer pendant 30\u00a0minutes. Ensuite, ils sont effacés."
    )
    assert not screen.finish_button.isVisible()
    assert screen.stay_button.isVisible() and screen.leave_button.isVisible()
    assert screen.stay_button.text() == "Rester" and screen.leave_button.text() == "Oui, partir"
    assert screen.stay_button.hasFocus()  # the safe answer first
    click(qtbot, screen.stay_button)
    assert kiosk_app.runtime.session.state is State.FAULT
    assert "Ils sont conservés 30\u00a0minutes" in screen.body.text()
    assert screen.finish_button.isVisible() and not screen.leave_button.isVisible()


def test_yes_leave_ends_the_session(kiosk_app, qtbot):
    screen = printer_fault(kiosk_app)
    click(qtbot, screen.finish_button)
    click(qtbot, screen.leave_button)
    assert kiosk_app.runtime.session.state in (State.WIPING, State.CLEANING, State.IDLE)
    assert not screen.asking


def test_without_a_hold_the_question_says_the_papers_are_erased(kiosk_app, qtbot):
    screen = printer_fault(kiosk_app, hold_minutes=0)
    assert "quelqu'un vous les remettra" in screen.body.text()
    click(qtbot, screen.finish_button)
    assert screen.body.text() == (
        "Partir sans vos papiers ?\nIls n'ont pas pu être imprimés et seront effacés."
    )
    click(qtbot, screen.leave_button)
    assert kiosk_app.runtime.session.state is not State.FAULT
