"""Every message schema under hypothesis: whatever ``validate`` accepts encodes again (UTF-8
JSON, no NaN), and no input makes a decoder raise anything but ``ProtocolError``."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import protocol
from protocol import DATA_SCHEMAS, SIGNAL_SCHEMAS, F, ProtocolError

#: Texts as a peer may send them once JSON's escapes are decoded: lone surrogates included.
SURROGATES = st.text(
    alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, exclude_categories=()),
    min_size=1,
    max_size=3,
)
TEXT = st.one_of(
    st.text(max_size=20),
    st.builds(lambda a, s, b: a + s + b, st.text(max_size=5), SURROGATES, st.text(max_size=5)),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=True, allow_infinity=True),
    TEXT,
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=12,
)

ALL_SCHEMAS = [("signal", SIGNAL_SCHEMAS), ("data", DATA_SCHEMAS)]


def _value_for(spec: F) -> st.SearchStrategy[Any]:
    """Mostly values of the field's kind (so messages get past the first check), with
    surrogates and non-finite numbers where they fit; sometimes anything."""
    kinds = spec.kind if isinstance(spec.kind, tuple) else (spec.kind,)
    fitting: list[st.SearchStrategy[Any]] = []
    for kind in kinds:
        if kind is str:
            fitting.append(st.sampled_from(spec.choices) if spec.choices else TEXT)
            fitting.append(TEXT)
        elif kind is bool:
            fitting.append(st.booleans())
        elif kind is int:
            fitting.append(st.integers(min_value=-10, max_value=10**6))
        elif kind is float:
            fitting.append(st.floats(allow_nan=True, allow_infinity=True))
        elif kind is dict:
            fitting.append(st.dictionaries(TEXT, JSON_VALUES, max_size=4))
        elif kind is list:
            fitting.append(st.lists(JSON_VALUES, max_size=4))
    return st.one_of(*fitting, JSON_VALUES)


@st.composite
def messages(draw: st.DrawFn, schemas: dict[str, protocol.Schema]) -> dict[str, Any]:
    msg_type = draw(st.sampled_from(sorted(schemas)))
    message: dict[str, Any] = {"type": msg_type}
    for name, spec in schemas[msg_type].items():
        if spec.required or draw(st.booleans()):
            message[name] = draw(_value_for(spec))
    if draw(st.integers(0, 9)) == 0:
        message[draw(TEXT)] = draw(JSON_VALUES)
    return message


def _encodes(message: dict[str, Any]) -> None:
    json.dumps(message, ensure_ascii=False, allow_nan=False).encode("utf-8")


@pytest.mark.parametrize(("channel", "schemas"), ALL_SCHEMAS)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_what_validate_accepts_encodes_again(channel: str, schemas, data) -> None:
    message = data.draw(messages(schemas))
    try:
        accepted = protocol.validate(message, schemas)
    except ProtocolError as exc:
        # the refusal itself goes back to the peer: it must encode too
        protocol.error_fields(exc)
        json.dumps(protocol.error_fields(exc), ensure_ascii=False).encode("utf-8")
        return
    _encodes(accepted)


@pytest.mark.parametrize("decode", [protocol.decode_signal, protocol.decode_data])
@settings(max_examples=300, deadline=None)
@given(raw=st.one_of(st.binary(max_size=200), st.text(max_size=200)))
def test_no_raw_input_raises_anything_but_a_protocol_error(decode, raw) -> None:
    with contextlib.suppress(ProtocolError):
        decode(raw)


@pytest.mark.parametrize(
    ("decode", "raw", "code"),
    [
        (protocol.decode_signal, '{"type": "heartbeat", "version": "\\ud800"}', "malformed"),
        (
            protocol.decode_signal,
            '{"type": "checkin", "session_id": "s1", "call_id": "\\ud800"}',
            "malformed",
        ),
        (
            protocol.decode_signal,
            '{"type": "heartbeat", "devices": {"\\udfff": "ok"}}',
            "malformed",
        ),
        (protocol.decode_signal, '{"type": "\\ud800"}', "malformed"),
        (protocol.decode_data, '{"type": "ack", "id": "\\ud800"}', "malformed"),
        (protocol.decode_signal, '{"type": "heartbeat", "uptime_s": NaN}', "bad_field"),
    ],
)
def test_the_inputs_of_the_review_are_refused(decode, raw: str, code: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        decode(raw)
    assert caught.value.code == code
    json.dumps(protocol.error_fields(caught.value), ensure_ascii=False).encode("utf-8")
