"""A real call across the shaped veth: the cabin's aiortc on one side, the real Chromium doctor
on the other; the call's media cross the veth."""

from __future__ import annotations

import pytest

from harness.shaping import ShapedLink
from kiosk.call import CabinCall, CallStatus
from tests.helpers.waiting import until
from tests.network.conftest import CabinSide, connect, veth_bytes
from tests.portal.conftest import DoctorPage

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]


async def test_call_crosses_the_veth(
    doctor: DoctorPage, bus_call: CabinCall, cabin_side: CabinSide, shaped: ShapedLink
) -> None:
    before = veth_bytes(shaped)
    await connect(doctor, bus_call, cabin_side)
    assert bus_call.status is CallStatus.CONNECTED
    # the cabin's video went through its end of the veth (not a loopback)
    await until(lambda: veth_bytes(shaped) - before > 200_000, "the call's bytes on the veth")
