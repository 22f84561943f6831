"""The bare reference for cold start: a plain PyQt6 window with one label, first paint timed."""

from __future__ import annotations

import sys
import time

from PyQt6.QtGui import QPaintEvent
from PyQt6.QtWidgets import QApplication, QLabel


class Label(QLabel):
    def paintEvent(self, event: QPaintEvent | None) -> None:
        super().paintEvent(event)
        print(f"first-paint {time.time():.6f}", flush=True)
        QApplication.quit()


def main() -> int:
    app = QApplication(sys.argv[:1])
    label = Label("Insérez votre carte Vitale")
    label.resize(1280, 800)
    label.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
