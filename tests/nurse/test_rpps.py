"""The RPPS check digit (Luhn over the 11 digits) and the sign-in checks, as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.nurse import (
    Profession,
    SignInError,
    luhn_check_digit,
    luhn_sum,
    name_error,
    rpps_error,
    shift_over,
    sign_in,
)

#: A valid RPPS (10 digits and their Luhn key), used across the nurse's tests.
RPPS = "10003456786"

bodies = st.text(alphabet="0123456789", min_size=10, max_size=10)


def test_known_luhn_numbers():
    assert luhn_check_digit("7992739871") == "3"  # the textbook example
    assert luhn_sum("79927398713") % 10 == 0
    assert luhn_check_digit("1000345678") == "6"  # by hand: 1+0+0+0+3+8+5+3+7+7 = 34, +6
    assert rpps_error(RPPS) is None
    assert rpps_error("1000 345 6786") is None  # as printed on a card, with spaces


@given(bodies)
def test_the_key_of_any_ten_digits_makes_a_valid_rpps(body):
    assert rpps_error(body + luhn_check_digit(body)) is None


@given(bodies, st.integers(1, 9))
def test_any_other_last_digit_is_refused(body, shift):
    wrong = str((int(luhn_check_digit(body)) + shift) % 10)
    assert rpps_error(body + wrong) is SignInError.RPPS_CHECK


@given(bodies, st.integers(0, 9), st.integers(1, 9))
def test_a_single_mistyped_digit_is_caught(body, where, delta):
    rpps = body + luhn_check_digit(body)
    typo = rpps[:where] + str((int(rpps[where]) + delta) % 10) + rpps[where + 1 :]
    assert rpps_error(typo) is SignInError.RPPS_CHECK


@given(bodies, st.integers(0, 9))
def test_swapping_two_different_neighbours_is_caught(body, where):
    rpps = body + luhn_check_digit(body)
    a, b = rpps[where], rpps[where + 1]
    # Luhn misses only the 0-9 swap of neighbours (and identical digits change nothing).
    if a != b and {a, b} != {"0", "9"}:
        swapped = rpps[:where] + b + a + rpps[where + 2 :]
        assert rpps_error(swapped) is SignInError.RPPS_CHECK


@pytest.mark.parametrize(
    "typed", ["", "1000345678", "100034567862", "1000345678a", "１０００３４５６７８１"]
)
def test_not_eleven_digits(typed):
    assert rpps_error(typed) is SignInError.RPPS_LENGTH


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("Claire Dubois", None),
        ("  Jean-Marc   d'Alembert ", None),
        ("فاطمة الزهراء", None),
        ("Zoë Ñúñez", None),
        ("", SignInError.NAME_MISSING),
        ("   ", SignInError.NAME_MISSING),
        ("Claire 2", SignInError.NAME_INVALID),
        ("<b>x</b>", SignInError.NAME_INVALID),
        ("--", SignInError.NAME_INVALID),
        ("a" * 81, SignInError.NAME_INVALID),
    ],
)
def test_names_in_any_script(name, error):
    assert name_error(name) is error


def test_sign_in_keeps_the_day_in_the_cabins_time_zone():
    # 23:30 UTC on 31 Jan is already 1 Feb in Paris.
    now = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)
    nurse = sign_in(
        "1000 3456 786", " Claire  Dubois", Profession.NURSE, now=now, timezone="Europe/Paris"
    )
    assert (nurse.rpps, nurse.name, nurse.day) == (RPPS, "Claire Dubois", "2026-02-01")
    assert "Claire" not in repr(nurse)
    assert not shift_over(
        nurse, now=datetime(2026, 2, 1, 22, 59, tzinfo=UTC), timezone="Europe/Paris"
    )
    assert shift_over(nurse, now=datetime(2026, 2, 1, 23, 0, tzinfo=UTC), timezone="Europe/Paris")


def test_sign_in_refuses_with_the_reason():
    now = datetime(2026, 1, 31, 9, 0, tzinfo=UTC)
    with pytest.raises(ValueError) as caught:
        sign_in("10003456782", "Claire", Profession.NURSE, now=now, timezone="Europe/Paris")
    assert caught.value.args[0] is SignInError.RPPS_CHECK
    with pytest.raises(ValueError) as caught:
        sign_in(RPPS, "", Profession.NURSE, now=now, timezone="Europe/Paris")
    assert caught.value.args[0] is SignInError.NAME_MISSING
