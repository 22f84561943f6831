"""The report for the patient's GP ("compte rendu pour votre médecin traitant"): the four
fields the doctor wrote, as written, with the session's readings and the doctor's identity;
a separate page the patient hands to their GP. Fixed texts also in the patient's language.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus import Image as PdfImage

from kiosk.documents import layout, results, wording
from kiosk.documents.errors import DocumentInputError
from kiosk.documents.inputs import (
    CabinOnPaper,
    NurseOnPaper,
    PatientOnPaper,
    ResultsInput,
    _signature,
)
from kiosk.documents.layout import MARGIN, PAGE_WIDTH
from kiosk.documents.text import FONT_BOLD, para
from kiosk.domain import Document, DocumentKind, Reading

FOOTER = 24 * mm
TITLE = "Compte rendu pour votre médecin traitant"
#: The report's fields, in the order they print.
FIELDS = ("reason", "findings", "advice", "follow_up")
#: The most a field holds (a short report, not a file).
MAX_FIELD = 2000
_RPPS_DIGITS = 11


@dataclass(frozen=True, kw_only=True)
class GpReportInput:
    """What the doctor wrote (``fields``), who they are, and the cabin's session."""

    cabin: CabinOnPaper
    patient: PatientOnPaper
    doctor_name: str = field(repr=False)
    doctor_rpps: str = ""
    fields: Mapping[str, str] = field(repr=False, default_factory=dict)
    readings: tuple[Reading, ...] = field(repr=False, default=())
    language: str = "fr"
    signature: bytes | None = field(default=None, repr=False)
    written_at: datetime | None = None
    #: The professional who assisted (a mallette), or None.
    nurse: NurseOnPaper | None = field(default=None, repr=False)


def report_fields(form: Any) -> tuple[dict[str, str], str, str, bytes | None]:
    """The page's ``report`` form checked: the four fields (at least one written), the
    doctor's name and RPPS, the signature; :class:`DocumentInputError` names a bad field."""
    if not isinstance(form, Mapping):
        raise DocumentInputError("report: must be a JSON object")
    texts: dict[str, str] = {}
    for name in FIELDS:
        value = form.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise DocumentInputError(f"report.{name}: must be text")
        if len(value) > MAX_FIELD:
            raise DocumentInputError(f"report.{name}: longer than {MAX_FIELD} characters")
        texts[name] = value.strip()
    if not any(texts.values()):
        raise DocumentInputError("report: empty (write at least one field)")
    doctor = form.get("doctor")
    doctor = doctor if isinstance(doctor, Mapping) else {}
    doctor_name = doctor.get("name")
    if not isinstance(doctor_name, str) or not doctor_name.strip() or len(doctor_name) > 200:
        raise DocumentInputError("report.doctor.name: missing")
    raw_rpps = doctor.get("rpps") or ""
    rpps = str(raw_rpps).replace(" ", "") if isinstance(raw_rpps, str | int) else ""
    if rpps and (len(rpps) != _RPPS_DIGITS or not rpps.isdigit()):
        rpps = ""  # a malformed number is not printed as if it were one
    signature = _signature(doctor.get("signature"), "report.doctor.signature")
    return texts, doctor_name.strip(), rpps, signature


def _pair(key: str, language: str, style: Any, *, inline: bool = True) -> list[Flowable]:
    """A fixed text in French and, in the patient's language, beside it on the right
    (``inline``) or below it (right-aligned in Arabic)."""
    ours = Paragraph(para(wording.text(key, "fr")), style)
    if language == "fr":
        return [ours]
    theirs_style = style.clone(
        f"{style.name}-{language}",
        fontSize=style.fontSize * 0.8,
        leading=style.fontSize * 1.05,
        textColor=results.SECOND,
        alignment=TA_RIGHT if inline or language == "ar" else style.alignment,
    )
    if not inline:
        theirs_style.spaceBefore = 0
        return [ours, Paragraph(para(wording.text(key, language)), theirs_style)]
    theirs_style.spaceBefore = 0
    flat = style.clone(f"{style.name}-inline", spaceBefore=0, spaceAfter=0)
    ours = Paragraph(para(wording.text(key, "fr")), flat)
    theirs = Paragraph(para(wording.text(key, language)), theirs_style)
    width = PAGE_WIDTH - 2 * MARGIN
    row = Table([[ours, theirs]], colWidths=[0.5 * width, 0.5 * width])
    row.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), style.spaceBefore),
                ("BOTTOMPADDING", (0, 0), (-1, -1), style.spaceAfter),
            ]
        )
    )
    return [row]


