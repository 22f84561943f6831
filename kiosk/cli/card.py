"""``kiosk card read [--json] [--wait SECONDS] [--reader NAME]``: the technician's card read.

Human output masks the NIR; ``--json`` gives every field (for technicians' test cards). Any
failure exits 1 with one clear line.
"""

from __future__ import annotations

import argparse
import json
import sys

from drivers.card import pcsc
from drivers.card.errors import CardError
from kiosk import config as config_mod
from kiosk.cli import add_config_option
from kiosk.config import CardConfig
from kiosk.services.card import reader_options


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "card",
        help="read the Carte Vitale in the reader",
        description="Carte Vitale tools for technicians.",
    )
    card_sub = p.add_subparsers(dest="card_command", metavar="ACTION")

    def usage(args: argparse.Namespace) -> int:
        p.print_help()
        return 2

    p.set_defaults(func=usage)
    read = card_sub.add_parser(
        "read",
        help="read the card in the reader and print its beneficiaries",
        description="Read the card; exit 0 on success, 1 with one line on any error.",
    )
    add_config_option(read)
    read.add_argument("--json", action="store_true", help="every beneficiary, all fields")
    read.add_argument(
        "--wait", type=float, default=0.0, metavar="SECONDS", help="wait this long for a card"
    )
    read.add_argument("--reader", default=None, metavar="NAME", help="part of the reader name")
    read.set_defaults(func=run_read)


def _card_config(args: argparse.Namespace) -> CardConfig:
    """The ``[card]`` table when a config is given or found; defaults otherwise."""
    path = config_mod.resolve_path(args.config)
    if args.config or path.exists():
        return config_mod.load(path).card
    return CardConfig()


def run_read(args: argparse.Namespace) -> int:
    options = reader_options(_card_config(args))
    if args.reader is not None:
        options = pcsc.ReaderOptions(
            reader=args.reader, socket=options.socket, read_timeout=options.read_timeout
        )
    reader = pcsc.VitaleReader(options)
    try:
        if args.wait > 0:
            reader.wait_for_card(args.wait)
        people = reader.read()
    except CardError as exc:
        print(f"kiosk: card: {exc}", file=sys.stderr)
        return 1
    finally:
        reader.close()
    if args.json:
        print(json.dumps([p.to_json() for p in people], indent=2, ensure_ascii=False))
        return 0
    for p in people:
        date = p.birth_date
        print(
            f"{p.rank}. {p.last_name} {p.first_name}, born {date[6:8]}/{date[4:6]}/{date[:4]}, "
            f"NIR {p.masked_nir}"
        )
    return 0
