"""The consultation: the doctor large, the cabin's own picture small, who is speaking, and
the readings the doctor sees."""

from __future__ import annotations

from PyQt6.QtCore import Qt, QTimer
from PyQt6.QtGui import QHideEvent, QShowEvent
from PyQt6.QtWidgets import QBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from ui import theme
from ui.i18n import translate
from ui.readings import ReadingsPanel
from ui.screens.base import Screen
from ui.video import VideoView
from ui.widgets import text_label

SPEAKING_POLL_MS = 250


class InCallScreen(Screen):
    fill_content = True

    def __init__(self, languages: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(languages, parent)
        self.doctor_video = VideoView("doctor")
        self.doctor_video.setMinimumSize(800, 450)
        self.own_video = VideoView("cabin", mirrored=True)
        self.own_video.setFixedSize(320, 180)
        self.doctor_video.set_inset(self.own_video)
        self.speaking = text_label(theme.BODY_PT, name="speaking", bold=True)
        self.readings = ReadingsPanel()
        # Readings that do not fit are cut at the bottom (the oldest), never the screen.
        self.readings.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        side_box = QWidget(objectName="callSide")
        side_box.setMinimumWidth(560)
        side_box.setMaximumWidth(640)
        side = QVBoxLayout(side_box)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(16)
        side.addWidget(self.speaking)
        side.addWidget(self.readings, 1)
        # The readings beside the doctor, under the doctor on a portrait screen.
        self._row = row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        row.setSpacing(24)
        row.addWidget(self.doctor_video, 1)
        row.addWidget(side_box)
        self._side = side_box
        self.content.addLayout(row, 1)
        # Who is speaking changes with the voice, not with session events: looked at often.
        self._speaking_timer = QTimer(self)
        self._speaking_timer.setObjectName("in-call-speaking")
        self._speaking_timer.setInterval(SPEAKING_POLL_MS)
        self._speaking_timer.timeout.connect(self.refresh_speaking)

    def set_portrait(self, portrait: bool) -> None:
        super().set_portrait(portrait)
        self._row.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        # Side by side the doctor takes the width; one above the other, the readings need
        # a share of the height.
        self._row.setStretchFactor(self._side, 2 if portrait else 0)

    def showEvent(self, event: QShowEvent | None) -> None:
        super().showEvent(event)
        self._speaking_timer.start()

    def hideEvent(self, event: QHideEvent | None) -> None:
        self._speaking_timer.stop()
        super().hideEvent(event)

    def refresh(self) -> None:
        if self.bridge is None:
            return
        self.readings.set_readings(self.bridge.readings(), live=self.bridge.live_reading(), limit=2)
        self.refresh_speaking()

    def refresh_speaking(self) -> None:
        if self.bridge is None:
            return
        who = self.bridge.speaking()
        if who == "doctor":
            # The arrow points at the doctor's picture, whichever side it is on.
            arrow = "▶" if self.layoutDirection() is Qt.LayoutDirection.RightToLeft else "◀"
            self.speaking.setText(f"{arrow}  " + translate("InCall", "The doctor is speaking"))
        elif who == "patient":
            self.speaking.setText(translate("InCall", "You are speaking"))
        else:
            self.speaking.setText("")
        self.speaking.setVisible(bool(self.speaking.text()))

    def closing_text(self, seconds: int) -> str:
        # The time running out here ends the call with the doctor.
        return translate("InCall", "The consultation will stop in %n seconds.", None, seconds)

    def retranslate_screen(self) -> None:
        self.title.setText(translate("InCall", "You are with the doctor"))
        self.body.setText("")
        self.doctor_video.placeholder = translate("InCall", "The doctor's picture is coming…")
        self.own_video.placeholder = translate("InCall", "Your camera")
        self.readings.set_language(self.language)
        self.refresh()

    def spoken_text(self) -> str:
        return self.title.text()
