"""Technician mode: the hidden gesture, the PIN and its rate limit, self-tests, the way out."""

from __future__ import annotations

from PyQt6.QtCore import QPoint, Qt

from kiosk.selftest import CheckResult, Report
from tests.ui.helpers import click
from ui.screens.pin import PinGate, PinResult, PinScreen
from ui.screens.technician import TechnicianScreen
from ui.window import GESTURE_TAPS


class FakeClock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def tap_corner(qtbot, window, times: int, *, where: QPoint | None = None) -> None:
    target = window.current.childAt(where or QPoint(10, 10)) or window.current
    pos = target.mapFrom(window, where or QPoint(10, 10))
    for _ in range(times):
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=pos)


def enter(qtbot, pin_screen: PinScreen, code: str) -> None:
    for digit in code:
        click(qtbot, pin_screen.digit_buttons[digit])
    click(qtbot, pin_screen.ok_button)


def test_wrong_pins_are_rate_limited():
    clock = FakeClock()
    gate = PinGate("2468", clock=clock, free_tries=3, lockout_s=30)
    assert [gate.check("0000") for _ in range(2)] == [PinResult.WRONG] * 2
    assert gate.locked_for() == 0
    assert gate.check("1111") is PinResult.WRONG
    assert gate.locked_for() == 30
    assert gate.check("2468") is PinResult.LOCKED  # even the right PIN waits
    clock.t += 30
    assert gate.check("9999") is PinResult.WRONG
    assert gate.locked_for() == 60  # each wrong one after that doubles the wait
    clock.t += 60
    assert gate.check("2468") is PinResult.OK
    assert gate.wrong == 0


def test_no_configured_pin_means_no_technician_mode():
    assert PinGate("").check("") is PinResult.DISABLED


def test_hidden_gesture_then_pin_opens_technician_mode(kiosk_app, qtbot):
    window = kiosk_app.window
    tap_corner(qtbot, window, GESTURE_TAPS - 1)
    assert not window.in_technician_mode
    tap_corner(qtbot, window, 1)
    assert window.in_technician_mode
    pin = window.pin_screen
    assert window.stack.currentWidget() is pin
    enter(qtbot, pin, "1357")
    assert pin.message.text() == "Code incorrect."
    assert window.stack.currentWidget() is pin
    enter(qtbot, pin, "2468")  # config/demo.toml
    assert isinstance(window.technician, TechnicianScreen)
    assert window.stack.currentWidget() is window.technician
    click(qtbot, window.technician.back_button)
    assert window.stack.currentWidget() is window.current
    assert not window.in_technician_mode


def test_taps_elsewhere_do_not_open_it(kiosk_app, qtbot):
    window = kiosk_app.window
    for _ in range(GESTURE_TAPS):
        tap_corner(qtbot, window, 1, where=QPoint(10, 10))
        tap_corner(qtbot, window, 1, where=QPoint(900, 500))
    assert not window.in_technician_mode


def test_pin_pad_locks_after_wrong_codes(qtbot):
    clock = FakeClock()
    screen = PinScreen(PinGate("2468", clock=clock, free_tries=2, lockout_s=45))
    qtbot.addWidget(screen)
    screen.show()
    accepted = []
    screen.accepted.connect(lambda: accepted.append(True))
    enter(qtbot, screen, "1")
    enter(qtbot, screen, "2")
    assert screen.message.text() == "Too many wrong codes. Try again in 45 seconds."
    enter(qtbot, screen, "2468")
    assert not accepted
    clock.t += 45
    enter(qtbot, screen, "2468")
    assert accepted == [True]


def test_self_tests_run_off_the_loop_and_show_each_result(qtbot, kiosk_config):
    screen = TechnicianScreen(kiosk_config)  # the real kiosk.selftest.run_all
    qtbot.addWidget(screen)
    screen.show()
    with qtbot.waitSignal(screen.checks_done, timeout=30_000):
        click(qtbot, screen.run_button)
        assert screen.running and not screen.run_button.isEnabled()
    assert not screen.running
    report = screen.report
    assert report is not None and report.checks
    hints = [check for check in report.checks if not check.ok and check.hint]
    assert screen.table.rowCount() == len(report.checks) + len(hints)
    rows = [row for row in range(screen.table.rowCount()) if screen.table.item(row, 0).text()]
    assert len(rows) == len(report.checks)
    for row, check in zip(rows, report.checks, strict=True):
        assert screen.table.item(row, 0).text() == f"\u2066{check.name}\u2069"
        result = screen.table.item(row, 1).text()
        assert result.startswith("✓" if check.ok else "✗")  # a mark, not a colour
    assert "checks failed" in screen.status.text()
    screen.close_workers()


def test_a_failing_runner_is_shown_not_raised(qtbot, kiosk_config):
    def broken(_config):
        raise RuntimeError("bus gone")

    screen = TechnicianScreen(kiosk_config, runner=broken)
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.checks_done, timeout=5000):
        screen.on_run()
    assert screen.table.item(0, 2).text() == "\u2066RuntimeError: bus gone\u2069"
    screen.close_workers()


def test_test_print_hook(qtbot, kiosk_config):
    printed = []

    def hook() -> str:
        printed.append(True)
        return "job 12 completed"

    screen = TechnicianScreen(
        kiosk_config, runner=lambda c: Report([CheckResult("x", True)]), test_print=hook
    )
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.print_done, timeout=5000):
        screen.on_test_print()
    assert printed == [True]
    assert "Test print: \u2068job 12 completed\u2069" in screen.status.text()
    screen.close_workers()
    bare = TechnicianScreen(kiosk_config)
    qtbot.addWidget(bare)
    bare.on_test_print()
    assert "No printer is set up" in bare.status.text()


def test_exit_to_desktop_unlocks_and_closes(kiosk_app, qtbot):
    window = kiosk_app.window
    window.locked = True
    window.open_technician()
    with qtbot.waitSignal(window.exit_requested):
        click(qtbot, window.technician.exit_button)
    assert not window.locked
    assert not window.isVisible()


def test_logs_of_a_driver_without_patient_data(kiosk_app, qtbot):
    import logging

    from kiosk.session import CardInserted, CardRead
    from tests.ui.helpers import FAMILY

    kiosk_app.bridge.send(CardInserted())
    kiosk_app.bridge.send(CardRead(FAMILY))
    log = logging.getLogger("drivers.suntech.driver")
    log.warning("tensio-1: no answer in %.1f s", 2.0)
    log.warning("tensio-1: patient %s", FAMILY[0].last_name)  # a bug somewhere: withheld
    logging.getLogger("drivers.scale").warning("balance-2: cable unplugged")
    window = kiosk_app.window
    window.open_technician()
    screen = window.technician
    screen.show_report(Report([CheckResult("device:tensio-1", False, "no answer")]))
    screen.table.setCurrentCell(0, 0)
    text = screen.log_view.text()
    assert text.startswith("Journal de \u2066device:tensio-1\u2069 :")
    assert "tensio-1: no answer in 2.0 s" in text
    assert "DUPONT" not in text
    assert "balance-2" not in text
