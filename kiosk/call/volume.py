"""The patient's volume applied to each received audio frame before it is played (the
levels themselves are :mod:`kiosk.volume`, which the screens read without the call stack)."""

from __future__ import annotations

from array import array

import av

from kiosk.volume import VOLUME_DEFAULT, VOLUME_MAX, VOLUME_MIN, clamp_volume, volume_gain

__all__ = [
    "VOLUME_DEFAULT",
    "VOLUME_MAX",
    "VOLUME_MIN",
    "clamp_volume",
    "scale_audio",
    "volume_gain",
]


def scale_audio(frame: av.AudioFrame, gain: float) -> av.AudioFrame:
    """``frame`` with its 16-bit samples multiplied by ``gain``, in place (clipped, not
    wrapped); a frame not in 16 bits, or a gain of 1, is left as it is."""
    if gain == 1.0 or frame.format.name not in ("s16", "s16p"):
        return frame
    for plane in frame.planes:
        samples = array("h", bytes(plane))
        louder = array("h", (max(-32768, min(32767, round(x * gain))) for x in samples))
        plane.update(louder.tobytes())
    return frame
