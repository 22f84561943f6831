"""The exam camera and the stethoscope in a call, with a real aiortc peer as the doctor: both
are pre-negotiated, switched on and off over the data channel, the stethoscope comes through
the real ALSA capture path (a FIFO fed heart sounds in real time) and mutes the cabin's
loudspeaker while it is on; an instrument that is absent or ends is told, the call goes on."""

from __future__ import annotations

import asyncio
import json
from array import array
from pathlib import Path
from typing import Any

import av
import pytest
from aiortc import (
    RTCBundlePolicy,
    RTCConfiguration,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError

import protocol
from drivers.media import ToneMicrophone, sim
from kiosk.call import CabinCall, CallOptions
from kiosk.call.exam import ExamInstruments
from tests.helpers.waiting import until

CAMERA = sim.camera_url(offer=(1280, 720))


class Doctor:
    """An aiortc peer answering the cabin's offer, reading every track it receives and
    keeping the data channel's messages."""

    def __init__(self) -> None:
        # max-bundle, as Chromium and the cabin do: aiortc's default ("balanced") leaves a
        # second audio m-line of an offer on a transport of its own that never connects
        config = RTCConfiguration(iceServers=[], bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)
        self.pc = RTCPeerConnection(config)
        self.channel: Any = None
        self.messages: list[dict[str, Any]] = []
        self.frames: dict[str, list[Any]] = {}
        self._readers: list[asyncio.Task[Any]] = []
        self.pc.on("datachannel", self._on_channel)

    def _on_channel(self, channel: Any) -> None:
        self.channel = channel
        channel.on("message", lambda raw: self.messages.append(json.loads(raw)))

    async def answer(self, call: CabinCall, sent: list[tuple[str, dict[str, Any]]]) -> None:
        offer = next(fields for kind, fields in sent if kind == "offer")
        await self.pc.setRemoteDescription(RTCSessionDescription(offer["sdp"], "offer"))
        for transceiver in self.pc.getTransceivers():
            track = transceiver.receiver.track
            self.frames[transceiver.mid] = []
            self._readers.append(asyncio.create_task(self._read(track, transceiver.mid)))
        # the doctor's voice: the cabin's watchdog counts a call without media as lost
        voice = next(t for t in self.pc.getTransceivers() if t.kind == "audio")
        voice.sender.replaceTrack(ToneMicrophone())
        voice.direction = "sendrecv"
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        await call._on_answer({"call_id": call.call_id, "sdp": self.pc.localDescription.sdp})

    async def _read(self, track: Any, mid: str) -> None:
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            self.frames[mid].append(frame)

    def mids(self) -> list[str]:
        return [t.mid for t in self.pc.getTransceivers()]

    def send(self, msg_type: str, **fields: Any) -> None:
        self.channel.send(protocol.data(msg_type, **fields))

    async def state(self, instrument: str, *, on: bool) -> dict[str, Any]:
        def found() -> dict[str, Any] | None:
            wanted = ("exam_state", instrument, on)
            return next(
                (
                    m
                    for m in self.messages
                    if (m["type"], m.get("instrument"), m.get("on")) == wanted
                ),
                None,
            )

        await until(lambda: found() is not None, f"exam_state {instrument} on={on}", timeout=20)
        state = found()
        assert state is not None
        self.messages.remove(state)
        return state

    async def close(self) -> None:
        await self.pc.close()
        for task in self._readers:
            task.cancel()


@pytest.fixture
def stethoscope(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The simulated stethoscope (``alsa://stethoscope``, heart sounds in real time) and a
    loudspeaker PCM ``cabin_out`` writing what it plays, in this process's private ALSA
    config."""
    fifo = tmp_path / "heart.fifo"
    conf = tmp_path / "asound-exam.conf"
    conf.write_text(
        sim.alsa_config(fifo)
        + f'pcm.cabin_out {{ type file; slave.pcm {{ type null }}; file "{tmp_path}/out.raw";'
        ' format "raw" }\n'
    )
    monkeypatch.setenv("ALSA_CONFIG_PATH", str(conf))
    feeder = sim.FifoFeeder(fifo, sim.heart_sound(10.0))
    feeder.start()
    yield feeder
    feeder.stop()


async def start_call(exam: ExamInstruments, doctor: Doctor) -> CabinCall:
    options = CallOptions(
        portal_url="ws://127.0.0.1:9/",
        cabin_id="c1",
        token="t",
        synthetic_media=True,
        audio_output="cabin_out",
    )
    call = CabinCall(options, exam=exam)
    sent: list[tuple[str, dict[str, Any]]] = []

    async def send(msg_type: str, **fields: Any) -> bool:
        sent.append((msg_type, fields))
        return True

    call.link.send = send  # type: ignore[method-assign]  # the portal's part, on loopback
    call.call_id = "call-1"
    await call._new_peer()
    await doctor.answer(call, sent)
    await until(lambda: doctor.channel is not None and doctor.channel.readyState == "open",
                "data channel open", timeout=20)  # fmt: skip
    return call


def heart_band(frames: list[av.AudioFrame]) -> float:
    samples: list[int] = []
    for frame in frames:
        interleaved = array("h", bytes(frame.planes[0])[: frame.samples * 2 * 2])
        samples.extend(interleaved[::2])  # the left channel of aiortc's decoded stereo
    return sim.band_share(samples[48000 // 2 :], 48000, 20, 200)  # Opus settles first


@pytest.mark.asyncio
async def test_the_doctor_switches_the_instruments_on_and_off(stethoscope: Any) -> None:
    exam = ExamInstruments({"exam_camera": CAMERA, "stethoscope": "alsa://stethoscope"})
    doctor = Doctor()
    call = await start_call(exam, doctor)
    try:
        face, _mic, camera, steth = doctor.mids()  # the extra tracks, negotiated from the start
        assert call.speaker is not None and not call.speaker.muted
        await asyncio.sleep(0.5)
        assert doctor.frames[camera] == [] and doctor.frames[steth] == []  # off: nothing sent

        doctor.send("exam_on", id="d1", instrument="exam_camera")
        doctor.send("exam_on", id="d2", instrument="stethoscope")
        assert (await doctor.state("exam_camera", on=True))["detail"] == "1280×720 at 30 fps"
        assert (await doctor.state("stethoscope", on=True))["detail"] == "48000 Hz, 1 channel(s)"
        assert call.speaker.muted  # no sound into the chest piece
        await until(lambda: len(doctor.frames[steth]) >= 150, "3 s of stethoscope", timeout=30)
        video = doctor.frames[camera][-1]
        assert (video.width, video.height) == (1280, 720)
        assert heart_band(doctor.frames[steth]) > 0.8  # the heartbeat arrived whole
        assert doctor.frames[face]  # the face camera went on all along

        doctor.send("exam_off", id="d3", instrument="stethoscope")
        assert (await doctor.state("stethoscope", on=False))["detail"] == ""
        assert not call.speaker.muted
        assert stethoscope.readers == 1  # the device was released
        acks = {m["id"] for m in doctor.messages if m["type"] == "ack"}
        assert {"d1", "d2", "d3"} <= acks
    finally:
        await call.close()
        await doctor.close()


@pytest.mark.asyncio
async def test_an_absent_or_lost_instrument_is_told_and_the_call_goes_on(stethoscope: Any) -> None:
    short_camera = "lavfi:testsrc2=size=640x480:rate=30:duration=1"  # unplugged after 1 s
    exam = ExamInstruments({"exam_camera": short_camera, "stethoscope": "alsa://otoscope"})
    doctor = Doctor()
    call = await start_call(exam, doctor)
    try:
        doctor.send("exam_on", id="d1", instrument="stethoscope")
        missing = await doctor.state("stethoscope", on=False)
        assert "cannot open ALSA PCM 'otoscope'" in missing["detail"]
        assert missing["detail"].endswith("[cannot_open]")
        assert call.speaker is not None and not call.speaker.muted

        doctor.send("exam_on", id="d2", instrument="exam_camera")
        assert (await doctor.state("exam_camera", on=True))["detail"] == "640×480 at 30 fps"
        lost = await doctor.state("exam_camera", on=False)
        assert lost["detail"] == "exam_camera: the source ended [ended]"
        assert call._pc is not None and call._pc.connectionState == "connected"
    finally:
        await call.close()
        await doctor.close()


@pytest.mark.asyncio
async def test_a_cabin_without_instruments_offers_no_extra_track_and_says_so() -> None:
    doctor = Doctor()
    call = await start_call(ExamInstruments({}), doctor)
    try:
        assert len(doctor.mids()) == 2  # the face camera and the microphone only
        doctor.send("exam_on", id="d1", instrument="stethoscope")
        state = await doctor.state("stethoscope", on=False)
        assert state["detail"] == "not in this cabin"
    finally:
        await call.close()
        await doctor.close()
