"""``kiosk decode PROFILE HEX_OR_TEXT``: what an instrument's bytes mean, as one JSON reading."""

from __future__ import annotations

import argparse
import json
import sys

from drivers import decoding
from drivers.errors import DriverError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "decode",
        help="decode an instrument's bytes into one JSON reading",
        description=(
            "Print the reading in the bytes (hex) or line (text) an instrument sent; "
            "exit 2 with one line when they are not a usable frame. Profiles: "
            + ", ".join(f"{name} ({form})" for name, (_, form) in decoding.PROFILES.items())
        ),
    )
    p.add_argument("profile", metavar="PROFILE", help="the device's protocol")
    p.add_argument("data", metavar="HEX_OR_TEXT", help="hex bytes, or the text line")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        reading = decoding.decode(args.profile, args.data)
    except DriverError as exc:
        print(f"kiosk decode: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(reading.to_json(), ensure_ascii=False))
    return 0
