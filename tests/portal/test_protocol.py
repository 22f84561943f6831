"""The shared message schema: every malformed shape is a typed error, never a crash."""

from __future__ import annotations

import json

import pytest

import protocol
from protocol import ErrorCode, ProtocolError, RateLimiter


def code_of(raw: str | bytes, *, data: bool = False) -> ErrorCode:
    with pytest.raises(ProtocolError) as info:
        (protocol.decode_data if data else protocol.decode_signal)(raw)
    return info.value.code


def test_round_trip_signal_and_data() -> None:
    text = protocol.signal("offer", call_id="c1", sdp="v=0\r\n")
    assert protocol.decode_signal(text) == {"type": "offer", "call_id": "c1", "sdp": "v=0\r\n"}
    text = protocol.data("measure", id="m1", kind="spo2")
    assert protocol.decode_data(text.encode()) == {"type": "measure", "id": "m1", "kind": "spo2"}


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("{not json", ErrorCode.MALFORMED),
        (b"\xff\xfe", ErrorCode.MALFORMED),
        ("[1, 2]", ErrorCode.MALFORMED),
        ('{"kind": "x"}', ErrorCode.MALFORMED),
        ('{"type": 3}', ErrorCode.MALFORMED),
        ('{"type": "launch_missiles"}', ErrorCode.UNKNOWN_TYPE),
        ('{"type": "offer", "call_id": "c"}', ErrorCode.BAD_FIELD),
        ('{"type": "offer", "call_id": 5, "sdp": ""}', ErrorCode.BAD_FIELD),
        ('{"type": "offer", "call_id": "c", "sdp": "", "more": 1}', ErrorCode.BAD_FIELD),
        ('{"type": "welcome", "heartbeat_s": true}', ErrorCode.BAD_FIELD),
        ('{"type": "welcome", "heartbeat_s": NaN}', ErrorCode.BAD_FIELD),
        ('{"type": "hangup", "call_id": "c", "reason": "bored"}', ErrorCode.BAD_FIELD),
        ('{"type": "take", "session_id": "' + "x" * 65 + '"}', ErrorCode.BAD_FIELD),
        ("[" * 100_000 + "]" * 100_000, ErrorCode.TOO_LARGE),
    ],
)
def test_bad_signalling_messages(raw: str | bytes, code: ErrorCode) -> None:
    assert code_of(raw) is code


def test_deep_nesting_under_the_cap_is_malformed_not_a_crash() -> None:
    assert code_of("[" * 30_000 + "]" * 30_000) is ErrorCode.MALFORMED


def test_data_channel_has_its_own_types_and_cap() -> None:
    assert code_of('{"type": "take", "session_id": "s"}', data=True) is ErrorCode.UNKNOWN_TYPE
    assert code_of('{"type": "measure", "kind": "mood"}', data=True) is ErrorCode.BAD_FIELD
    big = json.dumps({"type": "end", "reason": "x" * protocol.MAX_DATA_BYTES})
    assert code_of(big, data=True) is ErrorCode.TOO_LARGE


def test_encoding_refuses_what_decoding_would() -> None:
    with pytest.raises(ProtocolError):
        protocol.signal("offer", call_id="c")
    with pytest.raises(ProtocolError):
        protocol.data("quality", level="superb")


def test_error_fields_never_quote_the_message() -> None:
    with pytest.raises(ProtocolError) as info:
        protocol.decode_data('{"type": "identity", "last_name": 1}')
    fields = protocol.error_fields(info.value)
    assert fields["code"] == "bad_field"
    assert fields["ref"] == "identity"
    protocol.signal("error", **fields)


def test_rate_limiter_bucket() -> None:
    now = [0.0]
    limiter = RateLimiter(rate=2.0, burst=3, clock=lambda: now[0])
    assert [limiter.allow() for _ in range(4)] == [True, True, True, False]
    now[0] = 0.5
    assert limiter.allow()
    with pytest.raises(ProtocolError) as info:
        limiter.check("reading")
    assert info.value.code is ErrorCode.RATE_LIMITED
    with pytest.raises(ValueError):
        RateLimiter(rate=0, burst=1)


def test_what_cannot_be_encoded_is_refused_when_sent() -> None:
    """The encoder itself refuses a number that is not finite and a lone surrogate: the same
    errors as on arrival, not a ValueError from deep in json."""
    with pytest.raises(protocol.ProtocolError) as nan:
        protocol.signal("queue", session_id="s", position=1, estimate_s=float("nan"))
    assert nan.value.code is protocol.ErrorCode.BAD_FIELD
    with pytest.raises(protocol.ProtocolError) as text:
        protocol.signal("take", session_id="\ud800")
    assert text.value.code is protocol.ErrorCode.MALFORMED
