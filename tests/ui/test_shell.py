"""The application shell: idle screen, language choice, call staff, state screens, lockdown."""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtGui import QCloseEvent, QKeyEvent
from PyQt6.QtWidgets import QWidget

from kiosk.session import CardInserted, CardRemoved, State
from ui.bridge import SessionBridge
from ui.screens.base import Screen
from ui.screens.idle import IdleScreen
from ui.texts import LANGUAGE_NAMES, keys, tr
from ui.window import KioskWindow


def visible_texts(widget: QWidget) -> list[str]:
    from PyQt6.QtWidgets import QLabel, QPushButton

    out = []
    for child in widget.findChildren(QLabel) + widget.findChildren(QPushButton):
        if child.isVisibleTo(widget) and child.text():
            out.append(child.text())
    return out


def test_idle_screen_asks_for_the_card_in_french(kiosk_app):
    window = kiosk_app.window
    assert isinstance(window.current, IdleScreen)
    texts = visible_texts(window.current)
    assert "Insérez votre carte Vitale" in texts
    assert "Appeler le personnel" in texts
    assert "✓ Français" in texts  # the chosen language is marked, not only coloured
    for code in ("en", "ar", "es"):
        assert LANGUAGE_NAMES[code] in texts


def test_language_buttons_switch_every_screen(kiosk_app, qtbot):
    window = kiosk_app.window
    with qtbot.waitSignal(kiosk_app.bridge.language_changed):
        qtbot.mouseClick(window.current.language_buttons["en"], Qt.MouseButton.LeftButton)
    assert window.current.title.text() == "Insert your Carte Vitale"
    qtbot.mouseClick(window.current.language_buttons["ar"], Qt.MouseButton.LeftButton)
    assert window.current.title.text() == tr("idle.title", "ar")
    assert window.current.layoutDirection() is Qt.LayoutDirection.RightToLeft
    kiosk_app.bridge.send(CardInserted())
    assert window.current.title.text() == tr("state.reading_card", "ar")
    qtbot.mouseClick(window.current.language_buttons["es"], Qt.MouseButton.LeftButton)
    assert window.current.layoutDirection() is Qt.LayoutDirection.LeftToRight
    assert window.current.title.text() == tr("state.reading_card", "es")


def test_call_staff_is_on_every_screen(kiosk_app, qtbot):
    window = kiosk_app.window
    for state, screen in window.screens.items():
        assert screen.staff_button.text() == "Appeler le personnel", state
        assert screen.staff_button.minimumHeight() >= 96
    with qtbot.waitSignal(kiosk_app.bridge.staff_called):
        qtbot.mouseClick(window.current.staff_button, Qt.MouseButton.LeftButton)
    assert window.current.staff_notice.isVisible()
    assert window.current.staff_notice.text() == "Quelqu'un arrive pour vous aider."


def test_screens_follow_the_session(kiosk_app, qtbot):
    bridge = kiosk_app.bridge
    window = kiosk_app.window
    with qtbot.waitSignal(bridge.state_changed) as blocker:
        bridge.send(CardInserted())
    assert blocker.args == ["reading_card", "idle"]
    assert window.current is window.screens[State.READING_CARD]
    bridge.send(CardRemoved())
    assert window.current is window.screens[State.FAULT]
    assert "problème" in window.current.title.text()


def test_refused_event_is_reported_not_raised(kiosk_app, qtbot):
    with qtbot.waitSignal(kiosk_app.bridge.refused) as blocker:
        assert kiosk_app.bridge.send(CardRemoved()) is True  # ignored when idle: fine
        assert kiosk_app.bridge.on_end() is None  # EndSession when idle: refused
    assert "EndSession" in blocker.args[0]
    assert kiosk_app.runtime.session.state is State.IDLE


def test_every_text_exists_in_every_language():
    for key in keys():
        for language in LANGUAGE_NAMES:
            assert tr(key, language).strip(), (key, language)


def test_fullscreen_lockdown(qtbot, kiosk_config):
    from kiosk.runtime import Runtime

    runtime = Runtime(kiosk_config)
    runtime.start()
    bridge = SessionBridge(runtime.session)
    window = KioskWindow(languages=("fr", "en"), fullscreen=True)
    window.attach(bridge)
    qtbot.addWidget(window)
    window.showFullScreen()
    qtbot.waitExposed(window)
    escape = QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
    window.keyPressEvent(escape)
    assert escape.isAccepted()
    close = QCloseEvent()
    window.closeEvent(close)  # what Alt+F4 and the close button send
    assert not close.isAccepted()
    assert window.close() is False
    assert window.isVisible()
    window.unlock_and_close()
    assert not window.isVisible()
    bridge.close()


def test_window_mode_closes_normally(kiosk_app):
    assert kiosk_app.window.locked is False
    assert kiosk_app.window.close() is True


def test_tick_timer_applies_time_limits(kiosk_app, qtbot):
    runtime = kiosk_app.runtime
    assert runtime is not None
    runtime.session.send(CardInserted())
    runtime.session.clock.advance(10_000)
    qtbot.waitUntil(lambda: runtime.session.state is State.FAULT, timeout=3000)


def test_screen_texts_are_large(kiosk_app):
    for screen in kiosk_app.window.screens.values():
        assert isinstance(screen, Screen)
        assert screen.title.font().pointSize() >= 24
        assert screen.body.font().pointSize() >= 24
        for button in screen.language_buttons.values():
            assert button.font().pointSize() >= 24


def test_idle_screen_paints_before_the_session_exists(qtbot, kiosk_config):
    from ui.app import KioskApp

    app = KioskApp(kiosk_config, fullscreen=False)
    qtbot.addWidget(app.window)
    app.show()
    qtbot.waitUntil(lambda: app.window.painted, timeout=3000)
    assert app.runtime is None
    assert app.window.current.title.text() == "Insérez votre carte Vitale"
    app.start_session()
    assert len(app.window.screens) == len(State)
    app.close()
