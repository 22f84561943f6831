"""What ``kiosk sim ble --script`` plays: a TOML device script, read and checked.

An optional ``[device]`` table (the :class:`DeviceSpec` keys) and ``[[step]]`` tables:
``measure = {...}``, ``raw = "HEX"`` or ``fault = NAME`` (+ ``count``).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from drivers.ble.sim.encoding import COMMON_MEASURE_KEYS, MEASURE_KEYS
from drivers.ble.sim.profiles import DeviceSpec, Fault, Profile
from drivers.ptysim import ScriptError, Step, load_script

#: The keys of a ``[device]`` table: the fields of :class:`DeviceSpec`.
SPEC_KEYS = frozenset(f.name for f in dataclasses.fields(DeviceSpec))


def check_step(profile: Profile, step: Step) -> Step:
    """A script step, checked: ``measure = {...}``, ``raw = "hex"`` or ``fault = NAME``."""
    keys = set(step) - {"count"}
    if len(keys) != 1 or not keys <= {"measure", "raw", "fault"}:
        raise ScriptError(f"step {dict(step)}: one of measure, raw, fault (+ count) expected")
    if "measure" in step:
        values = step["measure"]
        allowed = MEASURE_KEYS[profile] | COMMON_MEASURE_KEYS
        if not isinstance(values, dict) or not set(values) <= allowed:
            raise ScriptError(f"measure step: keys for {profile} are {', '.join(sorted(allowed))}")
    elif "raw" in step:
        try:
            bytes.fromhex(step["raw"])
        except (TypeError, ValueError) as exc:
            raise ScriptError(f"raw step: hex bytes expected, not {step['raw']!r}") from exc
    else:
        try:
            Fault(step["fault"])
        except ValueError as exc:
            names = ", ".join(f.value for f in Fault)
            raise ScriptError(f"fault step: one of {names}") from exc
    return step


def load_device_script(
    path: Path, *, profile: Profile | None = None
) -> tuple[DeviceSpec, list[Step]]:
    """A TOML script: an optional ``[device]`` table (DeviceSpec keys) and ``[[step]]``s."""
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ScriptError(f"{path}: cannot read script: {exc}") from exc
    table = dict(data.get("device") or {})
    unknown = set(table) - SPEC_KEYS
    if unknown:
        raise ScriptError(f"{path}: unknown [device] keys {sorted(unknown)}")
    if profile is not None:
        table.setdefault("profile", profile)
    if "profile" not in table:
        raise ScriptError(f"{path}: [device] needs a profile ({', '.join(Profile)})")
    try:
        spec = DeviceSpec(**table)
    except (TypeError, ValueError) as exc:
        raise ScriptError(f"{path}: bad [device] table: {exc}") from exc
    steps = load_script(path) if "step" in data else []
    return spec, [check_step(spec.profile, s) for s in steps]
