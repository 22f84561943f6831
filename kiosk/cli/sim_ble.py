"""``kiosk sim ble KIND [--script FILE]``: a simulated BLE instrument behind a simulated BlueZ.

Starts a private dbus-daemon and the simulated ``org.bluez`` on it, prints the bus address
(for ``DBUS_SYSTEM_BUS_ADDRESS``) and plays the device until Ctrl-C.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType

from drivers.ble.sim import (
    BlueZSimulator,
    DeviceSpec,
    Fault,
    Profile,
    SimulatorError,
    load_device_script,
)
from drivers.ptysim import ScriptError

#: KIND -> (registry driver name, reading kind, a device id for the config snippet)
KINDS: dict[Profile, tuple[str, str, str]] = {
    Profile.BLOOD_PRESSURE: ("ble-blood-pressure", "blood_pressure", "tensiometer"),
    Profile.THERMOMETER: ("ble-thermometer", "temperature", "thermometer"),
    Profile.WEIGHT: ("ble-weight", "weight", "scale"),
    Profile.PULSE_OXIMETER: ("ble-pulse-oximeter", "spo2", "oximeter"),
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "ble",
        help="a simulated BLE health instrument behind a simulated BlueZ",
        description=(
            "Start a private D-Bus bus serving a simulated BlueZ with one health-profile "
            "instrument, print the bus address to put in DBUS_SYSTEM_BUS_ADDRESS, and play "
            "the device. Kinds: " + ", ".join(k.value for k in Profile)
        ),
        epilog=(
            "A script is a TOML file: an optional [device] table (address, name, pairing, "
            "racp, current_time, clock_offset, resend_stored, advertising, interval_s, "
            "auto_measure) and [[step]] tables: measure = {...values, nan, time, steps, "
            'every}, raw = "HEX" (bytes sent as the record), fault = NAME with count = N. '
            "Faults: " + ", ".join(f.value for f in Fault) + "."
        ),
    )
    p.add_argument("kind", metavar="KIND", choices=[k.value for k in Profile], help="the device")
    p.add_argument("--script", type=Path, metavar="FILE", help="TOML device table and steps")
    p.add_argument("--address", metavar="MAC", help="the device's address")
    p.add_argument("--duration", type=float, metavar="S", help="stop after S seconds")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    profile = Profile(args.kind)
    try:
        if args.script:
            spec, steps = load_device_script(args.script, profile=profile)
        else:
            spec, steps = DeviceSpec(profile=profile), []
        if spec.profile is not profile:
            raise ScriptError(f"{args.script}: the script is for {spec.profile}, not {profile}")
    except ScriptError as exc:
        print(f"kiosk sim ble: {exc}", file=sys.stderr)
        return 2
    if args.address:
        spec.address = args.address.upper()
    driver, reading_kind, device_id = KINDS[profile]
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_signal)
    sim = BlueZSimulator()
    try:
        address = sim.start()
        sim.play(spec, steps)
        print(address, flush=True)
        print(
            f"# simulated {profile} {spec.address} on a private BlueZ; to use it:\n"
            f"# export DBUS_SYSTEM_BUS_ADDRESS='{address}'\n"
            f'# [devices.{device_id}]\n# driver = "{driver}"\n# kind = "{reading_kind}"\n'
            f'# address = "{spec.address}"\n# Ctrl-C to stop.',
            file=sys.stderr,
            flush=True,
        )
        end = time.monotonic() + args.duration if args.duration else None
        while not stop.is_set():
            wait = 1.0 if end is None else min(1.0, end - time.monotonic())
            if wait <= 0:
                break
            stop.wait(wait)
    except SimulatorError as exc:
        print(f"kiosk sim ble: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
        signal.signal(signal.SIGTERM, previous)
    return 0
