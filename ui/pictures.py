"""Pictures drawn with QPainter: what to do, shown as well as said (no image files).

Each drawing works in a 200×200 box scaled into the widget; shapes also differ by form and
hatching, never by colour alone, so they survive high contrast and colour blindness.
"""

from __future__ import annotations

from collections.abc import Callable

from PyQt6.QtCore import QPointF, QRectF
from PyQt6.QtGui import QBrush, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PyQt6.QtWidgets import QSizePolicy, QWidget

from ui import theme
from ui.canvas import Canvas, hatch_brush, round_pen, solid_brush

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
