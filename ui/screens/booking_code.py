"""No Carte Vitale, or the card failed: the patient types the booking code of the SMS.

Only the code's own characters are on the keypad, so nothing mistypable is offered; the
portal's answer is read from the cabin while the screen is shown.
"""

from __future__ import annotations

from typing import Any

from PyQt6 import sip
from PyQt6.QtCore import Qt, QTimer
from PyQt6.QtGui import QHideEvent, QShowEvent
from PyQt6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.session import EndSession, State
from ui import scaling, theme
from ui.i18n import translate
from ui.screens.base import Screen
from ui.screens.waiting_room import where_to_book
from ui.theme import big_font
from ui.widgets import big_button, text_label

#: The characters of a booking code (the portal's alphabet: nothing that reads like another
#: character, no 0/O, 1/I/L, 2/Z, 5/S, 8/B).
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
STATUS_POLL_MS = 500
#: Keys per row: the letters on two rows; the digits, "erase" and "check" on the third.
KEYS_PER_ROW = 10
#: On a portrait screen: five rows of five, then "erase" and "check" on their own row.
KEYS_PER_ROW_PORTRAIT = 5
BOX_PX = 104


class BookingCodeScreen(Screen):
    """Six boxes, a keypad of the code's characters, "check my code"; then the answer."""

    picture_name = ""  # the keypad needs the whole width

    def __init__(self, languages: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(languages, parent)
        self.code = ""
        #: The patient pressed "check" during this visit: the cabin's answer is theirs.
        self._submitted = False
        self._not_sent = False
        self._status: dict[str, Any] | None = None
        #: What was last read out: (checking, refusal reason).
        self._said: tuple[bool, str] = (False, "")
        #: The cabin sees patients without an appointment (the portal said at connection).
        self._walk_ins = False

        # -- the six boxes, always left to right (the code is Latin), the answer beside them
        self.boxes: list[QLabel] = []
        box_widget = QWidget(objectName="codeBoxes")
        box_widget.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        box_row = QHBoxLayout(box_widget)
        box_row.setContentsMargins(0, 0, 0, 0)
        box_row.setSpacing(14)
        for i in range(CODE_LENGTH):
            box = QLabel(objectName=f"codeBox_{i}")
            box.setFont(big_font(theme.TITLE_PT + 8, bold=True))
            box.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box.setFixedSize(BOX_PX, BOX_PX + 8)
            self.boxes.append(box)
            box_row.addWidget(box)
        self.box_widget = box_widget
        self.message = text_label(theme.BODY_PT, name="codeMessage", bold=True)
        self.booking_site = text_label(theme.SMALL_PT, name="bookingSite")
        answer = QVBoxLayout()
        answer.setSpacing(8)
        # Where the code is to be found, until there is an answer to say instead.
        self.where = text_label(theme.BODY_PT, name="codeWhere")
        answer.addStretch(1)
        answer.addWidget(self.where)
        answer.addWidget(self.message)
        answer.addWidget(self.booking_site)
        answer.addStretch(1)
        # The answer beside the boxes, or under them on a portrait screen.
        self._code_row = code_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        code_row.setSpacing(40)
        code_row.addWidget(box_widget, 0, Qt.AlignmentFlag.AlignTop)
        code_row.addLayout(answer, 1)
        self.content.addLayout(code_row)

        # -- the keypad: the code's letters, then its digits, "erase" and "check my code"
        keypad = QWidget(objectName="keypad")
        keypad.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.keys: dict[str, QPushButton] = {}
        letters = [c for c in CODE_ALPHABET if c.isalpha()]
        digits = [c for c in CODE_ALPHABET if c.isdigit()]
        for char in letters + digits:
            self._key(char)
        self.erase_button = big_button("eraseKey")
        self.erase_button.setFont(big_font(theme.BUTTON_PT, bold=True))
        self.erase_button.clicked.connect(self.on_erase)
        self.check_button = big_button("checkCode", primary=True)
        self.check_button.clicked.connect(self.on_check)
        self.keypad = keypad
        self._place_keys(KEYS_PER_ROW)
        self.content.addWidget(keypad)
        self.hint = text_label(theme.SMALL_PT, name="hint")
        self.content.addWidget(self.hint)

        self.leave_button = self.add_action("leave")
        self.leave_button.clicked.connect(lambda: self.send(EndSession()))
        self.walk_in_button = self.add_action("walkIn")
        self.walk_in_button.clicked.connect(self.on_walk_in)

        self._status_timer = QTimer(self)
        self._status_timer.setObjectName("booking-code-status")
        self._status_timer.setInterval(STATUS_POLL_MS)
        self._status_timer.timeout.connect(self.refresh)
        self._show_code()
        self._style_boxes()

    def _place_keys(self, per_row: int) -> None:
        """Lay the keys out ``per_row`` a row, in the alphabet's order; the last row ends
        with "erase" then "check", like the Enter key of a keyboard."""
        old = self.keypad.layout()
        if old is not None:
            while old.takeAt(0) is not None:
                pass  # the keys stay the keypad's; only their places go
            sip.delete(old)
        grid = QGridLayout(self.keypad)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(12)
        keys = [self.keys[c] for c in CODE_ALPHABET if c.isalpha()]
        keys += [self.keys[c] for c in CODE_ALPHABET if c.isdigit()]
        for i, key in enumerate(keys):
            grid.addWidget(key, i // per_row, i % per_row)
        row, used = divmod(len(keys), per_row)
        if per_row - used < 2:  # no room left on the digits' row: a row of their own
            row, used = row + 1, 0
        erase_span = (per_row - used) // 2
        grid.addWidget(self.erase_button, row, used, 1, erase_span)
        grid.addWidget(self.check_button, row, used + erase_span, 1, per_row - used - erase_span)
        scaling.apply_scale(self.keypad, self.scale)

    def set_portrait(self, portrait: bool) -> None:
        super().set_portrait(portrait)
        self._code_row.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        self._place_keys(KEYS_PER_ROW_PORTRAIT if portrait else KEYS_PER_ROW)

    def _key(self, char: str) -> QPushButton:
        button = big_button(f"key_{char}")
        button.setMinimumWidth(theme.MIN_TOUCH_PX)
        button.setText(char)
        button.setFont(big_font(theme.TITLE_PT, bold=True))
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.clicked.connect(lambda _=False, c=char: self.on_key(c))
        self.keys[char] = button
        return button

    # -- wiring --------------------------------------------------------------------------

    def bind(self, bridge: Any) -> None:
        super().bind(bridge)
        bridge.state_changed.connect(self._on_state_changed)

    def _on_state_changed(self, state: str, previous: str) -> None:
        if state == State.BOOKING_CODE and previous != State.BOOKING_CODE:
            self.reset()

    def reset(self) -> None:
        """A new visit: nothing typed, no answer shown (an earlier one is not this one's)."""
        self.code = ""
        self._submitted = False
        self._not_sent = False
        self._status = None
        self._said = (False, "")
        self.refresh()

    def showEvent(self, event: QShowEvent | None) -> None:
        super().showEvent(event)
        self._status_timer.start()

    def hideEvent(self, event: QHideEvent | None) -> None:
        self._status_timer.stop()
        super().hideEvent(event)

    # -- the patient's keys --------------------------------------------------------------

    def on_key(self, char: str) -> None:
        if char in CODE_ALPHABET and len(self.code) < CODE_LENGTH and not self.checking:
            self.code += char
            self._show_code()

    def on_erase(self) -> None:
        if not self.checking:
            self.code = self.code[:-1]
            self._show_code()

    def on_check(self) -> None:
        if len(self.code) != CODE_LENGTH or self.checking or self.bridge is None:
            return
        self._submitted = True
        self._not_sent = not self.bridge.submit_booking_code(self.code)
        self.refresh()

    def on_walk_in(self) -> None:
        if self.bridge is not None:
            self.bridge.continue_without_card()

    # -- what the screen shows -----------------------------------------------------------

    @property
    def checking(self) -> bool:
        return self._status is not None and self._status.get("state") in ("checking", "accepted")

    @property
    def refusal(self) -> str:
        """Why the code was refused (``bad_code``, ``rate_limited``, ``no_answer``), or ""."""
        if self._not_sent:
            return "no_answer"
        if self._status is not None and self._status.get("state") == "refused":
            return str(self._status.get("reason") or "no_answer")
        return ""

    def refresh(self) -> None:
        status = None
        if self._submitted and self.bridge is not None:
            status = self.bridge.booking_code_status()
        if status is not None:
            self._not_sent = False
        self._status = status
        self._walk_ins = self.bridge is not None and self.bridge.takes_walk_ins()
        self._show_code()
        self.retranslate_screen()

    def _show_code(self) -> None:
        for i, box in enumerate(self.boxes):
            box.setText(self.code[i] if i < len(self.code) else "")
        busy = self.checking
        for button in self.keys.values():
            # Still pressable with six typed (nothing happens): a whole greyed keypad
            # would look broken; the boxes show the code is complete.
            button.setEnabled(not busy)
        self.erase_button.setEnabled(not busy and bool(self.code))
        self.check_button.setEnabled(not busy and len(self.code) == CODE_LENGTH)
        self._style_boxes()

    def set_high_contrast(self, on: bool) -> None:
        super().set_high_contrast(on)
        self._style_boxes()

    def _style_boxes(self) -> None:
        c = theme.colours(high_contrast=self.high_contrast)
        background = c.background if self.high_contrast else "#ffffff"
        for i, box in enumerate(self.boxes):
            # The next box to fill has a thicker frame: where the next character goes.
            width = 7 if i == len(self.code) and not self.checking else 3
            box.setStyleSheet(
                f"QLabel {{ background: {background}; color: {c.text}; "
                f"border: {width}px solid {c.accent}; border-radius: 12px; }}"
            )
        # A primary button that cannot be pressed yet must not look pressable.
        muted = "#aaaaaa" if self.high_contrast else "#5b6b7b"
        self.check_button.setStyleSheet(
            f"QPushButton:disabled {{ background: {c.background}; color: {muted}; "
            f"border: 3px dashed {muted}; }}"
        )

    def retranslate_screen(self) -> None:
        self.title.setText(translate("BookingCode", "Enter your booking code"))
        # Beside the boxes rather than under the title: the keypad needs the height.
        self.where.setText(
            translate(
                "BookingCode",
                "It is in the SMS confirming your appointment: 6 letters and numbers.",
            )
        )
        self.check_button.setText("✓  " + translate("BookingCode", "Check my code"))
        self.erase_button.setText("⌫  " + translate("BookingCode", "Erase"))
        self.leave_button.setText(translate("BookingCode", "Leave"))
        self.walk_in_button.setText(translate("BookingCode", "Wait without an appointment"))
        self.hint.setText(
            translate("BookingCode", "You can also insert your Carte Vitale at any time.")
        )
        self._retranslate_answer()

    def _retranslate_answer(self) -> None:
        status = self._status or {}
        reason = self.refusal
        message = ""
        if self.checking:
            message = translate("BookingCode", "Checking your code…")
        elif reason == "bad_code":
            message = translate(
                "BookingCode",
                "This code was not found. Check the SMS you received and try again.",
            )
        elif reason == "rate_limited":
            message = translate(
                "BookingCode",
                "Too many tries. Please insert your Carte Vitale, or call the staff.",
            )
        elif reason:
            message = translate(
                "BookingCode",
                "Your code cannot be checked right now. Try again in a moment, or call the staff.",
            )
        self.message.setText(message)
        self.message.setVisible(bool(message))
        self.where.setVisible(not message)
        # A walk-in cabin offers it from the start (no code at all); elsewhere, only if the
        # portal's refusal says the cabin takes walk-ins.
        walk_in = (bool(reason) and status.get("walk_in") is True) or (
            self._walk_ins and not self.checking
        )
        no_walk_in = bool(reason) and status.get("walk_in") is False
        site = where_to_book(status.get("booking_site")) if no_walk_in else ""
        self.booking_site.setText(site)
        self.booking_site.setVisible(bool(site))
        self.walk_in_button.setVisible(walk_in)
        self._show_hint()
        # An answer that arrives by itself is read out (a language change is read with the
        # whole screen by the window).
        said = (self.checking, reason)
        if said != self._said:
            self._said = said
            if message:
                self.announce.emit(" ".join(part for part in (message, site) if part))

    def _show_hint(self) -> None:
        # The time-limit banner takes the hint's room; "too many tries" says it already.
        self.hint.setVisible(not self.banner.isVisibleTo(self) and self.refusal != "rate_limited")

    def show_time_warning(self, seconds_left: float, *, can_extend: bool) -> None:
        super().show_time_warning(seconds_left, can_extend=can_extend)
        self._show_hint()

    def hide_time_warning(self) -> None:
        super().hide_time_warning()
        self._show_hint()

    def spoken_text(self) -> str:
        said = self.message.text() or self.where.text()
        parts = [self.title.text(), said, self.booking_site.text()]
        if self.hint.isVisibleTo(self):
            parts.append(self.hint.text())
        return "\n".join(p for p in parts if p)
