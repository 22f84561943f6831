"""``kiosk fault-screen``: what the cabin shows when the kiosk keeps failing to start.

Static and calm, in every language at once (nobody can pick one), touching no hardware.
systemd starts it after too many failed starts (``cabine-fault.service``).
"""

from __future__ import annotations

import signal
import sys

from PyQt6.QtCore import QCoreApplication, Qt, QTimer
from PyQt6.QtGui import QCloseEvent, QFont, QKeyEvent
from PyQt6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from kiosk.config import Config

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


class FaultScreen(QWidget):
    def __init__(self, *, cabin: str = "", locked: bool = True) -> None:
        super().__init__()
        self.locked = locked
        self.setObjectName("faultScreen")
        self.setStyleSheet(
            "QWidget#faultScreen { background: #f4f7fb; } QLabel { color: #1b2a3a; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 60, 80, 60)
        layout.addStretch(1)
        for title, body in MESSAGES:
            heading = QLabel(title)
            font = QFont()
            font.setPointSize(30)
            font.setBold(True)
            heading.setFont(font)
            heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
            text = QLabel(body)
            small = QFont()
            small.setPointSize(24)
            text.setFont(small)
            text.setWordWrap(True)
            text.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(heading)
            layout.addWidget(text)
            layout.addSpacing(28)
        if cabin:
            ident = QLabel(cabin)
            ident.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(ident)
        layout.addStretch(1)

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
    screen = FaultScreen(cabin=config.cabin.id if config else "", locked=not window)
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
