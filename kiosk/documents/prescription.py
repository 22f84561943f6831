"""The prescription (ordonnance) composed from the doctor's form, with the mentions French law
requires, its unique id as text and QR code, and the prescriber's identity on every page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Paragraph, Spacer
from reportlab.platypus import Image as PdfImage

from kiosk.documents import layout
from kiosk.documents.inputs import Prescription, PrescriptionLine
from kiosk.documents.layout import MARGIN, PAGE_HEIGHT, PAGE_WIDTH
from kiosk.documents.text import FONT_BOLD, para
from kiosk.domain import Document, DocumentKind

FOOTER = 36 * mm
QR_SIZE = 24 * mm
TITLE = "Ordonnance"
NON_SUBSTITUTABLE = "Non substituable"
#: The two zones of the ordonnance bizone (Cerfa 12708), above and below the bar.
ALD_ZONE = (
    "Prescriptions relatives au traitement de l'affection de longue durée reconnue "
    "(liste ou hors liste) (AFFECTION EXONÉRANTE)"
)
OTHER_ZONE = "Prescriptions SANS RAPPORT avec l'affection de longue durée (MALADIES INTERCURRENTES)"
#: What this paper is, said plainly: since 2025 a prescription's QR code carries a number
#: registered with Assurance Maladie by the doctor's referenced software; this one does not.
QR_MEANING = "QR code : référence de ce document, pas un numéro d'ordonnance numérique"
NOT_DIGITAL = "Ce document n'est pas une ordonnance numérique."


def _renewals(line: PrescriptionLine) -> str:
    if line.renewals == 0:
        return "Non renouvelable"
    return f"À renouveler {line.renewals} fois"


def _line_flowable(number: int, line: PrescriptionLine) -> Flowable:
    s = layout.styles()
    details = [f"<b>Posologie :</b> {para(line.dose)}"]
    amount = []
    if line.duration:
        amount.append(f"<b>Durée :</b> {para(line.duration)}")
    if line.quantity:
        amount.append(f"<b>Quantité :</b> {para(line.quantity)}")
    amount.append(f"<b>Renouvellement :</b> {_renewals(line)}")
    details.append(" — ".join(amount))
    title = f"{number}. {para(line.medicine)}"
    if line.non_substitutable:
        title += f" — <u>{NON_SUBSTITUTABLE}</u>"
    return KeepTogether(
        [
            Paragraph(title, s["item"]),
            *(Paragraph(text, s["detail"]) for text in details),
            Spacer(1, 3.5 * mm),
        ]
    )


def _header(rx: Prescription) -> tuple[layout.Decorate, float, float]:
    """The page decoration and the height its header takes (it grows with a long address)."""
    s = layout.styles()
    doc = rx.prescriber
    patient = rx.patient
    left_width = (PAGE_WIDTH - 2 * MARGIN) * 0.62
    right_width = (PAGE_WIDTH - 2 * MARGIN) - left_width
    prescriber = [
        Paragraph(para(doc.name), s["heading"].clone("pname", spaceBefore=0, fontSize=16)),
        Paragraph(para(doc.specialty), s["body"]),
        Paragraph(f"N° RPPS : {para(doc.rpps)}", s["body"]),
        Paragraph(para(doc.address), s["body"]),
        Paragraph(f"Tél. : {para(doc.phone)}", s["body"]),
        Paragraph(f"E-mail : {para(doc.email)}", s["body"]),
    ]
    right = [
        Paragraph(TITLE.upper(), s["title"].clone("rtitle", alignment=2)),
        Paragraph(f"Le {rx.date:%d/%m/%Y}", s["body"].clone("rdate", alignment=2, fontSize=14)),
        Paragraph("Téléconsultation", s["small"].clone("rtele", alignment=2)),
    ]
    who = f"Patient : {para(patient.last_name.upper())} {para(patient.first_name)}"
    facts = [f"Né(e) le {patient.birth_date}"]
    if patient.sex_label:
        facts.append(f"Sexe : {patient.sex_label}")
    if patient.weight_kg is not None:
        facts.append(f"Poids : {patient.weight_kg:g} kg".replace(".", ","))
    patient_par = Paragraph(
        f"<font name='{FONT_BOLD}' size='15'>{who}</font><br/>{' — '.join(facts)}"
        + (f"<br/>{para(rx.nurse.line)}" if rx.nurse is not None else ""),
        s["body"].clone("pat", fontSize=13.5, leading=19),
    )
    identity = f"{doc.name} — RPPS {doc.rpps}"
    compact = Paragraph(
        f"<b>{para(doc.name)}</b> — {para(doc.specialty)} — N° RPPS : {para(doc.rpps)}<br/>"
        f"{para(doc.address)} — Tél. : {para(doc.phone)} — {para(doc.email)}",
        s["small"].clone("compact", fontSize=11.5, leading=15, textColor=layout.INK),
    )
    full = PAGE_WIDTH - 2 * MARGIN
    high = max(
        sum(p.wrap(left_width, PAGE_HEIGHT)[1] for p in prescriber),
        sum(p.wrap(right_width, PAGE_HEIGHT)[1] for p in right),
    )
    patient_height = patient_par.wrap(full, PAGE_HEIGHT)[1]
    header_height = 12 * mm + high + 3 * mm + patient_height + 10 * mm
    later_height = 12 * mm + compact.wrap(full, PAGE_HEIGHT)[1] + 3 * mm + patient_height + 10 * mm

    def stack(canvas: Canvas, items: Sequence[Paragraph], x: float, top: float, w: float) -> float:
        y = top
        for item in items:
            _, h = item.wrapOn(canvas, w, PAGE_HEIGHT)
            y -= h
            item.drawOn(canvas, x, y)
        return y

    def decorate(canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        top = PAGE_HEIGHT - 12 * mm
        if number == 1:
            low_left = stack(canvas, prescriber, MARGIN, top, left_width)
            low_right = stack(canvas, right, MARGIN + left_width, top, right_width)
            y = min(low_left, low_right) - 3 * mm
        else:  # the prescriber's identity again, on two lines, to leave room for the lines
            y = stack(canvas, [compact], MARGIN, top, full) - 3 * mm
        layout.rule(canvas, y)
        _, h = patient_par.wrapOn(canvas, PAGE_WIDTH - 2 * MARGIN, PAGE_HEIGHT)
        patient_par.drawOn(canvas, MARGIN, y - 2 * mm - h)
        layout.rule(canvas, y - 4 * mm - h)
        # Footer: the id as text and QR code, the prescriber again, the page number.
        layout.rule(canvas, FOOTER - 4 * mm)
        layout.draw_qr(canvas, rx.id, x=PAGE_WIDTH - MARGIN - QR_SIZE, y=6 * mm, size=QR_SIZE)
        canvas.setFillColor(layout.INK)
        canvas.setFont(FONT_BOLD, 12.5)
        canvas.drawString(MARGIN, FOOTER - 11 * mm, f"Ordonnance n° {rx.id}")
        footer_name = Paragraph(
            f"{para(identity)}<br/>{QR_MEANING}.<br/>{NOT_DIGITAL}",
            s["small"].clone("fname", fontSize=10, leading=12.5),
        )
        _, h = footer_name.wrapOn(canvas, PAGE_WIDTH - 2 * MARGIN - QR_SIZE - 6 * mm, 30 * mm)
        footer_name.drawOn(canvas, MARGIN, FOOTER - 12.5 * mm - h)
        canvas.setFont(FONT_BOLD, 13)
        canvas.drawString(MARGIN, 5 * mm, f"Page {number}/{total}")
        canvas.restoreState()

    return decorate, header_height, later_height


def _lines(rx: Prescription) -> list[Flowable]:
    """The lines, numbered; on a bizone, the ALD's above the bar and the others below."""
    if not rx.bizone:
        return [_line_flowable(i, line) for i, line in enumerate(rx.lines, start=1)]
    s = layout.styles()
    zone = s["heading"].clone("zone", fontSize=11.5, leading=14.5)
    ald = [line for line in rx.lines if line.ald]
    others = [line for line in rx.lines if not line.ald]
    story: list[Flowable] = [Paragraph(ALD_ZONE, zone)]
    story += [_line_flowable(i, line) for i, line in enumerate(ald, start=1)]
    story.append(HRFlowable(width="100%", thickness=1.6, color=layout.INK, spaceAfter=2 * mm))
    story.append(Paragraph(OTHER_ZONE, zone))
    story += [_line_flowable(i, line) for i, line in enumerate(others, start=len(ald) + 1)]
    return story


