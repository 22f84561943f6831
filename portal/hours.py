"""A cabin's opening hours, and where a bus santé stands today, read in its own time zone."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from portal.config import DAYS, HoursConfig, PortalConfig, day_minutes


def is_open(hours: HoursConfig, epoch: float) -> bool:
    """Whether a cabin with these opening hours is open at ``epoch`` (its own time zone)."""
    local = datetime.fromtimestamp(epoch, zoneinfo.ZoneInfo(hours.timezone))
    minute = local.hour * 60 + local.minute
    return DAYS[local.weekday()] in hours.days and (
        day_minutes(hours.opens) <= minute < day_minutes(hours.closes)
    )


def where_today(cfg: PortalConfig, cabin_id: str, epoch: float) -> str:
    """Where a cabin with dated locations (the bus santé) stands today, for the doctors and
    the staff: "09:00-12:00 Place de la Mairie, 78120 Rambouillet" (the location under way,
    else the next one today, else today's last); "" for a fixed cabin or a day off."""
    from portal.appointments.directory import cabin

    found = cabin(cfg, cabin_id)
    if found is None or not found.locations:
        return ""
    local = datetime.fromtimestamp(epoch, found.zone)
    minute = local.hour * 60 + local.minute
    today = sorted((loc for loc in found.locations if loc.on(local.date())), key=lambda x: x.opens)
    if not today:
        return ""
    loc = next((x for x in today if minute < x.closes), today[-1])
    where = f"{loc.address}, {loc.place}" if loc.place else loc.address
    return f"{loc.hhmm(loc.opens)}-{loc.hhmm(loc.closes)} {where}"
