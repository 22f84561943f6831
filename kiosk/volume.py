"""How loud the doctor is played in the cabin: the patient's volume levels (a few big steps,
never silent) and the gain of each. Pure: the screens read it without loading the call."""

from __future__ import annotations

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
