"""The consultation: the doctor large, the cabin's own picture small, who is speaking, the
readings the doctor sees; the doctor's volume, "I can't hear", the patient's microphone (muted
or not), the doctor's written messages, and ending the consultation (asked again on the
screen before the call hangs up)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PyQt6.QtCore import QEvent, QObject, Qt, QTimer
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
from ui.screens.chat import ChatPanel
from ui.screens.exam_guide import ExamGuidePanel
from ui.theme import big_font
from ui.video import VideoView
from ui.widgets import big_button, text_label

if TYPE_CHECKING:
    from ui.bridge import SessionBridge

SPEAKING_POLL_MS = 250
#: The side's width (design pixels, least and most), and while the doctor's words show.
SIDE_PX = (560, 640)
SIDE_WIDE_PX = (880, 940)
#: The doctor's picture at least (design pixels): small enough that the staff notice and
#: the time warning fit with the microphone's row under it (the picture keeps its 16:9
#: inside); on a portrait screen, with the microphone beside it.
VIDEO_PX = (704, 280)
VIDEO_PORTRAIT_PX = (460, 259)
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
        # (see VIDEO_PX)
        self.doctor_video.setMinimumSize(*VIDEO_PX)
        self.own_video = VideoView("cabin", mirrored=True)
        self.own_video.setFixedSize(320, 180)
        self.doctor_video.set_inset(self.own_video)
        self.speaking = text_label(theme.BODY_PT, name="speaking", bold=True)
        self.readings = ReadingsPanel()
        # Readings that do not fit are cut at the bottom (the oldest), never the screen.
        self.readings.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        side_box = QWidget(objectName="callSide")
        side_box.setMinimumWidth(SIDE_PX[0])
        side_box.setMaximumWidth(SIDE_PX[1])
        side = QVBoxLayout(side_box)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(6)
        # A weak or cut network said calmly, first in the side, beside the doctor's picture
        # (under the microphone on a portrait screen, where the side has no room left).
        self.network_notice = text_label(theme.BODY_PT, name="notice", bold=True)
        self.network_notice.hide()
        side.addWidget(self.network_notice)
        side.addWidget(self.speaking)
        self.sound = self._sound_panel()
        side.addWidget(self.sound)
        # The exam the doctor leads, while it lasts (ui.screens.exam_guide): the readings give way.
        self.exam_guide = ExamGuidePanel()
        side.addWidget(self.exam_guide, 1)
        # The doctor's written messages take the readings' room (the doctor sees those).
        self.chat = ChatPanel(room=self._chat_room)
        self.chat.answered.connect(self.answer_chat)
        side.addWidget(self.chat)
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
        # The patient's microphone under the doctor's picture: its state seen from the chair
        # (the button filled while muted, and said beside it); the readings keep their room.
        self.mute_button = big_button("toggle")
        # as wide as its words, whatever the notice beside it needs
        self.mute_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.mute_button.clicked.connect(self.toggle_microphone)
        self.muted_notice = text_label(theme.SMALL_PT, name="notice", bold=True)
        self.muted_notice.setProperty("warning", True)
        self.muted_notice.hide()
        # Under the picture; beside it on a portrait screen (the readings keep their height).
        self._microphone = microphone = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        microphone.setSpacing(16)
        microphone.addWidget(self.mute_button, 0)
        microphone.addWidget(self.muted_notice, 0)
        microphone.addStretch(1)  # (both keep their size; the rest of the row stays empty)
        self._video = video = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        video.setSpacing(12)
        video.addWidget(self.doctor_video, 1)
        video.addLayout(microphone)
        row.addLayout(video, 1)
        row.addWidget(side_box)
        self._side = side_box
        # the room left for the doctor's words changes with the side's height (a staff
        # notice under the screen takes some): refitted then
        side_box.installEventFilter(self)
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

    def toggle_microphone(self) -> None:
        if self.bridge is not None:
            self.bridge.mute_microphone(not self.bridge.microphone_muted())
        self._retranslate_microphone()
        if self.muted_notice.isVisible():
            self.announce.emit(self.muted_notice.text())

    def answer_chat(self, answer: str) -> None:
        if self.bridge is not None:
            self.bridge.answer_chat(answer)

    def bind(self, bridge: SessionBridge) -> None:
        super().bind(bridge)
        bridge.chat_changed.connect(self.on_chat_changed)
        bridge.microphone_changed.connect(self._retranslate_microphone)
        self.exam_guide.bind(bridge)
        self.exam_guide.visibility_changed.connect(lambda _shown: self.refresh())

    def on_chat_changed(self) -> None:
        self.refresh()
        if self.isVisible() and self.chat.shown_texts:
            self.announce.emit(self.chat.shown_texts[-1])

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
        self.mute_button.hide()
        self.chat.hide()
        self.confirm_no.setFocus()
        self.announce.emit(self.confirm_text.text())

    def cancel_end(self) -> None:
        self.confirm.hide()
        self.sound.show()
        self._show_readings(not self.hear_state)
        self.end_button.show()
        self.cannot_hear_button.show()
        self.mute_button.show()
        self._refresh_chat()

    def confirm_end(self) -> None:
        self.cancel_end()
        if self.bridge is not None:
            self.bridge.on_end_call()

    def _fit_sound(self) -> None:
        self.sound.fit()

    def set_portrait(self, portrait: bool) -> None:
        super().set_portrait(portrait)
        across, down = QBoxLayout.Direction.LeftToRight, QBoxLayout.Direction.TopToBottom
        self._row.setDirection(down if portrait else across)
        self._video.setDirection(across if portrait else down)
        self._microphone.setDirection(down if portrait else across)
        self._place_network_notice(portrait)
        # Side by side the doctor takes the width; one above the other, the readings need
        # a share of the height.
        self._row.setStretchFactor(self._side, 2 if portrait else 0)
        self._fit_side()

    def _place_network_notice(self, portrait: bool) -> None:
        home = self._microphone if portrait else self._side_layout
        if home.indexOf(self.network_notice) >= 0:
            return
        (self._side_layout if portrait else self._microphone).removeWidget(self.network_notice)
        # under the microphone (before its stretch), or first in the side
        home.insertWidget(2 if portrait else 0, self.network_notice)
        # (moved to another parent, a widget is hidden: shown again while it says something)
        self.network_notice.setVisible(bool(self.network_notice.text()))

    def showEvent(self, event: QShowEvent | None) -> None:
        super().showEvent(event)
        self._speaking_timer.start()
        self.exam_guide.start()

    def hideEvent(self, event: QHideEvent | None) -> None:
        self._speaking_timer.stop()
        self.exam_guide.stop()
        # Back from a measurement, or the next patient: no question or notice left open.
        self.cancel_end()
        self.clear_hear_notice()
        super().hideEvent(event)

    def refresh(self) -> None:
        if self.bridge is None:
            return
        self._retranslate_volume()
        self._refresh_chat()
        self._retranslate_microphone()
        # The notice under "I can't hear", and the doctor's messages, take the readings' room.
        self._show_readings(
            not self.hear_state
            and not self.confirm.isVisible()
            and self.chat.isHidden()
            and self.exam_guide.isHidden()
        )
        limit = 2
        self.readings.set_readings(
            self.bridge.readings(), live=self.bridge.live_reading(), limit=limit
        )
        self.refresh_speaking()

    def _chat_room(self) -> int:
        """The side's height left under who is speaking and the sound panel."""
        spacing, width = self._side_layout.spacing(), self._side.width()
        # asked, not read: a label just shown has not its height yet
        used = sum(
            max(w.heightForWidth(width), w.minimumHeight()) + spacing
            for w in (self.network_notice, self.speaking, self.sound)
            if not w.isHidden() and w.parentWidget() is self._side
        )
        return max(self._side.height() - used - spacing, 1)

    def eventFilter(self, watched: QObject | None, event: QEvent | None) -> bool:
        if watched is self._side and event is not None and event.type() == QEvent.Type.Resize:
            self.chat.fit()
        return super().eventFilter(watched, event)

    def _refresh_chat(self) -> None:
        lines = self.bridge.chat() if self.bridge is not None else []
        self.chat.set_lines(lines)
        if self.confirm.isVisible():
            self.chat.hide()
        self._fit_side()

    def _fit_side(self) -> None:
        """The side widens while the doctor's words show: they wrap less and the answers
        stand in one row; the doctor's picture gives way, uncovered. Under the picture (a
        portrait screen), the side takes the width: the readings wrap less."""
        wide = not self.chat.isHidden() or self.portrait  # (portrait: the whole width)
        low, high = SIDE_WIDE_PX if wide else SIDE_PX
        self._side.setMinimumWidth(scaling.px(low, self.scale))
        self._side.setMaximumWidth(scaling.px(high, self.scale))
        self._fit_video()

    def fit(self, width: int, height: int) -> None:
        super().fit(width, height)
        self._fit_side()  # over the design's sizes the scaling restored

    def _fit_video(self) -> None:
        width, height = VIDEO_PORTRAIT_PX if self.portrait else VIDEO_PX
        self.doctor_video.setMinimumSize(
            scaling.px(width, self.scale), scaling.px(height, self.scale)
        )

    def refresh_network(self) -> None:
        """The link's state as the call says it (polled with who is speaking)."""
        state = self.bridge.call_network() if self.bridge is not None else ""
        if state == "voice_only":
            text = translate(
                "InCall", "Weak connection: the doctor can hear you, the video will come back"
            )
        elif state == "reconnecting":
            text = translate("InCall", "Reconnecting… please stay in front of the screen")
        else:
            text = ""
        if text != self.network_notice.text() or self.network_notice.isHidden() == bool(text):
            self.network_notice.setText(text)
            self.network_notice.setVisible(bool(text))
            self._refresh_chat()
            self.chat.fit()  # the doctor's words have less room (the side keeps its height)
            if text and self.isVisible():
                self.announce.emit(text)

    def refresh_speaking(self) -> None:
        if self.bridge is None:
            return
        self.refresh_network()
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

    def _retranslate_microphone(self) -> None:
        muted = self.bridge is not None and self.bridge.microphone_muted()
        self.mute_button.setText(
            translate("InCall", "Unmute my mic") if muted else translate("InCall", "Mute my mic")
        )
        self._set_flag(self.mute_button, "on", muted)
        self.muted_notice.setText(
            translate("InCall", "Your microphone is off: the doctor cannot hear you.")
        )
        self.muted_notice.setVisible(muted)

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
        self._retranslate_microphone()
        self.chat.retranslate()
        self.body.setText("")
        self.doctor_video.placeholder = translate("InCall", "The doctor's picture is coming…")
        self.own_video.placeholder = translate("InCall", "Your camera")
        self.readings.set_language(self.language)
        self.exam_guide.set_language(self.language)
        self.refresh()

    def spoken_text(self) -> str:
        if self.confirm.isVisible():
            return f"{self.title.text()}\n{self.confirm_text.text()}"
        return self.title.text()
