"""``kiosk measure DEVICE_ID [--json] [--timeout S]``: one reading from a configured device
(a still or a clip from an examination instrument: :mod:`kiosk.cli.measure_media`)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TYPE_CHECKING

from kiosk.cli import add_config_option, measure_media

if TYPE_CHECKING:
    from drivers.types import Reading


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "measure",
        help="take one reading from a configured instrument",
        description=(
            "Take one reading from [devices.DEVICE_ID] and print it; readings on the way "
            "(cuff pressure, unstable weight, finger out) are shown as they come. "
            "Exit 0 for a valid reading, 1 for none (the device's reason is printed). "
            "The exam camera and the stethoscope: kiosk measure exam_camera --still out.jpg, "
            "kiosk measure stethoscope --seconds 5 --out clip.wav."
        ),
    )
    add_config_option(p)
    p.add_argument("device_id", metavar="DEVICE_ID", help="a [devices.ID] table of the config")
    p.add_argument("--json", action="store_true", help="print the final reading as JSON")
    p.add_argument(
        "--timeout", type=float, metavar="S", help="seconds allowed (default: measure_timeout)"
    )
    measure_media.add_options(p)
    p.set_defaults(func=run)


def describe(reading: Reading) -> str:
    """One human line: values with their units, missing ones with the device's reason."""
    parts = [
        f"{name} {value:g} {reading.unit_of(name).value}" for name, value in reading.values.items()
    ]
    parts += [f"{name}: no value ({why})" for name, why in reading.missing.items()]
    flags = f" [{', '.join(sorted(reading.flags))}]" if reading.flags else ""
    return ", ".join(parts) + flags


def run(args: argparse.Namespace) -> int:
    # Imported here: building the parser must stay cheap for every other command.
    from drivers.errors import DriverError
    from kiosk import config as config_mod
    from kiosk import instruments

    cfg = config_mod.load(args.config)
    if args.device_id in cfg.media:  # the exam camera, the stethoscope
        return measure_media.run(args, cfg)
    if args.still or args.out or args.seconds is not None:
        print(
            "kiosk measure: --still, --seconds and --out are for media instruments "
            "([devices.exam_camera], [devices.stethoscope])",
            file=sys.stderr,
        )
        return 2
    device = instruments.device_config(cfg, args.device_id)
    try:
        instrument = instruments.build(args.device_id, device)
    except DriverError as exc:
        print(f"kiosk measure: {exc}", file=sys.stderr)
        return 1

    def show(reading: Reading) -> None:
        if reading.intermediate or not reading.valid:
            print(f"  ... {describe(reading)}", file=sys.stderr, flush=True)

    print(
        f"measuring on {args.device_id} ({device.port or device.address})...",
        file=sys.stderr,
        flush=True,
    )
    try:
        reading = asyncio.run(
            instruments.measure(instrument, timeout=args.timeout, on_reading=show)
        )
    except DriverError as exc:
        print(f"kiosk measure: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(reading.to_json(), ensure_ascii=False))
    else:
        verdict = "" if reading.valid else "no valid measurement: "
        print(f"{args.device_id}: {verdict}{describe(reading)}")
    return 0 if reading.valid else 1
