"""Pictures drawn with QPainter: what to do, shown as well as said (no image files).

Each drawing works in a 200×200 box scaled into the widget; shapes also differ by form and
hatching, never by colour alone, so they survive high contrast and colour blindness.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import TypeVar

from PyQt6.QtCore import QByteArray, QDataStream, QPointF, QRectF
from PyQt6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PyQt6.QtWidgets import QSizePolicy, QWidget

from ui import theme

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


Draw = Callable[[Canvas, theme.Colours], None]


def _pen(c: theme.Colours, width: float = 6) -> QPen:
    return round_pen(c.accent, width)


def _soft(c: theme.Colours) -> QBrush:
    return solid_brush(c.soft)


def _hatch(c: theme.Colours) -> QBrush:
    return hatch_brush(c.accent)


def _arrow(p: Canvas, start: QPointF, end: QPointF, c: theme.Colours, head: float = 16) -> None:
    p.setPen(_pen(c, 7))
    p.drawLine(start, end)
    dx, dy = end.x() - start.x(), end.y() - start.y()
    length = max((dx * dx + dy * dy) ** 0.5, 1.0)
    ux, uy = dx / length, dy / length
    left = QPointF(end.x() - head * ux + head * 0.6 * uy, end.y() - head * uy - head * 0.6 * ux)
    right = QPointF(end.x() - head * ux - head * 0.6 * uy, end.y() - head * uy + head * 0.6 * ux)
    p.setBrush(solid_brush(c.accent))
    p.drawPolygon(QPolygonF([end, left, right]))


def _person(p: Canvas, x: float, y: float, scale: float, c: theme.Colours) -> None:
    p.setPen(_pen(c, 5))
    p.setBrush(_soft(c))
    p.drawEllipse(QPointF(x, y), 14 * scale, 14 * scale)
    body = QPainterPath()
    body.moveTo(x - 26 * scale, y + 58 * scale)
    s = scale
    body.cubicTo(x - 26 * s, y + 18 * s, x + 26 * s, y + 18 * s, x + 26 * s, y + 58 * s)
    body.closeSubpath()
    p.drawPath(body)


def _card(p: Canvas, rect: QRectF, c: theme.Colours) -> None:
    p.setPen(_pen(c, 5))
    p.setBrush(_soft(c))
    p.drawRoundedRect(rect, 10, 10)
    chip = QRectF(rect.x() + 14, rect.y() + rect.height() * 0.35, 26, 20)
    p.setBrush(_hatch(c))
    p.drawRoundedRect(chip, 4, 4)


def draw_card(p: Canvas, c: theme.Colours) -> None:
    _card(p, QRectF(50, 20, 100, 64), c)
    _arrow(p, QPointF(100, 96), QPointF(100, 140), c)
    p.setPen(_pen(c, 8))
    p.drawLine(QPointF(30, 160), QPointF(170, 160))  # the slot
    p.setPen(_pen(c, 4))
    p.setBrush(_soft(c))
    p.drawRect(QRectF(20, 160, 160, 26))


def draw_reading(p: Canvas, c: theme.Colours) -> None:
    p.setPen(_pen(c, 4))
    p.setBrush(_soft(c))
    p.drawRect(QRectF(20, 120, 160, 40))
    _card(p, QRectF(50, 70, 100, 56), c)
    p.setBrush(solid_brush(c.accent))
    for i in range(3):
        p.drawEllipse(QPointF(70 + 30 * i, 185), 7, 7)


def draw_family(p: Canvas, c: theme.Colours) -> None:
    _person(p, 55, 60, 1.1, c)
    _person(p, 145, 60, 1.1, c)
    _person(p, 100, 105, 0.8, c)


def draw_consent(p: Canvas, c: theme.Colours) -> None:
    p.setPen(_pen(c, 5))
    p.setBrush(_soft(c))
    p.drawRoundedRect(QRectF(45, 15, 110, 150), 8, 8)
    p.setPen(_pen(c, 4))
    for i in range(5):
        p.drawLine(QPointF(62, 42 + 18 * i), QPointF(138, 42 + 18 * i))
    p.setPen(_pen(c, 12))
    p.drawPolyline(QPolygonF([QPointF(100, 160), QPointF(125, 185), QPointF(175, 120)]))


def draw_waiting(p: Canvas, c: theme.Colours) -> None:
    p.setPen(_pen(c, 6))
    p.setBrush(_soft(c))
    p.drawEllipse(QPointF(100, 100), 78, 78)
    for i in range(12):
        p.save()
        p.translate(100, 100)
        p.rotate(30 * i)
        p.drawLine(QPointF(0, -66), QPointF(0, -58))
        p.restore()
    p.setPen(_pen(c, 8))
    p.drawLine(QPointF(100, 100), QPointF(100, 48))
    p.drawLine(QPointF(100, 100), QPointF(140, 118))


def draw_blood_pressure(p: Canvas, c: theme.Colours) -> None:
    # A seated person seen from the front: their LEFT arm is on the viewer's right.
    p.setPen(_pen(c, 5))
    p.setBrush(_soft(c))
    p.drawRect(QRectF(50, 130, 100, 14))  # seat
    p.drawLine(QPointF(60, 144), QPointF(60, 195))
    p.drawLine(QPointF(140, 144), QPointF(140, 195))
    p.drawEllipse(QPointF(100, 32), 18, 18)
    p.drawRoundedRect(QRectF(76, 54, 48, 78), 14, 14)
    p.setPen(_pen(c, 12))
    p.drawLine(QPointF(80, 62), QPointF(62, 122))  # right arm (viewer's left)
    p.drawLine(QPointF(120, 62), QPointF(140, 122))  # left arm (viewer's right)
    p.setPen(_pen(c, 4))
    p.setBrush(_hatch(c))
    cuff = QPolygonF([QPointF(120, 70), QPointF(142, 64), QPointF(150, 94), QPointF(128, 100)])
    p.drawPolygon(cuff)
    p.setBrush(_soft(c))
    p.drawRoundedRect(QRectF(158, 120, 36, 44), 6, 6)  # the device
    p.setBrush(solid_brush(c.accent))
    p.drawEllipse(QPointF(176, 150), 8, 8)  # its start button
    p.setPen(_pen(c, 3))
    p.setBrush(None)
    tube = QPainterPath(QPointF(146, 98))
    tube.cubicTo(QPointF(160, 110), QPointF(166, 104), QPointF(170, 120))
    p.drawPath(tube)
    _arrow(p, QPointF(190, 40), QPointF(152, 72), c, head=14)


def _face(p: Canvas, x: float, y: float, c: theme.Colours) -> None:
    p.setPen(_pen(c, 5))
    p.setBrush(_soft(c))
    p.drawEllipse(QPointF(x, y), 44, 54)
    p.setBrush(solid_brush(c.accent))
    p.drawEllipse(QPointF(x - 16, y - 4), 5, 5)  # eyes
    p.drawEllipse(QPointF(x + 16, y - 4), 5, 5)
    p.setBrush(None)
    p.drawArc(QRectF(x - 16, y + 6, 32, 24), 200 * 16, 140 * 16)  # smile


def draw_temperature(p: Canvas, c: theme.Colours) -> None:
    _face(p, 60, 105, c)
    p.setPen(_pen(c, 5))
    p.setBrush(_soft(c))
    gun = QPainterPath(QPointF(128, 62))
    gun.lineTo(192, 54)
    gun.lineTo(192, 84)
    gun.lineTo(170, 86)
    gun.lineTo(178, 142)
    gun.lineTo(154, 142)
    gun.lineTo(148, 88)
    gun.lineTo(128, 88)
    gun.closeSubpath()
    p.drawPath(gun)
    p.setPen(_pen(c, 3))
    for i in range(3):  # aimed at the forehead, not touching it
        y = 66 + 8 * i
        p.drawLine(QPointF(120, y), QPointF(108, y))


def _foot(p: Canvas, x: float, y: float, c: theme.Colours) -> None:
    p.setPen(_pen(c, 5))
    p.setBrush(_hatch(c))
    p.drawEllipse(QRectF(x, y, 30, 62))
    p.setBrush(_soft(c))
    for i, r in enumerate((6, 5, 4.5, 4, 3.5)):
        p.drawEllipse(QPointF(x + 6 + 5 * i, y - 7 + abs(i - 1) * 1.5), r, r)


def draw_weight(p: Canvas, c: theme.Colours) -> None:
    p.setPen(_pen(c, 5))
    p.setBrush(_soft(c))
    p.drawRoundedRect(QRectF(25, 120, 150, 50), 12, 12)
    _foot(p, 58, 76, c)
    _foot(p, 112, 76, c)
    _arrow(p, QPointF(100, 4), QPointF(100, 50), c)


def draw_spo2(p: Canvas, c: theme.Colours) -> None:
    p.setPen(_pen(c, 5))
    p.setBrush(_soft(c))
    p.drawRoundedRect(QRectF(10, 88, 150, 34), 17, 17)  # the index finger
    p.setBrush(solid_brush(c.background))
    p.drawRoundedRect(QRectF(126, 90, 22, 12), 5, 5)  # its nail, on top
    p.setBrush(_hatch(c))
    p.drawRoundedRect(QRectF(104, 52, 84, 34), 14, 14)  # the clip's upper jaw
    p.drawRoundedRect(QRectF(104, 124, 84, 26), 12, 12)  # and lower jaw
    p.setBrush(_soft(c))
    p.drawRect(QRectF(120, 58, 52, 20))  # its display
    _arrow(p, QPointF(20, 40), QPointF(92, 84), c, head=14)


def draw_printer(p: Canvas, c: theme.Colours) -> None:
    p.setPen(_pen(c, 5))
    p.setBrush(_soft(c))
    p.drawRect(QRectF(55, 20, 90, 50))  # paper in
    p.drawRoundedRect(QRectF(20, 60, 160, 70), 12, 12)
    p.setBrush(solid_brush(c.background))
    p.drawRect(QRectF(50, 115, 100, 75))  # paper out
    p.setPen(_pen(c, 4))
    for i in range(3):
        p.drawLine(QPointF(64, 140 + 14 * i), QPointF(136, 140 + 14 * i))


def draw_goodbye(p: Canvas, c: theme.Colours) -> None:
    _card(p, QRectF(18, 110, 86, 56), c)
    p.setPen(_pen(c, 5))
    p.setBrush(_soft(c))
    p.drawRect(QRectF(118, 70, 66, 96))
    p.setPen(_pen(c, 4))
    for i in range(4):
        p.drawLine(QPointF(130, 90 + 16 * i), QPointF(172, 90 + 16 * i))
    _arrow(p, QPointF(60, 100), QPointF(60, 30), c)
    _arrow(p, QPointF(150, 60), QPointF(150, 12), c)


def draw_cleaning(p: Canvas, c: theme.Colours) -> None:
    p.setPen(_pen(c, 5))
    p.setBrush(_soft(c))
    p.drawRoundedRect(QRectF(60, 80, 60, 110), 10, 10)
    p.drawRect(QRectF(72, 50, 36, 30))
    p.drawRect(QRectF(108, 54, 30, 14))
    p.setBrush(solid_brush(c.accent))
    for x, y in ((155, 40), (170, 60), (160, 80), (182, 44), (185, 75)):
        p.drawEllipse(QPointF(x, y), 5, 5)


def draw_card_pulled(p: Canvas, c: theme.Colours) -> None:
    draw_card(p, c)


def draw_network(p: Canvas, c: theme.Colours) -> None:
    p.setBrush(None)
    for r in (30, 60, 90):
        p.setPen(_pen(c, 9))
        p.drawArc(QRectF(100 - r, 160 - r, 2 * r, 2 * r), 45 * 16, 90 * 16)
    p.setBrush(solid_brush(c.accent))
    p.drawEllipse(QPointF(100, 160), 10, 10)
    p.setPen(_pen(c, 6))
    p.drawLine(QPointF(40, 40), QPointF(160, 190))


def draw_plug(p: Canvas, c: theme.Colours) -> None:
    p.setPen(_pen(c, 5))
    p.setBrush(_soft(c))
    p.drawRoundedRect(QRectF(20, 75, 60, 50), 10, 10)
    p.drawLine(QPointF(80, 88), QPointF(98, 88))
    p.drawLine(QPointF(80, 112), QPointF(98, 112))
    p.drawRoundedRect(QRectF(120, 65, 60, 70), 10, 10)
    p.setBrush(solid_brush(c.accent))
    p.drawEllipse(QPointF(140, 100), 5, 5)
    p.drawEllipse(QPointF(160, 100), 5, 5)
    p.setPen(_pen(c, 3))
    p.drawLine(QPointF(0, 100), QPointF(20, 100))
    _arrow(p, QPointF(60, 160), QPointF(120, 160), c, head=14)


def draw_fault(p: Canvas, c: theme.Colours) -> None:
    p.setPen(_pen(c, 7))
    p.setBrush(_soft(c))
    p.drawPolygon(QPolygonF([QPointF(100, 20), QPointF(185, 175), QPointF(15, 175)]))
    p.setPen(_pen(c, 12))
    p.drawLine(QPointF(100, 70), QPointF(100, 125))
    p.drawPoint(QPointF(100, 152))


def draw_printer_problem(p: Canvas, c: theme.Colours) -> None:
    draw_printer(p, c)
    p.setPen(_pen(c, 5))
    p.setBrush(solid_brush(c.background))
    p.drawEllipse(QPointF(160, 45), 30, 30)
    p.setPen(_pen(c, 8))
    p.drawLine(QPointF(160, 28), QPointF(160, 50))
    p.drawPoint(QPointF(160, 62))


def draw_wiping(p: Canvas, c: theme.Colours) -> None:
    draw_cleaning(p, c)


DRAWINGS: dict[str, Draw] = {
    "card": draw_card,
    "reading": draw_reading,
    "family": draw_family,
    "consent": draw_consent,
    "waiting": draw_waiting,
    "blood_pressure": draw_blood_pressure,
    "temperature": draw_temperature,
    "weight": draw_weight,
    "spo2": draw_spo2,
    "printer": draw_printer,
    "goodbye": draw_goodbye,
    "cleaning": draw_cleaning,
    "wiping": draw_wiping,
    "card_pulled": draw_card_pulled,
    "card_unreadable": draw_card,
    "network_lost": draw_network,
    "instrument_unplugged": draw_plug,
    "printer_problem": draw_printer_problem,
    "fault": draw_fault,
}


class Picture(QWidget):
    """One drawing, scaled to fit, in the screen's colours."""

    def __init__(self, name: str, *, size: int = 260, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"picture_{name}")
        self.name = name
        self.high_contrast = False
        self.setMinimumSize(size, size)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def set_name(self, name: str) -> None:
        if name not in DRAWINGS:
            name = "fault"
        self.name = name
        self.setObjectName(f"picture_{name}")
        self.update()

    def set_high_contrast(self, on: bool) -> None:
        self.high_contrast = on
        self.update()

    def paintEvent(self, event: QPaintEvent | None) -> None:
        draw = DRAWINGS.get(self.name, draw_fault)
        side = min(self.width(), self.height())
        p = QPainter(self)
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.translate((self.width() - side) / 2, (self.height() - side) / 2)
            p.scale(side / 200, side / 200)
            draw(Canvas(p), theme.colours(high_contrast=self.high_contrast))
        finally:
            p.end()
