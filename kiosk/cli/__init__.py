"""The ``kiosk`` command: one sub-command per module listed in :data:`COMMANDS`.

Each command module has ``register(subparsers)`` adding its parser with ``func`` set to a
callable ``(args) -> int``. The screens' commands (``run``, ``demo``, ``screenshots``) are
added by ``ui.entry``, the installed entry point, since nothing below ``ui`` may import it.
``kiosk --config FILE COMMAND`` is ``kiosk COMMAND --config FILE`` for every command that
takes ``--config``; an unknown option is reported by the command's own parser.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import Protocol

from kiosk import __version__
from kiosk.errors import CabineError, ConfigError

#: Every core command: name -> (module registering it, one-line help). Only the module of
#: the command being run is imported, so ``kiosk --help`` and every command start fast;
#: the help lines are checked against the modules' own by the tests. Order is help order.
COMMANDS: dict[str, tuple[str, str]] = {
    "card": ("kiosk.cli.card", "read the Carte Vitale in the reader"),
    "decode": ("kiosk.cli.decode", "decode an instrument's bytes into one JSON reading"),
    "document": (
        "kiosk.cli.document",
        "compose the results sheet or a prescription as a PDF (no printing)",
    ),
    "measure": ("kiosk.cli.measure", "take one reading from a configured instrument"),
    "portal": ("kiosk.cli.portal", "run the doctor portal (login, waiting room, signalling)"),
    "print": (
        "kiosk.cli.printing",
        "print a PDF on the cabin printer and wait until it is printed",
    ),
    "print-test": ("kiosk.cli.printing", "print a test page (cabin id, time, scripts, QR code)"),
    "selftest": (
        "kiosk.cli.selftest",
        "check config, system packages and every configured device",
    ),
    "sim": ("kiosk.cli.sim", "run simulated hardware (virtual card, instruments...)"),
    "version": ("kiosk.cli.version", "print the Cabine version"),
}


class CommandModule(Protocol):
    def register(self, subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None: ...


Handler = Callable[[argparse.Namespace], int]

#: The namespace attribute of ``kiosk --config FILE COMMAND``: kept apart from ``config``,
#: which the command's own parser sets (to None when not given) after the top level's.
GLOBAL_CONFIG = "global_config"


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="config file (default: $KIOSK_CONFIG, then /etc/cabine/kiosk.toml)",
    )


def build_parser(
    extra: Sequence[CommandModule] = (), argv: Sequence[str] = ()
) -> argparse.ArgumentParser:
    """The ``kiosk`` parser; the command named in ``argv`` (if any) is fully registered,
    the others only by name and help line until they are the one asked for."""
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Cabine: the runtime of a teleconsultation cabin.",
    )
    parser.add_argument("--version", action="version", version=f"cabine {__version__}")
    parser.add_argument(
        "--config",
        dest=GLOBAL_CONFIG,
        metavar="PATH",
        help="config file of the command (same as COMMAND --config PATH)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for screens in extra:
        screens.register(sub)
    position = command_position(argv)
    chosen = argv[position] if position is not None else ""
    if chosen in COMMANDS and chosen not in sub.choices:
        module: CommandModule = importlib.import_module(COMMANDS[chosen][0])
        module.register(sub)
    if chosen in sub.choices:
        # The others are only listed by ``kiosk --help`` and an unknown command's error:
        # twelve parsers not built (~2 ms of the kiosk's start-up).
        return parser
    for name, (_module, help_text) in COMMANDS.items():
        if name not in sub.choices:
            sub.add_parser(name, help=help_text, add_help=False)
    return parser


def command_position(argv: Sequence[str]) -> int | None:
    """Where the command's name is in ``argv``: the first word that is neither a top-level
    option nor the value of ``--config``."""
    skip = False
    for index, arg in enumerate(argv):
        if skip:
            skip = False
        elif arg == "--":
            return index + 1 if index + 1 < len(argv) else None
        elif arg.startswith("-"):
            # argparse also accepts ``--config`` shortened to any unique prefix (``--conf``)
            skip = "=" not in arg and len(arg) >= 3 and "--config".startswith(arg)
        else:
            return index
    return None


def _command_parser(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> argparse.ArgumentParser:
    """The innermost parser that took part (``kiosk card read`` -> the ``read`` parser)."""
    while True:
        action = next(
            (a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None
        )
        name = getattr(args, action.dest, None) if action is not None else None
        if action is None or name not in action.choices:
            return parser
        parser = action.choices[name]


def parse(parser: argparse.ArgumentParser, arguments: Sequence[str]) -> argparse.Namespace:
    """Parse like ``parse_args``, but an unknown option after the command is reported with
    the command's own usage (``kiosk selftest --jsn``), and a top-level ``--config`` is
    handed to the command that takes it."""
    args, unknown = parser.parse_known_args(arguments)
    position = command_position(arguments)
    command = _command_parser(parser, args)
    if unknown:
        first = arguments.index(unknown[0]) if unknown[0] in arguments else len(arguments)
        blamed = parser if position is None or first < position else command
        blamed.error(f"unrecognized arguments: {' '.join(unknown)}")
    given = getattr(args, GLOBAL_CONFIG)
    delattr(args, GLOBAL_CONFIG)
    if given is not None and args.command is not None:
        if not hasattr(args, "config"):
            command.error("argument --config: this command takes no config")
        if args.config is not None and args.config != given:
            command.error(f"--config given twice: {given} and {args.config}")
        args.config = given
    return args


def main(argv: Sequence[str] | None = None, *, extra: Sequence[CommandModule] = ()) -> int:
    """Run one command; a config error exits 2 and any other Cabine error 1, in one line."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(extra, arguments)
    args = parse(parser, arguments)
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
