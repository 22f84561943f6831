"""Synthetic media for the demo, the tests and the benchmarks: a moving grey ramp (optionally
stamped with its wall-clock time) and a quiet tone, cheap to make and real to encode."""

from __future__ import annotations

import math
import time

import av
from aiortc import MediaStreamTrack
from aiortc.mediastreams import AUDIO_PTIME, AudioStreamTrack, VideoStreamTrack

#: Glass-to-glass stamp: the frame's wall-clock time in ms (mod 2**32) as STAMP_BITS blocks
#: of STAMP_BLOCK px on the top row, most significant first, white = 1; the row below holds
#: the complement, so a page reading it back from a canvas can tell a damaged stamp.
STAMP_BITS = 32
STAMP_BLOCK = 16


class SyntheticCamera(VideoStreamTrack):
    """A moving grey ramp at the configured size: cheap to make, real to encode.

    ``stamp``: each frame carries its wall-clock time (see ``STAMP_BITS``), for measuring
    glass-to-glass latency at the doctor's page.
    """

    def __init__(self, *, width: int = 640, height: int = 480, stamp: bool = False) -> None:
        super().__init__()
        if stamp and (width < STAMP_BITS * STAMP_BLOCK or height < 2 * STAMP_BLOCK):
            raise ValueError(f"a stamped frame is at least {STAMP_BITS * STAMP_BLOCK} px wide")
        self.width, self.height, self.stamp = width, height, stamp
        self._row = bytes((x * 255 // max(1, width - 1)) for x in range(width)) * 2
        self._chroma = bytes([128]) * ((width // 2) * (height // 2))
        self._frames = 0

    def _luma(self, shift: int) -> bytes:
        row = self._row[shift : shift + self.width]
        if not self.stamp:
            return row * self.height
        ms = int(time.time() * 1000) % 2**STAMP_BITS  # wall clock: the page compares its own
        bits = [(ms >> (STAMP_BITS - 1 - i)) & 1 for i in range(STAMP_BITS)]

        def blocks(values: list[int]) -> bytes:
            line = b"".join((b"\xeb" if v else b"\x10") * STAMP_BLOCK for v in values)
            return line + row[len(line) :]

        top = blocks(bits) * STAMP_BLOCK + blocks([1 - b for b in bits]) * STAMP_BLOCK
        return top + row * (self.height - 2 * STAMP_BLOCK)

    async def recv(self) -> av.VideoFrame:
        pts, time_base = await self.next_timestamp()
        shift = (self._frames * 8) % self.width
        self._frames += 1
        frame = av.VideoFrame(self.width, self.height, "yuv420p")
        frame.planes[0].update(self._luma(shift))
        frame.planes[1].update(self._chroma)
        frame.planes[2].update(self._chroma)
        frame.pts, frame.time_base = pts, time_base
        return frame


class ToneMicrophone(AudioStreamTrack):
    """A quiet 400 Hz tone (8 whole periods per 20 ms frame, so one frame repeats)."""

    def __init__(self, *, rate: int = 48000) -> None:
        super().__init__()
        self.rate = rate
        samples = int(AUDIO_PTIME * rate)
        pcm = bytearray()
        for i in range(samples):
            value = int(3000 * math.sin(2 * math.pi * 400 * i / rate))
            pcm += value.to_bytes(2, "little", signed=True)
        self._pcm = bytes(pcm)
        self._samples = samples

    async def recv(self) -> av.AudioFrame:
        # pace like the base class does, then hand out the tone
        silence = await super().recv()
        frame = av.AudioFrame(format="s16", layout="mono", samples=self._samples)
        frame.planes[0].update(self._pcm)
        frame.sample_rate = self.rate
        frame.pts, frame.time_base = silence.pts, silence.time_base
        return frame


class SyntheticMedia:
    """Demo media: the synthetic camera, the tone, and a second camera as the exam camera."""

    def __init__(
        self, *, width: int = 640, height: int = 480, exam: bool = False, stamp: bool = False
    ) -> None:
        self.width, self.height, self.exam, self.stamp = width, height, exam, stamp
        self._tracks: list[MediaStreamTrack] = []

    def tracks(self) -> list[MediaStreamTrack]:
        camera = SyntheticCamera(width=self.width, height=self.height, stamp=self.stamp)
        self._tracks = [camera, ToneMicrophone()]
        if self.exam:
            self._tracks.append(SyntheticCamera(width=self.width, height=self.height))
        return list(self._tracks)

    def stop(self) -> None:
        for track in self._tracks:
            track.stop()
        self._tracks = []
