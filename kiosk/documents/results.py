"""The results sheet: each reading as the instrument gave it, with its time, unit and device.

It relays, it does not interpret: no reference range, no comment on a value. A reading the
device could not make prints as "no valid measurement" with the device's own reason.
"""

from __future__ import annotations

import secrets
from datetime import datetime, tzinfo

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from kiosk.documents import layout
from kiosk.documents.inputs import PatientOnPaper, ResultsInput
from kiosk.documents.layout import MARGIN, PAGE_HEIGHT, PAGE_WIDTH
from kiosk.documents.text import FONT_BOLD, para
from kiosk.domain import Document, DocumentKind, Reading, ReadingKind, Unit

FOOTER = 30 * mm
TITLE = "Relevé de mesures"
NO_VALUE = "Pas de mesure valide"
#: Without an identity, the lines the patient fills in by hand.
BLANK_NAME = "_" * 46
BLANK_DATE = "_____ / _____ / __________"
NOT_READ = "Identité non lue sur une carte Vitale"

KIND_LABELS = {
    ReadingKind.BLOOD_PRESSURE: "Tension artérielle",
    ReadingKind.CUFF_PRESSURE: "Pression du brassard",
    ReadingKind.TEMPERATURE: "Température",
    ReadingKind.WEIGHT: "Poids",
    ReadingKind.BODY_COMPOSITION: "Composition corporelle",
    ReadingKind.SPO2: "Oxymétrie de pouls",
}
VALUE_LABELS = {
    "systolic": "Systolique",
    "diastolic": "Diastolique",
    "map": "Pression moyenne",
    "pulse": "Pouls",
    "spo2": "SpO2",
    "temperature": "Température",
    "weight": "Poids",
    "bmi": "IMC",
    "height": "Taille",
    "body_fat": "Masse grasse",
    "muscle_percentage": "Muscles",
    "muscle_mass": "Masse musculaire",
    "fat_free_mass": "Masse maigre",
    "soft_lean_mass": "Masse maigre molle",
    "body_water_mass": "Eau corporelle",
    "basal_metabolism": "Métabolisme de base",
    "impedance": "Impédance",
    "pi": "Indice de perfusion",
    "cuff": "Brassard",
}
UNIT_LABELS = {unit: unit.symbol for unit in Unit}


#: The devices' reason codes in the patient's words; an unknown code prints as the device said.
REASON_LABELS = {
    "aborted": "mesure interrompue",
    "air_leak_or_loose_cuff": "fuite d'air ou brassard desserré",
    "air_leak": "fuite d'air",
    "artifact": "mouvement pendant la mesure",
    "blockage": "tuyau du brassard bouché",
    "calibration_error": "erreur d'étalonnage de l'appareil",
    "hardware_error": "erreur matérielle de l'appareil",
    "out_of_range": "valeur hors de la plage de l'appareil",
    "overpressure": "surpression du brassard",
    "safety_override": "arrêt de sécurité",
    "safety_timeout": "délai de sécurité dépassé",
    "time_limit_exceeded": "durée maximale dépassée",
    "transducer_error": "erreur du capteur",
    "unknown_error": "erreur inconnue",
    "weak_signal": "signal trop faible",
    "overload": "charge au-delà de la portée de l'appareil",
    "no_value": "aucune valeur transmise",
    "missing": "aucune valeur transmise",
    "nan": "aucune valeur transmise",
    "nres": "résolution insuffisante",
    "plus_infinity": "valeur hors de la plage de l'appareil",
    "minus_infinity": "valeur hors de la plage de l'appareil",
    "reserved": "valeur non reconnue",
    "finger_out": "doigt retiré du capteur",
    "probe_error": "erreur du capteur",
    "searching": "recherche du pouls en cours",
    "unstable": "mesure instable",
}


def reason_label(code: str) -> str:
    return REASON_LABELS.get(code, code.replace("_", " "))


