"""A Masimo Rad-8 on a pty: one ASCII 1 line a second, dashes when there is no value.

Script steps: ``sample = {spo2, pulse, finger_out, probe_error, seconds}`` and the common ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from drivers.masimo import protocol as p
from drivers.ptysim import StreamingSimulator


class MasimoSimulator(StreamingSimulator):
    period = 1.0

    def encode(self, sample: Mapping[str, Any]) -> bytes:
        now = datetime.now()
        if sample.get("finger_out") or sample.get("probe_error"):
            # the exception word is relayed, not interpreted: any non-zero code will do here
            return p.encode(spo2=None, pulse=None, pi=None, when=now, exception="000001")
        return p.encode(spo2=int(sample["spo2"]), pulse=int(sample["pulse"]), when=now)
