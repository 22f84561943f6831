"""The manage link of a booking made on the booking site: short enough for an SMS, signed
(HMAC-SHA256 under ``[booking] link_secret``) over the booking's id and its slot's end, and
dead once the slot has ended or the booking moved (a moved booking gets a new link).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

#: The booking site's bookings have ids "b:" + 10 of this alphabet (the token's first part).
PREFIX = "b:"
_ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
_ID_LENGTH = 10
_MAC_LENGTH = 16  # base64url characters: 96 bits
TOKEN = re.compile(rf"[{_ID_ALPHABET}]{{{_ID_LENGTH}}}[A-Za-z0-9_-]{{{_MAC_LENGTH}}}")


def new_booking_id() -> str:
    return PREFIX + "".join(secrets.choice(_ID_ALPHABET) for _ in range(_ID_LENGTH))


def _mac(secret: str, short_id: str, slot_end: int) -> str:
    digest = hmac.new(
        secret.encode(), f"cabine-manage\0{short_id}\0{slot_end}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).decode()[:_MAC_LENGTH]


def token(secret: str, external_id: str, slot_end: int) -> str | None:
    """The manage token of a booking, or None when it was not made on the site."""
    short_id = external_id.removeprefix(PREFIX)
    if not external_id.startswith(PREFIX) or not TOKEN.fullmatch(short_id + "A" * _MAC_LENGTH):
        return None
    return short_id + _mac(secret, short_id, slot_end)


def booking_id(raw: str) -> str | None:
    """The booking id a token names (not yet checked: :func:`valid` does), or None."""
    if not isinstance(raw, str) or not TOKEN.fullmatch(raw):
        return None
    return PREFIX + raw[:_ID_LENGTH]


def valid(secret: str, raw: str, *, slot_end: int, now: int) -> bool:
    """Whether ``raw`` is this booking's token and its slot has not ended."""
    if booking_id(raw) is None or now >= slot_end:
        return False
    expected = _mac(secret, raw[:_ID_LENGTH], slot_end)
    return hmac.compare_digest(raw[_ID_LENGTH:], expected)


def url(base_url: str, secret: str, external_id: str, slot_end: int) -> str:
    """The link the SMS carries, or "" without a base URL or for another site's booking."""
    signed = token(secret, external_id, slot_end)
    if not base_url or signed is None:
        return ""
    return f"{base_url.rstrip('/')}/b/{signed}"