def number(value: float) -> str:
    """French decimal comma, no trailing zeros; the digits the device gave, nothing rounded
    beyond three decimals."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text.replace(".", ",").replace("-", "−")


def _label(name: str) -> str:
    return VALUE_LABELS.get(name, name.replace("_", " ").capitalize())


def _time(reading: Reading, zone: tzinfo | None) -> datetime:
    """When the reading was taken, in the cabin's time: the kiosk stamps readings in UTC,
    and a patient in Paris reads 14:02, not 13:02. A device's own clock without an offset
    is its local time, kept as it is."""
    when = reading.device_time or reading.received_at
    return when if when.tzinfo is None else when.astimezone(zone)


def _zone(data: ResultsInput) -> tzinfo | None:
    """The cabin's time zone (None: the system's)."""
    import zoneinfo

    return zoneinfo.ZoneInfo(data.cabin.timezone) if data.cabin.timezone else None


def _values(reading: Reading) -> str:
    lines = []
    for name, value in reading.values.items():
        unit = UNIT_LABELS.get(reading.unit_of(name), reading.unit_of(name).value)
        lines.append(f"{para(_label(name))} : <b>{number(value)}</b> {para(unit)}")
    if reading.missing:
        reasons = sorted(set(reading.missing.values()))
        which = ", ".join(para(_label(n)) for n in reading.missing)
        lines.append(
            f"<b>{NO_VALUE}</b> ({which})<br/>"
            "Raison donnée par l'appareil : " + para(", ".join(reason_label(r) for r in reasons))
        )
    elif not reading.values:
        lines.append(f"<b>{NO_VALUE}</b>")
    device_flags = sorted(f for f in reading.flags if f not in reading.missing.values())
    if device_flags:
        lines.append(
            "Indication de l'appareil : "
            + para(", ".join(f.replace("_", " ") for f in device_flags))
        )
    return "<br/>".join(lines)


def _device(reading: Reading) -> str:
    parts = [reading.device.model or reading.device.id]
    if reading.device.serial:
        parts.append(f"n° de série {reading.device.serial}")
    return "<br/>".join(para(p) for p in parts if p)


def _table(readings: list[Reading], zone: tzinfo | None) -> Flowable:
    s = layout.styles()
    head = ["Mesure", "Valeur", "Heure", "Appareil"]
    rows: list[list[Flowable]] = [[Paragraph(h, s["cellbold"]) for h in head]]
    for reading in readings:
        when = _time(reading, zone)
        rows.append(
            [
                Paragraph(para(KIND_LABELS.get(reading.kind, reading.kind.value)), s["cellbold"]),
                Paragraph(_values(reading), s["cell"]),
                Paragraph(f"{when:%d/%m/%Y}<br/><b>{when:%H:%M}</b>", s["cell"]),
                Paragraph(_device(reading), s["cell"]),
            ]
        )
    width = PAGE_WIDTH - 2 * MARGIN
    table = Table(
        rows,
        colWidths=[0.2 * width, 0.36 * width, 0.18 * width, 0.26 * width],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 1.2, layout.INK),
                ("LINEBELOW", (0, 1), (-1, -1), 0.5, layout.RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def _who(patient: PatientOnPaper, s: dict[str, ParagraphStyle]) -> Flowable:
    """The patient's name and birth date; without any (no card was read and the doctor sent
    no identity), a line the patient fills in by hand."""
    if patient.last_name or patient.first_name:
        return Paragraph(
            f"<font name='{FONT_BOLD}' size='15'>{para(patient.last_name.upper())} "
            f"{para(patient.first_name)}</font><br/>Né(e) le {para(patient.birth_date)}",
            s["body"].clone("who", leading=19),
        )
    return Paragraph(
        f"Nom, prénom : {BLANK_NAME}<br/>Né(e) le : {BLANK_DATE}<br/>"
        f"<font size='11' color='#404040'>{NOT_READ}</font>",
        s["body"].clone("who-blank", leading=25),
    )


def _decorate(data: ResultsInput, printed_at: datetime) -> tuple[layout.Decorate, float]:
    s = layout.styles()
    cabin = data.cabin
    patient = data.patient
    where = " — ".join(para(p) for p in (cabin.name, cabin.site, cabin.address) if p)
    head = [
        Paragraph(TITLE, s["title"]),
        Paragraph(f"Cabine {para(cabin.id)}" + (f" — {where}" if where else ""), s["body"]),
        Paragraph(f"Imprimé le {printed_at:%d/%m/%Y à %H:%M}", s["body"]),
        Spacer(1, 2 * mm),
        _who(patient, s),
    ]
    full = PAGE_WIDTH - 2 * MARGIN
    height = 12 * mm + sum(p.wrap(full, PAGE_HEIGHT)[1] for p in head) + 8 * mm
    note = Paragraph(
        "Valeurs telles que mesurées par les appareils de la cabine et transmises au médecin, "
        "sans interprétation.",
        s["small"],
    )

    def decorate(canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        y = PAGE_HEIGHT - 12 * mm
        for item in head:
            _, h = item.wrapOn(canvas, full, PAGE_HEIGHT)
            y -= h
            item.drawOn(canvas, MARGIN, y)
        layout.rule(canvas, y - 3 * mm)
        layout.rule(canvas, FOOTER - 4 * mm)
        _, h = note.wrapOn(canvas, full - 35 * mm, 20 * mm)
        note.drawOn(canvas, MARGIN, FOOTER - 6 * mm - h)
        layout.page_number(canvas, number, total)
        canvas.restoreState()

    return decorate, height


def compose_results(data: ResultsInput, *, printed_at: datetime | None = None) -> Document:
    """The results sheet as an A4 PDF; intermediate readings (cuff inflating) are left out."""
    s = layout.styles()
    zone = _zone(data)
    when = (printed_at or data.printed_at or datetime.now().astimezone()).astimezone(zone)
    readings = sorted(
        (r for r in data.readings if not r.intermediate), key=lambda r: _time(r, zone).timestamp()
    )
    story: list[Flowable] = []
    if readings:
        story.append(_table(readings, zone))
    else:
        story.append(
            Paragraph("Aucune mesure n'a été faite pendant cette consultation.", s["body"])
        )
    decorate, top = _decorate(data, when)
    pdf = layout.build_pdf(story, decorate=decorate, top=top, bottom=FOOTER, title=TITLE)
    return Document(kind=DocumentKind.RESULTS, id=f"results-{secrets.token_hex(6)}", pdf=pdf)
