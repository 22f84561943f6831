"""The video widget: the doctor's picture (large) and the cabin's own preview (small).

Frames come from the call (``av.VideoFrame``) or a camera (``numpy`` array, H×W×3 or ×4) in
any thread. A named converter thread turns the newest one into a QImage (swscale runs without
the GIL) and hands it to the widget; older frames waiting are dropped, so a slow paint never
queues video and the event loop never converts.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from PyQt6.QtCore import QEvent, QObject, QRectF, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QResizeEvent
from PyQt6.QtWidgets import QSizePolicy, QWidget

from ui import scaling, theme

log = logging.getLogger(__name__)

STOP_TIMEOUT_S = 2.0


class VideoFrameError(ValueError):
    """A frame of a shape or format the widget cannot show."""


class Converted:
    """A QImage and the buffer it points into (QImage does not copy it)."""

    __slots__ = ("buffer", "image")

    def __init__(self, image: QImage, buffer: object) -> None:
        self.image = image
        self.buffer = buffer


def frame_to_image(frame: Any) -> Converted:
    """An ``av.VideoFrame`` or an H×W×3/4 uint8 array as an RGB32/RGB888 QImage."""
    if hasattr(frame, "reformat") and hasattr(frame, "planes"):
        # BGRA in memory is Qt's RGB32 on little-endian machines: painted without conversion.
        rgb = frame.reformat(format="bgra")
        plane = rgb.planes[0]
        data = bytes(plane)
        image = QImage(data, rgb.width, rgb.height, plane.line_size, QImage.Format.Format_RGB32)
        return Converted(image, data)
    shape = getattr(frame, "shape", None)
    if shape is None or len(shape) != 3 or shape[2] not in (3, 4):
        raise VideoFrameError(f"cannot show a frame of shape {shape!r}")
    if str(getattr(frame, "dtype", "uint8")) != "uint8":
        raise VideoFrameError("frames must be 8-bit")
    height, width, depth = (int(n) for n in shape)
    try:
        view = memoryview(frame)
    except TypeError as exc:
        raise VideoFrameError("the frame exposes no buffer") from exc
    if not view.c_contiguous:
        raise VideoFrameError("the frame must be C-contiguous")
    fmt = QImage.Format.Format_RGB888 if depth == 3 else QImage.Format.Format_RGBX8888
    data = view.tobytes()
    return Converted(QImage(data, width, height, width * depth, fmt), data)


class FrameConverter(QObject):
    """Converts the newest submitted frame in its own thread; emits :attr:`converted`."""

    #: A frame is ready (a :class:`Converted`), delivered in the receiver's thread.
    converted = pyqtSignal(object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cond = threading.Condition()
        self._pending: Any = None
        self._stopping = False
        self.dropped = 0
        self.failed = 0
        self.last_convert_s = 0.0
        self._thread = threading.Thread(target=self._run, name=f"video-{name}", daemon=True)
        self._thread.start()

    def submit(self, frame: Any) -> None:
        """Hand over a frame (any thread); a frame still waiting is replaced."""
        with self._cond:
            if self._pending is not None:
                self.dropped += 1
            self._pending = frame
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                frame, self._pending = self._pending, None
            start = time.perf_counter()
            try:
                converted = frame_to_image(frame)
            except (VideoFrameError, ValueError) as exc:
                self.failed += 1
                if self.failed == 1:
                    log.warning("video %s: frame not shown: %s", self.objectName(), exc)
                continue
            self.last_convert_s = time.perf_counter() - start
            self.converted.emit(converted)

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify()
        self._thread.join(STOP_TIMEOUT_S)
        if self._thread.is_alive():
            log.warning(
                "video %s: converter did not stop in %.1f s", self.objectName(), STOP_TIMEOUT_S
            )


class VideoView(QWidget):
    """Paints the newest frame, letterboxed; a sentence when there is no picture yet."""

    #: A frame was painted (benchmarks, readiness).
    frame_painted = pyqtSignal()

    def __init__(self, name: str, *, mirrored: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"video_{name}")
        self.mirrored = mirrored
        self.placeholder = ""
        self.frames_painted = 0
        self._current: Converted | None = None
        self._inset: QWidget | None = None
        self._inset_margin = 16
        #: Views showing this one's frames (:meth:`follow`).
        self._followers: list[VideoView] = []
        self.converter = FrameConverter(name, self)
        self.converter.setObjectName(name)
        self.converter.converted.connect(self.on_converted)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    def set_inset(self, inset: QWidget, *, margin: int = 16) -> None:
        """Show ``inset`` (the cabin's preview) in the bottom corner of this picture."""
        inset.setParent(self)
        self._inset = inset
        self._inset_margin = margin
        self._place_inset()
        inset.show()

    def _place_inset(self) -> None:
        inset = self._inset
        if inset is None:
            return
        margin = self._inset_margin
        x = self.width() - inset.width() - margin
        if self.layoutDirection() is Qt.LayoutDirection.RightToLeft:
            x = margin
        inset.move(x, self.height() - inset.height() - margin)

    def resizeEvent(self, event: QResizeEvent | None) -> None:
        super().resizeEvent(event)
        self._place_inset()

    def changeEvent(self, event: QEvent | None) -> None:
        super().changeEvent(event)
        if event is not None and event.type() is QEvent.Type.LayoutDirectionChange:
            self._place_inset()

    def follow(self, source: VideoView) -> None:
        """Show ``source``'s frames too (a thumbnail of the doctor on another screen): they
        are converted once, by ``source``'s thread; this view's own thread stops."""
        if self.converter is source.converter:
            return
        self.converter.stop()
        self.converter = source.converter
        self.converter.converted.connect(self.on_converted)
        source._followers.append(self)
        self.set_image(source._current)

    def push_frame(self, frame: Any) -> None:
        """Show ``frame`` soon (thread-safe, never blocks: the call's frame callback)."""
        self.converter.submit(frame)

    def on_converted(self, converted: Converted) -> None:
        self._current = converted
        self.update()

    def set_image(self, converted: Converted | None) -> None:
        """Show an already converted frame now (screenshots, tests), or none."""
        self._current = converted
        self.update()
        for follower in self._followers:
            follower.set_image(converted)

    @property
    def has_frame(self) -> bool:
        return self._current is not None

    def clear(self) -> None:
        self.set_image(None)

    def paintEvent(self, event: QPaintEvent | None) -> None:
        p = QPainter(self)
        try:
            p.fillRect(self.rect(), QColor("#101820"))
            current = self._current
            if current is None:
                if self.placeholder:
                    font = QFont()
                    font.setPointSizeF(theme.SMALL_PT * scaling.scale_of(self))
                    p.setFont(font)
                    p.setPen(QColor("#ffffff"))
                    p.drawText(
                        QRectF(self.rect()).adjusted(20, 20, -20, -20),
                        Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                        self.placeholder,
                    )
                return
            image = current.image
            size = image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            x = (self.width() - size.width()) / 2
            y = (self.height() - size.height()) / 2
            target = QRectF(x, y, size.width(), size.height())
            if self.mirrored:
                p.translate(self.width(), 0)
                p.scale(-1, 1)
                target.moveLeft(self.width() - x - size.width())
            p.drawImage(target, image)
            self.frames_painted += 1
        finally:
            p.end()
        if self._current is not None:
            self.frame_painted.emit()

    def close_video(self) -> None:
        self.converter.stop()
