"""The consultation: the doctor large, the cabin's own picture small, who is speaking, the
readings the doctor sees; the doctor's volume, "I can't hear", and ending the consultation
(asked again on the screen before the call hangs up)."""

from __future__ import annotations

from PyQt6.QtCore import Qt, QTimer
from PyQt6.QtGui import QHideEvent, QResizeEvent, QShowEvent
from PyQt6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QSpacerItem,
    QVBoxLayout,
    QWidget,
)

from ui import scaling, theme
from ui.i18n import translate
from ui.readings import ReadingsPanel
from ui.screens.base import Screen
from ui.theme import big_font
from ui.video import VideoView
from ui.widgets import big_button, text_label

SPEAKING_POLL_MS = 250
HEAR_NOTICE_MS = 20_000


class _FittedFrame(QFrame):
    """A panel as tall as its wrapped lines need at its width (a box layout inside a row
    does not ask its labels' height for their width): its buttons never overlap; the
    readings below give way."""

    def fit(self) -> None:
        layout = self.layout()
        height = layout.totalHeightForWidth(self.width()) if layout is not None else -1
        if height > 0:  # -1: not measurable yet (no width)
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent | None) -> None:
        super().resizeEvent(event)
        self.fit()


class InCallScreen(Screen):
    fill_content = True

    def __init__(self, languages: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(languages, parent)
        self.doctor_video = VideoView("doctor")
        # 16:9, small enough that the staff notice and the time warning fit beside it too
        self.doctor_video.setMinimumSize(704, 396)
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
        side.setSpacing(6)
        side.addWidget(self.speaking)
        self.sound = self._sound_panel()
        side.addWidget(self.sound)
        side.addWidget(self.readings, 1)
        # "End the consultation?" takes the place of the controls and readings, beside the
        # doctor, who stays in sight
        side.addWidget(self._confirm_panel())
        # Takes the readings' room while they are hidden (the rest stays at the top).
        self._filler = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Minimum)
        side.addSpacerItem(self._filler)
        self._side_layout = side
        # The readings beside the doctor, under the doctor on a portrait screen.
        self._row = row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        row.setSpacing(24)
        row.addWidget(self.doctor_video, 1)
        row.addWidget(side_box)
        self._side = side_box
        self.content.addLayout(row, 1)
        # Below the doctor, where the patient's other actions are.
        self.cannot_hear_button = self.add_action("cannotHear")
        self.cannot_hear_button.clicked.connect(self.tell_cannot_hear)
        self.end_button = self.add_action("endCall")
        self.end_button.clicked.connect(self.ask_end)
        # Who is speaking changes with the voice, not with session events: looked at often.
        self._speaking_timer = QTimer(self)
        self._speaking_timer.setObjectName("in-call-speaking")
        self._speaking_timer.setInterval(SPEAKING_POLL_MS)
        self._speaking_timer.timeout.connect(self.refresh_speaking)
        # The answer to "I can't hear" shows for a while, then the readings come back.
        self._hear_timer = QTimer(self)
        self._hear_timer.setObjectName("in-call-hear-notice")
        self._hear_timer.setSingleShot(True)
        self._hear_timer.setInterval(HEAR_NOTICE_MS)
        self._hear_timer.timeout.connect(self.clear_hear_notice)

    def _sound_panel(self) -> _FittedFrame:
        """The doctor's volume (a level the patient sees, two big steps) and "I can't hear"."""
        panel = _FittedFrame(objectName="panel")
        box = QVBoxLayout(panel)
        box.setContentsMargins(16, 4, 16, 4)
        box.setSpacing(8)
        self.volume_label = text_label(theme.SMALL_PT, name="volume", bold=True)
        self.quieter_button = QPushButton(objectName="quieter")
        self.louder_button = QPushButton(objectName="louder")
        self.volume_blocks = text_label(theme.SMALL_PT, name="volumeBlocks", bold=True)
        # One row, the level between its two steps: the readings keep their room.
        steps = QHBoxLayout()
        steps.setSpacing(12)
        for button, step in ((self.quieter_button, -1), (self.louder_button, 1)):
            scaling.set_font(button, big_font(theme.TITLE_PT, bold=True))
            button.setMinimumHeight(theme.MIN_TOUCH_PX)
            button.setMinimumWidth(theme.MIN_TOUCH_PX)
            button.clicked.connect(lambda _=False, n=step: self.change_volume(n))
        self.quieter_button.setText("−")
        self.louder_button.setText("+")
        self.volume_label.setProperty("alignment", "AlignCenter")
        self.volume_blocks.setProperty("alignment", "AlignCenter")
        level = QVBoxLayout()
        level.setSpacing(0)
        level.addWidget(self.volume_label)
        level.addWidget(self.volume_blocks)
        steps.addWidget(self.quieter_button, 0)
        steps.addLayout(level, 1)
        steps.addWidget(self.louder_button, 0)
        self.hear_notice = text_label(theme.SMALL_PT, name="hearNotice", bold=True)
        self.hear_notice.hide()
        box.addLayout(steps)
        box.addWidget(self.hear_notice)
        #: Whether the doctor was told ("told"), could not be ("failed"), or not asked ("").
        self.hear_state = ""
        return panel

    def _confirm_panel(self) -> QFrame:
        """ "End the consultation?" on the screen itself: the doctor stays in sight."""
        self.confirm = QFrame(objectName="banner")
        self.confirm_text = text_label(theme.BODY_PT, name="confirmText", bold=True)
        self.confirm_yes = big_button("confirmEnd")
        self.confirm_no = big_button("keepCall", primary=True)
        self.confirm_yes.clicked.connect(self.confirm_end)
        self.confirm_no.clicked.connect(self.cancel_end)
        box = QVBoxLayout(self.confirm)
        box.setContentsMargins(24, 20, 24, 20)
        box.setSpacing(20)
        box.addWidget(self.confirm_text)
        # the safe answer first, and the primary one
        box.addWidget(self.confirm_no)
        box.addWidget(self.confirm_yes)
        self.confirm.hide()
        return self.confirm

    # -- the patient's controls ------------------------------------------------------------

    def change_volume(self, steps: int) -> None:
        if self.bridge is not None:
            self.bridge.change_volume(steps)
        self._retranslate_volume()

    def tell_cannot_hear(self) -> None:
        told = self.bridge.tell_cannot_hear() if self.bridge is not None else False
        self.hear_state = "told" if told else "failed"
        self._retranslate_hear()
        self.refresh()
        self._hear_timer.start()
        self.announce.emit(self.hear_notice.text())

    def _show_readings(self, shown: bool) -> None:
        self.readings.setVisible(shown)
        grow = QSizePolicy.Policy.Minimum if shown else QSizePolicy.Policy.Expanding
        self._filler.changeSize(0, 0, QSizePolicy.Policy.Minimum, grow)
        self._side_layout.invalidate()

    def clear_hear_notice(self) -> None:
        self._hear_timer.stop()
        self.hear_state = ""
        self._retranslate_hear()
        self.refresh()

    def ask_end(self) -> None:
        """The first press: ask again, on this screen, before the doctor is let go."""
        self.sound.hide()
        self._show_readings(False)
        self.confirm.show()
        self.end_button.hide()
        self.cannot_hear_button.hide()
        self.confirm_no.setFocus()
        self.announce.emit(self.confirm_text.text())

    def cancel_end(self) -> None:
        self.confirm.hide()
        self.sound.show()
        self._show_readings(not self.hear_state)
        self.end_button.show()
        self.cannot_hear_button.show()

    def confirm_end(self) -> None:
        self.cancel_end()
        if self.bridge is not None:
            self.bridge.on_end_call()

    def _fit_sound(self) -> None:
        self.sound.fit()

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
        # Back from a measurement, or the next patient: no question or notice left open.
        self.cancel_end()
        self.clear_hear_notice()
        super().hideEvent(event)

    def refresh(self) -> None:
        if self.bridge is None:
            return
        self._retranslate_volume()
        # The notice under "I can't hear" takes the readings' room while it shows.
        self._show_readings(not self.hear_state and not self.confirm.isVisible())
        limit = 2
        self.readings.set_readings(
            self.bridge.readings(), live=self.bridge.live_reading(), limit=limit
        )
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

    def _retranslate_volume(self) -> None:
        level, top = self.bridge.volume() if self.bridge is not None else (3, 5)
        # The level as filled blocks as well as a number: seen from the chair.
        self.volume_blocks.setText("■" * level + "□" * (top - level))
        self.volume_label.setText(
            translate("InCall", "Volume: {level} of {top}").format(level=level, top=top)
        )
        self.quieter_button.setEnabled(level > 1)
        self.louder_button.setEnabled(level < top)
        self._fit_sound()

    def _retranslate_hear(self) -> None:
        if self.hear_state == "told":
            text = translate("InCall", "The doctor has been told that you cannot hear them.")
        elif self.hear_state == "failed":
            text = translate(
                "InCall", "The doctor could not be told. Press Louder, or call the staff."
            )
        else:
            text = ""
        self.hear_notice.setText(text)
        self._set_flag(self.hear_notice, "warning", self.hear_state == "failed")
        self.hear_notice.setVisible(bool(text))
        self._fit_sound()

    def retranslate_screen(self) -> None:
        self.title.setText(translate("InCall", "You are with the doctor"))
        # "−" and "+" on the buttons (seen from the chair), their words for screen readers
        self.quieter_button.setAccessibleName(translate("InCall", "Quieter"))
        self.louder_button.setAccessibleName(translate("InCall", "Louder"))
        self.cannot_hear_button.setText(translate("InCall", "I can't hear the doctor"))
        self.end_button.setText(translate("InCall", "End the consultation"))
        self.confirm_text.setText(
            translate(
                "InCall",
                "Do you want to end the consultation now? The doctor will no longer see or "
                "hear you.",
            )
        )
        self.confirm_yes.setText(translate("InCall", "Yes, end it"))
        self.confirm_no.setText(translate("InCall", "No, stay with the doctor"))
        self._retranslate_hear()
        self._retranslate_volume()
        self.body.setText("")
        self.doctor_video.placeholder = translate("InCall", "The doctor's picture is coming…")
        self.own_video.placeholder = translate("InCall", "Your camera")
        self.readings.set_language(self.language)
        self.refresh()

    def spoken_text(self) -> str:
        if self.confirm.isVisible():
            return f"{self.title.text()}\n{self.confirm_text.text()}"
        return self.title.text()
