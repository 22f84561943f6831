"""``kiosk version``: the installed Cabine version."""

from __future__ import annotations

import argparse
import platform

from kiosk import __version__


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("version", help="print the Cabine version")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    print(f"cabine {__version__} (Python {platform.python_version()})")
    return 0
