"""The portal config's appointments, hours and SMS tables."""

from __future__ import annotations

import pytest

from portal.config import PortalConfigError, demo_path, load, parse
from tests.portal.conftest import CABIN_ID, portal_toml


def test_demo_config_documents_the_tables() -> None:
    cfg = load(demo_path())
    assert cfg.appointments.database == ""
    assert cfg.hours["demo-cabin-01"].slot_min == 15
    assert cfg.sms.max_attempts >= 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('[appointments]\ndatabase = "sqlite+aiosqlite:///x.db"\n', "match_secret"),
        ("[hours.nobody]\n", "no such cabin"),
        (f'[hours.{CABIN_ID}]\ndays = ["mon", "fun"]\n', "unknown day"),
        (f'[hours.{CABIN_ID}]\nopens = "8h"\n', "HH:MM"),
        (f'[hours.{CABIN_ID}]\nopens = "18:00"\ncloses = "18:10"\n', "slot_min"),
        (f'[hours.{CABIN_ID}]\ntimezone = "Mars/Olympus"\n', "time zone"),
        (f"[hours.{CABIN_ID}]\nslot_min = 1.5\n", "must be int"),
        ('[sms]\nsendsms_url = "ftp://x"\n', "http"),
        ("[sms]\nmax_attempts = 0\n", "positive"),
        ("[appointments]\nnope = 1\n", "unknown key"),
    ],
)
def test_bad_tables_are_named(extra: str, message: str) -> None:
    with pytest.raises(PortalConfigError, match=message):
        parse(portal_toml() + extra, source="t.toml")
