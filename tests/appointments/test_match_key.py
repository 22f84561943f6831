"""The match key: a keyed hash of a normalised identity, shared by kiosk and portal."""

from __future__ import annotations

import pytest

import protocol

SECRET = "a-test-match-secret-of-some-length"


def test_normalisation_makes_spellings_agree() -> None:
    key = protocol.checkin_key(SECRET, "cabin-1")
    card = protocol.match_key(
        key, last_name="LEFEVRE-DUPONT", first_name="ZOE", birth_date="19850314"
    )
    site = protocol.match_key(
        key, last_name="Lefèvre Dupont", first_name="Zoë", birth_date="1985-03-14"
    )
    assert card == site
    assert len(card) == 64


def test_each_cabin_has_its_own_key() -> None:
    one = protocol.checkin_key(SECRET, "cabin-1")
    two = protocol.checkin_key(SECRET, "cabin-2")
    assert one != two
    fields = {"last_name": "Martin", "first_name": "Paul", "birth_date": "19700101"}
    assert protocol.match_key(one, **fields) != protocol.match_key(two, **fields)


def test_different_people_differ() -> None:
    key = protocol.checkin_key(SECRET, "cabin-1")
    a = protocol.match_key(key, last_name="Martin", first_name="Paul", birth_date="19700101")
    b = protocol.match_key(key, last_name="Martin", first_name="Paule", birth_date="19700101")
    c = protocol.match_key(key, last_name="Martin", first_name="Paul", birth_date="19700102")
    assert len({a, b, c}) == 3


@pytest.mark.parametrize(
    ("last", "first", "birth"),
    [("", "Paul", "19700101"), ("Martin", "---", "19700101"), ("Martin", "Paul", "1970")],
)
def test_bad_identity_is_a_value_error(last: str, first: str, birth: str) -> None:
    key = protocol.checkin_key(SECRET, "cabin-1")
    with pytest.raises(ValueError):
        protocol.match_key(key, last_name=last, first_name=first, birth_date=birth)


def test_lunar_birth_dates_are_kept_as_on_the_card() -> None:
    assert protocol.normalise_birth_date("19850000") == "19850000"
    assert protocol.normalise_name("d'Œuf-Ørsted ß") == "DOEUFORSTEDSS"


def test_checkin_schema_takes_the_match_key_and_the_answer() -> None:
    raw = protocol.signal("checkin", session_id="s1", match_key="ab" * 32)
    assert protocol.decode_signal(raw)["match_key"] == "ab" * 32
    answer = protocol.signal("checked_in", session_id="s1", booked=True, slot_start="x")
    assert protocol.decode_signal(answer)["booked"] is True
    with pytest.raises(protocol.ProtocolError):
        protocol.decode_signal('{"type":"checkin","session_id":"s","match_key":"' + "a" * 65 + '"}')
