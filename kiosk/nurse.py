"""The nurse of a mallette (a nurse's connected kit): who signs in for the shift, and the
checks of what they type. Pure: no Qt, no card, no clock of its own.

The RPPS (Répertoire partagé des professionnels de santé) number has 11 digits, the last a
Luhn check digit over the first ten: from the right, every second digit is doubled (9
subtracted when the double is over 9) and the sum of all eleven is a multiple of 10.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from kiosk.domain import Beneficiary

RPPS_LENGTH = 11
NAME_MAX = 80


class Profession(StrEnum):
    NURSE = "infirmier"
    DOCTOR = "medecin"
    MIDWIFE = "sage_femme"
    PHARMACIST = "pharmacien"
    OTHER = "autre"


class SignInError(StrEnum):
    """Why a sign-in was refused (each a message on the screen)."""

    RPPS_LENGTH = "rpps_length"  # not 11 digits
    RPPS_CHECK = "rpps_check"  # 11 digits, but the check digit is wrong (a typo)
    NAME_MISSING = "name_missing"
    NAME_INVALID = "name_invalid"  # digits, control characters, too long


def luhn_sum(digits: str) -> int:
    """The Luhn sum of ``digits`` (check digit included, rightmost)."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total


def luhn_check_digit(body: str) -> str:
    """The digit that makes ``body`` + it pass the Luhn check."""
    return str((10 - luhn_sum(body + "0") % 10) % 10)


def rpps_error(rpps: str) -> SignInError | None:
    """What is wrong with a typed RPPS (spaces allowed between digits), or None."""
    digits = rpps.replace(" ", "")
    if len(digits) != RPPS_LENGTH or not (digits.isascii() and digits.isdigit()):
        return SignInError.RPPS_LENGTH
    if luhn_sum(digits) % 10 != 0:
        return SignInError.RPPS_CHECK
    return None


def clean_name(name: str) -> str:
    """A person's name as typed, in any script: NFC, inner spaces squeezed."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def name_error(name: str) -> SignInError | None:
    """Letters of any script, spaces, hyphens, apostrophes and dots; nothing else."""
    name = clean_name(name)
    if not name:
        return SignInError.NAME_MISSING
    if len(name) > NAME_MAX or not any(c.isalpha() for c in name):
        return SignInError.NAME_INVALID
    for char in name:
        if not (char.isalpha() or char in " -'’." or unicodedata.category(char) == "Mn"):
            return SignInError.NAME_INVALID
    return None


@dataclass(frozen=True)
class Nurse:
    """The professional assisting the consultations of a shift (not patient data)."""

    rpps: str
    name: str = field(repr=False)
    profession: Profession
    #: The day of the sign-in in the cabin's time zone: the shift ends when it is over.
    day: str = ""


class CarePlace(StrEnum):
    """Where an assisted consultation happens (the doctor's claim for the act needs it)."""

    HEALTH_CENTRE = "health_centre"
    HOME = "home"
    OTHER = "other"


class Sex(StrEnum):
    FEMALE = "F"
    MALE = "M"


@dataclass(frozen=True)
class Assistance:
    """One patient's consultation assisted by the shift's nurse (wiped with the session)."""

    nurse: Nurse
    place: CarePlace
    #: The identity was typed by the nurse (no card); with the sex typed with it.
    typed_identity: bool = False
    sex: str = field(default="", repr=False)
    #: The patient consented with the nurse present.
    consent_witnessed: bool = False


def assistance_fields(assistance: Assistance | None) -> dict[str, object] | None:
    """The ``assistance`` data message's fields (``protocol.nurse``), or None."""
    if assistance is None:
        return None
    nurse = assistance.nurse
    typed = {"sex": assistance.sex} if assistance.typed_identity and assistance.sex else {}
    return {
        "name": nurse.name,
        "profession": nurse.profession.value,
        "rpps": nurse.rpps,
        "place": assistance.place.value,
        "identity_typed": assistance.typed_identity,
        "consent_witnessed": assistance.consent_witnessed,
        **typed,
    }


class PatientError(StrEnum):
    """Why a typed patient identity was refused."""

    LAST_NAME = "last_name"
    FIRST_NAME = "first_name"
    BIRTH_DATE = "birth_date"  # not a date as JJ/MM/AAAA, or in the future, or before 1900
    SEX = "sex"


def parse_birth_date(typed: str, *, today: date) -> str | None:
    """``JJ/MM/AAAA`` (or with ``-`` or ``.``) to the card's ``AAAAMMJJ``; None if not a
    real date between 1900 and ``today``."""
    parts = typed.strip().replace("-", "/").replace(".", "/").split("/")
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    day, month, year = (int(p) for p in parts)
    if len(parts[2]) != 4:
        return None
    try:
        born = date(year, month, day)
    except ValueError:
        return None
    if born > today or born.year < 1900:
        return None
    return born.strftime("%Y%m%d")


def typed_patient(
    last_name: str, first_name: str, birth_date: str, sex: str, *, today: date
) -> tuple[Beneficiary, Sex]:
    """The patient the nurse typed (no card), or :class:`ValueError` with the
    :class:`PatientError` of the first wrong field."""
    if name_error(last_name) is not None:
        raise ValueError(PatientError.LAST_NAME)
    if name_error(first_name) is not None:
        raise ValueError(PatientError.FIRST_NAME)
    born = parse_birth_date(birth_date, today=today)
    if born is None:
        raise ValueError(PatientError.BIRTH_DATE)
    if sex not in set(Sex):
        raise ValueError(PatientError.SEX)
    person = Beneficiary(
        last_name=clean_name(last_name),
        first_name=clean_name(first_name),
        birth_date=born,
        nir="",
        rank=1,
    )
    return person, Sex(sex)


def sign_in(rpps: str, name: str, profession: Profession, *, now: datetime, timezone: str) -> Nurse:
    """The nurse of the shift, or :class:`ValueError` carrying the :class:`SignInError`."""
    problem = rpps_error(rpps) or name_error(name)
    if problem is not None:
        raise ValueError(problem)
    return Nurse(rpps.replace(" ", ""), clean_name(name), profession, shift_day(now, timezone))


def local_today(now: datetime, timezone: str) -> date:
    """The date of ``now`` (aware) in the cabin's time zone."""
    return now.astimezone(ZoneInfo(timezone)).date()


def shift_day(now: datetime, timezone: str) -> str:
    """The date of ``now`` (aware) in the cabin's time zone, ``YYYY-MM-DD``."""
    return local_today(now, timezone).isoformat()


def shift_over(nurse: Nurse, *, now: datetime, timezone: str) -> bool:
    """The day of the sign-in is over in the cabin's time zone (midnight there)."""
    return shift_day(now, timezone) != nurse.day
