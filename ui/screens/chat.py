"""The doctor's written messages, large on the call screen (a patient who hears badly reads
them from the chair), with a few big preset answers. The words are the session's (health
data): shown, never logged, gone with the session."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PyQt6.QtCore import QTimer, pyqtSignal
from PyQt6.QtGui import QResizeEvent
from PyQt6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.session import ChatLine
from ui import theme
from ui.i18n import translate
from ui.widgets import big_button, text_label

#: The doctor's messages shown at most (newest last, the newest largest).
SHOWN = 3
#: The patient's answers, in the order of their buttons (``protocol.CHAT_ANSWERS``).
ANSWERS = ("yes", "no", "cannot_hear", "repeat")


def answer_text(answer: str) -> str:
    texts = {
        "yes": translate("Chat", "Yes"),
        "no": translate("Chat", "No"),
        "cannot_hear": translate("Chat", "I can't hear"),
        "repeat": translate("Chat", "Please repeat"),
    }
    return texts.get(answer, "")


class ChatPanel(QFrame):
    """The last few lines of the written exchange; hidden while there is none. With
    ``answers``, the patient's preset answers as big buttons under them. ``room``: the
    height the panel may take (0: any); older lines give way first, then the newest
    message's large type."""

    #: The patient pressed a preset answer (its code, one of :data:`ANSWERS`).
    answered = pyqtSignal(str)

    def __init__(
        self,
        *,
        answers: bool = True,
        room: Callable[[], int] = lambda: 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, objectName="panel")
        self._room = room
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(8)
        self.heading = text_label(theme.SMALL_PT, name="chatHeading", bold=True)
        box.addWidget(self.heading)
        # without answers (the measuring screen), the words alone: the steps keep their room
        self.heading.setVisible(answers)
        #: One slot per line shown, oldest first: its words in large type (the doctor's
        #: newest message) or in body type (the others, and the newest where room is short).
        self.slots: list[tuple[QLabel, QLabel]] = []
        for _ in range(SHOWN):
            large = text_label(theme.TITLE_PT, name="chatLine", bold=True)
            body = text_label(theme.BODY_PT, name="chatLine")
            for label in (large, body):
                label.hide()
                box.addWidget(label)
            self.slots.append((large, body))
        self.answer_buttons: dict[str, QPushButton] = {}
        if answers:
            grid = QGridLayout()
            grid.setSpacing(12)
            for n, answer in enumerate(ANSWERS):
                button = big_button(f"chat-{answer}")
                button.setMinimumWidth(theme.MIN_TOUCH_PX)  # four in a row: as wide as words
                button.clicked.connect(lambda _=False, a=answer: self.answered.emit(a))
                grid.addWidget(button, 0, n)  # one row: the call screen widens its side
                self.answer_buttons[answer] = button
            box.addLayout(grid)
        self._lines: list[ChatLine] = []
        self._fitting = False
        self.hide()

    def set_lines(self, lines: Sequence[ChatLine]) -> None:
        """Show the exchange's last lines (a patient's answer under the message it answers)."""
        self._lines = list(lines)
        self.retranslate()

    @property
    def shown_texts(self) -> list[str]:
        return [label.text() for slot in self.slots for label in slot if not label.isHidden()]

    @property
    def large_label(self) -> QLabel | None:
        """The label showing the doctor's newest message in large type, if it does."""
        return next((large for large, _ in self.slots if not large.isHidden()), None)

    def retranslate(self) -> None:
        self.heading.setText(translate("Chat", "The doctor writes to you:"))
        for answer, button in self.answer_buttons.items():
            button.setText(answer_text(answer))
        for large, body in self.slots:
            large.hide()
            body.hide()
        self.setVisible(bool(self._lines))
        self.fit()
        # again once the screen has laid the panel out (its width and room may change)
        QTimer.singleShot(0, self.fit)

    def fit(self) -> None:
        """The most that fits the room: the last lines, the doctor's newest message large;
        then fewer lines; then that message in body type (a box layout in a row does not ask its
        labels' height for their width: it is told)."""
        layout = self.layout()
        if layout is None or not self._lines or self.width() <= 0 or self._fitting:
            return  # (a minimum height set resizes the panel at once: no fit within a fit)
        self._fitting = True
        try:
            self._fit(layout)
        finally:
            self._fitting = False

    def _fit(self, layout: QLayout) -> None:
        margins = layout.contentsMargins()
        inner = self.width() - margins.left() - margins.right()
        if not self.heading.isHidden():
            self.heading.setMinimumHeight(max(self.heading.heightForWidth(inner), 0))
        room = self._room()
        newest = max(
            (n for n, line in enumerate(self._lines) if line.sender == "doctor"), default=-1
        )
        # the doctor's newest message always shows (the patient's answers after it may not)
        last = newest if newest >= 0 else len(self._lines) - 1
        for large_type in (True, False):
            for first in range(max(0, len(self._lines) - SHOWN), last + 1):
                self._place(first, newest if large_type else -1, inner)
                if room <= 0 or layout.totalMinimumSize().height() <= room:
                    return
        self._place(last, -1, inner, until=last + 1)  # the newest alone, in body type

    def _place(self, first: int, large_at: int, inner: int, *, until: int | None = None) -> None:
        lines = self._lines[first:until]
        for n, (large, body) in enumerate(self.slots):
            index = first + n
            line = lines[n] if n < len(lines) else None
            shown, hidden = (large, body) if index == large_at else (body, large)
            hidden.hide()
            hidden.setMinimumHeight(0)
            if line is None:
                shown.hide()
                shown.setMinimumHeight(0)
                continue
            shown.setText(self._text(line))
            shown.setMinimumHeight(0)  # (its last minimum would be its answer)
            shown.setMinimumHeight(max(shown.heightForWidth(inner), 0))
            shown.show()
        self.setMinimumHeight(0)
        self.setMinimumHeight(self.layout().totalMinimumSize().height())  # type: ignore[union-attr]

    def resizeEvent(self, event: QResizeEvent | None) -> None:
        super().resizeEvent(event)
        if event is None or event.size().width() != event.oldSize().width():
            self.fit()

    @staticmethod
    def _text(line: ChatLine) -> str:
        if line.sender == "doctor":
            return line.text
        return translate("Chat", "You answered: {answer}").format(answer=answer_text(line.text))
