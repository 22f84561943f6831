"""The kiosk window: one screen per session state, locked down in full-screen mode.

The idle screen is built and painted first; the other screens and the session come after
(:meth:`KioskWindow.attach`), so a cabin shows its idle screen as soon as it can.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QCloseEvent, QKeyEvent
from PyQt6.QtWidgets import QMainWindow, QStackedWidget, QWidget

from kiosk.states import State
from ui import theme
from ui.screens.base import Screen, StateScreen
from ui.screens.idle import IdleScreen

if TYPE_CHECKING:
    from ui.bridge import SessionBridge

log = logging.getLogger(__name__)


class KioskWindow(QMainWindow):
    """Shows the screen of the session's state; in full-screen, nothing but technician mode
    (a later issue) leaves it: Escape, Alt+F4 and close requests are ignored."""

    #: The first time a screen was painted (for start-up measurements and readiness).
    first_painted = pyqtSignal()

    def __init__(
        self,
        *,
        languages: tuple[str, ...],
        fullscreen: bool,
        high_contrast: bool = False,
        language: str = "fr",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge: SessionBridge | None = None
        self.languages = languages
        self.language = language
        self.locked = fullscreen
        self._painted = False
        self.setWindowTitle("Cabine")
        self.setStyleSheet(theme.stylesheet(high_contrast=high_contrast))
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.screens: dict[State, Screen] = {}
        idle = self._add(State.IDLE)
        idle.set_language(language)
        self.stack.setCurrentWidget(idle)
        if fullscreen:
            self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)

    def _add(self, state: State) -> Screen:
        screen: Screen = (
            IdleScreen(self.languages)
            if state is State.IDLE
            else StateScreen(state, self.languages)
        )
        screen.painted.connect(self._on_screen_painted)
        if self.bridge is not None:
            self._wire(screen)
        self.screens[state] = screen
        self.stack.addWidget(screen)
        return screen

    def _wire(self, screen: Screen) -> None:
        assert self.bridge is not None
        screen.language_picked.connect(self.bridge.on_language)
        screen.staff_pressed.connect(self.bridge.on_call_staff)

    def attach(self, bridge: SessionBridge) -> None:
        """Connect the session: build the other screens and follow its state."""
        self.bridge = bridge
        for screen in self.screens.values():
            self._wire(screen)
        for state in State:
            if state not in self.screens:
                self._add(state)
        bridge.state_changed.connect(self.on_state_changed)
        bridge.language_changed.connect(self.on_language_changed)
        bridge.staff_called.connect(self.on_staff_called)
        self.on_language_changed(bridge.session.language)
        self.on_state_changed(bridge.session.state.value, "")

    @property
    def current(self) -> Screen:
        widget = self.stack.currentWidget()
        assert isinstance(widget, Screen)
        return widget

    @property
    def painted(self) -> bool:
        return self._painted

    def _on_screen_painted(self) -> None:
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def on_state_changed(self, state: str, previous: str) -> None:
        screen = self.screens[State(state)]
        screen.staff_notice.hide()
        screen.set_language(self.language)
        self.stack.setCurrentWidget(screen)

    def on_language_changed(self, language: str) -> None:
        self.language = language
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
