"""The papers' fixed texts in the patient's language, printed below the French: the names
the screens use (ui/i18n), the devices' reasons in plain words, the headings.

French is the paper's language (the GP and the pharmacist read it); the patient's language,
when another, follows each fixed text in smaller type. What the doctor wrote stays as written.
"""

from __future__ import annotations

from kiosk.domain import ReadingKind

LANGUAGES = ("fr", "en", "es", "ar")

#: The measurements as the screens name them (ui/i18n, context "Readings").
KINDS: dict[ReadingKind, dict[str, str]] = {
    ReadingKind.BLOOD_PRESSURE: {
        "fr": "Tension artérielle",
        "en": "Blood pressure",
        "es": "Tensión arterial",
        "ar": "ضغط الدم",
    },
    ReadingKind.CUFF_PRESSURE: {
        "fr": "Pression du brassard",
        "en": "Cuff pressure",
        "es": "Presión del manguito",
        "ar": "ضغط الكُفّة",
    },
    ReadingKind.TEMPERATURE: {
        "fr": "Température",
        "en": "Temperature",
        "es": "Temperatura",
        "ar": "درجة الحرارة",
    },
    ReadingKind.WEIGHT: {"fr": "Poids", "en": "Weight", "es": "Peso", "ar": "الوزن"},
    ReadingKind.BODY_COMPOSITION: {
        "fr": "Composition corporelle",
        "en": "Body composition",
        "es": "Composición corporal",
        "ar": "تكوين الجسم",
    },
    ReadingKind.SPO2: {
        "fr": "Oxygène dans le sang",
        "en": "Blood oxygen",
        "es": "Oxígeno en sangre",
        "ar": "الأكسجين في الدم",
    },
}

#: The devices' reason codes, grouped into what a patient understands.
REASON_GROUPS = {
    "artifact": "moved",
    "unstable": "moved",
    "searching": "moved",
    "air_leak_or_loose_cuff": "cuff",
    "air_leak": "cuff",
    "blockage": "cuff",
    "overpressure": "cuff",
    "finger_out": "finger",
    "weak_signal": "finger",
    "out_of_range": "range",
    "overload": "range",
    "plus_infinity": "range",
    "minus_infinity": "range",
    "aborted": "stopped",
    "safety_override": "stopped",
    "safety_timeout": "stopped",
    "time_limit_exceeded": "stopped",
    "no_value": "nothing",
    "missing": "nothing",
    "nan": "nothing",
}
REASON_WORDS = {
    "moved": {
        "fr": "mouvement pendant la mesure",
        "en": "movement during the measurement",
        "es": "movimiento durante la medición",
        "ar": "حركة أثناء القياس",
    },
    "cuff": {
        "fr": "brassard mal serré ou fuite d'air",
        "en": "cuff loose or leaking air",
        "es": "manguito flojo o fuga de aire",
        "ar": "الكُفّة غير مشدودة أو يتسرب منها الهواء",
    },
    "finger": {
        "fr": "doigt mal placé dans le capteur",
        "en": "finger not in the sensor properly",
        "es": "dedo mal colocado en el sensor",
        "ar": "الإصبع ليس في مكانه داخل المستشعر",
    },
    "range": {
        "fr": "valeur hors de ce que l'appareil mesure",
        "en": "value beyond what the device measures",
        "es": "valor fuera de lo que mide el aparato",
        "ar": "قيمة خارج ما يقيسه الجهاز",
    },
    "stopped": {
        "fr": "mesure arrêtée avant la fin",
        "en": "measurement stopped before the end",
        "es": "medición detenida antes del final",
        "ar": "توقف القياس قبل نهايته",
    },
    "nothing": {
        "fr": "l'appareil n'a donné aucune valeur",
        "en": "the device gave no value",
        "es": "el aparato no dio ningún valor",
        "ar": "لم يُعطِ الجهاز أي قيمة",
    },
    "device": {
        "fr": "problème de l'appareil",
        "en": "a problem with the device",
        "es": "un problema del aparato",
        "ar": "مشكلة في الجهاز",
    },
}

