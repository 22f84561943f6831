"""The kiosk window: one screen per session state, locked down in full-screen mode.

The idle screen is built and painted first; the other screens and the session come after
(:meth:`KioskWindow.attach`), so a cabin shows its idle screen as soon as it can. Five taps in
the top-left corner within a few seconds open the technician's PIN pad: the only way out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PyQt6.QtCore import QCoreApplication, QEvent, QObject, QPoint, Qt, QTimer, pyqtSignal
from PyQt6.QtGui import QCloseEvent, QKeyEvent, QMouseEvent, QResizeEvent
from PyQt6.QtWidgets import QMainWindow, QSizePolicy, QStackedWidget, QWidget

from kiosk.states import State
from ui import scaling, theme
from ui.i18n import RIGHT_TO_LEFT, Translations
from ui.screens import screen_classes
from ui.screens.base import Screen
from ui.screens.idle import IdleScreen

if TYPE_CHECKING:
    from kiosk.config import Config
    from ui.bridge import SessionBridge
    from ui.screens.pin import PinScreen
    from ui.screens.technician import TechnicianScreen
    from ui.speech import Speaker

log = logging.getLogger(__name__)

GESTURE_TAPS = 5
GESTURE_WINDOW_S = 4.0
GESTURE_CORNER_PX = 120
COUNTDOWN_MS = 1000
#: How often the screens read again where a call for the staff stands, while one is on.
STAFF_CALL_POLL_MS = 1000


class KioskWindow(QMainWindow):
    """Shows the screen of the session's state; in full-screen, nothing but technician mode
    leaves it: Escape, Alt+F4 and close requests are ignored."""

    #: The first time a screen was painted (for start-up measurements and readiness).
    first_painted = pyqtSignal()
    #: The technician chose "exit to the desktop".
    exit_requested = pyqtSignal()

    def __init__(
        self,
        *,
        languages: tuple[str, ...],
        fullscreen: bool,
        high_contrast: bool = False,
        language: str = "fr",
        config: Config | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge: SessionBridge | None = None
        self.config = config
        self.languages = languages
        self.language = language
        self.locked = fullscreen
        self.high_contrast = high_contrast
        self.translations = Translations()
        self.translations.install(language)
        self.speaker: Speaker | None = None
        self.pin_screen: PinScreen | None = None
        self.technician: TechnicianScreen | None = None
        #: The newest log lines holding a text, for technician mode (set by the app).
        self.log_lines: Callable[[str], list[str]] | None = None
        self._painted = False
        self._taps: list[float] = []
        self._last_press: tuple[int, int, int] | None = None
        self.setWindowTitle("Cabine")
        #: The window size the screens were last fitted to (see ``resizeEvent``).
        self._fitted: tuple[int, int] | None = None
        self._scale = 1.0
        self._style = ""
        # The style sheet is set once the window has its size (``fit_screens``): set now,
        # the idle screen would be polished twice before the first paint (~15 ms), first
        # at the design's scale, then again at the window's.
        self.stack = QStackedWidget()
        # The screen's size is the display's: a page too tall is clipped, never the window
        # grown past the screen (tests/ui/test_screen_sizes.py checks every page fits
        # 1280×800, 1920×1080 and 1080×1920, no text cut).
        self.stack.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setCentralWidget(self.stack)
        self.screens: dict[State, Screen] = {}
        idle = IdleScreen(languages)
        idle.translations = self.translations
        self._add(State.IDLE, idle)
        self.stack.setCurrentWidget(idle)
        self._countdown = QTimer(self)
        self._countdown.setObjectName("time-limit-countdown")
        self._countdown.setInterval(COUNTDOWN_MS)
        self._countdown.timeout.connect(self._update_warning)
        self._staff_poll = QTimer(self)
        self._staff_poll.setObjectName("staff-call-poll")
        self._staff_poll.setInterval(STAFF_CALL_POLL_MS)
        self._staff_poll.timeout.connect(self.update_staff_call)
        #: "Call staff" was just pressed: say the notice even if it did not change.
        self._staff_pressed = False
        if fullscreen:
            self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)

    # -- screens -------------------------------------------------------------------------

    def _add(self, state: State, screen: Screen) -> Screen:
        screen.painted.connect(self._on_screen_painted)
        screen.contrast_pressed.connect(self.toggle_high_contrast)
        screen.speech_pressed.connect(self.toggle_speech)
        screen.announce.connect(self.on_announce)
        screen.set_high_contrast(self.high_contrast)
        screen.set_language(self.language)
        if self.bridge is not None:
            self._wire(screen)
        self.screens[state] = screen
        self.stack.addWidget(screen)
        if self._fitted is not None:
            screen.fit(*self._fitted)
        return screen

    def _wire(self, screen: Screen) -> None:
        assert self.bridge is not None
        screen.bind(self.bridge)
        screen.language_picked.connect(self.bridge.on_language)
        screen.staff_pressed.connect(self.bridge.on_call_staff)
        screen.extend_pressed.connect(self.bridge.on_extend)

    def attach(self, bridge: SessionBridge) -> None:
        """Connect the session: build the other screens and follow its state."""
        from ui.speech import Speaker

        self.bridge = bridge
        self.speaker = Speaker(parent=self)
        # The technician's gesture is watched from here on (after the first paint: the
        # filter sees every event, and its first call costs PyQt's enum set-up).
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        for screen in self.screens.values():
            self._wire(screen)
        for state, cls in screen_classes().items():
            if state not in self.screens:
                self._add(state, cls(self.languages))
        self._share_doctor_video()
        bridge.state_changed.connect(self.on_state_changed)
        bridge.language_changed.connect(self.on_language_changed)
        bridge.staff_called.connect(self.on_staff_called)
        bridge.warning.connect(self.on_warning)
        bridge.extended.connect(self.on_extended)
        bridge.reading_arrived.connect(self.on_data_changed)
        bridge.measurement_requested.connect(lambda _kind: self.on_data_changed())
        bridge.document_arrived.connect(self.on_data_changed)
        self.on_language_changed(bridge.session.language)
        self.on_state_changed(bridge.session.state.value, "")

    @property
    def current(self) -> Screen:
        widget = self.screens.get(self._state_shown())
        assert widget is not None
        return widget

    def _state_shown(self) -> State:
        if self.bridge is None:
            return State.IDLE
        return self.bridge.session.state

    def video_sinks(self) -> tuple[Callable[[object], None], Callable[[object], None]]:
        """Where the call's frames go: (the doctor's picture, the cabin's own preview).

        Both are thread-safe and never block (``CabinCall(on_remote_video=...)``).
        """
        from ui.screens.in_call import InCallScreen

        screen = self.screens.get(State.IN_CALL)
        if not isinstance(screen, InCallScreen):
            raise RuntimeError("the session is not attached yet: no call screen")
        return screen.doctor_video.push_frame, screen.own_video.push_frame

    def _share_doctor_video(self) -> None:
        """The doctor's thumbnail while measuring shows the call screen's picture."""
        from ui.screens.in_call import InCallScreen
        from ui.screens.measuring import MeasuringScreen

        in_call = self.screens.get(State.IN_CALL)
        measuring = self.screens.get(State.MEASURING)
        if isinstance(in_call, InCallScreen) and isinstance(measuring, MeasuringScreen):
            measuring.doctor_video.follow(in_call.doctor_video)

    @property
    def painted(self) -> bool:
        return self._painted

    def _on_screen_painted(self) -> None:
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    @property
    def in_technician_mode(self) -> bool:
        widget = self.stack.currentWidget()
        return widget is not None and widget in (self.pin_screen, self.technician)

    # -- session -------------------------------------------------------------------------

    def on_state_changed(self, state: str, previous: str) -> None:
        assert self.bridge is not None
        session = self.bridge.session
        # Back at idle the session takes the cabin's default language again, without a
        # language notice (and after this transition's notice): follow it here.
        language = session.default_language if state == State.IDLE else session.language
        if language != self.language:
            self.on_language_changed(language)
        screen = self.screens[State(state)]
        if state == State.IDLE:
            # The call for the staff ends with the session.
            self._show_staff_call("")
        screen.hide_time_warning()
        self._countdown.stop()
        screen.refresh()
        if not self.in_technician_mode:
            self.stack.setCurrentWidget(screen)
        self.speak_screen()
        if self._staff_poll.isActive():
            # Read it again once every listener of this transition has run.
            QTimer.singleShot(0, self.update_staff_call)

    def on_data_changed(self) -> None:
        self.current.refresh()

    def on_language_changed(self, language: str) -> None:
        self.language = language
        self.translations.install(language)
        rtl = language in RIGHT_TO_LEFT
        self.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        )
        self._apply_style()
        for screen in self.screens.values():
            screen.set_language(language)
        for other in (self.pin_screen, self.technician):
            if other is not None:
                other.retranslate()
        self.speak_screen()

    def on_staff_called(self) -> None:
        # The cabin hears of the press after the screens (it subscribed later): read where
        # the call stands once this notice has reached everyone.
        self._staff_pressed = True
        QTimer.singleShot(0, self.update_staff_call)

    def update_staff_call(self) -> None:
        """Show on every screen where the patient's call for the staff stands; read again
        every second while a call is on."""
        if self.bridge is None:
            return
        state = self.bridge.staff_call()
        pressed, self._staff_pressed = self._staff_pressed, False
        changed = self._show_staff_call(state)
        if pressed and not changed and state:
            # Pressed again: the patient hears the notice again (the same words).
            self.current.announce.emit(self.current.staff_notice_text())
        if state and not self._staff_poll.isActive():
            self._staff_poll.start()
        elif not state:
            self._staff_poll.stop()

    def _show_staff_call(self, state: str) -> bool:
        # The current screen first: it announces a changed notice (the others are silent).
        changed = self.current.show_staff_call(state)
        for screen in self.screens.values():
            if screen is not self.current:
                screen.show_staff_call(state)
        return changed

    def on_announce(self, text: str) -> None:
        """Read out what the current screen says changed (an answer that came by itself)."""
        sender = self.sender()
        if sender is not None and sender is not self.current:
            return
        if self.speaker is not None and self.speaker.enabled and not self.in_technician_mode:
            self.speaker.say(text, self.language)

    def on_warning(self, seconds_left: float) -> None:
        assert self.bridge is not None
        if self.current.machine_paced:
            return  # the card reader or the printer is late: the fault screen will say so
        self.current.show_time_warning(seconds_left, can_extend=self.bridge.session.can_extend)
        self._countdown.start()
        if self.speaker is not None:
            self.speaker.say(self.current.warning_text(), self.language)

    def _update_warning(self) -> None:
        if self.bridge is None or self.current.machine_paced:
            return
        left = self.bridge.session.time_left()
        if left is None:
            self._countdown.stop()
            self.current.hide_time_warning()
            return
        self.current.show_time_warning(left, can_extend=self.bridge.session.can_extend)

    def on_extended(self) -> None:
        self._countdown.stop()
        self.current.hide_time_warning()

    # -- screen size and style -----------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent | None) -> None:
        super().resizeEvent(event)
        self.fit_screens()

    def fit_screens(self) -> None:
        """Lay every screen out for the window's size (a cabin's 1280×800 or 1920×1080, a
        portrait borne's 1080×1920...): one scale for the words and the buttons."""
        size = (self.width(), self.height())
        if size[0] <= 0 or size[1] <= 0:
            return
        self._fitted = size
        self._scale = scaling.scale_for(*size)
        self._apply_style()
        for screen in self.screens.values():
            screen.fit(*size)
        for other in (self.pin_screen, self.technician):
            if other is not None:
                other.fit(*size)

    def _apply_style(self) -> None:
        style = theme.stylesheet(
            high_contrast=self.high_contrast,
            scale=self._scale,
            rtl=self.language in RIGHT_TO_LEFT,
        )
        if style != self._style:  # a new style sheet polishes every widget again
            self._style = style
            self.setStyleSheet(style)

    # -- accessibility -------------------------------------------------------------------

    def set_high_contrast(self, on: bool) -> None:
        self.high_contrast = on
        self._apply_style()
        for screen in self.screens.values():
            screen.set_high_contrast(on)
        if self.technician is not None:
            self.technician.set_high_contrast(on)

    def toggle_high_contrast(self) -> None:
        self.set_high_contrast(not self.high_contrast)

    def set_speech(self, on: bool) -> None:
        for screen in self.screens.values():
            screen.set_speech(on)
        if self.speaker is not None:
            self.speaker.set_enabled(on)
            if on:
                self.speak_screen()

    def toggle_speech(self) -> None:
        self.set_speech(not self.current.speech_on)

    def speak_screen(self) -> None:
        if self.speaker is not None and self.speaker.enabled and not self.in_technician_mode:
            self.speaker.say(self.current.spoken_text(), self.language)

    # -- technician mode -----------------------------------------------------------------

    def eventFilter(self, obj: QObject | None, event: QEvent | None) -> bool:
        if (
            event is not None
            and event.type() is QEvent.Type.MouseButtonPress
            and isinstance(event, QMouseEvent)
            and self._is_mine(obj)
        ):
            # One press is offered to the QWindow, the widget under it and that widget's
            # parents: count it once.
            point = event.globalPosition().toPoint()
            key = (event.timestamp(), point.x(), point.y())
            if key != self._last_press:
                self._last_press = key
                self._on_press(self.mapFromGlobal(point))
        return False

    def _is_mine(self, obj: QObject | None) -> bool:
        if obj is None:
            return False
        if isinstance(obj, QWidget):
            return obj.window() is self
        return obj is self.windowHandle()

    def _on_press(self, pos: QPoint) -> None:
        # The physical top-left corner, whatever the language's direction.
        if pos.x() > GESTURE_CORNER_PX or pos.y() > GESTURE_CORNER_PX or pos.x() < 0:
            self._taps.clear()
            return
        now = time.monotonic()
        self._taps = [t for t in self._taps if now - t <= GESTURE_WINDOW_S] + [now]
        if len(self._taps) >= GESTURE_TAPS:
            self._taps.clear()
            self.open_pin_pad()

    def open_pin_pad(self) -> None:
        from ui.screens.pin import PinGate, PinScreen

        if self.pin_screen is None:
            pin = self.config.ui.technician_pin if self.config is not None else ""
            self.pin_screen = PinScreen(PinGate(pin))
            self.pin_screen.accepted.connect(self.open_technician)
            self.pin_screen.cancelled.connect(self.close_technician)
            self.stack.addWidget(self.pin_screen)
            if self._fitted is not None:
                self.pin_screen.fit(*self._fitted)
        self.pin_screen.reset()
        if self.speaker is not None:
            self.speaker.stop()
        log.info("technician PIN pad opened")
        self.stack.setCurrentWidget(self.pin_screen)

    def open_technician(self) -> None:
        from ui.screens.technician import TechnicianScreen

        if self.technician is None:
            assert self.config is not None  # a PIN exists only with a config
            hook = self.bridge.test_print_hook() if self.bridge is not None else None
            self.technician = TechnicianScreen(self.config, test_print=hook, logs=self.log_lines)
            self.technician.closed.connect(self.close_technician)
            self.technician.exit_requested.connect(self.on_exit_requested)
            self.technician.set_high_contrast(self.high_contrast)
            self.stack.addWidget(self.technician)
            if self._fitted is not None:
                self.technician.fit(*self._fitted)
        log.info("technician mode opened")
        self.stack.setCurrentWidget(self.technician)

    def close_technician(self) -> None:
        self.stack.setCurrentWidget(self.current)
        log.info("technician mode closed")

    def on_exit_requested(self) -> None:
        # The application (ui.app) stops the cabin cleanly, then leaves, on this signal.
        log.info("technician: exit to the desktop")
        self.exit_requested.emit()
        self.unlock_and_close()

    # -- lockdown ------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent | None) -> None:
        if self.locked and event is not None:
            # Escape, Alt+F4, Ctrl+Q...: nothing the keyboard sends leaves a locked kiosk.
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
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._countdown.stop()
        self._staff_poll.stop()
        if self.speaker is not None:
            self.speaker.close()
        if self.technician is not None:
            self.technician.close_workers()
        in_call = self.screens.get(State.IN_CALL)
        if in_call is not None:
            from ui.screens.in_call import InCallScreen

            assert isinstance(in_call, InCallScreen)
            in_call.doctor_video.close_video()
            in_call.own_video.close_video()
        self.close()
        self.translations.uninstall()
