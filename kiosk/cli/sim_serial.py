"""``kiosk sim serial KIND [--script FILE]``: a simulated serial instrument on a pty.

Prints the device path (and a config table using it), then plays the device until Ctrl-C.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType

from drivers.ptysim import PtySimulator, ScriptError, load_script

#: KIND -> (simulator module, class, the reading kind, a device id for the config snippet)
SIMULATORS: dict[str, tuple[str, str, str, str]] = {
    "suntech-advantage": (
        "drivers.suntech.sim",
        "SunTechSimulator",
        "blood_pressure",
        "tensiometer",
    ),
    "and-weight": ("drivers.and_scale.sim", "AndScaleSimulator", "weight", "scale"),
    "nonin-oem3": ("drivers.nonin.sim", "NoninSimulator", "spo2", "oximeter"),
    "contec-cms50d": ("drivers.contec.sim", "ContecSimulator", "spo2", "oximeter"),
    "masimo-ascii1": ("drivers.masimo.sim", "MasimoSimulator", "spo2", "oximeter"),
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "serial",
        help="a simulated serial instrument on a pseudo-terminal",
        description=(
            "Play a serial instrument byte for byte on a pty and print the path to put in "
            "the config's port. Kinds: " + ", ".join(SIMULATORS)
        ),
        epilog=(
            "A script is a TOML file of [[step]] tables, one action each, played in order: "
            'garbage = "HEX", unplug = SECONDS (then replug), silence = SECONDS, '
            "wait = SECONDS; suntech-advantage: measure = {systolic, diastolic, map, pulse, "
            "error, inflate_s, deflate_s, peak} (error = 87: loose cuff); and-weight: "
            'weight = {value, stable, unit, overload}, error = "E01"; oximeters: '
            "sample = {spo2, pulse, finger_out, probe_error, seconds}."
        ),
    )
    p.add_argument("kind", metavar="KIND", choices=sorted(SIMULATORS), help="the device")
    p.add_argument("--script", type=Path, metavar="FILE", help="TOML file of [[step]] tables")
    p.add_argument(
        "--link",
        type=Path,
        metavar="PATH",
        help="stable path to the pty (default /tmp/cabine-KIND); kept across unplug/replug",
    )
    p.add_argument("--duration", type=float, metavar="S", help="stop after S seconds")
    p.set_defaults(func=run)


def build(kind: str, *, link: Path | None) -> PtySimulator:
    module_name, class_name, _, _ = SIMULATORS[kind]
    cls = getattr(importlib.import_module(module_name), class_name)
    sim: PtySimulator = cls(link=link)
    return sim


def run(args: argparse.Namespace) -> int:
    module_kind, device_id = SIMULATORS[args.kind][2], SIMULATORS[args.kind][3]
    link = args.link or Path(f"/tmp/cabine-{args.kind}")
    sim = build(args.kind, link=link)
    try:
        steps = load_script(args.script) if args.script else []
        sim.play(steps)  # checked before the pty exists
    except ScriptError as exc:
        print(f"kiosk sim serial: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_signal)
    sim.start()
    try:
        print(sim.path, flush=True)
        print(
            f"# simulated {args.kind} on {sim.path} ({Path(sim.path).resolve()}); "
            f"config table to use it:\n"
            f'# [devices.{device_id}]\n# driver = "{args.kind}"\n'
            f'# kind = "{module_kind}"\n# port = "{sim.path}"\n'
            "# Ctrl-C to stop.",
            file=sys.stderr,
            flush=True,
        )
        end = time.monotonic() + args.duration if args.duration else None
        while not stop.is_set():
            wait = 1.0 if end is None else min(1.0, end - time.monotonic())
            if wait <= 0:
                break
            stop.wait(wait)
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
        signal.signal(signal.SIGTERM, previous)
    return 0
