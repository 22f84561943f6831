"""The kiosk window: one screen per session state, locked down in full-screen mode."""

from __future__ import annotations

import logging

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QCloseEvent, QKeyEvent
from PyQt6.QtWidgets import QMainWindow, QStackedWidget, QWidget

from kiosk.session import State
from ui import theme
from ui.bridge import SessionBridge
from ui.screens.base import Screen, StateScreen
from ui.screens.idle import IdleScreen

log = logging.getLogger(__name__)


class KioskWindow(QMainWindow):
    """Shows the screen of the session's state; in full-screen, nothing but technician mode
    (a later issue) leaves it: Escape, Alt+F4 and close requests are ignored."""

    #: The first time a screen was painted (for start-up measurements and readiness).
    first_painted = pyqtSignal()

    def __init__(
        self,
        bridge: SessionBridge,
        *,
        languages: tuple[str, ...],
        fullscreen: bool,
        high_contrast: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.locked = fullscreen
        self._painted = False
        self.setWindowTitle("Cabine")
        self.setStyleSheet(theme.stylesheet(high_contrast=high_contrast))
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.screens: dict[State, Screen] = {}
        for state in State:
            screen: Screen = (
                IdleScreen(languages) if state is State.IDLE else StateScreen(state, languages)
            )
            screen.language_picked.connect(bridge.on_language)
            screen.staff_pressed.connect(bridge.on_call_staff)
            screen.painted.connect(self._on_screen_painted)
            self.screens[state] = screen
            self.stack.addWidget(screen)
        bridge.state_changed.connect(self.on_state_changed)
        bridge.language_changed.connect(self.on_language_changed)
        bridge.staff_called.connect(self.on_staff_called)
        self.on_language_changed(bridge.session.language)
        self.on_state_changed(bridge.session.state.value, "")
        if fullscreen:
            self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)

    @property
    def current(self) -> Screen:
        widget = self.stack.currentWidget()
        assert isinstance(widget, Screen)
        return widget

    def _on_screen_painted(self) -> None:
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def on_state_changed(self, state: str, previous: str) -> None:
        screen = self.screens[State(state)]
        screen.staff_notice.hide()
        screen.set_language(self.bridge.session.language)
        self.stack.setCurrentWidget(screen)

    def on_language_changed(self, language: str) -> None:
        for screen in self.screens.values():
            screen.set_language(language)

    def on_staff_called(self) -> None:
        self.current.show_staff_called()

    def keyPressEvent(self, event: QKeyEvent | None) -> None:
        if self.locked and event is not None and event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent | None) -> None:
        if self.locked and event is not None:
            log.info("close request ignored: the kiosk is locked")
            event.ignore()
            return
        super().closeEvent(event)

    def unlock_and_close(self) -> None:
        """The only way out of a locked kiosk (technician mode, tests)."""
        self.locked = False
        self.close()
