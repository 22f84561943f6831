"""The booking site's part of the portal's config: ``[booking]`` and the dated locations of
``[hours.<cabin id>] locations`` (kept apart so that :mod:`portal.config` stays short).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portal.config import PortalConfig


@dataclass(frozen=True, kw_only=True)
class BookingSiteConfig:
    """The patients' booking site served by the portal at ``/book`` (``[booking]``)."""

    #: Serve the site (only with an ``[appointments] database``: without one, not served).
    enabled: bool = False
    #: The site's public URL as patients reach it, for the manage link in the SMS.
    base_url: str = ""
    #: Key signing the manage links (HMAC-SHA256); long, random, private.
    link_secret: str = ""
    #: Days ahead offered, counting today.
    days_ahead: int = 14
    #: Minutes a slot stays held for an unconfirmed booking.
    hold_min: float = 5.0
    #: The SMS code: seconds it lives, wrong tries allowed.
    code_ttl_s: float = 600.0
    code_tries: int = 5
    #: Abuse limits within ``window_s``: codes sent and codes tried per phone and per source.
    window_s: float = 3600.0
    codes_per_phone: int = 3
    codes_per_source: int = 20
    tries_per_phone: int = 10
    tries_per_source: int = 50
    #: Active bookings allowed per phone number, and bookings made per source per window.
    bookings_per_phone: int = 2
    bookings_per_source: int = 10
    #: The controller of the data (privacy page): who, where, how to reach them and the DPO.
    controller: str = ""
    controller_address: str = ""
    controller_contact: str = ""
    dpo_contact: str = ""
    #: RGAA conformance stated on the accessibility page: "full", "partial" or "none".
    rgaa_status: str = "partial"
    rgaa_audit_date: str = ""


def parse_location(line: str, where: str = "a location") -> tuple[str, int, int, str, str]:
    """A dated location ``"DAY HH:MM-HH:MM | address | postcode commune"``: (DAY, opens,
    closes in minutes, address, "postcode commune"); DAY a weekday name or an ISO date."""
    from portal.config import DAYS, PortalConfigError, day_minutes

    head, _, rest = line.partition("|")
    address, _, place = rest.partition("|")
    day, _, span = head.strip().partition(" ")
    opens, _, closes = span.strip().partition("-")
    if day not in DAYS and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        raise PortalConfigError(f"{where}: {line!r} starts with a day (mon...sun) or a date")
    start, end = day_minutes(opens.strip(), where), day_minutes(closes.strip(), where)
    if end <= start or not address.strip():
        raise PortalConfigError(f"{where}: {line!r} is DAY HH:MM-HH:MM | address | place")
    return day, start, end, address.strip(), place.strip()


def check(config: PortalConfig) -> None:
    from portal.config import PortalConfigError

    site = config.booking
    if not site.enabled:
        return
    if len(site.link_secret) < 16:
        raise PortalConfigError("[booking] 'link_secret' of 16 characters or more needed")
    counts = (
        "days_ahead", "code_tries", "codes_per_phone", "codes_per_source", "tries_per_phone",
        "tries_per_source", "bookings_per_phone", "bookings_per_source",
    )  # fmt: skip
    for key in counts:
        if getattr(site, key) < 1:
            raise PortalConfigError(f"[booking] {key!r} must be 1 or more")
    if site.hold_min <= 0 or site.code_ttl_s <= 0 or site.window_s <= 0:
        raise PortalConfigError("[booking] durations must be positive")
    if site.rgaa_status not in ("full", "partial", "none"):
        raise PortalConfigError("[booking] 'rgaa_status' is full, partial or none")
