"""Phone numbers typed as a patient dials them: read in the territory of the cabin they book
at (France by default, the overseas territories by config), stored in E.164."""

from __future__ import annotations

import aiohttp
import pytest

from portal import server
from portal.appointments.rules import BookingError
from portal.appointments.service import Appointments
from portal.config import PortalConfigError
from tests.appointments.conftest import OTHER_CABIN, appointments_config, appointments_toml
from tests.appointments.helpers import booking, next_slot, post
from tests.portal.conftest import parse_portal_config

#: (cabin's territory, as typed there, E.164): each territory's own mobile range.
LOCAL_MOBILES = [
    ("FR", "06 12 34 56 78", "+33612345678"),
    ("RE", "0692 12 34 56", "+262692123456"),
    ("YT", "0639 01 23 45", "+262639012345"),
    ("GP", "0690 00 12 34", "+590690001234"),
    ("MQ", "0696 20 12 34", "+596696201234"),
    ("GF", "0694 20 12 34", "+594694201234"),
    ("PM", "055 12 34", "+508551234"),
    ("BL", "0690 00 12 34", "+590690001234"),
    ("MF", "0690 00 12 34", "+590690001234"),
]


@pytest.mark.parametrize(("territory", "typed", "e164"), LOCAL_MOBILES)
def test_a_mobile_typed_as_dialled_in_the_cabins_territory(
    territory: str, typed: str, e164: str
) -> None:
    assert Appointments._phone(typed, territory) == e164


def test_a_visitors_number_from_another_french_territory() -> None:
    # a Réunion mobile booked at a cabin in Paris, and a Paris mobile at a cabin in Réunion
    assert Appointments._phone("0692 12 34 56", "FR") == "+262692123456"
    assert Appointments._phone("06 12 34 56 78", "RE") == "+33612345678"
    assert Appointments._phone("+262 692 12 34 56", "FR") == "+262692123456"


@pytest.mark.parametrize(
    ("typed", "territory", "message"),
    [
        ("0262 12 34 56", "RE", "not a mobile number"),  # a landline in Saint-Denis
        ("01 42 68 53 00", "FR", "not a mobile number"),
        ("0692 12 34", "RE", "not a valid phone number"),  # too short anywhere
        ("+33 692 12 34 56", "FR", "not a valid phone number"),  # the wrong country code
    ],
)
def test_what_is_not_a_mobile_says_so(typed: str, territory: str, message: str) -> None:
    with pytest.raises(BookingError) as caught:
        Appointments._phone(typed, territory)
    assert caught.value.code == "bad_phone" and message in str(caught.value)


def test_an_unknown_territory_is_a_config_error() -> None:
    toml = appointments_toml("sqlite+aiosqlite:///unused", other_territory="XX")
    with pytest.raises(PortalConfigError, match=r"\[hours\.cabin-test-02\] 'territory'.*'XX'"):
        parse_portal_config(toml, source="test.toml")


@pytest.mark.asyncio
async def test_booking_at_a_cabin_in_la_reunion(tmp_path) -> None:
    config = appointments_config(f"sqlite+aiosqlite:///{tmp_path / 'rdv.db'}", other_territory="RE")
    running = await server.start(config, host="127.0.0.1", port=0)
    try:
        async with aiohttp.ClientSession() as http:
            slot = next_slot(after_min=120)
            body = booking("reunion-1", slot, cabin_id=OTHER_CABIN, phone="0692 12 34 56")
            status, answer = await post(http, running.url, body)
            assert status == 201, answer
            assert answer["phone"] == "+262692123456"
            # the same digits at the cabin in metropolitan France are the same visitor's number
            body = booking("paris-1", slot, phone="0692 12 34 56")
            status, answer = await post(http, running.url, body)
            assert status == 201 and answer["phone"] == "+262692123456", answer
            status, answer = await post(
                http,
                running.url,
                booking("reunion-2", slot, cabin_id=OTHER_CABIN, phone="0262 12 34 56"),
            )
            assert status == 400 and answer["error"] == "bad_phone"
            assert "not a mobile number" in answer["message"], answer
    finally:
        await running.stop()
