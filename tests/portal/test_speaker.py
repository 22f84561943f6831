"""The doctor's voice played in the cabin, through the real ALSA stack: libasound's ``file``
PCM (built into libasound, over its ``null`` PCM) writes what the speaker plays to a file,
which the tests read back. No sound card, no mock."""

from __future__ import annotations

import asyncio
import itertools
import logging
import math
from array import array
from pathlib import Path
from typing import Any

import av
import pytest
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError

from drivers.media import Speaker, ToneMicrophone
from kiosk.call import CabinCall, CallOptions
from kiosk.call.volume import VOLUME_DEFAULT
from tests.helpers.waiting import until

RATE = 48000


@pytest.fixture
def pcm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``pcm(name)``: an ALSA PCM ``name`` that writes what it plays, as raw s16, to
    ``tmp_path/name.raw`` (returned); libasound reads its config from this file only (a new
    file for each: it reloads a changed path list, not a file changed in the same second)."""
    names: list[str] = []

    def define(name: str) -> Path:
        names.append(name)
        asoundrc = tmp_path / f"asoundrc-{len(names)}"
        asoundrc.write_text(
            "".join(
                f'pcm.{n} {{ type file; slave.pcm {{ type null }}; file "{tmp_path / n}.raw";'
                ' format "raw" }\n'
                for n in names
            )
        )
        monkeypatch.setenv("ALSA_CONFIG_PATH", str(asoundrc))
        return tmp_path / f"{name}.raw"

    return define


class FiniteTone:
    """``frames`` frames of the synthetic 400 Hz tone, paced as a remote track is (20 ms a
    frame), then the end of the track."""

    kind = "audio"

    def __init__(self, frames: int, *, layout: str = "mono") -> None:
        self.left = frames
        self.layout = layout
        self._tone = ToneMicrophone()

    async def recv(self) -> av.AudioFrame:
        if self.left <= 0:
            raise MediaStreamError
        self.left -= 1
        mono = array("h", bytes((await self._tone.recv()).planes[0]))
        samples = (
            array("h", (s for s in mono for _ in range(2))) if self.layout == "stereo" else mono
        )
        frame = av.AudioFrame(format="s16", layout=self.layout, samples=len(mono))
        frame.planes[0].update(samples.tobytes())
        frame.sample_rate = RATE
        return frame


def channel(raw: Path, channels: int = 2, skip_s: float = 0.0) -> list[int]:
    samples = array("h", raw.read_bytes())
    return list(samples[int(skip_s * RATE) * channels :: channels])


def frequency(samples: list[int]) -> float:
    rising = sum(1 for a, b in itertools.pairwise(samples) if a < 0 <= b)
    return rising * RATE / len(samples)


def rms(samples: list[int]) -> float:
    return math.sqrt(sum(s * s for s in samples) / len(samples))


def call_on(pcm_name: str) -> CabinCall:
    options = CallOptions(
        portal_url="ws://127.0.0.1:9/",
        cabin_id="c1",
        token="t",
        synthetic_media=True,
        audio_output=pcm_name,
    )
    return CabinCall(options)


@pytest.mark.asyncio
async def test_the_doctor_plays_at_the_patients_volume(pcm: Any) -> None:
    files = {}
    for level in (VOLUME_DEFAULT, VOLUME_DEFAULT + 1):
        files[level] = pcm(f"cabine_level{level}")
        call = call_on(f"cabine_level{level}")
        assert call.speaker is not None
        call.set_volume(level)
        await call._consume(FiniteTone(50, layout="stereo"))  # type: ignore[arg-type]
        await call.close()  # the call owns its speaker: played out and released
        assert call.speaker.played == 50 and call.speaker.problem == ""
    quiet, loud = (channel(files[level]) for level in sorted(files))
    assert len(quiet) == len(loud) == 50 * 960
    assert frequency(quiet) == pytest.approx(400, abs=2)
    assert frequency(loud) == pytest.approx(400, abs=2)
    assert 20 * math.log10(rms(loud) / rms(quiet)) == pytest.approx(3.0, abs=0.05)


@pytest.mark.asyncio
async def test_a_mono_doctor_plays_and_each_call_reopens_the_device(pcm: Any) -> None:
    raw = pcm("cabine_mono")
    speaker = Speaker("cabine_mono")
    try:
        for _ in range(2):  # two calls: released at the end of each, opened again
            for _ in range(10):
                speaker.play(await FiniteTone(1).recv())
            speaker.end()
            await until(speaker.idle, "speaker played out")
        assert speaker.played == 20 and speaker.dropped == 0
    finally:
        await asyncio.to_thread(speaker.close)
    # the file PCM starts its file again at each opening: the second call's frames
    assert len(channel(raw, channels=1)) == 10 * 960
    assert frequency(channel(raw, channels=1)) == pytest.approx(400, abs=5)  # 0.2 s


@pytest.mark.asyncio
@pytest.mark.parametrize("device", ["hw:9,9", "cabine_absent"])
async def test_an_absent_speaker_is_logged_once_and_the_call_goes_on(
    device: str, pcm: Any, caplog: pytest.LogCaptureFixture
) -> None:
    pcm("cabine_present")  # a config that names other PCMs only
    call = call_on(device)
    caplog.set_level(logging.INFO, logger="drivers.media.speaker")
    for _ in range(2):  # two peer connections: the device is tried again, logged once
        await call._consume(FiniteTone(20))  # type: ignore[arg-type]
        assert call.speaker is not None
        await until(call.speaker.idle, "speaker gave up")
        call.speaker.end()
    await call.close()
    assert call.stats.remote_audio_frames == 40
    assert call.speaker.played == 0 and call.speaker.dropped == 40
    assert call.speaker.problem in ("no sound card", "OSError")
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in warnings] == [
        f"speaker {device}: cannot play ({call.speaker.problem}); the call goes on without sound"
    ]


def test_a_full_queue_drops_the_oldest_frames_never_blocks(pcm: Any) -> None:
    pcm("cabine_queue")
    speaker = Speaker("cabine_queue", queue_frames=3)
    speaker._thread = object()  # type: ignore[assignment]  # no thread: nothing is played
    frames = [av.AudioFrame(format="s16", layout="mono", samples=960) for _ in range(5)]
    for frame in frames:
        speaker.play(frame)
    assert list(speaker._queue) == frames[2:] and speaker.dropped == 2
    speaker.end()
    speaker.play(frames[0])  # the end marker is never dropped
    assert speaker._queue[-2] == "end" and speaker.dropped == 3
    speaker._thread = None
    speaker.close()
    with pytest.raises(ValueError, match="device"):
        Speaker("")


@pytest.mark.asyncio
async def test_a_call_plays_the_doctors_tone_received_over_webrtc(pcm: Any) -> None:
    raw = pcm("cabine_doctor")
    call = call_on("cabine_doctor")
    sent: list[tuple[str, dict[str, Any]]] = []

    async def send(msg_type: str, **fields: Any) -> bool:
        sent.append((msg_type, fields))
        return True

    call.link.send = send  # type: ignore[method-assign]  # the portal's part, on loopback
    call.call_id = "call-1"
    doctor = RTCPeerConnection()
    readers: list[asyncio.Task[Any]] = []

    async def read(track: Any) -> None:
        while True:
            try:
                await track.recv()
            except MediaStreamError:
                return

    doctor.on("track", lambda track: readers.append(asyncio.create_task(read(track))))
    try:
        await call._new_peer()
        offer = next(fields for kind, fields in sent if kind == "offer")
        await doctor.setRemoteDescription(RTCSessionDescription(offer["sdp"], "offer"))
        for transceiver in doctor.getTransceivers():
            if transceiver.kind == "audio":
                transceiver.sender.replaceTrack(ToneMicrophone())
                transceiver.direction = "sendrecv"
        await doctor.setLocalDescription(await doctor.createAnswer())
        await call._on_answer({"call_id": "call-1", "sdp": doctor.localDescription.sdp})
        speaker = call.speaker
        assert speaker is not None
        await until(lambda: speaker.played >= 75, "1.5 s of the doctor played", timeout=20)
    finally:
        await call.close()
        await doctor.close()
        for task in readers:
            task.cancel()
    left = channel(raw, skip_s=0.5)  # Opus settles first
    assert frequency(left) == pytest.approx(400, abs=5)
    assert rms(left) > 1000  # the tone's 3000 peak, through Opus, at the default volume


def test_the_output_comes_from_the_config_and_a_bad_one_is_named() -> None:
    from kiosk.config import ConfigError, load, parse, project_config

    base = '[cabin]\nid = "c1"\n[portal]\nurl = "ws://127.0.0.1:9/"\n'
    assert CallOptions.from_config(parse(base)).audio_output == "default"
    options = CallOptions.from_config(parse(base + '[call]\naudio_output = "plughw:CARD=PCH"\n'))
    assert options.audio_output == "plughw:CARD=PCH"
    speaker = options.speaker()
    assert speaker is not None and speaker.device == "plughw:CARD=PCH"
    assert CallOptions.from_config(parse(base + '[call]\naudio_output = ""\n')).speaker() is None
    # the demo plays into ALSA's null PCM: the whole path, no sound card, no echo
    assert CallOptions.from_config(load(project_config("demo"))).audio_output == "null"
    with pytest.raises(ConfigError, match=r"\[call\] key 'audio_output' must be a string"):
        parse(base + "[call]\naudio_output = 3\n")
