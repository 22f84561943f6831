"""A cabin's opening hours, read in its own time zone."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from portal.config import DAYS, HoursConfig, day_minutes


def is_open(hours: HoursConfig, epoch: float) -> bool:
    """Whether a cabin with these opening hours is open at ``epoch`` (its own time zone)."""
    local = datetime.fromtimestamp(epoch, zoneinfo.ZoneInfo(hours.timezone))
    minute = local.hour * 60 + local.minute
    return DAYS[local.weekday()] in hours.days and (
        day_minutes(hours.opens) <= minute < day_minutes(hours.closes)
    )
