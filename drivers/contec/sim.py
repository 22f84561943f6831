"""A Contec CMS50D+ (legacy firmware) on a pty: 60 live packets a second.

Script steps: ``sample = {spo2, pulse, finger_out, probe_error, seconds}`` and the common ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drivers.contec import protocol as p
from drivers.ptysim import StreamingSimulator


class ContecSimulator(StreamingSimulator):
    period = 1 / 60

    def encode(self, sample: Mapping[str, Any]) -> bytes:
        if sample.get("finger_out") or sample.get("probe_error"):
            return p.encode(
                spo2=p.SPO2_MISSING,
                pulse=p.PULSE_MISSING,
                finger_out=bool(sample.get("finger_out")),
                probe_error=bool(sample.get("probe_error")),
                signal=0,
            )
        return p.encode(spo2=int(sample["spo2"]), pulse=int(sample["pulse"]))
