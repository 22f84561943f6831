"""The kiosk's data-channel handler refuses what it cannot apply and never raises out of the
channel's callback (aiortc would log it and the doctor would wait for an answer forever)."""

from __future__ import annotations

import pytest

from tests.portal.test_call_unit import drained, feed, make_call


def test_a_lone_surrogate_is_refused_not_raised() -> None:
    call, channel = make_call()
    feed(call, '{"type": "ack", "id": "\\ud800"}')
    feed(call, '{"type": "measure", "id": "\\udfff", "kind": "spo2"}')
    assert [e["code"] for e in channel.of_type("error")] == ["malformed", "malformed"]
    assert not channel.of_type("ack") and not drained(call)
    feed(call, {"type": "measure", "id": "m1", "kind": "spo2"})  # the channel still works
    assert channel.of_type("ack") == [{"type": "ack", "id": "m1"}]


def test_a_message_failing_unforeseen_is_refused_and_the_channel_lives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    call, channel = make_call()

    def broken(_msg: object) -> bool:
        raise RuntimeError("a fault of the cabin's own")

    monkeypatch.setattr(call, "_handle_data", broken)
    feed(call, {"type": "measure", "id": "m9", "kind": "spo2"})
    (error,) = channel.of_type("error")
    assert error["code"] == "bad_field" and error["ref"] == "m9"
    assert not channel.of_type("ack")
