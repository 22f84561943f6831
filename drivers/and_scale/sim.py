"""An A&D scale on a pty, answering ``Q`` (weight now) and ``S`` (weight once stable).

Script steps: ``weight = {value, stable, unit, overload}`` (one per query; without a script a
person steps on: three unstable weights, then a stable one, again and again; ``overload =
true`` answers the real line ``OL,+9999999E+19``, ``OL,-9999999E+19`` with a negative
value), ``error = "E01"`` (answered as ``EC,E01``), plus the common ``garbage``, ``unplug``,
``silence``, ``wait``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from drivers.and_scale import protocol as p
from drivers.ptysim import PtySimulator, ScriptError, Step
from drivers.types import Unit

#: A person stepping on: three unstable weights, then the stable one.
DEFAULT_CYCLE: tuple[dict[str, Any], ...] = (
    {"value": 70.30, "stable": False},
    {"value": 70.65, "stable": False},
    {"value": 70.45, "stable": False},
    {"value": 70.50, "stable": True},
)
WEIGHT_KEYS = frozenset({"value", "stable", "unit", "overload"})
UNIT_NAMES = {"kg": Unit.KG, "g": Unit.GRAM, "lb": Unit.POUND}


class AndScaleSimulator(PtySimulator):
    step_keys = ("weight", "error")

    def __init__(self, *, link: Path | None = None, name: str = "and-scale") -> None:
        super().__init__(link=link, name=name)
        self._inbox = bytearray()
        self._cycle = 0
        self._zero = 0.0
        self.zeroed = 0  # Z and T commands received

    def _check_step(self, step: Step) -> Step:
        step = super()._check_step(step)
        w = step.get("weight")
        if w is not None and (
            not isinstance(w, dict)
            or not set(w) <= WEIGHT_KEYS
            or str(w.get("unit", "kg")) not in UNIT_NAMES
        ):
            raise ScriptError(f"weight step: keys {sorted(WEIGHT_KEYS)}, unit kg, g or lb")
        return step

    def is_answer(self, step: Step) -> bool:
        return "weight" in step or "error" in step

    def on_bytes(self, data: bytes) -> None:
        self._inbox += data
        while b"\n" in self._inbox:
            line, _, rest = bytes(self._inbox).partition(b"\n")
            self._inbox = bytearray(rest)
            self._command(line.strip())
        if len(self._inbox) > 64:
            self._inbox.clear()

    def _command(self, cmd: bytes) -> None:
        if cmd == b"Q":
            self.send(self._line(stable_only=False))
        elif cmd == b"S":
            self.send(self._line(stable_only=True))
        elif cmd in (b"Z", b"T"):
            self.zeroed += 1  # the simulated platform is empty: its zero does not move
        else:
            self.send(b"EC,E01\r\n")

    def _next(self) -> Step:
        if self._steps and self.is_answer(self._steps[0]):
            return self._steps.popleft()
        weight = DEFAULT_CYCLE[self._cycle % len(DEFAULT_CYCLE)]
        self._cycle += 1
        return {"weight": weight}

    def _line(self, *, stable_only: bool) -> bytes:
        for _ in range(len(self._steps) + len(DEFAULT_CYCLE) + 1):
            step = self._next()
            if "error" in step:
                return f"EC,{step['error']}\r\n".encode()
            w = step["weight"]
            unit = UNIT_NAMES[str(w.get("unit", "kg"))]
            if w.get("overload"):
                return p.encode(p.Header.OVERLOAD, float(w.get("value", 0.0)))
            stable = bool(w.get("stable", True))
            if stable or not stable_only:
                header = p.Header.STABLE if stable else p.Header.UNSTABLE
                return p.encode(header, float(w.get("value", 0.0)) - self._zero, unit)
        return b"EC,E03\r\n"  # pragma: no cover - the default cycle always reaches a stable one
