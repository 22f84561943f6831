"""The bus's network cut (every packet dropped on the veth, both ways): after 10 s, the call is
back within 5 s of the network's return, on the same session, each reading on the doctor's
page once; after 60 s, the call gives up as a network fault the session ends on."""

from __future__ import annotations

import time

import pytest

from harness.shaping import ShapedLink
from kiosk.call import CabinCall, CallStatus
from kiosk.session import Fault, FaultKind
from tests.helpers.waiting import until
from tests.network.conftest import CabinSide, connect
from tests.portal.conftest import DoctorPage
from tests.portal.test_call import spo2_reading

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

#: Video frames decoded by the page since the call began.
FRAMES = "return window.cabine.snapshot().stats.framesDecoded"
READINGS = "return document.querySelectorAll('#readings li').length"


async def send(cabin_side: CabinSide, call: CabinCall, value: float, seq: int) -> None:
    async def sending() -> None:
        call.send_reading(spo2_reading(value), seq=seq)

    await cabin_side.run(sending())


async def test_a_ten_second_cut_is_survived(
    doctor: DoctorPage, bus_call: CabinCall, cabin_side: CabinSide, shaped: ShapedLink
) -> None:
    await connect(doctor, bus_call, cabin_side)
    session, call_id = bus_call.session_id, bus_call.call_id
    await send(cabin_side, bus_call, 97.0, 1)
    await doctor.until("the first reading", lambda: doctor.js(f"{READINGS} === 1"))

    shaped.cut()
    cut_at = time.monotonic()
    # the cabin notices (no media for its grace) and says "reconnecting"
    await until(lambda: bus_call.status is CallStatus.RECONNECTING, "reconnecting", timeout=8)
    assert bus_call.network_notice == "reconnecting"  # what the patient's screen is to say
    await send(cabin_side, bus_call, 95.0, 2)  # taken during the cut
    await until(lambda: time.monotonic() - cut_at >= 10, "ten seconds", timeout=11)
    frames = await doctor.js(FRAMES)
    shaped.restore()
    back_at = time.monotonic()

    await doctor.until(
        "the cabin's video again", lambda: doctor.js(f"{FRAMES} > {frames + 5}"), timeout=10
    )
    assert time.monotonic() - back_at <= 5.0
    await until(lambda: bus_call.status is CallStatus.CONNECTED, "connected", timeout=5)
    assert (bus_call.session_id, bus_call.call_id) == (session, call_id)
    # the reading of the cut arrives, once; the first is not there twice
    await doctor.until("the second reading", lambda: doctor.js(f"{READINGS} === 2"))
    await send(cabin_side, bus_call, 96.0, 2)  # sent again (a resume would): kept once
    await send(cabin_side, bus_call, 94.0, 3)
    await doctor.until("the third reading", lambda: doctor.js(f"{READINGS} === 3"))
    seqs = await doctor.js("return state.readings.map((r) => r.seq)")
    assert sorted(seqs) == [1, 2, 3]


async def test_a_minute_without_network_ends_the_call_as_a_network_fault(
    doctor: DoctorPage, bus_call: CabinCall, cabin_side: CabinSide, shaped: ShapedLink
) -> None:
    from tests.network.conftest import ThreadRecorder

    recorder: ThreadRecorder = await connect(doctor, bus_call, cabin_side)
    shaped.cut()
    cut_at = time.monotonic()
    fault = await recorder.wait("the network fault", lambda u: isinstance(u, Fault), timeout=62)
    assert time.monotonic() - cut_at < 60
    # not resumable: the session's fault screen offers only to finish (papers, goodbye, wipe)
    assert fault.kind is FaultKind.NETWORK_LOST and not fault.resumable
    assert bus_call.status is CallStatus.ENDED
    shaped.restore()
