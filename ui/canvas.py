"""Drawing without PyQt's ``Qt`` enums: round pens and hatched brushes read from their stream
form, and a :class:`Canvas` stroking and filling paths as QPainter does (for the pictures).
"""

from __future__ import annotations

import struct
from typing import TypeVar

from PyQt6.QtCore import QByteArray, QDataStream, QPointF, QRectF
from PyQt6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF

# The idle screen's picture is drawn in the kiosk's first paint, and the first use of an enum
# of PyQt's ``Qt`` namespace builds all ~90 of them: ~14 ms of the cold start. Drawing the
# usual way uses them, visibly (Qt.PenCapStyle.RoundCap, Qt.BrushStyle.BDiagPattern...) and
# not: PyQt checks every argument given for a QColor against Qt.GlobalColor (unless it is an
# int), QPainter.setPen(pen) tries its QColor overload first, and QPen(pen) or QBrush(colour)
# try Qt.PenStyle or Qt.BrushStyle. So the pictures draw through a Canvas (below), and their
# pens and brushes are read from the bytes a pinned QDataStream version writes for them, with
# their styles as numbers (that format never changes: tests/ui/test_first_paint.py checks the
# bytes against the pens and brushes the enums build, and the drawings pixel for pixel).
STREAM_VERSION = QDataStream.Version.Qt_6_0
_IDENTITY = struct.pack(">9d", 1, 0, 0, 0, 1, 0, 0, 0, 1)  # a QTransform
_BLACK = struct.pack(">B5H", 1, 0xFFFF, 0, 0, 0, 0)  # a QColor: Rgb, alpha, red, green, blue, 0
#: A QPen: style | cap | join (Qt.PenStyle.SolidLine 0x01, Qt.PenCapStyle.RoundCap 0x20,
#: Qt.PenJoinStyle.RoundJoin 0x80), cosmetic, width; its brush (Qt.BrushStyle.SolidPattern,
#: colour, transform); miter limit, dash pattern (none), dash offset, default width.
ROUND_PEN_STREAM = (
    struct.pack(">H?d", 0x01 | 0x20 | 0x80, False, 1.0)
    + struct.pack(">B", 1)
    + _BLACK
    + _IDENTITY
    + struct.pack(">dId?", 2.0, 0, 0.0, False)
)
#: A QBrush: style (Qt.BrushStyle.SolidPattern, 1), colour, transform.
SOLID_BRUSH_STREAM = struct.pack(">B", 1) + _BLACK + _IDENTITY
#: A QBrush: style (Qt.BrushStyle.BDiagPattern, 12), colour, transform.
HATCH_BRUSH_STREAM = struct.pack(">B", 12) + _BLACK + _IDENTITY

_Streamed = TypeVar("_Streamed", QPen, QBrush)


def _read(data: bytes, value: _Streamed) -> _Streamed:
    stream = QDataStream(QByteArray(data))
    stream.setVersion(STREAM_VERSION)
    stream >> value
    if stream.status() is not QDataStream.Status.Ok or not stream.atEnd():
        raise RuntimeError(f"cannot read a {type(value).__name__} from {data.hex()}")
    return value


def _rgb(name: str) -> int:
    # PyQt takes an int for a QColor without asking Qt.GlobalColor (QColor(QRgb): opaque).
    return QColor.fromString(name).rgb()


def round_pen(name: str, width: float) -> QPen:
    """A solid pen of colour ``name``, ``width`` wide, with round caps and joins."""
    pen = _read(ROUND_PEN_STREAM, QPen())
    pen.setColor(_rgb(name))
    pen.setWidthF(width)
    return pen


def solid_brush(name: str) -> QBrush:
    brush = _read(SOLID_BRUSH_STREAM, QBrush())
    brush.setColor(_rgb(name))
    return brush


def hatch_brush(name: str) -> QBrush:
    """Lines of colour ``name`` (Qt.BrushStyle.BDiagPattern)."""
    brush = _read(HATCH_BRUSH_STREAM, QBrush())
    brush.setColor(_rgb(name))
    return brush


class Canvas:
    """Draws on a QPainter as QPainter's own drawLine, drawRect... do, with a pen and a brush
    kept here: each shape is filled with ``fillPath`` and outlined with ``strokePath`` (what
    QPainter does with them; QPainter.setPen would use the enums, see above). It starts with
    no pen and no brush (``None``: nothing drawn), where a QPainter has a thin pen."""

    def __init__(self, painter: QPainter) -> None:
        self.painter = painter
        self._pen: QPen | None = None
        self._brush: QBrush | None = None
        self._saved: list[tuple[QPen | None, QBrush | None]] = []

    def setPen(self, pen: QPen | None) -> None:
        self._pen = pen

    def setBrush(self, brush: QBrush | None) -> None:
        self._brush = brush

    def save(self) -> None:
        self._saved.append((self._pen, self._brush))
        self.painter.save()

    def restore(self) -> None:
        self.painter.restore()
        self._pen, self._brush = self._saved.pop()

    def translate(self, dx: float, dy: float) -> None:
        self.painter.translate(dx, dy)

    def rotate(self, angle: float) -> None:
        self.painter.rotate(angle)

    def drawPath(self, path: QPainterPath) -> None:
        if self._brush is not None:
            self.painter.fillPath(path, self._brush)
        self._stroke(path)

    def _stroke(self, path: QPainterPath) -> None:
        if self._pen is not None:
            self.painter.strokePath(path, self._pen)

    def drawLine(self, start: QPointF, end: QPointF) -> None:
        path = QPainterPath(start)
        path.lineTo(end)
        self._stroke(path)

    def drawPoint(self, point: QPointF) -> None:
        # What QPainter draws for a point: a line 1/63 long.
        path = QPainterPath(point)
        path.lineTo(point.x() + 1 / 63, point.y())
        self._stroke(path)

    def drawRect(self, rect: QRectF) -> None:
        path = QPainterPath()
        path.addRect(rect)
        self.drawPath(path)

    def drawRoundedRect(self, rect: QRectF, x_radius: float, y_radius: float) -> None:
        path = QPainterPath()
        path.addRoundedRect(rect, x_radius, y_radius)
        self.drawPath(path)

    def drawEllipse(self, where: QPointF | QRectF, rx: float = 0, ry: float = 0) -> None:
        path = QPainterPath()
        if isinstance(where, QRectF):
            path.addEllipse(where)
        else:
            path.addEllipse(where, rx, ry)
        self.drawPath(path)

    def drawPolygon(self, polygon: QPolygonF) -> None:
        path = QPainterPath()
        path.addPolygon(polygon)
        path.closeSubpath()
        self.drawPath(path)

    def drawPolyline(self, polygon: QPolygonF) -> None:
        path = QPainterPath()
        path.addPolygon(polygon)
        self._stroke(path)

    def drawArc(self, rect: QRectF, start: int, span: int) -> None:
        # As QPainter.drawArc: angles in 1/16 of a degree, the arc stroked, never filled.
        path = QPainterPath()
        path.arcMoveTo(rect, start / 16)
        path.arcTo(rect, start / 16, span / 16)
        self._stroke(path)
