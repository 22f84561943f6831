"""``kiosk portal [--config FILE]``: run the doctor portal; ``--hash`` makes a secret's hash."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys

from kiosk.errors import ConfigError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "portal",
        help="run the doctor portal (login, waiting room, signalling)",
        description="Serve the doctor's page and relay call signalling between cabins and "
        "doctors. Health data never passes through it.",
    )
    p.add_argument(
        "--config",
        metavar="PATH",
        help="portal config file (default: config/portal-demo.toml of the repository)",
    )
    p.add_argument("--host", help="listen address (default: [server] host)")
    p.add_argument("--port", type=int, help="listen port (default: [server] port)")
    p.add_argument(
        "--hash",
        action="store_true",
        help="read a password or cabin token on stdin and print its hash for the config",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # imported here: aiohttp is not needed by the kiosk's other commands
    import asyncio

    from portal import auth, cli
    from portal import config as portal_config

    if args.hash:
        secret = getpass.getpass("secret: ") if sys.stdin.isatty() else sys.stdin.readline()
        print(auth.hash_secret(secret.rstrip("\n")))
        return 0
    try:
        cfg = portal_config.load(args.config or portal_config.demo_path())
    except portal_config.PortalConfigError as exc:
        raise ConfigError(str(exc)) from exc
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    asyncio.run(cli.serve(cfg, host=args.host, port=args.port))
    return 0
