"""``kiosk sim ...``: simulated hardware for demos, tests and technicians.

Each simulator family registers its sub-command from a module listed in :data:`SIM_COMMANDS`.
"""

from __future__ import annotations

import argparse
import importlib

#: Modules with ``register(subparsers)`` adding ``kiosk sim <name>`` commands.
SIM_COMMANDS: tuple[str, ...] = (
    "kiosk.cli.sim_serial",
    "kiosk.cli.sim_ble",
    "kiosk.cli.sim_card",
    "kiosk.cli.sim_printer",
    "kiosk.cli.sim_media",
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "sim",
        help="run simulated hardware (virtual card, instruments...)",
        description="Simulated hardware speaking the real protocols, for demos and tests.",
    )
    sim_sub = p.add_subparsers(dest="sim_command", metavar="DEVICE")

    def usage(args: argparse.Namespace) -> int:
        p.print_help()
        return 2

    p.set_defaults(func=usage)
    for name in SIM_COMMANDS:
        importlib.import_module(name).register(sim_sub)