TEXTS: dict[str, dict[str, str]] = {
    "results_title": {
        "fr": "Relevé de mesures",
        "en": "Your measurements",
        "es": "Sus mediciones",
        "ar": "نتائج القياسات",
    },
    "no_valid": {
        "fr": "Pas de mesure valide",
        "en": "No valid measurement",
        "es": "Ninguna medición válida",
        "ar": "لا يوجد قياس صالح",
    },
    "measure": {"fr": "Mesure", "en": "Measurement", "es": "Medición", "ar": "القياس"},
    "value": {"fr": "Valeur", "en": "Value", "es": "Valor", "ar": "القيمة"},
    "time": {"fr": "Heure", "en": "Time", "es": "Hora", "ar": "الوقت"},
    "device": {"fr": "Appareil", "en": "Device", "es": "Aparato", "ar": "الجهاز"},
    "doctor": {"fr": "Médecin", "en": "Doctor", "es": "Médico", "ar": "الطبيب"},
    "no_reading": {
        "fr": "Aucune mesure n'a été faite pendant cette consultation.",
        "en": "No measurement was taken during this consultation.",
        "es": "No se hizo ninguna medición durante esta consulta.",
        "ar": "لم يُجرَ أي قياس خلال هذه الاستشارة.",
    },
    "relayed": {
        "fr": "Valeurs telles que mesurées par les appareils de la cabine et transmises au "
        "médecin, sans interprétation.",
        "en": "Values as the cabin's devices measured them, sent to the doctor, not interpreted.",
        "es": "Valores tal como los midieron los aparatos de la cabina, sin interpretación.",
        "ar": "القيم كما قاستها أجهزة المقصورة وأُرسلت إلى الطبيب، دون تفسير.",
    },
    "gp_title": {
        "fr": "Compte rendu pour votre médecin traitant",
        "en": "Report for your GP",
        "es": "Informe para su médico de cabecera",
        "ar": "تقرير لطبيبك المعالج",
    },
    "gp_hand": {
        "fr": "À remettre à votre médecin traitant.",
        "en": "Please give this page to your GP.",
        "es": "Entregue esta hoja a su médico de cabecera.",
        "ar": "يُرجى تسليم هذه الورقة إلى طبيبك المعالج.",
    },
    "gp_reason": {
        "fr": "Motif de la consultation",
        "en": "Reason for the consultation",
        "es": "Motivo de la consulta",
        "ar": "سبب الاستشارة",
    },
    "gp_findings": {
        "fr": "Constatations",
        "en": "Findings",
        "es": "Hallazgos",
        "ar": "الملاحظات",
    },
    "gp_advice": {
        "fr": "Conseils donnés",
        "en": "Advice given",
        "es": "Consejos dados",
        "ar": "النصائح المقدمة",
    },
    "gp_follow_up": {
        "fr": "Suivi proposé",
        "en": "Follow-up",
        "es": "Seguimiento",
        "ar": "المتابعة المقترحة",
    },
    "gp_readings": {
        "fr": "Mesures faites en cabine",
        "en": "Measurements taken in the cabin",
        "es": "Mediciones hechas en la cabina",
        "ar": "القياسات في المقصورة",
    },
    "gp_as_written": {
        "fr": "Le texte du médecin est reproduit tel qu'il l'a écrit, en français.",
        "en": "The doctor's text is printed as they wrote it, in French.",
        "es": "El texto del médico se imprime tal como lo escribió, en francés.",
        "ar": "نص الطبيب مطبوع كما كتبه، باللغة الفرنسية.",
    },
}


def language_of(code: str) -> str:
    """The patient's language among the papers' ("fr" for anything else)."""
    short = (code or "fr").split("_", 1)[0].split("-", 1)[0].lower()
    return short if short in LANGUAGES else "fr"


def text(key: str, language: str) -> str:
    return TEXTS[key].get(language, TEXTS[key]["fr"])


def kind(reading_kind: ReadingKind, language: str) -> str:
    names = KINDS.get(reading_kind)
    if names is None:
        return reading_kind.value.replace("_", " ")
    return names.get(language, names["fr"])


def reason(code: str, language: str) -> str:
    """A device's reason in plain words ("device" for an error of the device itself)."""
    words = REASON_WORDS[REASON_GROUPS.get(code, "device")]
    return words.get(language, words["fr"])
