"""How loud a received audio frame is: enough to tell the patient "the doctor is speaking"."""

from __future__ import annotations

import math
from array import array

import av

#: RMS of 16-bit samples above which the far end counts as speaking (about -36 dBFS).
VOICE_RMS = 500.0
#: How long "the doctor is speaking" stays shown after the last loud frame.
SPEAKING_HOLD_S = 0.5


def audio_rms(frame: av.AudioFrame) -> float:
    """Loudness of a 16-bit audio frame (every 4th sample is enough to tell a voice)."""
    if frame.format.name not in ("s16", "s16p"):
        return 0.0
    channels = 1 if frame.format.is_planar else len(frame.layout.channels)
    samples = array("h", bytes(frame.planes[0])[: frame.samples * channels * 2])
    picked = samples[::4]
    if not picked:
        return 0.0
    return math.sqrt(sum(x * x for x in picked) / len(picked))
