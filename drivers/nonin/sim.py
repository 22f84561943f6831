"""A Nonin OEM III module on a pty: a 25-frame packet every third of a second.

Script steps: ``sample = {spo2, pulse, finger_out, probe_error, seconds}`` and the common ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drivers.nonin import protocol as p
from drivers.ptysim import StreamingSimulator


class NoninSimulator(StreamingSimulator):
    period = 1 / 3

    def encode(self, sample: Mapping[str, Any]) -> bytes:
        if sample.get("probe_error"):
            return p.encode_packet(pulse=p.HR_MISSING, spo2=p.SPO2_MISSING, status=0x40)
        if sample.get("finger_out"):
            return p.encode_packet(pulse=p.HR_MISSING, spo2=p.SPO2_MISSING, status=0x10)
        return p.encode_packet(pulse=int(sample["pulse"]), spo2=int(sample["spo2"]), status=0x06)
