"""What the screens say, in each language the cabin offers (French first).

Plain words for a patient alone in the cabin: short sentences, one instruction at a time.
"""

from __future__ import annotations

LANGUAGE_NAMES = {"fr": "Français", "en": "English", "ar": "العربية", "es": "Español"}
RIGHT_TO_LEFT = frozenset({"ar"})

_TEXTS: dict[str, dict[str, str]] = {
    "idle.title": {
        "fr": "Insérez votre carte Vitale",
        "en": "Insert your Carte Vitale",
        "ar": "أدخل بطاقة فيتال الخاصة بك",
        "es": "Introduzca su tarjeta Vitale",
    },
    "idle.body": {
        "fr": "La puce vers le bas, dans la fente sous l'écran.\nUn médecin vous recevra en vidéo.",
        "en": "Chip facing down, into the slot below the screen.\nA doctor will see you by video.",
        "ar": "الشريحة إلى الأسفل، في الفتحة أسفل الشاشة.\nسيستقبلك طبيب عبر الفيديو.",
        "es": "Con el chip hacia abajo, en la ranura bajo la pantalla.\n"
        "Un médico le atenderá por vídeo.",
    },
    "idle.language": {
        "fr": "Choisissez votre langue",
        "en": "Choose your language",
        "ar": "اختر لغتك",
        "es": "Elija su idioma",
    },
    "staff.button": {
        "fr": "Appeler le personnel",
        "en": "Call staff",
        "ar": "نداء الموظفين",
        "es": "Llamar al personal",
    },
    "staff.called": {
        "fr": "Quelqu'un arrive pour vous aider.",
        "en": "Someone is coming to help you.",
        "ar": "شخص ما قادم لمساعدتك.",
        "es": "Alguien viene a ayudarle.",
    },
    "state.reading_card": {
        "fr": "Lecture de votre carte…\nNe retirez pas la carte.",
        "en": "Reading your card…\nPlease leave the card in.",
        "ar": "جارٍ قراءة بطاقتك…\nلا تسحب البطاقة.",
        "es": "Leyendo su tarjeta…\nNo retire la tarjeta.",
    },
    "state.confirm_identity": {
        "fr": "Qui consulte aujourd'hui ?",
        "en": "Who is seeing the doctor today?",
        "ar": "من سيستشير الطبيب اليوم؟",
        "es": "¿Quién consulta hoy?",
    },
    "state.consent": {
        "fr": "Avant la consultation vidéo",
        "en": "Before the video consultation",
        "ar": "قبل الاستشارة عبر الفيديو",
        "es": "Antes de la consulta por vídeo",
    },
    "state.waiting_room": {
        "fr": "Un médecin va vous recevoir.\nMerci de patienter.",
        "en": "A doctor will see you soon.\nPlease wait.",
        "ar": "سيستقبلك طبيب قريبًا.\nيرجى الانتظار.",
        "es": "Un médico le atenderá pronto.\nEspere, por favor.",
    },
    "state.in_call": {
        "fr": "Consultation en cours",
        "en": "Consultation in progress",
        "ar": "الاستشارة جارية",
        "es": "Consulta en curso",
    },
    "state.measuring": {
        "fr": "Mesure en cours",
        "en": "Measurement in progress",
        "ar": "القياس جارٍ",
        "es": "Medición en curso",
    },
    "state.printing": {
        "fr": "Impression de vos documents…",
        "en": "Printing your documents…",
        "ar": "جارٍ طباعة مستنداتك…",
        "es": "Imprimiendo sus documentos…",
    },
    "state.goodbye": {
        "fr": "Consultation terminée.\nReprenez votre carte Vitale et vos documents.",
        "en": "The consultation is over.\nTake your Carte Vitale and your documents.",
        "ar": "انتهت الاستشارة.\nخذ بطاقة فيتال ومستنداتك.",
        "es": "La consulta ha terminado.\nRecoja su tarjeta Vitale y sus documentos.",
    },
    "state.wiping": {
        "fr": "Effacement des données de la consultation…",
        "en": "Erasing the consultation's data…",
        "ar": "جارٍ مسح بيانات الاستشارة…",
        "es": "Borrando los datos de la consulta…",
    },
    "state.cleaning": {
        "fr": "Cabine en cours de nettoyage.\nMerci de patienter quelques instants.",
        "en": "The cabin is being cleaned.\nPlease wait a moment.",
        "ar": "يجري تنظيف المقصورة.\nيرجى الانتظار قليلاً.",
        "es": "La cabina se está limpiando.\nEspere un momento, por favor.",
    },
    "state.fault": {
        "fr": "Un problème est survenu.\nNous nous en occupons.",
        "en": "Something went wrong.\nWe are dealing with it.",
        "ar": "حدثت مشكلة.\nنحن نعالجها.",
        "es": "Ha ocurrido un problema.\nNos estamos ocupando.",
    },
}


def tr(key: str, language: str) -> str:
    """The text ``key`` in ``language``, falling back to French (never to a raw key)."""
    variants = _TEXTS[key]
    return variants.get(language) or variants["fr"]


def keys() -> list[str]:
    return list(_TEXTS)
