"""IEEE-11073 SFLOAT, FLOAT and date-time: vectors, every special, round trips."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.ieee11073 import (
    FLOAT_SPECIALS,
    SFLOAT_SPECIALS,
    DateTime,
    Special,
    TimeProblem,
    decode_float,
    decode_sfloat,
    encode_float,
    encode_sfloat,
)
from drivers.instrument import FrameError


def _exponent(raw: int, bits: int, total: int) -> int:
    e = raw >> (total - bits)
    return e - (1 << bits) if e >= 1 << (bits - 1) else e


@pytest.mark.parametrize(
    ("raw", "special"),
    [
        (0x07FF, Special.NAN),
        (0x0800, Special.NRES),
        (0x07FE, Special.PLUS_INFINITY),
        (0x0802, Special.MINUS_INFINITY),
        (0x0801, Special.RESERVED),
    ],
)
def test_sfloat_specials_are_reasons_not_numbers(raw: int, special: Special) -> None:
    value = decode_sfloat(raw)
    assert value is special
    assert not isinstance(value, float)
    assert encode_sfloat(value) == raw


@pytest.mark.parametrize(
    ("raw", "special"),
    [
        (0x007FFFFF, Special.NAN),
        (0x00800000, Special.NRES),
        (0x007FFFFE, Special.PLUS_INFINITY),
        (0x00800002, Special.MINUS_INFINITY),
        (0x00800001, Special.RESERVED),
    ],
)
def test_float_specials_are_reasons_not_numbers(raw: int, special: Special) -> None:
    assert decode_float(raw) is special
    assert encode_float(special) == raw


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (0x0000, 0.0),
        (0x008A, 138.0),
        (0x0078, 120.0),
        (0xF3E8, 100.0),  # 1000 x 10^-1
        (0xFFFF, -0.1),  # mantissa -1, exponent -1
        (0x0FFF, -1.0),
        (0x14B0, 12000.0),  # 1200 x 10^1
        (0x8001, 1e-8),
        (0x17FF, 20470.0),  # 0x7FF is a special only with exponent 0
        (0x7800, -2048e7),
    ],
)
def test_sfloat_vectors(raw: int, value: float) -> None:
    assert decode_sfloat(raw) == value


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (0xFE000EB0, 37.6),  # DESIGN: 3760 x 10^-2
        (0x00000000, 0.0),
        (0xFF800003, -838860.5),
        (0x02000005, 500.0),
        (0x80000001, 1e-128),
    ],
)
def test_float_vectors(raw: int, value: float) -> None:
    assert decode_float(raw) == value


def test_out_of_range_raw_values_are_refused() -> None:
    with pytest.raises(ValueError):
        decode_sfloat(0x10000)
    with pytest.raises(ValueError):
        decode_sfloat(-1)
    with pytest.raises(ValueError):
        decode_float(1 << 32)


def test_encoding_checks_exponent_mantissa_and_special_collisions() -> None:
    assert encode_sfloat(37.6, exponent=-1) == 0xF178
    assert encode_sfloat(12000, exponent=1) == 0x14B0
    assert encode_float(37.6, exponent=-2) == 0xFE000EB0
    with pytest.raises(ValueError, match="exponent"):
        encode_sfloat(1.0, exponent=8)
    with pytest.raises(ValueError, match="fit"):
        encode_sfloat(5000.0)
    with pytest.raises(ValueError, match="special"):
        encode_sfloat(2047.0)  # would be 0x07FF, NaN
    with pytest.raises(ValueError, match="exponent"):
        encode_float(1.0, exponent=-129)


def test_every_sfloat_round_trips() -> None:
    for raw in range(0x10000):
        value = decode_sfloat(raw)
        exponent = 0 if isinstance(value, Special) else _exponent(raw, 4, 16)
        assert encode_sfloat(value, exponent=exponent) == raw


@given(st.integers(min_value=0, max_value=0xFFFFFFFF))
def test_float_round_trips(raw: int) -> None:
    value = decode_float(raw)
    exponent = 0 if isinstance(value, Special) else _exponent(raw, 8, 32)
    assert encode_float(value, exponent=exponent) == raw
    assert isinstance(value, Special) or raw not in FLOAT_SPECIALS


@given(st.integers(min_value=-2048, max_value=2047), st.integers(min_value=-8, max_value=7))
def test_sfloat_value_round_trips(mantissa: int, exponent: int) -> None:
    value = mantissa * 10.0**exponent
    try:
        raw = encode_sfloat(value, exponent=exponent)
    except ValueError:
        assert exponent == 0 and (mantissa & 0xFFF) in SFLOAT_SPECIALS
        return
    assert decode_sfloat(raw) == pytest.approx(value, rel=1e-12)


def test_date_time_decodes_and_encodes() -> None:
    stamp = DateTime.decode(bytes.fromhex("DC070C050B321B"))
    assert stamp == DateTime(2012, 12, 5, 11, 50, 27)
    assert stamp.problem is None
    assert stamp.to_datetime() == datetime(2012, 12, 5, 11, 50, 27)
    assert stamp.encode() == bytes.fromhex("DC070C050B321B")
    assert DateTime.from_datetime(datetime(2026, 1, 2, 3, 4, 5)) == DateTime(2026, 1, 2, 3, 4, 5)


def test_date_time_too_short_is_a_frame_error() -> None:
    with pytest.raises(FrameError, match="7 bytes"):
        DateTime.decode(b"\xdc\x07\x0c")


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ((0, 4, 17, 20, 41, 59), TimeProblem.UNKNOWN),  # DESIGN: year unknown
        ((2024, 0, 17, 20, 41, 59), TimeProblem.UNKNOWN),
        ((2024, 4, 0, 20, 41, 59), TimeProblem.UNKNOWN),
        ((1000, 4, 17, 20, 41, 59), TimeProblem.INVALID),
        ((2024, 13, 17, 20, 41, 59), TimeProblem.INVALID),
        ((2024, 4, 17, 24, 41, 59), TimeProblem.INVALID),
        ((2024, 4, 17, 20, 60, 59), TimeProblem.INVALID),
        ((2024, 4, 17, 20, 41, 60), TimeProblem.INVALID),
        ((2023, 2, 29, 20, 41, 59), TimeProblem.INVALID),
        ((2024, 2, 29, 20, 41, 59), None),
    ],
)
def test_date_time_problems(fields: tuple[int, ...], problem: TimeProblem | None) -> None:
    stamp = DateTime(*fields)
    assert stamp.problem is problem
    assert (stamp.to_datetime() is None) == (problem is not None)
