"""A media source as a call's track: frames read from an :class:`OpenedSource` on a named
thread, paced in real time, stamped with the call's clock, handed to aiortc's one ``recv()``.

Audio is only repacked into 20 ms frames of 16-bit samples at the source's own rate and
channels: no resampling, gain, filter, echo cancellation or noise suppression. A device that
fails or goes away (a camera unplugged during the exam) ends the track and says why in
:attr:`SourceTrack.problem`; ``on_ended`` is called on the event loop.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import av
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

from drivers.media.sources import OpenedSource

log = logging.getLogger(__name__)

#: Frames held between the reader thread and the encoder; beyond, the oldest go (a slow
#: encoder costs at most this much delay, never memory).
QUEUE_FRAMES = 10
VIDEO_CLOCK = Fraction(1, 90000)
#: Audio frames of 20 ms, as WebRTC's Opus takes them.
AUDIO_PTIME = 0.02


class SourceTrack(MediaStreamTrack):
    """``source``'s frames as a live track; the track owns the source and closes it."""

    def __init__(
        self,
        source: OpenedSource,
        *,
        device: str = "",
        on_ended: Callable[[SourceTrack], None] | None = None,
    ) -> None:
        super().__init__()
        self.kind = source.kind
        self.source, self.device = source, device or source.url.url
        self.on_ended = on_ended
        #: Why the track ended early ("" while it runs, or when stopped on purpose).
        self.problem = ""
        self.frames_read = 0
        self._event_loop = asyncio.get_running_loop()
        self._queue: collections.deque[Any] = collections.deque(maxlen=QUEUE_FRAMES)
        self._ready = asyncio.Event()
        self._halt = threading.Event()
        self._finished = False
        self._thread = threading.Thread(target=self._run, name=f"media-{source.kind}", daemon=True)
        self._thread.start()

    async def recv(self) -> av.VideoFrame | av.AudioFrame:
        while not self._queue:
            if self._finished or self.readyState != "live":
                raise MediaStreamError
            self._ready.clear()
            await self._ready.wait()
        frame: av.VideoFrame | av.AudioFrame = self._queue.popleft()
        return frame

    def stop(self) -> None:
        """Stop reading and release the device (the thread closes it on its way out)."""
        self._halt.set()
        super().stop()
        self._ready.set()

    # -- the reader thread -------------------------------------------------------------------

    def _run(self) -> None:
        problem = ""
        try:
            self._read()
            if not self._halt.is_set():
                problem = "the source ended"
        except (av.FFmpegError, OSError, ValueError) as exc:
            if not self._halt.is_set():
                problem = f"{type(exc).__name__}: {getattr(exc, 'strerror', None) or 'read failed'}"
        finally:
            with contextlib.suppress(av.FFmpegError, OSError):
                self.source.close()
        if problem:
            log.warning("media %s: stopped (%s)", self.device, problem)
        self._on_loop(self._end, problem)

    def _read(self) -> None:
        started = time.monotonic()
        # a device gives frames at its own pace; a file or a test graph is read at the pace
        # a device would give them
        paced = self.source.url.scheme in ("lavfi", "file")
        first: float | None = None
        audio = _AudioPacker(self.source) if self.kind == "audio" else None
        raw = audio is not None and audio.raw
        stream = self.source.stream
        items = self.source.container.demux(stream) if raw else self.source.frames()
        for item in items:
            if self._halt.is_set():
                return
            self.frames_read += 1
            if paced and item.pts is not None and item.time_base is not None:
                at = float(item.pts * item.time_base)
                first = at if first is None else first
                ahead = (at - first) - (time.monotonic() - started)
                if ahead > 0.002:
                    self._halt.wait(min(ahead, 1.0))
            if audio is None:
                item.pts = int((time.monotonic() - started) / VIDEO_CLOCK)
                item.time_base = VIDEO_CLOCK
                self._hand(item)
                continue
            for out in audio.pack(item):
                self._hand(out)

    def _hand(self, frame: Any) -> None:
        self._on_loop(self._push, frame)

    def _on_loop(self, call: Callable[[Any], None], value: Any) -> None:
        try:
            self._event_loop.call_soon_threadsafe(call, value)
        except RuntimeError:  # the loop is closed: nobody reads any more
            self._halt.set()

    # -- back on the event loop ----------------------------------------------------------------

    def _push(self, frame: Any) -> None:
        self._queue.append(frame)
        self._ready.set()

    def _end(self, problem: str) -> None:
        self._finished = True
        self.problem = problem
        self._ready.set()
        if problem and self.on_ended is not None:
            self.on_ended(self)


class _AudioPacker:
    """20 ms frames of 16-bit samples at the source's rate and channels, numbered from 0.

    A 16-bit mono or stereo PCM (a USB stethoscope; the simulator, whose ``null`` slave
    gives one sample per period) is repacked from its raw packets without decoding: tens of
    thousands of one-sample packets a second would cost a core through a resampler."""

    def __init__(self, source: OpenedSource) -> None:
        self.channels = source.format.channels
        self.rate = source.format.rate
        self.layout = "mono" if self.channels == 1 else "stereo"
        self.raw = source.stream.codec_context.name == "pcm_s16le" and self.channels <= 2
        self.frame_samples = int(self.rate * AUDIO_PTIME)
        self._bytes = bytearray()
        self._samples = 0
        # named, as WebRTC's Opus wants it (ALSA says "1 channels"); a device of more than
        # two channels is the one case mixed down
        self._resampler = av.AudioResampler(
            format="s16", layout=self.layout, rate=self.rate, frame_size=self.frame_samples
        )

    def pack(self, item: Any) -> list[av.AudioFrame]:
        if not self.raw:
            frames = list(self._resampler.resample(item))
            for frame in frames:
                frame.pts, frame.time_base = self._samples, Fraction(1, self.rate)
                self._samples += frame.samples
            return frames
        self._bytes += bytes(item)
        size = self.frame_samples * 2 * self.channels
        frames = []
        while len(self._bytes) >= size:
            frame = av.AudioFrame(format="s16", layout=self.layout, samples=self.frame_samples)
            frame.planes[0].update(bytes(self._bytes[:size]))
            del self._bytes[:size]
            frame.sample_rate = self.rate
            frame.pts, frame.time_base = self._samples, Fraction(1, self.rate)
            self._samples += self.frame_samples
            frames.append(frame)
        return frames
