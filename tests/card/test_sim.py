"""The virtual card's profiles and command set (the card side of the vpcd link)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from drivers.card import protocol, sim
from drivers.card.errors import CardFailure, CardProfileError


def test_every_shipped_profile_loads() -> None:
    names = sim.profile_names()
    assert {"one", "family", "vitale1", "cps", "mute", "broken_tlv"} <= set(names)
    for name in names:
        profile = sim.load_profile(name)
        assert profile.atr, name


def test_profile_by_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"atr": "3B751300004709EA9000"}), encoding="utf-8")
    assert sim.load_profile(path).name == "mine.json"


GOOD_PERSON = {
    "last_name": "MARTIN",
    "first_name": "Jeanne",
    "birth_date": "19850612",
    "nir": "285067505607802",
}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "a JSON object"),
        ({"atr": "3B", "colour": "red"}, "unknown key"),
        ({}, "missing key 'atr'"),
        ({"atr": "3G"}, "'atr': not hex"),
        ({"atr": 3}, "'atr': expected hex text"),
        ({"atr": "3B", "beneficiaries": {}}, "'beneficiaries' is a list"),
        ({"atr": "3B", "beneficiaries": ["x"]}, "a beneficiary is a table"),
        ({"atr": "3B", "beneficiaries": [{**GOOD_PERSON, "rank": 1}]}, "unknown key"),
        ({"atr": "3B", "beneficiaries": [{"last_name": "X"}]}, "missing key"),
        ({"atr": "3B", "beneficiaries": [{**GOOD_PERSON, "nir": 1}]}, "every field is text"),
        ({"atr": "3B", "beneficiaries": [{**GOOD_PERSON, "last_name": "Nguyễn"}]}, "Latin-1"),
        ({"atr": "3B", "deny": ["photo"]}, "'deny' is a list"),
        ({"atr": "3B", "remove_after": -1}, "'remove_after'"),
        ({"atr": "3B", "remove_after": True}, "'remove_after'"),
        ({"atr": "3B", "pad_to": "big"}, "'pad_to'"),
        ({"atr": "3B", "mute": "yes"}, "'mute' is true or false"),
        ({"atr": "3B", "identity_hex": "zz"}, "'identity_hex': not hex"),
    ],
)
def test_bad_profiles_are_refused_with_the_key_named(data: Any, message: str) -> None:
    with pytest.raises(CardProfileError, match=message) as caught:
        sim.profile_from_json(data, source="bad.json")
    assert caught.value.reason == CardFailure.BAD_PROFILE


def test_missing_and_malformed_profile_files(tmp_path: Path) -> None:
    with pytest.raises(CardProfileError, match="no card profile 'nosuch'"):
        sim.load_profile("nosuch")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(CardProfileError, match="not valid JSON"):
        sim.load_profile(broken)
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe")
    with pytest.raises(CardProfileError, match="cannot read"):
        sim.load_profile(binary)


def answer(logic: sim.CardLogic, apdu: str) -> str:
    return logic.answer(bytes.fromhex(apdu)).hex().upper()


def test_card_logic_status_words() -> None:
    logic = sim.CardLogic(sim.load_profile("one"))
    assert answer(logic, "00A4") == "6700"
    assert answer(logic, "80A40000023F00") == "6E00"
    assert answer(logic, "00CA000000") == "6D00"
    assert answer(logic, "00B0000000") == "6986"  # no current file yet
    assert answer(logic, "00B0830000") == "6A82"  # no file of SFI 3
    assert answer(logic, "00C0000000") == "6985"  # nothing to get
    assert answer(logic, "00A4040005A000000001") == "6A82"
    assert answer(logic, "00A40000023F00") == "9000"
    assert answer(logic, "00B0820004").startswith("65")
    assert answer(logic, "00B0080000") == "6B00"  # beyond the end of the file


def test_card_logic_t0_quirks() -> None:
    logic = sim.CardLogic(sim.load_profile("family"))
    fci = answer(logic, "00A40000023F00")
    assert fci.startswith("61")
    size = int(fci[2:], 16)
    # GET RESPONSE in two parts, then the rest
    first = answer(logic, "00C0000002")
    assert first.endswith(f"61{size - 2:02X}")
    assert answer(logic, f"00C00000{size - 2:02X}").endswith("9000")
    assert len(answer(logic, "00B0820000")) == 2 * 258  # a 512-byte file: 256 from 0
    assert answer(logic, "00B0018000") == "6C80"  # 128 left from 0x180: Le must be 0x80
    assert answer(logic, "00B0018080").endswith("9000")


def test_profile_files_are_padded() -> None:
    identity, nirs = sim.load_profile("family").files()
    assert len(identity) == len(nirs) == 512
    assert identity.endswith(b"\x00" * 16)
    assert len(protocol.parse_beneficiaries(identity, nirs)) == 4
