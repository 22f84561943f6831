"""The check-in's match key: the keyed hash of an identity the booking site and the cabin
compute alike, so that names never leave the cabin (portal/appointments/README.md)."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata


def checkin_key(secret: str, cabin_id: str) -> str:
    """The portal's per-cabin key of match keys (hex), derived from its match secret.

    Each cabin gets only its own key, in ``welcome``: a stolen cabin reveals nothing about
    another cabin's appointments, and the names never leave the cabin.
    """
    digest = hmac.new(secret.encode(), b"cabine-checkin\0" + cabin_id.encode(), hashlib.sha256)
    return digest.hexdigest()


def normalise_name(name: str) -> str:
    """Upper-case A-Z only: accents dropped, hyphens, apostrophes and spaces removed."""
    decomposed = unicodedata.normalize("NFKD", name.replace("ß", "ss"))
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).upper()
    letters = letters.replace("Æ", "AE").replace("Œ", "OE").replace("Ø", "O")
    return "".join(c for c in letters if "A" <= c <= "Z")


def normalise_birth_date(value: str) -> str:
    """``AAAAMMJJ`` as on the card, from that or ``AAAA-MM-JJ``; ``ValueError`` otherwise."""
    digits = value.replace("-", "") if len(value) == 10 else value
    if len(digits) != 8 or not digits.isdigit():
        raise ValueError("a birth date is AAAAMMJJ or AAAA-MM-JJ")
    return digits


def match_key(key: str, *, last_name: str, first_name: str, birth_date: str) -> str:
    """The keyed hash (HMAC-SHA256, hex) of a normalised identity; never of the NIR.

    Raises ``ValueError`` for a bad key or birth date, or an empty normalised name.
    """
    last, first = normalise_name(last_name), normalise_name(first_name)
    if not last or not first:
        raise ValueError("a name has no letter")
    message = f"{last}\0{first}\0{normalise_birth_date(birth_date)}".encode()
    return hmac.new(bytes.fromhex(key), message, hashlib.sha256).hexdigest()
