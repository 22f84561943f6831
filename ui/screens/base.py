"""What every screen has: a title, a body, the language choice and the "call staff" button."""

from __future__ import annotations

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QFont, QPaintEvent
from PyQt6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui import theme
from ui.texts import LANGUAGE_NAMES, RIGHT_TO_LEFT, tr


def big_font(points: int, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSize(points)
    font.setBold(bold)
    return font


class Screen(QWidget):
    """A full screen: title, body, then a bottom bar (languages, call staff)."""

    #: The patient picked a language (code).
    language_picked = pyqtSignal(str)
    #: The patient pressed "call staff".
    staff_pressed = pyqtSignal()
    #: The screen was painted (every time; the window keeps the first).
    painted = pyqtSignal()

    title_key = "state.fault"
    body_key = ""

    def __init__(self, languages: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.languages = languages
        self.language = languages[0] if languages else "fr"

        self.title = QLabel(objectName="title")
        self.title.setFont(big_font(theme.TITLE_PT, bold=True))
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QLabel(objectName="body")
        self.body.setFont(big_font(theme.BODY_PT))
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.staff_notice = QLabel(objectName="staffNotice")
        self.staff_notice.setFont(big_font(theme.BODY_PT, bold=True))
        self.staff_notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.staff_notice.hide()

        self.language_label = QLabel(objectName="languageLabel")
        self.language_label.setFont(big_font(theme.BUTTON_PT - 2))
        self.language_buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.setSpacing(16)
        bar.addWidget(self.language_label)
        for code in languages:
            button = QPushButton(LANGUAGE_NAMES[code], objectName=f"lang_{code}")
            button.setFont(big_font(theme.BUTTON_PT))
            button.setMinimumHeight(theme.MIN_TOUCH_PX)
            button.setMinimumWidth(theme.MIN_TOUCH_PX * 2)
            button.clicked.connect(lambda _=False, c=code: self.language_picked.emit(c))
            self.language_buttons[code] = button
            bar.addWidget(button)
        bar.addStretch(1)
        self.staff_button = QPushButton(objectName="staff")
        self.staff_button.setFont(big_font(theme.BUTTON_PT, bold=True))
        self.staff_button.setMinimumHeight(theme.MIN_TOUCH_PX)
        self.staff_button.clicked.connect(self.staff_pressed)
        bar.addWidget(self.staff_button)

        self.content = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(64, 48, 64, 40)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addSpacing(24)
        layout.addWidget(self.body)
        layout.addLayout(self.content)
        layout.addWidget(self.staff_notice)
        layout.addStretch(3)
        layout.addLayout(bar)

    def set_language(self, language: str) -> None:
        self.language = language
        rtl = language in RIGHT_TO_LEFT
        self.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        )
        self.title.setText(tr(self.title_key, language))
        self.body.setText(tr(self.body_key, language) if self.body_key else "")
        self.body.setVisible(bool(self.body_key))
        self.language_label.setText(tr("idle.language", language))
        self.staff_button.setText(tr("staff.button", language))
        self.staff_notice.setText(tr("staff.called", language))
        for code, button in self.language_buttons.items():
            chosen = code == language
            # The choice is shown by a mark as well as by colour.
            button.setText(("✓ " if chosen else "") + LANGUAGE_NAMES[code])
            button.setProperty("selected", chosen)
            button.style().unpolish(button)
            button.style().polish(button)

    def paintEvent(self, event: QPaintEvent | None) -> None:
        super().paintEvent(event)
        self.painted.emit()

    def show_staff_called(self) -> None:
        self.staff_notice.show()


class StateScreen(Screen):
    """A screen showing one state's message (until that state gets a screen of its own)."""

    def __init__(self, state: str, languages: tuple[str, ...], parent: QWidget | None = None):
        self.title_key = f"state.{state}"
        super().__init__(languages, parent)
