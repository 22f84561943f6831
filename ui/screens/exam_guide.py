"""The exam the doctor leads, on the call screen: where to place the instrument (a drawing: a
head from the side for the ears, a face for the throat, an arm for the skin, a torso front or
back with numbered points for the heart and lungs), the exam camera's live picture beside it
(what the doctor sees), the doctor's quick phrase shown large and said in the patient's
language, while the doctor listens with the stethoscope, that the loudspeaker is off, and,
calmly, that an instrument does not respond and the doctor knows (the call goes on)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PyQt6.QtCore import QPointF, QRectF, Qt, QTimer, pyqtSignal
from PyQt6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen, QResizeEvent
from PyQt6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.exam import ExamGuide
from ui import theme
from ui.i18n import translate
from ui.pictures import Picture
from ui.speech import Speaker
from ui.video import FrameConverter, VideoView
from ui.widgets import text_label

if TYPE_CHECKING:
    from ui.bridge import SessionBridge

#: How often the guidance and the exam camera's picture are read from the call.
POLL_MS = 100
#: Where each numbered point is on the torso (the 200×200 drawing; the patient's right is
#: the drawing's left, as a doctor facing them sees it; from the back, the other way round).
POINTS: dict[str, tuple[tuple[float, float], ...]] = {
    # aortic, pulmonary (2nd intercostal spaces), tricuspid (low sternal border), mitral (apex)
    "heart": ((88, 82), (112, 82), (106, 118), (128, 128)),
    "lungs_front": ((76, 78), (124, 78), (74, 122), (126, 122)),
    "lungs_back": ((80, 74), (120, 74), (76, 104), (124, 104), (78, 134), (122, 134)),
}


def instruction(guide: ExamGuide) -> str:
    """What the patient is asked to do, in their language ("" with no exam)."""
    n = guide.point
    texts = {
        "ear_left": translate("ExamGuide", "Put the otoscope gently into your left ear"),
        "ear_right": translate("ExamGuide", "Put the otoscope gently into your right ear"),
        "throat": translate("ExamGuide", "Open your mouth wide, the camera in front of it"),
        "skin": translate("ExamGuide", "Hold the camera close to the skin the doctor wants to see"),
        "heart": translate("ExamGuide", "Place the stethoscope on point {n}"),
        "lungs_front": translate("ExamGuide", "Place the stethoscope on point {n}, on the chest"),
        "lungs_back": translate("ExamGuide", "Place the stethoscope on point {n}, on the back"),
    }
    return texts.get(guide.exam, "").format(n=n)


def phrase_text(phrase: str) -> str:
    """The doctor's quick phrase (``protocol.exam.PHRASES``) in the patient's language."""
    texts = {
        "higher": translate("ExamGuide", "A little higher"),
        "lower": translate("ExamGuide", "A little lower"),
        "hold_still": translate("ExamGuide", "Hold still"),
        "breathe_deeply": translate("ExamGuide", "Breathe in deeply"),
        "cough": translate("ExamGuide", "Cough"),
        "hold_breath": translate("ExamGuide", "Hold your breath"),
        "done": translate("ExamGuide", "That's it, thank you"),
    }
    return texts.get(phrase, "")


def trouble_text(trouble: tuple[str, ...]) -> str:
    """The instruments that failed (``ExamGuide.trouble``), one calm line each."""
    texts = {
        "exam_camera": translate(
            "ExamGuide", "The exam camera is not responding: the doctor has been told"
        ),
        "stethoscope": translate(
            "ExamGuide", "The stethoscope is not responding: the doctor has been told"
        ),
    }
    return "\n".join(texts[name] for name in trouble if name in texts)


class ExamDrawing(Picture):
    """Where to place the instrument, drawn for one exam and point, in the screen's colours
    (a :class:`Picture`: the screen's high contrast reaches it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("exam_guide", size=150, parent=parent)
        self.exam, self.point = "", 0

    def show_exam(self, exam: str, point: int) -> None:
        self.exam, self.point = exam, point
        self.update()

    def paintEvent(self, event: QPaintEvent | None) -> None:
        side = min(self.width(), self.height())
        c = theme.colours(high_contrast=self.high_contrast)
        p = QPainter(self)
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.translate((self.width() - side) / 2, (self.height() - side) / 2)
            p.scale(side / 200, side / 200)
            if self.exam in ("ear_left", "ear_right"):
                self._ear(p, c, left=self.exam == "ear_left")
            elif self.exam == "throat":
                self._throat(p, c)
            elif self.exam == "skin":
                self._skin(p, c)
            elif self.exam in POINTS:
                self._torso(p, c)
        finally:
            p.end()

    @staticmethod
    def _pen(colour: str, width: float = 4) -> QPen:
        pen = QPen(QColor(colour), width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    def _target(self, p: QPainter, c: theme.Colours, at: QPointF, radius: float = 11) -> None:
        """The place to put the instrument: a filled ring, seen at once."""
        p.setPen(self._pen(c.accent, 4))
        p.setBrush(QColor(c.warn_text if self.high_contrast else "#e0a100"))
        p.drawEllipse(at, radius, radius)

    def _ear(self, p: QPainter, c: theme.Colours, *, left: bool) -> None:
        # a head seen from the side: the nose forward shows the left ear on the left side
        if not left:
            p.translate(200, 0)
            p.scale(-1, 1)
        p.setPen(self._pen(c.accent))
        p.setBrush(QColor(c.soft))
        p.drawEllipse(QRectF(45, 30, 110, 130))  # the skull
        p.drawRect(QRectF(85, 150, 40, 35))  # the neck
        p.drawEllipse(QRectF(45, 30, 110, 130))  # again, over the neck's top
        p.drawLine(QPointF(154, 90), QPointF(168, 112))  # the nose
        p.drawLine(QPointF(168, 112), QPointF(152, 116))
        p.drawEllipse(QPointF(135, 82), 4, 4)  # the eye
        p.setBrush(QColor(c.background))
        p.drawEllipse(QRectF(84, 78, 22, 34))  # the ear
        self._target(p, c, QPointF(95, 96), 7)
        # the otoscope coming to it
        p.setPen(self._pen(c.text, 6))
        p.drawLine(QPointF(40, 130), QPointF(86, 100))
        p.setBrush(QColor(c.text))
        p.drawRect(QRectF(14, 130, 30, 14))

    def _throat(self, p: QPainter, c: theme.Colours) -> None:
        p.setPen(self._pen(c.accent))
        p.setBrush(QColor(c.soft))
        p.drawEllipse(QRectF(40, 20, 120, 150))  # the face
        p.drawEllipse(QPointF(78, 70), 6, 6)
        p.drawEllipse(QPointF(122, 70), 6, 6)
        p.drawLine(QPointF(100, 78), QPointF(96, 100))  # the nose
        p.setBrush(QColor(c.background))
        p.drawEllipse(QRectF(72, 110, 56, 42))  # the mouth, wide open
        self._target(p, c, QPointF(100, 134), 9)
        # the camera in front of it, below
        p.setPen(self._pen(c.text, 4))
        p.setBrush(QColor(c.text))
        p.drawRect(QRectF(88, 176, 24, 20))

    def _skin(self, p: QPainter, c: theme.Colours) -> None:
        # a forearm and hand, a zone of skin, the camera close to it
        p.setPen(self._pen(c.accent))
        p.setBrush(QColor(c.soft))
        p.drawRoundedRect(QRectF(20, 80, 130, 44), 20, 20)
        p.drawEllipse(QRectF(138, 72, 44, 60))
        self._target(p, c, QPointF(80, 102), 14)
        p.setPen(self._pen(c.text, 4))
        p.setBrush(QColor(c.text))
        p.drawRect(QRectF(68, 36, 24, 24))
        p.drawLine(QPointF(80, 60), QPointF(80, 84))

    def _torso(self, p: QPainter, c: theme.Colours) -> None:
        back = self.exam == "lungs_back"
        p.setPen(self._pen(c.accent))
        p.setBrush(QColor(c.soft))
        p.drawEllipse(QRectF(80, 6, 40, 44))  # the head
        p.drawRoundedRect(QRectF(46, 52, 108, 128), 26, 26)  # the trunk
        p.drawLine(QPointF(60, 56), QPointF(28, 150))  # the arms
        p.drawLine(QPointF(140, 56), QPointF(172, 150))
        if back:
            p.drawLine(QPointF(100, 56), QPointF(100, 176))  # the spine
        else:
            p.drawLine(QPointF(100, 60), QPointF(100, 120))  # the sternum
        font = QFont()
        font.setPixelSize(13)
        font.setBold(True)
        p.setFont(font)
        for number, (x, y) in enumerate(POINTS[self.exam], start=1):
            at = QPointF(x, y)
            chosen = number == self.point
            if chosen:
                self._target(p, c, at, 11)
            else:
                p.setPen(self._pen(c.accent, 2))
                p.setBrush(QColor(c.background))
                p.drawEllipse(at, 8, 8)
            p.setPen(self._pen(c.background if chosen and self.high_contrast else c.text, 1))
            p.drawText(QRectF(x - 10, y - 10, 20, 20), Qt.AlignmentFlag.AlignCenter, str(number))


class ExamGuidePanel(QFrame):
    """The guidance beside the doctor, shown while the doctor leads an exam, says a phrase or
    listens; hidden otherwise. It reads the call through the bridge on its own timer."""

    #: Shown or hidden (the call screen gives it the readings' room while it shows).
    visibility_changed = pyqtSignal(bool)

    def __init__(self, *, speaker: Speaker | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="panel")
        self.setObjectName("examGuide")
        self.bridge: SessionBridge | None = None
        self.language = "fr"
        self.guide = ExamGuide()
        self.speaker = speaker if speaker is not None else Speaker(parent=self)
        self.speaker.set_enabled(True)
        self._said = 0
        self._frame: object = None
        #: Converts the exam camera's frames while the call screen shows (its own thread,
        #: stopped with the screen: nothing is converted for a screen that is gone).
        self._converter: FrameConverter | None = None
        self.instruction = text_label(theme.BODY_PT, name="examInstruction", bold=True)
        # large, yet one line in the side column beside the doctor (the drawing keeps its room)
        self.phrase = text_label(theme.BODY_PT + 4, name="examPhrase", bold=True)
        self.phrase.setProperty("alignment", "AlignCenter")
        self.listening = text_label(theme.SMALL_PT, name="examListening", bold=True)
        self.listening.setProperty("warning", True)
        self.trouble = text_label(theme.SMALL_PT, name="examTrouble", bold=True)
        self.trouble.setProperty("warning", True)
        self.drawing = ExamDrawing()
        self.preview = VideoView("exam")
        self.preview.setMinimumSize(256, 144)
        self.preview_caption = text_label(theme.SMALL_PT, name="examPreviewCaption")
        # one line: a label wrapping inside a row makes the side's layout waver
        self.preview_caption.setWordWrap(False)
        # beside the drawing: what the doctor sees
        seen = QVBoxLayout()
        seen.setSpacing(4)
        seen.addWidget(self.preview_caption)
        seen.addWidget(self.preview, 1)
        seen.addStretch(0)
        pictures = QHBoxLayout()
        pictures.setSpacing(12)
        pictures.addWidget(self.drawing, 1)
        pictures.addLayout(seen, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 8, 16, 8)
        box.setSpacing(6)
        box.addWidget(self.phrase)
        box.addWidget(self.instruction)
        # the whole width: in the column beside the drawing it wrapped to four lines
        box.addWidget(self.listening)
        box.addWidget(self.trouble)
        box.addLayout(pictures, 1)
        self._timer = QTimer(self)
        self._timer.setObjectName("exam-guide-poll")
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.refresh)
        self.hide()

    def bind(self, bridge: SessionBridge) -> None:
        self.bridge = bridge

    def start(self) -> None:
        """The call screen shows: follow the call."""
        if self._converter is None:
            self._converter = FrameConverter("exam-preview", parent=self)
            self._converter.converted.connect(self.preview.on_converted)
        self._timer.start()
        self.refresh()

    def stop(self) -> None:
        """The call screen goes: nothing of the exam stays on it."""
        self._timer.stop()
        self.speaker.stop()
        if self._converter is not None:
            self._converter.converted.disconnect()
            self._converter.stop()
            self._converter = None
        self.show_guide(ExamGuide())

    def refresh(self) -> None:
        if self.bridge is None:
            return
        self.show_guide(self.bridge.exam_guide())
        frame = self.bridge.exam_frame()
        converter = self._converter
        fresh = frame is not None and frame is not self._frame
        if fresh and converter is not None and not self.preview.isHidden():
            converter.submit(frame)
        self._frame = frame

    def show_guide(self, guide: ExamGuide) -> None:
        """Show ``guide``; a new phrase is said aloud, unless the doctor listens (the
        loudspeaker would sound into the stethoscope)."""
        changed = guide != self.guide
        self.guide = guide
        if guide.said != self._said:
            self._said = guide.said
            if guide.phrase and not guide.listening:
                self.speaker.say(phrase_text(guide.phrase), self.language)
        if changed:
            self._render()

    def set_language(self, language: str) -> None:
        self.language = language
        self._render()

    def _render(self) -> None:
        guide = self.guide
        self.drawing.show_exam(guide.exam, guide.point)
        self.instruction.setText(instruction(guide))
        self.phrase.setText(phrase_text(guide.phrase))
        self.trouble.setText(trouble_text(guide.trouble))
        self.listening.setText(
            translate("ExamGuide", "The doctor is listening: the loudspeaker is off")
        )
        self.preview.placeholder = translate("ExamGuide", "The exam camera is off")
        self.preview_caption.setText(translate("ExamGuide", "What the doctor sees"))
        self.drawing.setAccessibleName(self.instruction.text())
        for widget, shown in (
            (self.instruction, bool(guide.exam)),
            (self.drawing, bool(guide.exam)),
            (self.phrase, bool(guide.phrase)),
            (self.listening, guide.listening),
            (self.trouble, bool(self.trouble.text())),
        ):  # (the drawing keeps its place while the doctor listens between two exams)
            widget.setVisible(shown)
        camera = guide.exam in ("ear_left", "ear_right", "throat", "skin")
        self.preview.setVisible(camera)
        self.preview_caption.setVisible(camera)
        if not camera:
            self.preview.clear()
            self._frame = None
        shown = bool(guide.exam or guide.phrase or guide.listening or self.trouble.text())
        if shown != (not self.isHidden()):
            self.setVisible(shown)
            self.visibility_changed.emit(shown)
        self.fit()

    def fit(self) -> None:
        """As tall as its wrapped lines need at its width (a box layout in the side does not
        ask its labels' height for their width): the readings below give way, not it."""
        layout = self.layout()
        height = layout.totalHeightForWidth(self.width()) if layout is not None else -1
        if height > 0:
            self.setMinimumHeight(height)

    def resizeEvent(self, event: QResizeEvent | None) -> None:
        super().resizeEvent(event)
        self.fit()
