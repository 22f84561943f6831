"""The identity a nurse types for a patient without a card: checked field by field."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.nurse import PatientError, Sex, parse_birth_date, typed_patient

TODAY = date(2026, 1, 15)


@pytest.mark.parametrize(
    ("typed", "card"),
    [
        ("02/03/1950", "19500302"),
        ("2-3-1950", "19500302"),
        (" 29.02.2000 ", "20000229"),
        ("15/01/2026", "20260115"),
        ("31/02/1950", None),
        ("29/02/1900", None),
        ("16/01/2026", None),  # tomorrow
        ("01/01/1899", None),
        ("1950-03-02", None),  # year first: read as day 1950
        ("02/03/50", None),
        ("٠٢/٠٣/١٩٥٠", None),  # Arabic-Indic digits: not taken for others
        ("", None),
        ("02/03", None),
    ],
)
def test_birth_dates(typed, card):
    assert parse_birth_date(typed, today=TODAY) == card


@given(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
def test_any_real_past_date_round_trips(born):
    typed = born.strftime("%d/%m/%Y")
    assert parse_birth_date(typed, today=TODAY) == born.strftime("%Y%m%d")


def test_a_typed_patient_in_any_script():
    person, sex = typed_patient(" بن  علي ", "Amina", "01/01/1980", "F", today=TODAY)
    assert (person.last_name, person.first_name, person.birth_date, person.nir) == (
        "بن علي",
        "Amina",
        "19800101",
        "",
    )
    assert sex is Sex.FEMALE and person.rank == 1


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        (("", "Amina", "01/01/1980", "F"), PatientError.LAST_NAME),
        (("Ali", "4mina", "01/01/1980", "F"), PatientError.FIRST_NAME),
        (("Ali", "Amina", "32/01/1980", "F"), PatientError.BIRTH_DATE),
        (("Ali", "Amina", "01/01/1980", ""), PatientError.SEX),
        (("Ali", "Amina", "01/01/1980", "X"), PatientError.SEX),
    ],
)
def test_each_wrong_field_is_named(fields, error):
    with pytest.raises(ValueError) as caught:
        typed_patient(*fields, today=TODAY)
    assert caught.value.args[0] is error
