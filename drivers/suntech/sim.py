"""A SunTech Advantage module on a pty: answers start, poll, abort and fetch byte for byte.

Script steps: ``measure = {systolic, diastolic, map, pulse, error, inflate_s, deflate_s,
peak}`` (taken by the next start; without one the cuff reports 120/80), plus the common
``garbage``, ``unplug``, ``silence``, ``wait``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drivers.ptysim import PtySimulator, ScriptError, Step
from drivers.suntech import protocol as p

DEFAULT = {"systolic": 120, "diastolic": 80, "map": 93, "pulse": 72, "error": 0}
MEASURE_KEYS = {"systolic", "diastolic", "map", "pulse", "error", "inflate_s", "deflate_s", "peak"}


@dataclass
class _Cycle:
    started: float
    inflate_s: float
    deflate_s: float
    peak: int
    result: bytes
    failed: bool

    def pressure(self, now: float) -> int:
        t = now - self.started
        if t < self.inflate_s:
            return round(self.peak * t / self.inflate_s)
        t -= self.inflate_s
        if self.failed or t >= self.deflate_s:
            return 0
        return round(self.peak * (1 - t / self.deflate_s))

    def done(self, now: float) -> bool:
        end = self.inflate_s if self.failed else self.inflate_s + self.deflate_s
        return now - self.started >= end


class SunTechSimulator(PtySimulator):
    step_keys = ("measure",)

    def __init__(
        self,
        *,
        link: Path | None = None,
        name: str = "suntech",
        inflate_s: float = 1.0,
        deflate_s: float = 1.0,
    ) -> None:
        super().__init__(link=link, name=name)
        self.inflate_s, self.deflate_s = inflate_s, deflate_s
        self._inbox = bytearray()
        self._cycle: _Cycle | None = None
        self._last_result = p.encode_bp(systolic=0, diastolic=0, map=0, pulse=0)

    def _check_step(self, step: Step) -> Step:
        step = super()._check_step(step)
        if "measure" in step:
            m = step["measure"]
            if not isinstance(m, dict) or not set(m) <= MEASURE_KEYS:
                raise ScriptError(f"measure step: keys are {', '.join(sorted(MEASURE_KEYS))}")
            if not all(isinstance(v, int | float) and 0 <= v < 1000 for v in m.values()):
                raise ScriptError("measure step: numbers from 0 to 999 expected")
        return step

    def is_answer(self, step: Step) -> bool:
        return "measure" in step

    def on_bytes(self, data: bytes) -> None:
        self._inbox += data
        while self._inbox:
            start = self._inbox.find(p.HOST_START)
            if start < 0:
                self._inbox.clear()
                return
            del self._inbox[:start]
            for packet, name in p.COMMANDS.items():
                if self._inbox.startswith(packet):
                    del self._inbox[: len(packet)]
                    self._handle(name)
                    break
            else:
                if any(packet.startswith(self._inbox) for packet in p.COMMANDS):
                    return  # the rest of a command is on its way
                del self._inbox[:1]
                self.send(p.encode_ack(p.AckCode.ERROR_E))

    def _handle(self, name: str) -> None:
        now = time.monotonic()
        if name == "start":
            if self._cycle is not None:
                self.send(p.encode_ack(p.AckCode.BUSY))
                return
            self._begin(now)
            self.send(p.encode_ack(p.AckCode.RECEIVED))
        elif name == "abort":
            if self._cycle is not None:
                self._cycle = None
                self._last_result = p.encode_bp(systolic=0, diastolic=0, map=0, pulse=0, error=86)
            self.send(p.encode_ack(p.AckCode.ABORTED))
        elif name == "cuff_pressure":
            pressure = self._cycle.pressure(now) if self._cycle else 0
            self.send(p.encode_cuff(pressure))
        else:
            self.send(self._last_result)

    def _begin(self, now: float) -> None:
        step = self.next_answer("measure")
        m: dict[str, Any] = dict(DEFAULT)
        if step is not None:
            m.update(step["measure"])
        error = int(m["error"])
        self._cycle = _Cycle(
            started=now,
            inflate_s=float(m.get("inflate_s", self.inflate_s)),
            deflate_s=float(m.get("deflate_s", self.deflate_s)),
            peak=int(m.get("peak", 40 if error == 87 else 160)),
            result=p.encode_bp(
                systolic=int(m["systolic"]) if not error else 0,
                diastolic=int(m["diastolic"]) if not error else 0,
                map=int(m["map"]) if not error else 0,
                pulse=int(m["pulse"]) if not error else 0,
                error=error,
            ),
            failed=bool(error),
        )

    def on_tick(self, now: float) -> None:
        if self._cycle is not None and self._cycle.done(now):
            self._last_result = self._cycle.result
            self._cycle = None
            self.send(p.encode_ack(p.AckCode.DONE))
