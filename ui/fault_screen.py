"""``kiosk fault-screen``: what the cabin shows when the kiosk keeps failing to start.

Static and calm, in every language at once (nobody can pick one), touching no hardware.
systemd starts it after too many failed starts (``cabine-fault.service``).
"""

from __future__ import annotations

import signal
import sys

from PyQt6.QtCore import QCoreApplication, Qt, QTimer
from PyQt6.QtGui import QCloseEvent, QFont, QKeyEvent, QResizeEvent
from PyQt6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from kiosk.config import Config
from ui.scaling import apply_scale, scale_for

MESSAGES = (
    (
        "Cette cabine est momentanément hors service.",
        "Le personnel a été prévenu. Merci de vous adresser à l'accueil.",
    ),
    ("This cabin is out of service for now.", "Staff have been told. Please ask at the desk."),
    ("هذه المقصورة خارج الخدمة مؤقتًا.", "تم إبلاغ الموظفين. يرجى التوجه إلى الاستقبال."),
    (
        "Esta cabina está fuera de servicio por ahora.",
        "Se ha avisado al personal. Diríjase a la recepción, por favor.",
    ),
)
#: The patient screens' last line (context "Emergency" of the catalogues), in the same
#: languages: a cabin out of service is still no emergency service.
EMERGENCY = (
    "Pas pour les urgences : en cas d'urgence, appelez le 15 ou le 112.",
    "Not for emergencies: in an emergency, call 15 or 112.",
    "ليست للحالات الطارئة: في حالة الطوارئ، اتصل بالرقم 15 أو 112.",
    "No es para urgencias: en caso de urgencia, llame al 15 o al 112.",
)
#: Right-to-left languages among MESSAGES (their lines read from the right).
RTL_MESSAGES = frozenset({2})


def _label(text: str, points: int, *, bold: bool = False, rtl: bool = False) -> QLabel:
    label = QLabel(text)
    font = QFont()
    font.setPointSize(points)
    font.setBold(bold)
    label.setFont(font)
    label.setWordWrap(True)
    label.setContentsMargins(10, 0, 10, 0)  # room for the glyphs' ink at the lines' ends
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    if rtl:
        label.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    return label


class OutOfServiceWindow(QWidget):
    """The whole screen of a cabin out of service (not ``ui.screens.fault.FaultScreen``, the
    session's fault state): locked unless opened as a window."""

    def __init__(self, *, cabin: str = "", locked: bool = True) -> None:
        super().__init__()
        self.locked = locked
        self.setObjectName("faultScreen")
        self.setStyleSheet(
            "QWidget#faultScreen { background: #f4f7fb; } QLabel { color: #1b2a3a; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 48, 80, 40)
        layout.setSpacing(6)
        layout.addStretch(1)
        for i, (title, body) in enumerate(MESSAGES):
            block = QVBoxLayout()
            block.setContentsMargins(0, 0, 0, 22)
            block.setSpacing(4)
            block.addWidget(_label(title, 30, bold=True, rtl=i in RTL_MESSAGES))
            block.addWidget(_label(body, 24, rtl=i in RTL_MESSAGES))
            layout.addLayout(block)
        if cabin:
            ident = _label(cabin, 24)
            ident.setObjectName("cabinId")
            layout.addWidget(ident)
        layout.addStretch(1)
        # Last, in every language: where to call when it is an emergency.
        self.emergency: list[QLabel] = []
        for i, text in enumerate(EMERGENCY):
            line = _label(text, 24, rtl=i in RTL_MESSAGES)
            line.setObjectName("emergency")
            self.emergency.append(line)
            layout.addWidget(line)

    def resizeEvent(self, event: QResizeEvent | None) -> None:
        super().resizeEvent(event)
        # The same physical size of words on every display (see ui.scaling).
        apply_scale(self, scale_for(self.width(), self.height()))

    def keyPressEvent(self, event: QKeyEvent | None) -> None:
        if event is not None and self.locked:
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent | None) -> None:
        if event is not None and self.locked:
            event.ignore()
            return
        super().closeEvent(event)


def run_fault_screen(config: Config | None, *, window: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    screen = OutOfServiceWindow(cabin=config.cabin.id if config else "", locked=not window)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: QCoreApplication.quit())
    # Python runs signal handlers only when it gets control: a small timer hands it back.
    tick = QTimer()
    tick.setObjectName("fault-screen-tick")
    tick.timeout.connect(lambda: None)
    tick.start(250)
    if window:
        screen.resize(1280, 800)
        screen.show()
    else:
        screen.showFullScreen()
    app.exec()
    screen.locked = False
    screen.close()
    return 0
