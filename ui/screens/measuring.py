"""A measurement the doctor asked for: a picture and numbered steps for that instrument, the
reading as it comes, a way to stop, and the doctor still in sight (who sees and hears you)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PyQt6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.domain import ReadingKind
from kiosk.session import MeasurementCancelled
from ui import scaling, theme
from ui.i18n import translate
from ui.readings import ReadingsPanel
from ui.screens.base import Screen
from ui.screens.chat import ChatPanel
from ui.video import VideoView
from ui.widgets import text_label

if TYPE_CHECKING:
    from ui.bridge import SessionBridge

#: The height the doctor's messages may take here (design pixels): the steps come first.
CHAT_ROOM_PX = 130


def guidance(kind: str) -> tuple[str, list[str]]:
    """The title and the steps for measuring ``kind``."""
    if kind == ReadingKind.BLOOD_PRESSURE:
        return translate("Measuring", "Blood pressure"), [
            translate("Measuring", "Sit down, back against the chair, both feet on the floor."),
            translate("Measuring", "Put the cuff on your LEFT arm, above the elbow."),
            translate("Measuring", "Rest your arm on the table, palm up."),
            translate("Measuring", "Press the start button on the device. Do not move or talk."),
        ]
    if kind == ReadingKind.TEMPERATURE:
        return translate("Measuring", "Temperature"), [
            translate("Measuring", "Take the thermometer from its holder."),
            translate(
                "Measuring", "Point it at the middle of your forehead, close but not touching."
            ),
            translate("Measuring", "Press its button and keep still until it beeps."),
        ]
    if kind in (ReadingKind.WEIGHT, ReadingKind.BODY_COMPOSITION):
        return translate("Measuring", "Weight"), [
            translate("Measuring", "Take off your shoes and your coat."),
            translate("Measuring", "Step onto the scale, one foot on each side."),
            translate("Measuring", "Stand still until the number stops changing."),
        ]
    if kind == ReadingKind.SPO2:
        return translate("Measuring", "Blood oxygen"), [
            translate("Measuring", "Put your index finger into the clip, nail on top."),
            translate("Measuring", "Rest your hand on the table."),
            translate("Measuring", "Keep still for about 30 seconds."),
        ]
    return translate("Measuring", "Measurement"), [
        translate("Measuring", "Follow what the doctor tells you."),
    ]


class MeasuringScreen(Screen):
    picture_name = "blood_pressure"

    def __init__(self, languages: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(languages, parent)
        self.kind = ""
        self._request: object = None
        self._baseline = 0
        self.steps = text_label(theme.BODY_PT, name="steps")
        self.readings = ReadingsPanel()
        # The doctor stays on screen, small, beside the steps (the window has this picture
        # follow the call screen's: see KioskWindow.attach).
        self.doctor_video = VideoView("doctor_thumb")
        self.doctor_video.setFixedSize(320, 180)
        self.doctor_note = text_label(theme.SMALL_PT, name="doctorNote", bold=True)
        doctor = QVBoxLayout()
        doctor.setSpacing(8)
        doctor.addWidget(self.doctor_video)
        doctor.addWidget(self.doctor_note)
        doctor.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(32)
        row.addWidget(self.steps, 1)
        row.addLayout(doctor)
        self.content.addLayout(row)
        # the doctor's written messages go on, across the screen under the steps
        self.chat = ChatPanel(answers=False, room=lambda: scaling.px(CHAT_ROOM_PX, self.scale))
        self.content.addWidget(self.chat)
        self.content.addWidget(self.readings)
        self.stop_button = self.add_action("stopMeasuring")
        self.stop_button.clicked.connect(lambda: self.send(MeasurementCancelled()))

    def refresh(self) -> None:
        if self.bridge is None:
            return
        requested = self.bridge.session.requested
        readings = self.bridge.readings()
        if requested is not None and requested is not self._request:
            # A new request: earlier readings are not this measurement's, do not show them.
            self._request = requested
            self._baseline = len(readings)
            self.kind = requested.kind.value
            self.picture.set_name(self.kind)
            self.picture.show()
            self._steps()
        # Only this instrument's readings: the patient looks for one number here.
        kinds = {self.kind} | ({"cuff_pressure"} if self.kind == "blood_pressure" else set())
        self.readings.set_readings(
            readings[self._baseline :],
            live=self.bridge.live_reading(),
            kinds=frozenset(kinds),
            limit=1,
        )
        self.chat.set_lines(self.bridge.chat())

    def bind(self, bridge: SessionBridge) -> None:
        super().bind(bridge)
        bridge.chat_changed.connect(self.refresh)

    def _steps(self) -> None:
        name, steps = guidance(self.kind)
        self.title.setText(translate("Measuring", "Measurement: {name}").format(name=name))
        self.steps.setText("\n".join(f"{i}.  {step}" for i, step in enumerate(steps, 1)))

    def retranslate_screen(self) -> None:
        self.body.setText("")
        self._steps()
        self.stop_button.setText(translate("Measuring", "Stop this measurement"))
        self.doctor_note.setText(translate("Measuring", "The doctor sees and hears you."))
        self.doctor_video.placeholder = translate("Measuring", "The doctor")
        self.readings.set_language(self.language)
        self.chat.retranslate()

    def spoken_text(self) -> str:
        return f"{self.title.text()}\n{self.steps.text()}"
