"""Media sources by URL: parsed strictly, opened through PyAV, and honest about what the
device gives (a camera offering only 640×480 opens at 640×480 and says so)."""

from __future__ import annotations

import av
import pytest

from drivers.media import capture, sim
from drivers.media.sources import open_source
from drivers.media_urls import MediaErrorReason, MediaSourceError, parse_url


@pytest.mark.parametrize(
    ("url", "scheme", "target", "options"),
    [
        (
            "v4l2:///dev/video2?size=1920x1080&fps=30",
            "v4l2",
            "/dev/video2",
            {"video_size": "1920x1080", "framerate": "30"},
        ),
        (
            "v4l2:/dev/video0?input=mjpeg",
            "v4l2",
            "/dev/video0",
            {"input_format": "mjpeg"},
        ),
        ("alsa://hw:2,0", "alsa", "hw:2,0", {"sample_rate": "48000", "channels": "1"}),
        ("alsa://default", "alsa", "default", {"sample_rate": "48000", "channels": "1"}),
        (
            "alsa://plughw:CARD=Device,DEV=0?rate=44100&channels=2",
            "alsa",
            "plughw:CARD=Device,DEV=0",
            {"sample_rate": "44100", "channels": "2"},
        ),
        ("alsa://stethoscope", "alsa", "stethoscope", {"sample_rate": "48000", "channels": "1"}),
        ("lavfi:testsrc2=size=640x480:rate=30", "lavfi", "testsrc2=size=640x480:rate=30", {}),
        ("file:/srv/demo/heart.wav", "file", "/srv/demo/heart.wav", {}),
        ("file:///srv/demo/ear.mp4?size=1280x720", "file", "/srv/demo/ear.mp4", {}),
    ],
)
def test_good_urls_parse_into_pyav_arguments(url, scheme, target, options):
    parsed = parse_url(url)
    assert (parsed.scheme, parsed.target) == (scheme, target)
    file, _fmt, av_options = parsed.av_arguments()
    assert file == target
    assert av_options == options


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("", "empty"),
        ("pulse://default", "scheme must be one of"),
        ("/dev/video0", "scheme must be one of"),
        ("v4l2://", "names no device"),
        ("v4l2://video0", "a device under /dev"),
        ("v4l2:///dev/video2?size=1920", "not WIDTHxHEIGHT"),
        ("v4l2:///dev/video2?size=1920x1080&size=640x480", "given twice"),
        ("v4l2:///dev/video2?fps=fast", "not a number"),
        ("v4l2:///dev/video2?fps=0", "out of range"),
        ("v4l2:///dev/video2?rate=48000", "unknown key 'rate'"),
        ("v4l2:///dev/video2?size", "not key=value"),
        ("alsa://hw:2,0?channels=12", "1 to 8"),
        ("alsa://hw 2", "not an ALSA PCM name"),
        ("alsa://hw:2,0?size=640x480", "unknown key 'size'"),
    ],
)
def test_bad_urls_are_refused_saying_why(url, says):
    with pytest.raises(MediaSourceError, match=says) as caught:
        parse_url(url)
    assert caught.value.reason is MediaErrorReason.BAD_URL


def test_a_lavfi_camera_opens_and_gives_what_it_was_asked():
    with open_source(sim.camera_url(offer=(1280, 720)), kind="video") as src:
        assert (src.format.width, src.format.height, src.format.fps) == (1280, 720, 30.0)
        assert src.notice == ""
        frame = next(iter(src.frames()))
        assert (frame.width, frame.height) == (1280, 720)


def test_a_camera_that_only_offers_640x480_reports_what_it_got():
    url = sim.camera_url(offer=(640, 480), ask=(1920, 1080))
    probe = capture.probe(url, kind="video", device="exam_camera")
    assert str(probe.format) == "640×480 at 30 fps"
    assert probe.notice == "asked 1920×1080, got 640×480"
    still = capture.grab_still(url, device="exam_camera")
    assert (still.format.width, still.format.height) == (640, 480)


def test_a_still_is_a_jpeg_at_the_cameras_full_resolution():
    still = capture.grab_still(sim.camera_url(), device="exam_camera")
    assert still.jpeg.startswith(b"\xff\xd8") and still.jpeg.endswith(b"\xff\xd9")
    import io

    with av.open(io.BytesIO(still.jpeg), format="jpeg_pipe") as back:
        frame = next(back.decode(video=0))
    assert (frame.width, frame.height) == (1920, 1080)


def test_a_missing_camera_is_named():
    with pytest.raises(MediaSourceError, match="no camera at /dev/video77") as caught:
        open_source("v4l2:///dev/video77?size=1920x1080", kind="video", device="exam_camera")
    assert caught.value.reason is MediaErrorReason.MISSING
    assert caught.value.device == "exam_camera"


def test_a_missing_file_and_a_bad_graph_are_told_apart(tmp_path):
    with pytest.raises(MediaSourceError, match="no file at") as missing:
        open_source(f"file:{tmp_path}/gone.wav", kind="audio")
    assert missing.value.reason is MediaErrorReason.MISSING
    with pytest.raises(MediaSourceError, match="cannot open lavfi") as bad:
        open_source("lavfi:nosuchfilter=1", kind="video")
    assert bad.value.reason is MediaErrorReason.CANNOT_OPEN


def test_a_source_without_the_asked_stream_is_refused():
    with pytest.raises(MediaSourceError, match="gives no audio stream") as caught:
        open_source("lavfi:testsrc2=size=320x240", kind="audio", device="stethoscope")
    assert caught.value.reason is MediaErrorReason.NO_STREAM


def test_a_clip_keeps_the_sources_rate_and_samples(tmp_path):
    clip = capture.record("lavfi:sine=frequency=120:sample_rate=48000", seconds=0.5)
    assert (clip.rate, clip.channels, clip.samples) == (48000, 1, 24000)
    assert clip.wav[:4] == b"RIFF" and len(clip.wav) == 44 + 48000
    with pytest.raises(ValueError, match="at most 30"):
        capture.record("lavfi:sine", seconds=31)


def test_a_source_that_gives_nothing_is_bounded(tmp_path):
    import os

    fifo = tmp_path / "silent.fifo"
    os.mkfifo(fifo)  # no writer ever: opening it blocks, as a stopped device would
    with pytest.raises(MediaSourceError, match=r"nothing came in 0\.5 s") as caught:
        capture.probe(f"file:{fifo}", kind="audio", device="stethoscope", timeout=0.5)
    assert caught.value.reason is MediaErrorReason.NO_DATA
    with open(fifo, "wb"):  # release the probe's thread
        pass
