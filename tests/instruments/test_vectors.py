"""Byte vectors from tests/data/instruments/: each profile's bytes and the whole reading expected."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from drivers import decoding
from drivers.instrument import InstrumentError
from tests.helpers.cli import run_kiosk

DATA = Path(__file__).resolve().parent.parent / "data" / "instruments"
AT = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def _vectors() -> list[Any]:
    out = []
    for path in sorted(DATA.glob("*.json")):
        for vector in json.loads(path.read_text(encoding="utf-8")):
            out.append(pytest.param(path.stem, vector, id=f"{path.stem}: {vector['name']}"))
    return out


def test_every_profile_has_vectors() -> None:
    assert {p.stem for p in DATA.glob("*.json")} == set(decoding.PROFILES)


@pytest.mark.parametrize(("profile", "vector"), _vectors())
def test_vector(profile: str, vector: dict[str, Any]) -> None:
    if "error" in vector:
        with pytest.raises(InstrumentError) as info:
            decoding.decode(profile, vector["input"], received_at=AT)
        assert info.value.reason == vector["error"]
        return
    got = decoding.decode(profile, vector["input"], received_at=AT).to_json()
    expect = vector["expect"]
    assert {k: got[k] for k in expect} == expect
    assert got["received_at"] == AT.isoformat()
    assert got["device"]["id"] == profile


def test_unknown_profile() -> None:
    with pytest.raises(InstrumentError, match="no decode profile 'toaster'") as info:
        decoding.decode("toaster", "00")
    assert info.value.reason == "bad_options"


def test_cli_decode_prints_one_json_reading() -> None:
    proc = run_kiosk("decode", "suntech-advantage", "3E 05 02 01 BA")
    assert proc.returncode == 0, proc.stderr
    reading = json.loads(proc.stdout)
    assert {k: reading[k] for k in ("kind", "unit", "values", "missing", "flags")} == {
        "kind": "cuff_pressure",
        "unit": "mm[Hg]",
        "values": {"cuff": 258.0},
        "missing": {},
        "flags": [],
    }
    assert "timestamp" in reading


def test_cli_decode_text_profile() -> None:
    proc = run_kiosk("decode", "and-weight", "OL,+9999.999 kg")
    assert proc.returncode == 0, proc.stderr
    reading = json.loads(proc.stdout)
    assert reading["values"] == {}
    assert reading["missing"] == {"weight": "overload"}


@pytest.mark.parametrize(
    "typed",
    [
        "OL,+9999999E+19\r\n",  # the exact bytes of an A&D balance
        "OL,-9999999E+19\r\n",
        "OL,+9999999E+19",  # as a technician types it
    ],
)
def test_cli_decode_real_and_overload_is_no_valid_measurement(typed: str) -> None:
    proc = run_kiosk("decode", "and-weight", typed)
    assert proc.returncode == 0, proc.stderr
    reading = json.loads(proc.stdout)
    received_at = reading.pop("received_at")
    assert reading == {
        "kind": "weight",
        "unit": "kg",
        "units": {},
        "values": {},
        "missing": {"weight": "overload"},
        "device": {"id": "and-weight", "model": "", "serial": ""},
        "timestamp": None,
        "flags": ["overload"],
        "intermediate": False,
    }
    assert datetime.fromisoformat(received_at).tzinfo is not None
    assert "9999" not in proc.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("suntech-advantage", "3E 05 02 01 BB"), "checksum"),
        (("suntech-advantage", "zz"), "expected hex bytes"),
        (("toaster", "00"), "no decode profile"),
        (("masimo-ascii1", "SPO2=9x7% BPM=064"), "not a number"),
    ],
)
def test_cli_decode_bad_input_exits_2_with_one_line(args: tuple[str, str], message: str) -> None:
    proc = run_kiosk("decode", *args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], proc.stderr
