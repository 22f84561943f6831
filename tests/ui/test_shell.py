"""The application shell: idle screen, language choice, call staff, state screens, lockdown."""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtGui import QCloseEvent, QKeyEvent
from PyQt6.QtWidgets import QLabel, QPushButton, QWidget

from kiosk.session import CardInserted, CardRemoved, State
from tests.ui.helpers import smallest_pt, touch_px
from ui.bridge import SessionBridge
from ui.i18n import LANGUAGE_NAMES
from ui.screens.base import Screen
from ui.screens.idle import IdleScreen
from ui.window import KioskWindow


def visible_texts(widget: QWidget) -> list[str]:
    out = []
    for child in widget.findChildren(QLabel) + widget.findChildren(QPushButton):
        if child.isVisibleTo(widget) and child.text():
            out.append(child.text())
    return out


def click(qtbot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_idle_screen_asks_for_the_card_in_french(kiosk_app):
    window = kiosk_app.window
    assert isinstance(window.current, IdleScreen)
    texts = visible_texts(window.current)
    assert "Insérez votre carte Vitale" in texts
    assert "☎  Appeler le personnel" in texts
    assert "✓ Français" in texts  # the chosen language is marked, not only coloured
    for code in ("en", "ar", "es"):
        assert LANGUAGE_NAMES[code] in texts


def test_language_buttons_switch_every_screen(kiosk_app, qtbot):
    window = kiosk_app.window
    with qtbot.waitSignal(kiosk_app.bridge.language_changed):
        click(qtbot, window.current.language_buttons["en"])
    assert window.current.title.text() == "Insert your Carte Vitale"
    click(qtbot, window.current.language_buttons["ar"])
    assert window.current.title.text() == "أدخل بطاقة فيتال"
    assert window.current.layoutDirection() is Qt.LayoutDirection.RightToLeft
    assert window.current.language_buttons["ar"].text() == "✓ العربية"
    kiosk_app.bridge.send(CardInserted())
    assert window.current.title.text() == "جارٍ قراءة بطاقتك…"
    click(qtbot, window.current.language_buttons["es"])
    assert window.current.layoutDirection() is Qt.LayoutDirection.LeftToRight
    assert window.current.title.text() == "Leyendo su tarjeta…"
    assert kiosk_app.runtime.session.language == "es"


def test_call_staff_is_on_every_screen(kiosk_app, qtbot):
    window = kiosk_app.window
    for state, screen in window.screens.items():
        assert screen.staff_button.text() == "☎  Appeler le personnel", state
        assert screen.staff_button.minimumHeight() >= touch_px(screen)
    with qtbot.waitSignal(kiosk_app.bridge.staff_called):
        click(qtbot, window.current.staff_button)
    # No cabin behind this kiosk: nothing carries the call, nobody is promised.
    qtbot.waitUntil(window.current.staff_notice.isVisible, timeout=2000)
    assert window.current.staff_notice.text().startswith("Le personnel n'a pas pu être appelé")


def test_screens_follow_the_session(kiosk_app, qtbot):
    bridge = kiosk_app.bridge
    window = kiosk_app.window
    with qtbot.waitSignal(bridge.state_changed) as blocker:
        bridge.send(CardInserted())
    assert blocker.args == ["reading_card", "idle"]
    assert window.current is window.screens[State.READING_CARD]
    assert window.stack.currentWidget() is window.current
    bridge.send(CardRemoved())
    assert window.stack.currentWidget() is window.screens[State.FAULT]
    assert window.current.title.text() == "Votre carte a été retirée"


def test_refused_event_is_reported_not_raised(kiosk_app, qtbot):
    with qtbot.waitSignal(kiosk_app.bridge.refused) as blocker:
        assert kiosk_app.bridge.send(CardRemoved()) is True  # ignored when idle: fine
        assert kiosk_app.bridge.on_end() is None  # EndSession when idle: refused
    assert "EndSession" in blocker.args[0]
    assert kiosk_app.runtime.session.state is State.IDLE


def test_fullscreen_lockdown(qtbot, kiosk_config):
    from kiosk.runtime import Runtime

    runtime = Runtime(kiosk_config)
    runtime.start()
    bridge = SessionBridge(runtime.session)
    window = KioskWindow(languages=("fr", "en"), fullscreen=True, config=kiosk_config)
    window.attach(bridge)
    qtbot.addWidget(window)
    window.showFullScreen()
    qtbot.waitExposed(window)
    for key, mods in (
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
    ):
        event = QKeyEvent(QKeyEvent.Type.KeyPress, key, mods)
        window.keyPressEvent(event)
        assert event.isAccepted()
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


def test_screen_texts_are_large_and_targets_big(kiosk_app):
    for state, screen in kiosk_app.window.screens.items():
        assert isinstance(screen, Screen)
        # 24 pt and 96 px at 1920×1080, the same physical size at any other resolution.
        for label in screen.findChildren(QLabel):
            assert label.font().pointSizeF() >= smallest_pt(screen), (state, label.objectName())
        for button in screen.findChildren(QPushButton):
            assert button.font().pointSizeF() >= smallest_pt(screen), (state, button.objectName())
            assert button.minimumHeight() >= touch_px(screen), (state, button.objectName())


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


def test_next_patient_starts_in_the_default_language(kiosk_app, qtbot):
    from kiosk.session import CleaningConfirmed, EndSession

    bridge = kiosk_app.bridge
    window = kiosk_app.window
    bridge.on_language("ar")
    bridge.send(CardInserted())
    assert window.current.title.text() == "جارٍ قراءة بطاقتك…"
    bridge.send(CardRemoved())
    bridge.send(EndSession())
    bridge.send(CleaningConfirmed())
    assert kiosk_app.runtime.session.state is State.IDLE
    assert window.current.title.text() == "Insérez votre carte Vitale"
    assert window.layoutDirection() is Qt.LayoutDirection.LeftToRight
