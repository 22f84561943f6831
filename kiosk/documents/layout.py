"""What every printed page shares: A4, large type for elderly eyes, a header and footer drawn
on each page once the page count is known (so pages say "1/2"), and the QR code.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import BaseDocTemplate

from kiosk.documents.text import FONT, FONT_BOLD, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 16 * mm
INK = colors.black
GREY = colors.Color(0.25, 0.25, 0.25)
RULE = colors.Color(0.55, 0.55, 0.55)
BODY_SIZE = 13
#: Draws a page's header and footer: (canvas, page number, page count).
Decorate = Callable[[Canvas, int, int], None]


def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle(
        "body", fontName=FONT, fontSize=BODY_SIZE, leading=BODY_SIZE * 1.35, textColor=INK
    )
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=11, leading=14.5, textColor=GREY),
        "title": ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=21, leading=26, spaceAfter=4
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=15,
            leading=20,
            spaceBefore=10,
            spaceAfter=4,
        ),
        "item": ParagraphStyle(
            "item", parent=body, fontName=FONT_BOLD, fontSize=14.5, leading=19, alignment=TA_LEFT
        ),
        "detail": ParagraphStyle("detail", parent=body, leftIndent=9 * mm),
        "cell": ParagraphStyle("cell", parent=body, fontSize=12.5, leading=16),
        "cellbold": ParagraphStyle("cellbold", parent=body, fontName=FONT_BOLD, fontSize=12.5),
    }


class _PagedCanvas(Canvas):  # type: ignore[misc]
    """Keeps each finished page's drawing state, then decorates them all knowing the count."""

    def __init__(self, *args: Any, decorate: Decorate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorate = decorate
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._decorate(self, number, total)
            super().showPage()
        super().save()


def qr_modules(value: str) -> list[list[bool]]:
    """The QR code's dark modules, row by row from the top (reportlab's QR encoder)."""
    widget = QrCodeWidget(value, barLevel="M")
    widget.qr.make()
    return [[bool(m) for m in row] for row in widget.qr.modules]


def draw_qr(canvas: Canvas, value: str, *, x: float, y: float, size: float) -> None:
    """The QR code drawn as plain dark runs on white, with a quiet zone of two modules."""
    modules = qr_modules(value)
    border = 2
    cell = size / (len(modules) + 2 * border)
    canvas.saveState()
    canvas.setFillColor(colors.white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(INK)
    for r, row in enumerate(modules):
        top = y + size - (border + r + 1) * cell
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            canvas.rect(
                x + (border + start) * cell, top, (c - start) * cell, cell, stroke=0, fill=1
            )
    canvas.restoreState()


def rule(canvas: Canvas, y: float) -> None:
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, y, PAGE_WIDTH - MARGIN, y)


def page_number(canvas: Canvas, number: int, total: int) -> None:
    """ "Page 1/2", bottom right, large enough to find."""
    canvas.setFont(FONT_BOLD, 13)
    canvas.setFillColor(INK)
    canvas.drawRightString(PAGE_WIDTH - MARGIN, 10 * mm, f"Page {number}/{total}")


def build_pdf(
    story: Sequence[Flowable],
    *,
    decorate: Decorate,
    top: float,
    bottom: float,
    title: str,
    top_later: float | None = None,
) -> bytes:
    """Lay ``story`` out between a header of height ``top`` (``top_later`` after the first
    page, when the later pages carry a shorter header) and a footer of height ``bottom``."""
    register_fonts()
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=top,
        bottomMargin=bottom,
        title=title,
        author="Cabine",
        creator="Cabine",
        subject=title,
        initialFontName=FONT,
        initialFontSize=BODY_SIZE,
    )

    def frame(header: float) -> Frame:
        return Frame(
            MARGIN,
            bottom,
            PAGE_WIDTH - 2 * MARGIN,
            PAGE_HEIGHT - header - bottom,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    later = PageTemplate(id="later", frames=[frame(top if top_later is None else top_later)])
    first = PageTemplate(id="first", frames=[frame(top)], autoNextPageTemplate="later")
    doc.addPageTemplates([first, later])

    def canvasmaker(*args: Any, **kwargs: Any) -> _PagedCanvas:
        return _PagedCanvas(*args, decorate=decorate, **kwargs)

    doc.build(list(story), canvasmaker=canvasmaker)
    return out.getvalue()
