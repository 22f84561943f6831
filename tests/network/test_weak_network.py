"""The call follows the link's bandwidth, shaped in the kernel on the cabin's end of the veth
(the bus's 4G uplink): a smaller picture at 300 kbit/s with a 200 ms queue and 5 % loss, the
voice alone at 64 kbit/s (the doctor's page says so), the video back when the bandwidth is."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

import pytest

from harness.shaping import Shape, ShapedLink
from kiosk.call import CabinCall, CallStatus
from kiosk.call.bandwidth import AdaptiveVideo
from tests.network.conftest import CabinSide, connect
from tests.portal.conftest import DoctorPage

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

UPLINK = ("cabin",)


async def page_network(page: DoctorPage) -> dict[str, object]:
    value: dict[str, object] = await page.js("return window.cabineNetwork()")
    return value


async def flowing(page: DoctorPage, what: str, seconds: float = 3.0) -> int:
    """How much of ``what`` (``framesDecoded`` or ``audioBytes``) the page got in ``seconds``."""
    before = (await page.snapshot())["stats"][what]
    await asyncio.sleep(seconds)
    return int((await page.snapshot())["stats"][what] - before)


async def _more(count: Awaitable[int], than: int) -> bool:
    return await count > than


def video_frames_sent(call: CabinCall) -> int:
    """Frames the cabin's camera track handed to its encoder so far, this connection."""
    assert call._pc is not None
    tracks = [s.track for s in call._pc.getSenders()]
    return sum(t.frames_sent for t in tracks if isinstance(t, AdaptiveVideo))


async def test_the_call_follows_the_bandwidth_down_and_back_up(
    doctor: DoctorPage, bus_call: CabinCall, cabin_side: CabinSide, shaped: ShapedLink
) -> None:
    await connect(doctor, bus_call, cabin_side)

    # 300 kbit/s, a 200 ms queue, 5 % lost: a smaller picture, still moving, the voice on
    shaped.set_shape(Shape(rate_kbit=300, queue_ms=200, loss_percent=5), sides=UPLINK)
    await doctor.until(
        "a smaller picture",
        lambda: doctor.js("return window.cabine.snapshot().video.width < 640"),
        timeout=30,
    )
    # the notice comes on the data channel, the frames on their own: either may be first
    await doctor.until(
        "the doctor told",
        lambda: doctor.js("return window.cabineNetwork().banner.includes('smaller picture')"),
        timeout=15,
    )
    assert (await page_network(doctor))["video"] is True
    assert bus_call.network is not None and bus_call.network.video
    assert await flowing(doctor, "framesDecoded") > 10
    assert await flowing(doctor, "audioBytes") > 3000

    # 64 kbit/s: the voice alone, and the doctor is told
    shaped.set_shape(Shape(rate_kbit=64, queue_ms=200), sides=UPLINK)
    # the cabin tries the video again after a while (more rarely each time it fails): the
    # picture is looked at while the notice says "voice alone" all along
    for _ in range(3):
        await doctor.until(
            "the voice alone", lambda: doctor.js("return !window.cabineNetwork().video"), timeout=60
        )
        said = await page_network(doctor)
        await asyncio.sleep(3)  # the last video frames (and their retransmissions) drain
        sent = video_frames_sent(bus_call)
        frames = await flowing(doctor, "framesDecoded", 2.0)
        sent = video_frames_sent(bus_call) - sent
        if (await page_network(doctor))["changes"] == said["changes"]:
            break
    else:
        raise AssertionError("the voice alone never held for 5 s at 64 kbit/s")
    assert "the video is off, the sound goes on" in str(said["banner"])
    # the cabin sends no picture; the page may still complete a few late ones from
    # retransmissions (10 fps would be 20)
    assert sent == 0, f"the cabin sent {sent} frames with the voice alone"
    assert frames <= 10, f"{frames} frames decoded with the voice alone"
    assert bus_call.network is not None and not bus_call.network.video
    assert await flowing(doctor, "audioBytes") > 3000  # ~20 kbit/s of voice
    assert bus_call.status is CallStatus.CONNECTED

    # the bandwidth back: the video comes back by itself, the banner goes
    shaped.set_shape(Shape())
    await doctor.until(
        "the video back",
        lambda: doctor.js("const n = window.cabineNetwork(); return n.video && n.width > 0"),
        timeout=60,
    )
    # the frames follow the notice: after a long stretch at 64 kbit/s the sender's estimate
    # climbs back from below (CI saw 1-2 frames in the first 3 s, then the flow)
    await doctor.until(
        "the frames flowing again",
        lambda: _more(flowing(doctor, "framesDecoded"), 10),
        timeout=30,
    )
    assert bus_call.status is CallStatus.CONNECTED
