"""The technicians' test page: cabin id, time, the scripts the cabin must print, a QR code."""

from __future__ import annotations

import secrets
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer

from kiosk.documents import layout
from kiosk.documents.layout import MARGIN, PAGE_WIDTH
from kiosk.documents.text import para
from kiosk.domain import Document, DocumentKind

TITLE = "Page de test"
#: One line per script the cabin must print: accents, Cyrillic, Arabic.
SAMPLES = (
    "Français : àâçéèêëîïôœùûüÿ ÀÉÈÇ « l'été » 0123456789",
    "Русский : Съешь же ещё этих мягких французских булок",
    "العربية : مرحبا بكم في الكابينة",
)


def compose_test_page(cabin_id: str, *, now: datetime | None = None) -> Document:
    s = layout.styles()
    when = now or datetime.now().astimezone()
    token = f"cabine-test:{cabin_id}:{when:%Y%m%dT%H%M%S}"
    story: list[Flowable] = [
        Paragraph(TITLE, s["title"]),
        Paragraph(f"Cabine <b>{para(cabin_id)}</b>", s["body"]),
        Paragraph(f"Imprimée le {when:%d/%m/%Y à %H:%M:%S}", s["body"]),
        Spacer(1, 6 * mm),
        *(Paragraph(para(sample), s["body"]) for sample in SAMPLES),
        Spacer(1, 6 * mm),
        Paragraph(f"Code : {para(token)}", s["small"]),
    ]

    def decorate(canvas: Canvas, number: int, total: int) -> None:
        layout.draw_qr(canvas, token, x=PAGE_WIDTH - MARGIN - 40 * mm, y=30 * mm, size=40 * mm)
        layout.page_number(canvas, number, total)

    pdf = layout.build_pdf(story, decorate=decorate, top=20 * mm, bottom=25 * mm, title=TITLE)
    return Document(kind=DocumentKind.RESULTS, id=f"test-{secrets.token_hex(4)}", pdf=pdf)
