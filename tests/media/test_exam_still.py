"""A still of the exam camera asked from the doctor's side (``still_request``): a JPEG at the
camera's full resolution, sent in ``exam_still`` pieces on the data channel and kept in the
session's tmpfs spool only; a camera that is not there, or another session, is refused."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import av
import pytest

from drivers.media import sim
from kiosk.call.exam import ExamInstruments
from kiosk.privacy import Spool
from tests.helpers.waiting import until
from tests.media.test_exam_call import Doctor, start_call

pytestmark = pytest.mark.asyncio


def jpeg_size(data: bytes) -> tuple[int, int]:
    with av.open(io.BytesIO(data), format="mjpeg") as container:
        frame = next(container.decode(video=0))
        return frame.width, frame.height


async def answer(doctor: Doctor, ref: str) -> tuple[bytes, list[dict[str, Any]]] | dict[str, Any]:
    """The still's bytes and pieces once acknowledged, or the error answering ``ref``."""

    def settled() -> bool:
        return any(m.get("id") == ref or m.get("ref") == ref for m in doctor.messages
                   if m["type"] in ("ack", "error"))  # fmt: skip

    await until(settled, f"the answer to {ref}", timeout=20)
    error = next((m for m in doctor.messages if m["type"] == "error" and m["ref"] == ref), None)
    if error is not None:
        return error
    pieces = [m for m in doctor.messages if m["type"] == "exam_still" and m["ref"] == ref]
    return b"".join(base64.b64decode(p["data"]) for p in pieces), pieces


async def test_a_still_at_full_resolution_reaches_the_doctor_and_stays_in_the_spool(
    tmp_path: Path,
) -> None:
    exam = ExamInstruments({"exam_camera": sim.camera_url(offer=(1920, 1080))})
    exam.spool = Spool(tmp_path / "spool", require_memory=False)
    doctor = Doctor()
    call = await start_call(exam, doctor)
    call.session_id = "sess-1"
    try:
        doctor.send("still_request", id="s1", session_id="sess-1")  # camera off: opened
        got = await answer(doctor, "s1")
        assert isinstance(got, tuple)
        jpeg, pieces = got
        assert len(pieces) == pieces[0]["chunks"] > 1
        assert [p["index"] for p in pieces] == list(range(len(pieces)))
        assert (pieces[0]["width"], pieces[0]["height"]) == (1920, 1080)
        assert jpeg_size(jpeg) == (1920, 1080)
        kept = sorted((tmp_path / "spool" / "sess-1" / "exam").iterdir())
        assert [p.name for p in kept] == ["001-still.jpg"] and kept[0].read_bytes() == jpeg
        assert kept[0].stat().st_mode & 0o777 == 0o600

        doctor.send("exam_on", id="d1", instrument="exam_camera")  # on: the frame being sent
        await doctor.state("exam_camera", on=True)
        await until(lambda: exam._taps["exam_camera"].last is not None, "a frame sent")
        doctor.send("still_request", id="s2", session_id="sess-1")
        got = await answer(doctor, "s2")
        assert isinstance(got, tuple) and jpeg_size(got[0]) == (1920, 1080)
        assert len(list((tmp_path / "spool" / "sess-1" / "exam").iterdir())) == 2

        doctor.send("still_request", id="s3", session_id="sess-0")  # another patient's page
        refused = await answer(doctor, "s3")
        assert isinstance(refused, dict) and refused["code"] == "wrong_session"
        exam.spool.wipe("sess-1")
        assert not (tmp_path / "spool" / "sess-1").exists()
    finally:
        await call.close()
        await doctor.close()


async def test_no_camera_no_still_and_the_call_goes_on(tmp_path: Path) -> None:
    exam = ExamInstruments({"exam_camera": "v4l2:///dev/video-none?size=1920x1080"})
    exam.spool = Spool(tmp_path / "spool", require_memory=False)
    doctor = Doctor()
    call = await start_call(exam, doctor)
    call.session_id = "sess-2"
    try:
        doctor.send("still_request", id="s1", session_id="sess-2")
        refused = await answer(doctor, "s1")
        assert isinstance(refused, dict)
        assert (refused["code"], refused["message"]) == ("not_found", "exam camera: missing")
        assert not (tmp_path / "spool" / "sess-2" / "exam").exists()
        assert call._pc is not None and call._pc.connectionState == "connected"
    finally:
        await call.close()
        await doctor.close()
