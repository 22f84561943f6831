"""What a booking must be: its body's fields, a mobile number, a slot in its cabin's opening
hours, a booking code of the right alphabet. Pure: no database, no clock but a time given.

Each refusal is a :class:`BookingError` carrying its HTTP status and a stable word.
"""

from __future__ import annotations

import re
import secrets
import zoneinfo
from datetime import date, datetime, timedelta
from typing import Any

import phonenumbers

from portal.config import DAYS, TERRITORIES, HoursConfig, PortalConfig, day_minutes

#: The booking site's own id of a booking.
EXTERNAL_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
#: Booking codes: no 0/O, 1/I/L, 2/Z, 5/S, 8/B to misread on a screen or a phone.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
#: The fields of a booking's body, and no other.
BODY_KEYS = frozenset(
    {"id", "cabin_id", "slot_start", "lang", "phone", "last_name", "first_name", "birth_date"}
)


class BookingError(Exception):
    """A booking refused: ``status`` is the HTTP status, ``code`` a stable word for it (the
    staff page says it in its own words), ``field`` the body's field at fault if one is, and
    ``message`` the English detail for logs and API clients."""

    def __init__(self, status: int, code: str, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def new_code() -> str:
    """A random booking code (the database says whether it is free)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def text_field(
    body: dict[str, Any], key: str, *, max_len: int = 128, default: str | None = None
) -> str:
    """A non-empty text field of a booking's body, stripped."""
    value = body.get(key, default)
    if value is None:
        raise BookingError(400, "missing_field", f"{key!r} is required", field=key)
    if not isinstance(value, str) or not value.strip() or len(value) > max_len:
        raise BookingError(400, "bad_field", f"{key!r} must be a non-empty string", field=key)
    return value.strip()


def mobile_phone(raw: Any, territory: str) -> str:
    """E.164 of a mobile number, a national one read as dialled in the cabin's territory."""
    if not isinstance(raw, str) or len(raw) > 32:
        raise BookingError(400, "bad_phone", "'phone' must be a phone number", field="phone")
    try:
        number = phonenumbers.parse(raw, territory)
    except phonenumbers.NumberParseException as exc:
        raise BookingError(
            400, "bad_phone", "'phone' is not a phone number", field="phone"
        ) from exc
    if not phonenumbers.is_valid_number(number) and not raw.lstrip().startswith("+"):
        # A visitor's own number: France and its overseas territories share the national
        # format (0 + 9 digits), and a number valid in two of them (GP, BL, MF share +590)
        # is the same E.164 number.
        for other in TERRITORIES:
            candidate = phonenumbers.parse(raw, other)
            if phonenumbers.is_valid_number(candidate):
                number = candidate
                break
    if not phonenumbers.is_valid_number(number):
        raise BookingError(400, "bad_phone", "'phone' is not a valid phone number", field="phone")
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise BookingError(
            400, "bad_phone", "'phone' is not a mobile number (for SMS)", field="phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def cabin_hours(cfg: PortalConfig, cabin_id: str) -> HoursConfig:
    """The opening hours of a configured cabin that takes appointments, else a 404."""
    hours = cfg.hours.get(cabin_id)
    if hours is None or cabin_id not in cfg.cabins:
        raise BookingError(404, "unknown_cabin", "no such cabin takes appointments")
    return hours


def check_slot(hours: HoursConfig, raw: Any, *, now: int) -> tuple[int, int]:
    """``raw`` (ISO 8601 with an offset) as a future slot in these hours: (start, end) epochs."""
    if not isinstance(raw, str) or len(raw) > 40:
        raise BookingError(
            400, "bad_slot", "'slot_start' must be an ISO 8601 time", field="slot_start"
        )
    try:
        when = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise BookingError(
            400, "bad_slot", "'slot_start' must be an ISO 8601 time", field="slot_start"
        ) from exc
    if when.tzinfo is None:
        raise BookingError(400, "bad_slot", "'slot_start' needs a UTC offset", field="slot_start")
    local = when.astimezone(zoneinfo.ZoneInfo(hours.timezone))
    start = int(when.timestamp())
    if start <= now:
        raise BookingError(422, "slot_in_past", "the slot has begun or is past")
    minute = local.hour * 60 + local.minute
    opens, closes = day_minutes(hours.opens), day_minutes(hours.closes)
    if (
        DAYS[local.weekday()] not in hours.days
        or local.second
        or local.microsecond
        or minute < opens
        or minute + hours.slot_min > closes
        or (minute - opens) % hours.slot_min
    ):
        raise BookingError(422, "outside_hours", "not a slot of this cabin's opening hours")
    return start, start + hours.slot_min * 60


def day_slots(hours: HoursConfig, day: date) -> list[int]:
    """The slots of these hours on ``day`` (local), as epochs."""
    if DAYS[day.weekday()] not in hours.days:
        return []
    zone = zoneinfo.ZoneInfo(hours.timezone)
    midnight = datetime(day.year, day.month, day.day, tzinfo=zone)
    opens, closes = day_minutes(hours.opens), day_minutes(hours.closes)
    return [
        int((midnight + timedelta(minutes=m)).timestamp())
        for m in range(opens, closes - hours.slot_min + 1, hours.slot_min)
    ]


def local_time(hours: HoursConfig, epoch: int) -> datetime:
    """An epoch as the cabin's local time."""
    return datetime.fromtimestamp(epoch, zoneinfo.ZoneInfo(hours.timezone))
