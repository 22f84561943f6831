"""The ``kiosk`` command: one sub-command per module listed in :data:`COMMANDS`.

Each command module has ``register(subparsers)`` adding its parser with ``func`` set to a
callable ``(args) -> int``. The screens' commands (``run``, ``demo``, ``screenshots``) are
added by ``ui.entry``, the installed entry point, since nothing below ``ui`` may import it.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import Protocol

from kiosk import __version__
from kiosk.errors import CabineError, ConfigError

#: Command modules, imported lazily when the parser is built; order is the help order.
COMMANDS: tuple[str, ...] = (
    "kiosk.cli.card",
    "kiosk.cli.decode",
    "kiosk.cli.document",
    "kiosk.cli.measure",
    "kiosk.cli.portal",
    "kiosk.cli.printing",
    "kiosk.cli.selftest",
    "kiosk.cli.sim",
    "kiosk.cli.version",
)


class CommandModule(Protocol):
    def register(self, subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None: ...


Handler = Callable[[argparse.Namespace], int]


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="config file (default: $KIOSK_CONFIG, then /etc/cabine/kiosk.toml)",
    )


def build_parser(extra: Sequence[CommandModule] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Cabine: the runtime of a teleconsultation cabin.",
    )
    parser.add_argument("--version", action="version", version=f"cabine {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules: list[CommandModule] = [importlib.import_module(m) for m in COMMANDS]
    for module in [*extra, *modules]:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None, *, extra: Sequence[CommandModule] = ()) -> int:
    """Run one command; a config error exits 2 and any other Cabine error 1, in one line."""
    parser = build_parser(extra)
    args = parser.parse_args(argv)
    func: Handler | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        return func(args)
    except ConfigError as exc:
        print(f"kiosk: config error: {exc}", file=sys.stderr)
        return 2
    except CabineError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
