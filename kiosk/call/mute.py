"""The patient's microphone as the call sends it: the cabin's audio track relayed frame by
frame, silent while the patient has muted it on the call screen."""

from __future__ import annotations

from typing import Any

import av
from aiortc import MediaStreamTrack


def silence(frame: av.AudioFrame) -> av.AudioFrame:
    """A frame as long as ``frame``, same format and timing, all zeros."""
    quiet = av.AudioFrame(format=frame.format.name, layout=frame.layout.name, samples=frame.samples)
    for plane in quiet.planes:
        plane.update(bytes(plane.buffer_size))
    quiet.sample_rate = frame.sample_rate
    quiet.pts = frame.pts
    quiet.time_base = frame.time_base
    return quiet


class MutableMicrophone(MediaStreamTrack):
    """Relays ``source``; while :attr:`muted`, silence of the same length goes instead (the
    stream's timing goes on: the doctor's browser hears no gap, only nothing). The source
    belongs to the cabin's media, which stops it."""

    kind = "audio"

    def __init__(self, source: MediaStreamTrack) -> None:
        super().__init__()
        self.source = source
        self.muted = False

    async def recv(self) -> av.frame.Frame | av.packet.Packet[Any]:
        frame = await self.source.recv()
        if not self.muted or not isinstance(frame, av.AudioFrame):
            return frame
        return silence(frame)
