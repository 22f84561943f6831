"""The ``measuring`` message: a closed set of states, and of reasons for a failure, on both
ends (the kiosk's schema and the doctor's page, which must know every one in fr and en)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import protocol
from protocol import ErrorCode, MeasuringReason, MeasuringState, ProtocolError

APP_JS = Path(__file__).resolve().parents[2] / "portal" / "static" / "app.js"


def decoded(**fields: object) -> dict[str, object]:
    return protocol.decode_data(json.dumps({"type": "measuring", "kind": "weight", **fields}))


def test_the_states_and_reasons_are_the_issues() -> None:
    assert [s.value for s in MeasuringState] == [
        "requested",
        "in_progress",
        "done",
        "failed",
        "cancelled",
    ]
    assert {"no_device", "unplugged", "timeout", "device_error"} <= {
        r.value for r in MeasuringReason
    }


@pytest.mark.parametrize("state", list(MeasuringState))
def test_every_state_is_accepted(state: MeasuringState) -> None:
    assert decoded(state=state.value, id="k1")["state"] == state.value
    assert protocol.decode_data(protocol.data("measuring", kind="spo2", state=state))


@pytest.mark.parametrize("reason", list(MeasuringReason))
def test_every_reason_is_accepted(reason: MeasuringReason) -> None:
    assert decoded(state="failed", reason=reason.value)["reason"] == reason.value


@pytest.mark.parametrize(
    "fields",
    [
        {"state": "started"},  # what the kiosk used to send, twice
        {"state": "Failed"},
        {"state": "measuring: blood pressure"},
        {"state": ""},
        {"state": 3},
        {"state": None},
        {"state": "failed", "reason": "cuff_on_fire"},
        {"state": "failed", "reason": ""},
        {"state": "failed", "reason": "Timeout"},
        {"state": "failed", "reason": ["timeout"]},
        {"state": "failed", "detail": "timeout"},  # no field but the schema's
        {"reason": "timeout"},  # no state at all
    ],
)
def test_an_unknown_state_or_reason_is_refused(fields: dict[str, object]) -> None:
    with pytest.raises(ProtocolError) as info:
        decoded(**fields)
    assert info.value.code is ErrorCode.BAD_FIELD
    assert info.value.ref == "measuring"


def test_the_kiosk_cannot_send_one_either() -> None:
    with pytest.raises(ProtocolError):
        protocol.data("measuring", kind="weight", state="started")
    with pytest.raises(ProtocolError):
        protocol.data("measuring", kind="weight", state="failed", reason="bored")
    with pytest.raises(ProtocolError):
        protocol.data("measuring", kind="mood", state="done")


def js_list(name: str, source: str) -> list[str]:
    """The string items of ``const NAME = [...]`` or ``new Set([...])`` in app.js."""
    match = re.search(rf"const {name} = (?:new Set\()?\[(.*?)\]", source, re.S)
    assert match, f"{name} not found in app.js"
    return re.findall(r'"([a-z_0-9]+)"', match.group(1))


def test_the_doctors_page_knows_the_same_sets_in_both_languages() -> None:
    source = APP_JS.read_text(encoding="utf-8")
    assert js_list("MEASURING_STATES", source) == [s.value for s in MeasuringState]
    assert js_list("MEASURING_REASONS", source) == [r.value for r in MeasuringReason]
    assert js_list("MEASUREMENT_KINDS", source) == list(protocol.MEASUREMENT_KINDS)
    fr, en = re.split(r"^  en: \{$", source, maxsplit=1, flags=re.M)
    fr = fr.split("  fr: {", 1)[1]
    en = en.split("\n  },\n", 1)[0]
    keys = [f"mstate_{s.value}" for s in MeasuringState] + ["ask_again"]
    keys += [f"mreason_{r.value}" for r in MeasuringReason]
    for key in keys:
        for lang, table in (("fr", fr), ("en", en)):
            assert re.search(rf"\b{key}: \"[^\"]+\"", table), f"{key} has no {lang} text"
