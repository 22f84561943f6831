"""SMS through Kannel's HTTP ``sendsms`` interface: texts, their encoding, one sending attempt.

Texts are in the patient's language (fr, en, ar, es) and fit in one or two parts: GSM-7
(160 characters, 153 a part when split, extension characters counting two) when the text
can be written in it, accents Kannel cannot carry in GSM-7 replaced by their base letter;
UCS-2 otherwise (70, 67 a part). A text too long drops the address, then is cut.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlencode

import aiohttp

from portal.config import SmsConfig

log = logging.getLogger(__name__)

LANGUAGES = ("fr", "en", "ar", "es")
KINDS = ("confirmation", "reminder", "cancellation")
MAX_PARTS = 2

_GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = "^{}\\[~]|€\f"
#: Kannel's ``coding``: 0 is GSM-7 (default alphabet), 2 is UCS-2.
GSM7, UCS2 = 0, 2

_TEXTS: dict[str, dict[str, str]] = {
    "confirmation": {
        "fr": "RDV cabine le {date} à {time}{address}. Code : {code}. Apportez votre carte Vitale.",
        "en": "Cabin appointment on {date} at {time}{address}. Code: {code}. "
        "Bring your Carte Vitale.",
        "es": "Cita en la cabina el {date} a las {time}{address}. Código: {code}. "
        "Traiga su tarjeta Vitale.",
        "ar": "موعدك في الكابينة يوم {date} الساعة {time}{address}. الرمز: {code}. "
        "أحضر بطاقة Vitale.",
    },
    "reminder": {
        "fr": "Rappel : RDV cabine le {date} à {time}{address}. Code : {code}. "
        "Apportez votre carte Vitale.",
        "en": "Reminder: cabin appointment on {date} at {time}{address}. Code: {code}. "
        "Bring your Carte Vitale.",
        "es": "Recordatorio: cita en la cabina el {date} a las {time}{address}. "
        "Código: {code}. Traiga su tarjeta Vitale.",
        "ar": "تذكير: موعدك في الكابينة يوم {date} الساعة {time}{address}. الرمز: {code}. "
        "أحضر بطاقة Vitale.",
    },
    "cancellation": {
        "fr": "Votre RDV cabine du {date} à {time} est annulé (code {code}).",
        "en": "Your cabin appointment on {date} at {time} is cancelled (code {code}).",
        "es": "Su cita en la cabina del {date} a las {time} está anulada (código {code}).",
        "ar": "تم إلغاء موعدك في الكابينة يوم {date} الساعة {time} (الرمز {code}).",
    },
}


@dataclass(frozen=True)
class Text:
    body: str
    coding: int
    parts: int


def _to_gsm(text: str) -> str | None:
    """``text`` in the GSM-7 alphabet (accents dropped where needed), or None."""
    out = []
    for char in text:
        if char in _GSM_BASIC or char in _GSM_EXTENDED:
            out.append(char)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if not base or any(c not in _GSM_BASIC for c in base):
            return None
        out.append(base)
    return "".join(out)


def _parts(body: str, coding: int) -> int:
    if coding == GSM7:
        units = len(body) + sum(1 for c in body if c in _GSM_EXTENDED)
        single, each = 160, 153
    else:
        units = sum(2 if ord(c) > 0xFFFF else 1 for c in body)
        single, each = 70, 67
    return 1 if units <= single else -(-units // each)


def encode(text: str) -> Text:
    """The body Kannel is given, its coding and its number of parts."""
    gsm = _to_gsm(text)
    if gsm is not None:
        return Text(gsm, GSM7, _parts(gsm, GSM7))
    return Text(text, UCS2, _parts(text, UCS2))


def compose(
    kind: str, lang: str, *, date: str, time: str, code: str, address: str, link: str = ""
) -> Text:
    """The text of one SMS, in at most :data:`MAX_PARTS` parts; ``link`` (the booking
    site's manage link) ends it and is never cut."""
    template = _TEXTS[kind][lang if lang in LANGUAGES else "fr"]
    separator = "، " if lang == "ar" else ", "
    tail = f" {link}" if link else ""
    for where in (separator + address if address else "", ""):
        text = encode(template.format(date=date, time=time, code=code, address=where) + tail)
        if text.parts <= MAX_PARTS:
            return text
    # a template is short; only a huge address gets here, and it is gone already
    limit = 2 * (153 if text.coding == GSM7 else 67) - len(tail)
    return encode(text.body[: len(text.body) - len(tail)][:limit] + tail)


def dlr_token(secret: str, sms_id: int) -> str:
    """What authenticates Kannel's delivery report for one SMS (it is in the dlr-url)."""
    mac = hmac.new(secret.encode(), f"cabine-dlr\0{sms_id}".encode(), hashlib.sha256)
    return mac.hexdigest()[:32]


class SmsGatewayError(Exception):
    """Kannel did not take the message (down, refused, or a timeout)."""


async def send(
    http: aiohttp.ClientSession,
    cfg: SmsConfig,
    *,
    sms_id: int,
    to: str,
    text: Text,
    dlr_secret: str,
) -> None:
    """One attempt through Kannel's ``sendsms``; raises :class:`SmsGatewayError`."""
    params = {
        "username": cfg.username,
        "password": cfg.password,
        "from": cfg.sender,
        "to": to,
        "text": text.body,
        "charset": "UTF-8",
        "coding": str(text.coding),
    }
    if cfg.dlr_base_url:
        query = urlencode({"m": sms_id, "t": dlr_token(dlr_secret, sms_id)})
        # %d: Kannel puts the report's type there
        params["dlr-url"] = f"{cfg.dlr_base_url.rstrip('/')}/api/sms/dlr?{query}&s=%d"
        params["dlr-mask"] = "31"
    try:
        async with http.get(
            cfg.sendsms_url, params=params, timeout=aiohttp.ClientTimeout(total=cfg.timeout_s)
        ) as response:
            answer = (await response.text())[:80]
            if response.status >= 300:
                raise SmsGatewayError(f"HTTP {response.status}: {answer}")
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        raise SmsGatewayError(type(exc).__name__) from exc
