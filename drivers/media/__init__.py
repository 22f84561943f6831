"""Media: where a call's local tracks come from (synthetic, or the cabin's camera and
microphone), how loud the far end is, and the loudspeaker it plays on. Knows no call and no
session: plain values in.

A track is aiortc's one ``async recv()``; a :class:`Media` source hands a fresh set of tracks
to each peer connection and stops them when it ends. The examination instruments open by URL
(:mod:`drivers.media_urls`, :mod:`.sources`), become tracks (:mod:`.live`) or one-shot
captures (:mod:`.capture`), and have a simulator (:mod:`.sim`); import those modules by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from drivers.media.devices import DeviceMedia
from drivers.media.loudness import SPEAKING_HOLD_S, VOICE_RMS, audio_rms
from drivers.media.speaker import Speaker
from drivers.media.synthetic import (
    STAMP_BITS,
    STAMP_BLOCK,
    SyntheticCamera,
    SyntheticMedia,
    ToneMicrophone,
)

if TYPE_CHECKING:
    from aiortc import MediaStreamTrack

__all__ = [
    "SPEAKING_HOLD_S",
    "STAMP_BITS",
    "STAMP_BLOCK",
    "VOICE_RMS",
    "DeviceMedia",
    "Media",
    "Speaker",
    "SyntheticCamera",
    "SyntheticMedia",
    "ToneMicrophone",
    "audio_rms",
]


class Media(Protocol):
    """Where a call's local tracks come from; one set per peer connection."""

    def tracks(self) -> list[MediaStreamTrack]: ...

    def stop(self) -> None: ...
