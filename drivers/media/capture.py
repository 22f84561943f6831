"""One-shot captures from a media source: a still at the camera's full resolution (JPEG), a
clip from the stethoscope (WAV, the samples as they came), and a probe for the self-test.

A live device may block on its first read (a camera that stopped, a FIFO without writer):
each capture runs on a named thread and is waited for with a deadline, so a caller never
hangs; a source past its deadline is reported as ``no_data``.
"""

from __future__ import annotations

import io
import queue
import threading
import wave
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TypeVar

import av

from drivers.media.sources import (
    MediaErrorReason,
    MediaSourceError,
    OpenedSource,
    SourceFormat,
    open_source,
)

T = TypeVar("T")
#: Frames skipped before a still: a UVC camera's first frames are often dark (its auto
#: exposure settling).
STILL_WARMUP_FRAMES = 3
#: The longest clip a technician (or, later, a doctor) may record.
MAX_CLIP_S = 30.0


@dataclass(frozen=True)
class Probe:
    """A source that opened and gave a frame: what it gives, and what differs from the URL."""

    format: SourceFormat
    notice: str


@dataclass(frozen=True)
class Still:
    """A JPEG at the camera's full resolution."""

    jpeg: bytes
    format: SourceFormat
    notice: str


@dataclass(frozen=True)
class Clip:
    """A WAV clip: 16-bit samples at the source's own rate and channels, unprocessed."""

    wav: bytes
    rate: int
    channels: int
    samples: int
    notice: str

    @property
    def seconds(self) -> float:
        return self.samples / self.rate if self.rate else 0.0


def _bounded(work: Any, *, timeout: float, name: str, device: str) -> Any:
    """Run ``work()`` on the thread ``name``; its result, or ``no_data`` after ``timeout``."""
    results: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)

    def run() -> None:
        try:
            results.put((True, work()))
        except BaseException as exc:  # handed to the caller, raised there
            results.put((False, exc))

    threading.Thread(target=run, name=name, daemon=True).start()
    try:
        ok, value = results.get(timeout=timeout)
    except queue.Empty:
        raise MediaSourceError(
            f"{device}: nothing came in {timeout:g} s (stopped, or unplugged?)",
            device=device,
            reason=MediaErrorReason.NO_DATA,
        ) from None
    if not ok:
        raise value
    return value


def _first_frames(source: OpenedSource, count: int, device: str) -> Any:
    frame = None
    for index, frame in enumerate(source.frames()):
        if index + 1 >= count:
            return frame
    if frame is None:
        raise MediaSourceError(
            f"{device}: the source ended before its first frame",
            device=device,
            reason=MediaErrorReason.ENDED,
        )
    return frame  # a short file: its last frame


def probe(url: str, *, kind: str, device: str = "", timeout: float = 5.0) -> Probe:
    """Open ``url``, read one frame, close: what the source gives."""
    label = device or url

    def work() -> Probe:
        with open_source(url, kind="video" if kind == "video" else "audio", device=label) as src:
            _first_frames(src, 1, label)
            return Probe(src.format, src.notice)

    result: Probe = _bounded(work, timeout=timeout, name="media-probe", device=label)
    return result


def jpeg_bytes(frame: av.VideoFrame, *, quality: int = 3) -> bytes:
    """``frame`` as a baseline JPEG at its own size (``quality``: 2 best .. 31 worst)."""
    codec: Any = av.CodecContext.create("mjpeg", "w")
    codec.width, codec.height = frame.width, frame.height
    codec.pix_fmt = "yuvj420p"
    codec.time_base = Fraction(1, 25)
    codec.options = {"qmin": str(quality), "qmax": str(quality)}
    picture = frame.reformat(format="yuvj420p")
    packets = list(codec.encode(picture)) + list(codec.encode(None))
    return b"".join(bytes(p) for p in packets)


def grab_still(
    url: str, *, device: str = "", timeout: float = 10.0, warmup: int = STILL_WARMUP_FRAMES
) -> Still:
    """One JPEG at the full resolution the camera gives (after ``warmup`` frames)."""
    label = device or url

    def work() -> Still:
        with open_source(url, kind="video", device=label) as src:
            frame = _first_frames(src, max(1, warmup + 1), label)
            return Still(jpeg_bytes(frame), src.format, src.notice)

    result: Still = _bounded(work, timeout=timeout, name="media-still", device=label)
    return result


def record(url: str, *, seconds: float, device: str = "", timeout: float | None = None) -> Clip:
    """``seconds`` of audio from ``url`` as a WAV clip, samples untouched but for their
    16-bit packing (no resampling, no gain, no filter)."""
    if not 0 < seconds <= MAX_CLIP_S:
        raise ValueError(f"a clip lasts more than 0 and at most {MAX_CLIP_S:g} s")
    label = device or url

    def work() -> Clip:
        with open_source(url, kind="audio", device=label) as src:
            rate, channels = src.format.rate, src.format.channels
            layout = "mono" if channels == 1 else "stereo" if channels == 2 else None
            resampler = av.AudioResampler(format="s16", layout=layout, rate=rate)
            wanted = int(seconds * rate)
            pcm = bytearray()
            got = 0
            for frame in src.frames():
                for out in resampler.resample(frame):
                    pcm += bytes(out.planes[0])[: out.samples * 2 * channels]
                    got += out.samples
                if got >= wanted:
                    break
            got = min(got, wanted)
            del pcm[got * 2 * channels :]
            buffer = io.BytesIO()
            with wave.open(buffer, "wb") as out_file:
                out_file.setnchannels(channels)
                out_file.setsampwidth(2)
                out_file.setframerate(rate)
                out_file.writeframes(bytes(pcm))
            return Clip(buffer.getvalue(), rate, channels, got, src.notice)

    limit = timeout if timeout is not None else seconds * 2 + 5.0
    result: Clip = _bounded(work, timeout=limit, name="media-record", device=label)
    return result
