"""The technician's PIN pad, behind a hidden gesture; wrong PINs lock it for longer and longer."""

from __future__ import annotations

import hmac
import logging
import math
import time
from collections.abc import Callable
from enum import StrEnum

from PyQt6.QtCore import Qt, QTimer, pyqtSignal
from PyQt6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui import scaling, theme
from ui.i18n import translate
from ui.theme import big_font
from ui.widgets import big_button, wrap_text

log = logging.getLogger(__name__)

MAX_DIGITS = 12


class PinResult(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"
    DISABLED = "disabled"  # no PIN configured: technician mode is off


class PinGate:
    """Checks PINs; after ``free_tries`` wrong ones in a row, each more waits twice as long."""

    def __init__(
        self,
        pin: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        free_tries: int = 3,
        lockout_s: float = 30.0,
        max_lockout_s: float = 900.0,
    ) -> None:
        self._pin = pin
        self._clock = clock
        self.free_tries = free_tries
        self.lockout_s = lockout_s
        self.max_lockout_s = max_lockout_s
        self.wrong = 0
        self._locked_until = 0.0

    @property
    def enabled(self) -> bool:
        return bool(self._pin)

    def locked_for(self) -> float:
        return max(0.0, self._locked_until - self._clock())

    def check(self, entered: str) -> PinResult:
        if not self.enabled:
            return PinResult.DISABLED
        if self.locked_for() > 0:
            return PinResult.LOCKED
        if hmac.compare_digest(entered.encode(), self._pin.encode()):
            self.wrong = 0
            log.info("technician mode: PIN accepted")
            return PinResult.OK
        self.wrong += 1
        log.warning("technician mode: wrong PIN (%d in a row)", self.wrong)
        if self.wrong >= self.free_tries:
            wait = self.lockout_s * 2 ** (self.wrong - self.free_tries)
            self._locked_until = self._clock() + min(wait, self.max_lockout_s)
        return PinResult.WRONG


class PinScreen(QWidget):
    """Digits, erase, OK and cancel; the PIN shows as dots."""

    #: The right PIN was entered.
    accepted = pyqtSignal()
    #: The technician (or a curious patient) went back.
    cancelled = pyqtSignal()

    def __init__(self, gate: PinGate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.gate = gate
        self.entered = ""
        self._message = ""
        # While the pad is locked, its message counts the seconds down, then goes.
        self._lockout_timer = QTimer(self)
        self._lockout_timer.setObjectName("pin-lockout")
        self._lockout_timer.setInterval(1000)
        self._lockout_timer.timeout.connect(self.tick_lockout)
        self.title = QLabel(objectName="title")
        self.title.setFont(big_font(theme.TITLE_PT, bold=True))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots = QLabel(objectName="pinDots")
        self.dots.setFont(big_font(theme.TITLE_PT, bold=True))
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots.setMinimumHeight(theme.MIN_TOUCH_PX)
        self.message = QLabel(objectName="pinMessage")
        self.message.setFont(big_font(theme.BODY_PT))
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        wrap_text(self.message)
        # A keypad keeps 1-2-3 from left to right in every language (as on a phone and the
        # booking code's keypad): it is not mirrored in Arabic.
        keypad = QWidget(objectName="pinKeypad")
        keypad.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        grid = QGridLayout(keypad)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(16)
        self.digit_buttons: dict[str, QPushButton] = {}
        for i, digit in enumerate("123456789"):
            grid.addWidget(self._digit(digit), i // 3, i % 3)
        self.erase_button = big_button("erase")
        self.erase_button.clicked.connect(self.on_erase)
        self.ok_button = big_button("ok", primary=True)
        self.ok_button.clicked.connect(self.on_ok)
        grid.addWidget(self.erase_button, 3, 0)
        grid.addWidget(self._digit("0"), 3, 1)
        grid.addWidget(self.ok_button, 3, 2)
        self.cancel_button = big_button("cancel")
        self.cancel_button.clicked.connect(self.on_cancel)
        pad = QVBoxLayout()
        pad.setSpacing(20)
        pad.addStretch(1)
        pad.addWidget(self.title)
        pad.addWidget(self.dots)
        pad.addWidget(self.message)
        pad.addWidget(keypad)
        pad.addWidget(self.cancel_button)
        pad.addStretch(1)
        row = QHBoxLayout(self)
        row.addStretch(1)
        row.addLayout(pad, 1)
        row.addStretch(1)
        self.retranslate()

    def fit(self, width: int, height: int) -> None:
        """Scale the pad to a ``width``×``height`` window (see :mod:`ui.scaling`)."""
        scaling.apply_scale(self, scaling.scale_for(width, height))

    def _digit(self, digit: str) -> QPushButton:
        button = big_button(f"digit_{digit}")
        button.setText(digit)
        button.setFont(big_font(theme.TITLE_PT, bold=True))
        button.clicked.connect(lambda _=False, d=digit: self.on_digit(d))
        self.digit_buttons[digit] = button
        return button

    def reset(self) -> None:
        self.entered = ""
        self._message = ""
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(translate("Pin", "Technician code"))
        self.erase_button.setText(translate("Pin", "Erase"))
        self.ok_button.setText(translate("Pin", "OK"))
        self.cancel_button.setText(translate("Pin", "Back"))
        self.dots.setText("●" * len(self.entered) or " ")
        locked_for = self.gate.locked_for()
        if self._message == PinResult.LOCKED and locked_for > 0:
            self.message.setText(
                translate(
                    "Pin",
                    "Too many wrong codes. Try again in %n seconds.",
                    None,
                    math.ceil(locked_for),
                )
            )
            if not self._lockout_timer.isActive():
                self._lockout_timer.start()
        elif self._message == PinResult.WRONG:
            self.message.setText(translate("Pin", "Wrong code."))
        elif self._message == PinResult.DISABLED or not self.gate.enabled:
            self.message.setText(translate("Pin", "Technician mode is not configured."))
        else:
            self.message.setText("")

    def tick_lockout(self) -> None:
        """Once a second while locked: the seconds left; the message goes with the lock."""
        if self.gate.locked_for() <= 0:
            self._lockout_timer.stop()
            if self._message == PinResult.LOCKED:
                self._message = ""
        self.retranslate()

    def on_digit(self, digit: str) -> None:
        if len(self.entered) < MAX_DIGITS:
            self.entered += digit
        self.retranslate()

    def on_erase(self) -> None:
        self.entered = self.entered[:-1]
        self.retranslate()

    def on_ok(self) -> None:
        result = self.gate.check(self.entered)
        self.entered = ""
        if result is PinResult.OK:
            self._message = ""
            self.retranslate()
            self.accepted.emit()
            return
        if result is PinResult.WRONG and self.gate.locked_for() > 0:
            result = PinResult.LOCKED
        self._message = result
        self.retranslate()

    def on_cancel(self) -> None:
        self.reset()
        self.cancelled.emit()
