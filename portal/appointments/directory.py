"""The cabin directory of the booking site and of ``GET /api/cabins``: where each cabin stands
(or, for a bus santé, its dated locations), its hours, accessibility, languages, walk-ins.

Pure: built from the portal's config, no database; the slots' free/taken state is the
service's.
"""

from __future__ import annotations

import unicodedata
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime

from portal.config import DAYS, HoursConfig, PortalConfig, day_minutes
from portal.site_config import parse_location


@dataclass(frozen=True)
class Location:
    """Where a cabin stands on a day (a weekday name or an ISO date), from ``opens`` to
    ``closes`` (minutes since local midnight)."""

    day: str
    opens: int
    closes: int
    address: str
    place: str

    def on(self, day: date) -> bool:
        return self.day in (DAYS[day.weekday()], day.isoformat())

    @property
    def dated(self) -> bool:
        return self.day not in DAYS

    def hhmm(self, minutes: int) -> str:
        return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class Cabin:
    id: str
    name: str
    hours: HoursConfig
    locations: tuple[Location, ...]

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.hours.timezone)

    def location_at(self, epoch: int) -> Location | None:
        """The dated location holding the slot starting at ``epoch`` (None: not in any)."""
        local = datetime.fromtimestamp(epoch, self.zone)
        minute = local.hour * 60 + local.minute
        end = minute + self.hours.slot_min
        for loc in self.locations:
            if loc.on(local.date()) and loc.opens <= minute and end <= loc.closes:
                return loc
        return None

    def follows(self, epoch: int) -> bool:
        """Whether a slot of the hours is offered: any, or only inside a dated location."""
        return not self.locations or self.location_at(epoch) is not None

    def address_at(self, epoch: int) -> str:
        loc = self.location_at(epoch) if self.locations else None
        if loc is not None:
            return f"{loc.address}, {loc.place}" if loc.place else loc.address
        return self.full_address

    @property
    def full_address(self) -> str:
        return self.hours.address

    def open_now(self, now: int) -> bool:
        local = datetime.fromtimestamp(now, self.zone)
        minute = local.hour * 60 + local.minute
        if self.locations:
            return any(
                loc.on(local.date()) and loc.opens <= minute < loc.closes for loc in self.locations
            )
        opens, closes = day_minutes(self.hours.opens), day_minutes(self.hours.closes)
        return DAYS[local.weekday()] in self.hours.days and opens <= minute < closes

    def matches(self, query: str) -> bool:
        """Whether a typed commune or postcode names this cabin (or one of its locations)."""
        wanted = fold(query)
        if not wanted:
            return True
        places = [self.hours.commune, self.hours.postcode, self.name, self.hours.address]
        places += [f"{loc.place} {loc.address}" for loc in self.locations]
        return any(wanted in fold(p) for p in places)


def fold(text: str) -> str:
    """Lower case, accents dropped, hyphens and apostrophes as spaces: "Saint-Cyr-l'École"
    and "saint cyr l ecole" are the same search."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    for mark in "-'’_.,":
        plain = plain.replace(mark, " ")
    return " ".join(plain.split())


#: The directory of each config seen (a config is frozen: built once, read often).
_BUILT: dict[int, tuple[PortalConfig, list[Cabin]]] = {}


def cabins(cfg: PortalConfig) -> list[Cabin]:
    """The cabins that take appointments, in the config's order."""
    built = _BUILT.get(id(cfg))
    if built is not None and built[0] is cfg:
        return built[1]
    out = _build(cfg)
    if len(_BUILT) > 64:  # tests make many configs; a portal has one
        _BUILT.clear()
    _BUILT[id(cfg)] = (cfg, out)
    return out


def _build(cfg: PortalConfig) -> list[Cabin]:
    out = []
    for cabin_id, hours in cfg.hours.items():
        account = cfg.cabins.get(cabin_id)
        if account is None:
            continue
        locations = tuple(Location(*parse_location(line)) for line in hours.locations)
        out.append(Cabin(cabin_id, account.name or cabin_id, hours, locations))
    return out


def cabin(cfg: PortalConfig, cabin_id: str) -> Cabin | None:
    return next((c for c in cabins(cfg) if c.id == cabin_id), None)


def search(cfg: PortalConfig, query: str) -> list[Cabin]:
    return [c for c in cabins(cfg) if c.matches(query)]


def public(c: Cabin, *, now: int) -> dict[str, object]:
    """One cabin as ``GET /api/cabins`` gives it (docs/booking-api-cabins.schema.json)."""
    h = c.hours
    return {
        "id": c.id,
        "name": c.name,
        "address": {"street": h.address, "postcode": h.postcode, "commune": h.commune},
        "timezone": h.timezone,
        "hours": {"days": list(h.days), "opens": h.opens, "closes": h.closes},
        "slot_minutes": h.slot_min,
        "locations": [
            {
                "day": loc.day,
                "opens": loc.hhmm(loc.opens),
                "closes": loc.hhmm(loc.closes),
                "address": loc.address,
                "place": loc.place,
            }
            for loc in c.locations
        ],
        "accessibility": {
            "step_free": h.step_free,
            "hearing_loop": h.hearing_loop,
            "companion_seat": h.companion_seat,
        },
        "languages": list(h.languages),
        "walk_ins": h.walk_ins,
        "open_now": c.open_now(now),
    }