def _readings(data: GpReportInput, zone: Any) -> list[Flowable]:
    s = layout.styles()
    readings = results.kept(
        ResultsInput(cabin=data.cabin, patient=data.patient, readings=data.readings), zone
    )
    if not readings:
        return [Paragraph(para(wording.text("no_reading", "fr")), s["body"])]
    story: list[Flowable] = []
    for reading in readings:
        when = results._time(reading, zone)
        if results.failed(reading):
            line = results.failed_line(reading, zone, "fr")
            story.append(Paragraph(line, s["small"]))
            continue
        values = " ; ".join(
            f"{para(results._label(n))} <b>{results.number(v)}</b> "
            f"{para(results.UNIT_LABELS.get(reading.unit_of(n), reading.unit_of(n).value))}"
            for n, v in reading.values.items()
        )
        story.append(
            Paragraph(
                f"<b>{para(wording.kind(reading.kind, 'fr'))}</b> ({when:%H:%M}) : {values}",
                s["cell"],
            )
        )
    return story


def compose_gp_report(data: GpReportInput) -> Document:
    """The report as an A4 PDF, a :class:`Document` of kind GP_REPORT."""
    s = layout.styles()
    language = wording.language_of(data.language)
    zone = results._zone(ResultsInput(cabin=data.cabin, patient=data.patient, readings=()))
    when = (data.written_at or datetime.now().astimezone()).astimezone(zone)
    patient = data.patient
    story: list[Flowable] = []
    story += _pair("gp_title", language, s["title"].clone("gtitle", spaceAfter=0), inline=False)
    story += _pair("gp_hand", language, s["body"], inline=False)
    story.append(Spacer(1, 3 * mm))
    who = (
        f"<font name='{FONT_BOLD}' size='15'>{para(patient.last_name.upper())} "
        f"{para(patient.first_name)}</font>"
        if patient.last_name or patient.first_name
        else f"Nom, prénom : {results.BLANK_NAME}"
    )
    born = f"Né(e) le {para(patient.birth_date)}" if patient.birth_date else ""
    story.append(
        Paragraph(who + (f"<br/>{born}" if born else ""), s["body"].clone("who", leading=19))
    )
    doctor = f"Téléconsultation du {when:%d/%m/%Y} avec <b>{para(data.doctor_name)}</b>"
    if data.doctor_rpps:
        doctor += f"<br/>N° RPPS : {para(data.doctor_rpps)}"
    where = " — ".join(p for p in (data.cabin.name, data.cabin.site) if p)
    place = f"Cabine {para(data.cabin.id)}" + (f" — {para(where)}" if where else "")
    if data.nurse is not None:
        place += f"<br/>{para(data.nurse.line)}"
    story.append(Paragraph(f"{doctor}<br/>{place}", s["body"]))
    story.append(Spacer(1, 2 * mm))
    for name in FIELDS:
        text = data.fields.get(name, "")
        if not text:
            continue
        block = _pair(f"gp_{name}", language, s["heading"])
        block.append(Paragraph(para(text, newlines=True), s["body"]))
        story.append(KeepTogether(block))
    if language != "fr":
        note = s["small"].clone("asw", alignment=TA_RIGHT if language == "ar" else 0)
        story.append(Spacer(1, 2 * mm))
        story.append(Paragraph(para(wording.text("gp_as_written", language)), note))
    readings = _pair("gp_readings", language, s["heading"])
    story.append(KeepTogether(readings + _readings(data, zone)[:1]))
    story += _readings(data, zone)[1:]
    closing: list[Flowable] = [Spacer(1, 5 * mm)]
    if data.signature:
        image = PdfImage(io.BytesIO(data.signature))
        scale = min(55 * mm / image.imageWidth, 22 * mm / image.imageHeight)
        image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
        image.hAlign = "RIGHT"
        closing.append(image)
    closing.append(Paragraph(para(data.doctor_name), s["body"].clone("sig", alignment=TA_RIGHT)))
    story.append(KeepTogether(closing))

    def decorate(canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        layout.rule(canvas, FOOTER - 4 * mm)
        canvas.setFont(FONT_BOLD, 10.5)
        canvas.setFillColor(layout.GREY)
        canvas.drawString(MARGIN, 10 * mm, "Compte rendu de téléconsultation — remis au patient")
        layout.page_number(canvas, number, total)
        canvas.restoreState()

    pdf = layout.build_pdf(story, decorate=decorate, top=14 * mm, bottom=FOOTER, title=TITLE)
    return Document(kind=DocumentKind.GP_REPORT, id=f"gp-report-{secrets.token_hex(6)}", pdf=pdf)
