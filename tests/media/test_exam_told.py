"""A camera that offers only 640×480 when its URL asks for 1920×1080, in a call with a real
aiortc peer as the doctor: it is switched on at what it gives, the doctor is told what it
gives and what was asked (``exam_state``), the picture arrives at that size and the call goes
on; the patient's screen shows the picture (nothing failed: no trouble line). The two
failures (absent, unplugged during the exam) are in ``test_exam_call`` for the doctor and
``tests/ui/test_exam_guide`` for the patient."""

from __future__ import annotations

from typing import Any

import pytest

from drivers.media import sim
from kiosk.call.exam import ExamInstruments
from tests.helpers.waiting import until
from tests.media.test_exam_call import Doctor, start_call


@pytest.mark.asyncio
async def test_a_camera_offering_only_640x480_is_told_and_the_call_goes_on() -> None:
    url = sim.camera_url(offer=(640, 480), ask=(1920, 1080))
    doctor = Doctor()
    call = await start_call(ExamInstruments({"exam_camera": url}), doctor)
    try:
        _face, _mic, camera = doctor.mids()
        doctor.send("exam_on", id="d1", instrument="exam_camera")
        state: dict[str, Any] = await doctor.state("exam_camera", on=True)
        assert state["detail"] == "640×480 at 30 fps; asked 1920×1080, got 640×480"
        await until(lambda: len(doctor.frames[camera]) >= 10, "the exam picture", timeout=20)
        frame = doctor.frames[camera][-1]
        assert (frame.width, frame.height) == (640, 480)
        assert call.exam_guide.trouble == ()  # it works: the patient sees its picture
        assert call.exam_frame is not None and call.exam_frame.width == 640
        assert call._pc is not None and call._pc.connectionState == "connected"
    finally:
        await call.close()
        await doctor.close()
