"""GATT codecs: byte vectors (DESIGN's and ours), every flag, every special, short payloads."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.ble import gatt as g
from drivers.ieee11073 import DateTime, Special, encode_sfloat
from drivers.instrument import FrameError
from drivers.types import DeviceInfo, Reading, ReadingKind, Unit

VECTORS = Path(__file__).parents[1] / "data" / "ble" / "vectors.json"
DEVICE = DeviceInfo(id="ble")
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def b(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


def reading_of(value: Any) -> Reading:
    r: Reading = value.reading(device=DEVICE, received_at=NOW)
    return r


def sf(value: float | Special, exponent: int = 0) -> str:
    return encode_sfloat(value, exponent=exponent).to_bytes(2, "little").hex()


# -- recorded vectors ------------------------------------------------------------------------


def _vectors() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(VECTORS.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("vector", _vectors(), ids=lambda v: v["name"])
def test_vectors(vector: dict[str, Any]) -> None:
    decode = g.DECODE_PROFILES[vector["profile"]]
    reading = reading_of(decode(b(vector["hex"])))
    got = reading.to_json()
    for key, expected in vector["reading"].items():
        assert got[key] == expected, key


# -- blood pressure --------------------------------------------------------------------------

DESIGN_BP = "1E8A00580078000000041114293B3C00012700"


def test_design_blood_pressure_vector_in_full() -> None:
    m = g.decode_blood_pressure(b(DESIGN_BP))
    assert m == g.BloodPressure(
        Unit.MM_HG, 138.0, 88.0, 120.0, DateTime(0, 4, 17, 20, 41, 59), 60.0, 1, 0x0027
    )
    assert g.encode_blood_pressure(m) == b(DESIGN_BP)
    r = reading_of(m)
    assert r.kind is ReadingKind.BLOOD_PRESSURE
    assert dict(r.values) == {"systolic": 138, "diastolic": 88, "map": 120, "pulse": 60}
    assert r.unit_of("pulse") is Unit.PER_MINUTE
    assert r.device_time is None  # year unknown
    assert r.flags == {
        "body_movement",
        "cuff_loose",
        "irregular_pulse",
        "improper_position",
        "device_time_unknown",
        "user:1",
    }


def test_blood_pressure_minimal_and_kpa() -> None:
    m = g.decode_blood_pressure(b("01" + sf(18.4, -1) + sf(11.7, -1) + sf(13.9, -1)))
    assert (m.unit, m.systolic, m.diastolic, m.map) == (Unit.KPA, 18.4, 11.7, 13.9)
    assert m.time is m.pulse is m.user is m.status is None
    assert m.status_flags == frozenset()
    r = reading_of(m)
    assert r.unit is Unit.KPA and r.valid and r.flags == frozenset()


@pytest.mark.parametrize(
    ("status", "flag"),
    [
        (0x0008, "pulse_rate_high"),
        (0x0010, "pulse_rate_low"),
        (0x0018, "pulse_rate_range_reserved"),
    ],
)
def test_blood_pressure_pulse_range(status: int, flag: str) -> None:
    payload = "10" + sf(120) + sf(80) + sf(93) + status.to_bytes(2, "little").hex()
    assert g.decode_blood_pressure(b(payload)).status_flags == {flag}


def test_blood_pressure_unknown_user_is_not_a_flag() -> None:
    m = g.decode_blood_pressure(b("08" + sf(120) + sf(80) + sf(93) + "FF"))
    assert m.user == 0xFF
    assert reading_of(m).flags == frozenset()


@pytest.mark.parametrize("special", list(Special))
@pytest.mark.parametrize("field", ["systolic", "diastolic", "map", "pulse"])
def test_blood_pressure_special_in_every_field(special: Special, field: str) -> None:
    values: dict[str, float | Special] = {"systolic": 120, "diastolic": 80, "map": 93, "pulse": 72}
    values[field] = special
    payload = "04" + "".join(sf(values[n]) for n in ("systolic", "diastolic", "map", "pulse"))
    r = reading_of(g.decode_blood_pressure(b(payload)))
    assert dict(r.missing) == {field: special.value}
    assert field not in r.values
    assert not r.valid


def test_blood_pressure_err_reading_is_all_missing() -> None:
    nan = sf(Special.NAN)
    r = reading_of(g.decode_blood_pressure(b("04" + nan * 4)))
    assert r.values == {}
    assert set(r.missing.values()) == {"not_a_number"}


def test_reserved_flag_bits_and_trailing_bytes_are_ignored() -> None:
    plain = g.decode_blood_pressure(b("00" + sf(120) + sf(80) + sf(93)))
    reserved = g.decode_blood_pressure(b("E0" + sf(120) + sf(80) + sf(93) + "AABB"))
    assert reserved == plain


def test_intermediate_cuff_pressure() -> None:
    m = g.decode_intermediate_cuff_pressure(b("00" + sf(160) + sf(Special.NAN) * 2))
    r = reading_of(m)
    assert r.kind is ReadingKind.CUFF_PRESSURE and r.intermediate
    assert dict(r.values) == {"cuff": 160}
    assert r.units == {}


def test_blood_pressure_round_trip_with_every_field() -> None:
    m = g.BloodPressure(
        Unit.MM_HG, 131.0, 85.0, 100.0, DateTime(2026, 3, 4, 5, 6, 7), 66.0, 2, 0x3F
    )
    assert g.decode_blood_pressure(g.encode_blood_pressure(m)) == m
    r = reading_of(m)
    assert r.device_time == datetime(2026, 3, 4, 5, 6, 7)
    assert "pulse_rate_range_reserved" in r.flags


# -- temperature -----------------------------------------------------------------------------


def test_design_temperature_vector() -> None:
    m = g.decode_temperature(b("06B00E00FEDC070C050B321B04"))
    assert m == g.Temperature(Unit.CELSIUS, 37.6, DateTime(2012, 12, 5, 11, 50, 27), 4)
    r = reading_of(m)
    assert dict(r.values) == {"temperature": 37.6}
    assert r.device_time == datetime(2012, 12, 5, 11, 50, 27)
    assert r.flags == {"site:finger"}
    assert g.encode_temperature(m) == b("06B00E00FEDC070C050B321B04")


@pytest.mark.parametrize(
    ("site", "name"), [*g.TEMPERATURE_SITES.items(), (0, "reserved"), (10, "reserved")]
)
def test_temperature_sites(site: int, name: str) -> None:
    m = g.decode_temperature(b("04B00E00FE") + bytes([site]))
    assert reading_of(m).flags == {f"site:{name}"}


def test_temperature_fahrenheit_and_specials() -> None:
    m = g.decode_temperature(b("01") + (0xFF0003E7).to_bytes(4, "little"))
    assert m.unit is Unit.FAHRENHEIT and m.value == pytest.approx(99.9)
    assert m.site_name is None
    for raw, special in [
        (0x007FFFFF, "not_a_number"),
        (0x007FFFFE, "plus_infinity"),
        (0x00800002, "minus_infinity"),
        (0x00800000, "not_at_this_resolution"),
    ]:
        r = reading_of(g.decode_temperature(b("00") + raw.to_bytes(4, "little")))
        assert dict(r.missing) == {"temperature": special}


def test_intermediate_temperature() -> None:
    r = reading_of(g.decode_intermediate_temperature(b("00B00E00FE")))
    assert r.intermediate and r.kind is ReadingKind.TEMPERATURE


# -- weight and body composition -------------------------------------------------------------


def test_weight_si_with_every_field() -> None:
    payload = "0E" + (14100).to_bytes(2, "little").hex() + "EA070B17121A24" + "03"
    payload += (231).to_bytes(2, "little").hex() + (1750).to_bytes(2, "little").hex()
    m = g.decode_weight(b(payload))
    assert m == g.Weight(False, 70.5, DateTime(2026, 11, 23, 18, 26, 36), 3, 23.1, 1.75)
    r = reading_of(m)
    assert dict(r.values) == {"weight": 70.5, "bmi": 23.1, "height": 1.75}
    assert r.unit is Unit.KG and r.unit_of("height") is Unit.METRE
    assert r.unit_of("bmi") is Unit.KG_PER_M2
    assert "user:3" in r.flags
    assert g.encode_weight(m) == b(payload)


def test_weight_imperial_and_unsuccessful() -> None:
    m = g.decode_weight(b("09" + (15543).to_bytes(2, "little").hex() + "E700" + "BD02"))
    assert m.imperial and m.weight == 155.43 and m.height == 70.1
    r = reading_of(m)
    assert r.unit is Unit.POUND and r.unit_of("height") is Unit.INCH
    failed = reading_of(g.decode_weight(b("00FFFF")))
    assert dict(failed.missing) == {"weight": "measurement_unsuccessful"} and not failed.valid
    assert g.encode_weight(g.Weight(False, None)) == b("00FFFF")


def test_body_composition_with_every_field() -> None:
    m = g.BodyComposition(
        imperial=False,
        body_fat=21.3,
        time=DateTime(2026, 1, 2, 3, 4, 5),
        user=1,
        basal_metabolism=6500,
        muscle_percentage=40.2,
        masses={
            "muscle_mass": 30.5,
            "fat_free_mass": 55.0,
            "soft_lean_mass": 50.0,
            "body_water_mass": 40.0,
        },
        impedance=500.3,
        weight=70.5,
        height=1.75,
        multiple_packet=True,
    )
    data = g.encode_body_composition(m)
    assert data[:2] == (0x1FFE).to_bytes(2, "little")
    assert g.decode_body_composition(data) == m
    r = reading_of(m)
    assert r.kind is ReadingKind.BODY_COMPOSITION and r.unit is Unit.PERCENT
    assert r.values["body_fat"] == 21.3 and r.values["muscle_percentage"] == 40.2
    assert r.unit_of("muscle_mass") is Unit.KG and r.unit_of("height") is Unit.METRE
    assert r.values["basal_metabolism"] == 6500 and r.unit_of("basal_metabolism") is Unit.KILOJOULE
    assert r.values["impedance"] == 500.3 and r.unit_of("impedance") is Unit.OHM
    assert Unit.OHM.symbol == "Ω" and Unit.KILOJOULE.symbol == "kJ"
    assert {"multiple_packet", "user:1"} <= r.flags


def test_body_composition_minimal_imperial_and_unsuccessful() -> None:
    m = g.decode_body_composition(b("0100" + "D500" + "0104" + "0000"))
    r = reading_of(m)
    assert r.values == {"body_fat": 21.3}
    failed = g.decode_body_composition(b("0108FFFF" + "BD02"))
    r = reading_of(failed)
    assert dict(r.missing) == {"body_fat": "measurement_unsuccessful"}
    assert r.unit_of("height") is Unit.INCH and r.values["height"] == 70.1
    assert g.encode_body_composition(failed) == b("0108FFFF" + "BD02")


# -- pulse oximeter --------------------------------------------------------------------------


def test_plx_spot_check_with_every_field() -> None:
    m = g.PlxSpotCheck(97.0, 64.0, DateTime(2026, 1, 2, 3, 4, 5), 0x0080, 0x000020, 5.25)
    data = g.encode_plx_spot_check(m)
    assert data[0] == 0x0F
    assert g.decode_plx_spot_check(data) == m
    r = reading_of(m)
    assert dict(r.values) == {"spo2": 97, "pulse": 64, "pai": 5.25}
    assert r.unit_of("pulse") is Unit.PER_MINUTE
    assert r.flags == {"validated_data", "low_perfusion"}
    assert r.device_time == datetime(2026, 1, 2, 3, 4, 5)


def test_plx_spot_check_clock_not_set_and_specials() -> None:
    m = g.decode_plx_spot_check(b("11" + sf(Special.NAN) + sf(Special.NRES) + "EA070B17121A24"))
    assert m.clock_not_set
    r = reading_of(m)
    assert r.device_time is None and "device_clock_not_set" in r.flags
    assert dict(r.missing) == {"spo2": "not_a_number", "pulse": "not_at_this_resolution"}


def test_plx_continuous_with_every_field() -> None:
    m = g.PlxContinuous(97.0, 64.0, (96.0, 65.0), (98.0, 63.0), 0x8000, 0x008000, 1.5)
    data = g.encode_plx_continuous(m)
    assert data[0] == 0x1F
    assert g.decode_plx_continuous(data) == m
    r = reading_of(m)
    assert r.values["spo2_fast"] == 96 and r.values["pulse_slow"] == 63
    assert r.unit_of("pulse_fast") is Unit.PER_MINUTE
    assert r.flags == {"invalid_measurement", "sensor_disconnected"}


def test_plx_continuous_minimal() -> None:
    r = reading_of(g.decode_plx_continuous(b("00" + sf(95) + sf(70))))
    assert dict(r.values) == {"spo2": 95, "pulse": 70} and r.flags == frozenset()


# -- current time and RACP -------------------------------------------------------------------


def test_current_time() -> None:
    value = g.CurrentTime.of(datetime(2026, 11, 23, 18, 26, 36, 500000))
    data = g.encode_current_time(value)
    assert data == b("EA070B17121A24" + "01" + "80" + "01")
    assert g.decode_current_time(data) == value
    with pytest.raises(FrameError):
        g.decode_current_time(data[:9])


def test_racp_requests_and_answers() -> None:
    request = g.Racp(g.RacpOp.REPORT_STORED_RECORDS, g.RacpOperator.ALL)
    assert g.encode_racp(request) == b("0101")
    assert g.decode_racp(b("0101")) == request
    count = g.decode_racp(b("05000300"))
    assert count.op is g.RacpOp.NUMBER_OF_RECORDS_RESPONSE and count.count == 3
    answer = g.decode_racp(g.encode_racp(g.racp_response(1, g.RacpResponse.NO_RECORDS_FOUND)))
    assert answer.request_op == 1 and answer.response is g.RacpResponse.NO_RECORDS_FOUND
    assert g.decode_racp(b("06000163")).response == 0x63


@pytest.mark.parametrize("payload", ["0900", "0107", "06000", "0500", "060001", "01"])
def test_racp_bad_values(payload: str) -> None:
    with pytest.raises(FrameError):
        g.decode_racp(bytes.fromhex(payload) if len(payload) % 2 == 0 else b(payload[:-1]))


def test_uuid16() -> None:
    assert g.uuid16(0x2A35) == "00002a35-0000-1000-8000-00805f9b34fb"


# -- short payloads and arbitrary bytes ------------------------------------------------------

FULL: dict[str, bytes] = {
    "gatt-blood-pressure": b(DESIGN_BP),
    "gatt-cuff-pressure": b(DESIGN_BP),
    "gatt-temperature": b("06B00E00FEDC070C050B321B04"),
    "gatt-intermediate-temperature": b("06B00E00FEDC070C050B321B04"),
    "gatt-weight": b("0E" + "1437" + "EA070B17121A24" + "03" + "E700" + "D606"),
    "gatt-body-composition": g.encode_body_composition(
        g.BodyComposition(
            False,
            20.0,
            DateTime(2026, 1, 2, 3, 4, 5),
            1,
            1,
            1.0,
            {
                "muscle_mass": 1.0,
                "fat_free_mass": 1.0,
                "soft_lean_mass": 1.0,
                "body_water_mass": 1.0,
            },
            1.0,
            1.0,
            1.0,
        )
    ),
    "gatt-plx-spot": g.encode_plx_spot_check(
        g.PlxSpotCheck(97.0, 64.0, DateTime(2026, 1, 2, 3, 4, 5), 1, 1, 1.0)
    ),
    "gatt-plx-continuous": g.encode_plx_continuous(
        g.PlxContinuous(97.0, 64.0, (1.0, 1.0), (1.0, 1.0), 1, 1, 1.0)
    ),
}


@pytest.mark.parametrize("profile", sorted(FULL))
def test_every_truncation_is_a_typed_error(profile: str) -> None:
    decode = g.DECODE_PROFILES[profile]
    full = FULL[profile]
    decode(full)
    for cut in range(len(full)):
        with pytest.raises(FrameError) as info:
            decode(full[:cut])
        assert info.value.reason == "unusable_frame"
        assert info.value.data == full[:cut]


DECODERS: list[Callable[[bytes], Any]] = [
    *g.DECODE_PROFILES.values(),
    g.decode_current_time,
    g.decode_racp,
]


@pytest.mark.parametrize("decode", DECODERS, ids=lambda f: f.__name__)
@given(data=st.binary(max_size=40))
def test_arbitrary_bytes_decode_or_raise_the_typed_error(
    decode: Callable[[bytes], Any], data: bytes
) -> None:
    try:
        value = decode(data)
    except FrameError:
        return
    if hasattr(value, "reading"):
        reading = reading_of(value)
        assert all(isinstance(v, float) for v in reading.values.values())


@pytest.mark.parametrize(
    ("value", "encode", "decode"),
    [
        (
            g.BloodPressure(Unit.MM_HG, 120.0, 80.0, 93.0),
            g.encode_blood_pressure,
            g.decode_blood_pressure,
        ),
        (g.Temperature(Unit.CELSIUS, 37.2), g.encode_temperature, g.decode_temperature),
        (g.Weight(False, 70.5), g.encode_weight, g.decode_weight),
        (g.BodyComposition(False, 20.0), g.encode_body_composition, g.decode_body_composition),
        (g.PlxSpotCheck(97.0, 64.0), g.encode_plx_spot_check, g.decode_plx_spot_check),
        (g.PlxContinuous(97.0, 64.0), g.encode_plx_continuous, g.decode_plx_continuous),
        (
            g.PlxContinuous(97.0, 64.0, slow=(1.0, 2.0)),
            g.encode_plx_continuous,
            g.decode_plx_continuous,
        ),
    ],
    ids=lambda v: type(v).__name__ if not callable(v) else "",
)
def test_minimal_records_round_trip(value: Any, encode: Any, decode: Any) -> None:
    data = encode(value)
    assert data[0] == 0 or value.slow is not None
    assert decode(data) == value


@pytest.mark.parametrize(
    ("decode", "payload", "reserved"),
    [
        (g.decode_temperature, "00B00E00FE", 0xF8),
        (g.decode_weight, "001437", 0xF0),
        (g.decode_plx_spot_check, "00" + "6100" + "4000", 0xE0),
        (g.decode_plx_continuous, "00" + "6100" + "4000", 0xE0),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_reserved_flag_bits_are_ignored_everywhere(
    decode: Callable[[bytes], Any], payload: str, reserved: int
) -> None:
    data = b(payload)
    assert decode(bytes([data[0] | reserved]) + data[1:]) == decode(data)


def test_reserved_body_composition_flag_bits_are_ignored() -> None:
    assert g.decode_body_composition(b("00E0D500")) == g.decode_body_composition(b("0000D500"))


@pytest.mark.parametrize("special", list(Special))
def test_plx_specials_in_every_field(special: Special) -> None:
    data = b("08" + sf(special) + sf(special) + sf(special))
    r = reading_of(g.decode_plx_spot_check(data))
    assert dict(r.missing) == {"spo2": special.value, "pulse": special.value, "pai": special.value}
    cont = b("03" + sf(special) * 6)
    r = reading_of(g.decode_plx_continuous(cont))
    assert set(r.missing.values()) == {special.value} and len(r.missing) == 6
