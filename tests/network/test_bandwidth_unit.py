"""The bandwidth policy alone: the estimate each second and the picture it allows."""

from __future__ import annotations

import protocol
from kiosk.call.bandwidth import FLOOR_KBIT, MAX_KBIT, Estimator, Plan


def picture(kbit: float) -> tuple[int, int, int]:
    plan = Plan.for_estimate(kbit)
    return (plan.width, plan.height, plan.fps)


def test_the_picture_steps_down_with_the_estimate() -> None:
    assert picture(MAX_KBIT) == (640, 480, 30)
    assert picture(300) == (320, 240, 15)
    assert picture(FLOOR_KBIT) == (160, 120, 10)
    assert not Plan.for_estimate(FLOOR_KBIT - 1).video


def feed(e: Estimator, t0: int, seconds: int, **sample: float | None) -> Plan:
    plan = None
    for t in range(t0, t0 + seconds):
        plan = e.update(now=float(t), **sample)  # type: ignore[arg-type]
    assert plan is not None
    return plan


def test_losses_bring_it_down_then_the_voice_alone_then_back() -> None:
    e = Estimator()
    assert feed(e, 0, 3, sent_kbit=400, loss=0.0, rtt=0.02).width == 640
    plan = feed(e, 3, 20, sent_kbit=120, loss=0.3, rtt=0.02)
    assert not plan.video
    # a 4G's random 5 % is not congestion: held, no climb
    held = e.kbit
    feed(e, 23, 5, sent_kbit=40, loss=0.05, rtt=0.02)
    assert e.kbit == held
    # clean again: it climbs, and the video comes back after the hold
    plan = feed(e, 28, 25, sent_kbit=40, loss=0.0, rtt=0.02)
    assert plan.video and plan.width >= 160


def test_a_queue_building_is_congestion_and_a_failed_resume_waits_longer() -> None:
    e = Estimator(start_kbit=500)
    feed(e, 0, 2, sent_kbit=500, loss=0.0, rtt=0.02)
    before = e.kbit
    e.update(sent_kbit=500, loss=0.0, rtt=0.30, now=2.0)  # high and rising
    assert e.kbit < before
    e = Estimator(start_kbit=90)
    assert not e.update(sent_kbit=90, loss=0.05, rtt=0.02, now=0.0).video
    hold, t = e.hold_s, 1
    while not e.video:
        e.update(sent_kbit=40, loss=0.0, rtt=0.02, now=float(t))
        t += 1
        assert t < 60
    assert t - 1 >= hold
    feed(e, t, 18, sent_kbit=200, loss=0.5, rtt=0.02)  # the video did not fit
    assert not e.video and e.hold_s == 2 * hold


def test_the_notice_is_a_protocol_message() -> None:
    text = protocol.data("network", video=False, kbit=64, width=0, height=0)
    assert protocol.decode_data(text)["video"] is False


def test_the_patients_screen_is_told_reconnecting_or_voice_alone() -> None:
    from kiosk.call import CabinCall, CallStatus
    from tests.helpers.call import call_options

    call = CabinCall(call_options("ws://127.0.0.1:9"))
    assert call.network_notice == ""
    call.status, call._joined = CallStatus.CONNECTED, True
    call.network = Plan.for_estimate(60, video=False)
    assert call.network_notice == "voice_only"
    call.network = Plan.for_estimate(300)
    assert call.network_notice == ""
    call.status = CallStatus.RECONNECTING
    assert call.network_notice == "reconnecting"
