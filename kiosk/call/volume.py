"""How loud the doctor is played in the cabin: the patient's volume level (a few big steps,
never silent) and the gain it applies to each received audio frame before it is played."""

from __future__ import annotations

from array import array

import av

#: The patient's levels: 1 (quietest) to VOLUME_MAX; never 0, so the doctor cannot be lost
#: by a press too many.
VOLUME_MIN = 1
VOLUME_MAX = 5
VOLUME_DEFAULT = 3
#: 3 dB a step: from half (-6 dB) to twice (+6 dB) the doctor's own level.
_STEP_DB = 3.0


def clamp_volume(level: int) -> int:
    return max(VOLUME_MIN, min(VOLUME_MAX, int(level)))


def volume_gain(level: int) -> float:
    """The amplitude factor of ``level`` (1.0 at :data:`VOLUME_DEFAULT`)."""
    return float(10 ** ((clamp_volume(level) - VOLUME_DEFAULT) * _STEP_DB / 20))


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