def compose_prescription(rx: Prescription) -> Document:
    """The prescription as an A4 PDF, as a :class:`Document` of kind PRESCRIPTION."""
    s = layout.styles()
    story: list[Flowable] = [Spacer(1, 2 * mm)]
    story += _lines(rx)
    if rx.notes:
        story.append(Paragraph("Remarques", s["heading"]))
        story.append(Paragraph(para(rx.notes, newlines=True), s["body"]))
    closing: list[Flowable] = [
        Spacer(1, 6 * mm),
        Paragraph("Signature du prescripteur", s["heading"]),
    ]
    if rx.prescriber.signature:
        image = PdfImage(io.BytesIO(rx.prescriber.signature))
        scale = min(60 * mm / image.imageWidth, 25 * mm / image.imageHeight)
        image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
        image.hAlign = "LEFT"
        closing.append(image)
    else:
        closing.append(Spacer(1, 22 * mm))
    closing.append(Paragraph(para(rx.prescriber.name), s["body"]))
    story.append(KeepTogether(closing))
    decorate, top, top_later = _header(rx)
    pdf = layout.build_pdf(
        story, decorate=decorate, top=top, top_later=top_later, bottom=FOOTER, title=TITLE
    )
    return Document(kind=DocumentKind.PRESCRIPTION, id=rx.id, pdf=pdf)
