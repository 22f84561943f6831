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

from kiosk.documents import layout, wording
from kiosk.documents.inputs import PatientOnPaper, ResultsInput
from kiosk.documents.layout import MARGIN, PAGE_HEIGHT, PAGE_WIDTH
from kiosk.documents.text import FONT_BOLD, para
from kiosk.domain import Document, DocumentKind, Reading, Unit

FOOTER = 30 * mm
TITLE = "Relevé de mesures"
NO_VALUE = "Pas de mesure valide"
#: Without an identity, the lines the patient fills in by hand.
BLANK_NAME = "_" * 46
BLANK_DATE = "_____ / _____ / __________"
NOT_READ = "Identité non lue sur une carte Vitale"
#: The patient's language below the French: smaller, grey.
SECOND = "#505050"

#: The measurements as the screens name them.
KIND_LABELS = {k: names["fr"] for k, names in wording.KINDS.items()}
VALUE_LABELS = {
    "systolic": "Systolique",
    "diastolic": "Diastolique",
    "map": "Pression moyenne",
    "pulse": "Pouls",
    "spo2": "Oxygène",
    "temperature": "Température",
    "weight": "Poids",
    "bmi": "Indice de masse corporelle",
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
#: What the devices signal beside a value, in words; technical flags (user slot, clock,
#: perfusion colour, packet) are not the patient's business and are left out.
FLAG_LABELS = {
    "body_movement": "mouvement pendant la mesure",
    "cuff_loose": "brassard mal serré",
    "irregular_pulse": "pouls irrégulier détecté par l'appareil",
    "improper_position": "position à corriger",
    "pulse_rate_high": "pouls au-dessus de la plage de l'appareil",
    "pulse_rate_low": "pouls au-dessous de la plage de l'appareil",
    "artifact": "mouvement pendant la mesure",
    "sensor_disconnected": "capteur débranché",
    "out_of_track": "signal perdu (doigt retiré ?)",
    "sensor_alarm": "alarme du capteur",
    "unstable": "mesure instable",
    "overload": "charge au-delà de la portée de l'appareil",
    "searching": "recherche du pouls",
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
    """A device's reason in words; a code the cabin does not know is "the device's problem",
    never the code itself."""
    return REASON_LABELS.get(code) or wording.reason(code, "fr")


def flag_labels(reading: Reading) -> list[str]:
    """The device's indications in words, once each; ``alarm:``/``exception:`` codes say
    "alarme de l'appareil"."""
    words: list[str] = []
    for flag in sorted(reading.flags):
        if flag in reading.missing.values():
            continue
        word = FLAG_LABELS.get(flag)
        if word is None and flag.split(":", 1)[0] in ("alarm", "exception"):
            word = "alarme de l'appareil"
        if word and word not in words:
            words.append(word)
    return words


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


def second(text: str, language: str) -> str:
    """The patient's language below the French (nothing when the patient reads French)."""
    if language == "fr" or not text:
        return ""
    return f"<br/><font size='10.5' color='{SECOND}'>{para(text)}</font>"


def failed(reading: Reading) -> bool:
    """A failed attempt: the device gave no value at all."""
    return not reading.values


def why_failed(reading: Reading) -> str:
    """The device's reasons for no value, in words ("" when it gave none)."""
    reasons = sorted(set(reading.missing.values()))
    return ", ".join(dict.fromkeys(reason_label(r) for r in reasons))


def values_markup(reading: Reading) -> str:
    """The values as the device gave them, decimal comma, with their units; a value the
    device could not give is named with its reason."""
    lines = []
    for name, value in reading.values.items():
        unit = UNIT_LABELS.get(reading.unit_of(name), reading.unit_of(name).value)
        lines.append(f"{para(_label(name))} : <b>{number(value)}</b> {para(unit)}")
    if reading.missing:
        which = ", ".join(para(_label(n)) for n in reading.missing)
        lines.append(f"<b>{NO_VALUE}</b> ({which}) : " + para(why_failed(reading)))
    flags = flag_labels(reading)
    if flags:
        lines.append("Indication de l'appareil : " + para(", ".join(flags)))
    return "<br/>".join(lines)


def failed_line(reading: Reading, zone: tzinfo | None, language: str) -> str:
    """A failed attempt in one short line: what, when, why (and in the patient's words)."""
    when = _time(reading, zone)
    why = why_failed(reading)
    line = f"<b>{para(wording.kind(reading.kind, 'fr'))}</b> — {when:%H:%M} — {NO_VALUE}" + (
        f" : {para(why)}" if why else ""
    )
    codes = sorted(set(reading.missing.values()))
    theirs = wording.text("no_valid", language)
    if codes:
        theirs += " : " + ", ".join(dict.fromkeys(wording.reason(c, language) for c in codes))
    return line + second(f"{wording.kind(reading.kind, language)} — {theirs}", language)


def _device(reading: Reading) -> str:
    parts = [reading.device.model or reading.device.id]
    if reading.device.serial:
        parts.append(f"n° de série {reading.device.serial}")
    return " — ".join(para(p) for p in parts if p)


def _table(readings: list[Reading], zone: tzinfo | None, language: str) -> Flowable:
    s = layout.styles()
    head = [
        Paragraph(
            wording.text(key, "fr") + second(wording.text(key, language), language), s["cellbold"]
        )
        for key in ("measure", "value", "time")
    ]
    rows: list[list[Flowable | str]] = [list(head)]
    spans = []
    for reading in readings:
        if failed(reading):
            spans.append(len(rows))
            rows.append([Paragraph(failed_line(reading, zone, language), s["small"]), "", ""])
            continue
        when = _time(reading, zone)
        name = para(wording.kind(reading.kind, "fr")) + second(
            wording.kind(reading.kind, language), language
        )
        rows.append(
            [
                Paragraph(name, s["cellbold"]),
                Paragraph(
                    values_markup(reading)
                    + f"<br/><font size='10.5' color='{SECOND}'>{_device(reading)}</font>",
                    s["cell"],
                ),
                Paragraph(f"{when:%d/%m/%Y}<br/><b>{when:%H:%M}</b>", s["cell"]),
            ]
        )
    width = PAGE_WIDTH - 2 * MARGIN
    table = Table(
        rows,
        colWidths=[0.31 * width, 0.52 * width, 0.17 * width],
        repeatRows=1,
    )
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, layout.INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.5, layout.RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]
    for row in spans:
        style += [("SPAN", (0, row), (-1, row)), ("TOPPADDING", (0, row), (-1, row), 3)]
    table.setStyle(TableStyle(style))
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
    language = wording.language_of(data.language)
    where = " — ".join(para(p) for p in (cabin.name, cabin.site, cabin.address) if p)
    title = TITLE
    if language != "fr":
        theirs = para(wording.text("results_title", language))
        title += f"<br/><font size='14' color='{SECOND}'>{theirs}</font>"
    head: list[Flowable] = [
        Paragraph(title, s["title"].clone("rtitle", leading=24)),
        Paragraph(f"Cabine {para(cabin.id)}" + (f" — {where}" if where else ""), s["body"]),
        Paragraph(f"Imprimé le {printed_at:%d/%m/%Y à %H:%M}", s["body"]),
    ]
    if data.doctor:
        head.append(
            Paragraph(
                f"Médecin : <b>{para(data.doctor)}</b>"
                + (f" ({para(wording.text('doctor', language))})" if language != "fr" else ""),
                s["body"],
            )
        )
    if data.nurse is not None:
        head.append(Paragraph(para(data.nurse.line), s["body"]))
    head += [Spacer(1, 2 * mm), _who(data.patient, s)]
    full = PAGE_WIDTH - 2 * MARGIN
    height = 12 * mm + sum(p.wrap(full, PAGE_HEIGHT)[1] for p in head) + 8 * mm
    note = Paragraph(
        para(wording.text("relayed", "fr")) + second(wording.text("relayed", language), language),
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


def kept(data: ResultsInput, zone: tzinfo | None) -> list[Reading]:
    """The readings a paper lists, in time order; intermediate ones (cuff inflating) left out."""
    return sorted(
        (r for r in data.readings if not r.intermediate), key=lambda r: _time(r, zone).timestamp()
    )


def compose_results(data: ResultsInput, *, printed_at: datetime | None = None) -> Document:
    """The results sheet as an A4 PDF, the patient's language below the French."""
    s = layout.styles()
    zone = _zone(data)
    language = wording.language_of(data.language)
    when = (printed_at or data.printed_at or datetime.now().astimezone()).astimezone(zone)
    readings = kept(data, zone)
    story: list[Flowable] = []
    if readings:
        story.append(_table(readings, zone, language))
    else:
        story.append(
            Paragraph(
                para(wording.text("no_reading", "fr"))
                + second(wording.text("no_reading", language), language),
                s["body"],
            )
        )
    decorate, top = _decorate(data, when)
    pdf = layout.build_pdf(story, decorate=decorate, top=top, bottom=FOOTER, title=TITLE)
    return Document(kind=DocumentKind.RESULTS, id=f"results-{secrets.token_hex(6)}", pdf=pdf)
