"""``kiosk portal --config FILE``: run the doctor portal; ``--hash`` makes a secret's hash.

There is no default config: the repository's ``portal-demo.toml`` signs doctors' cookies
with a key anyone can read, so it is served only when named (``kiosk demo`` names its own).
"""

from __future__ import annotations

import argparse
import errno
import getpass
import logging
import os
import socket
import sys

from kiosk.errors import ConfigError

PROG = "kiosk portal"

#: Errors of binding the listening socket: anything else is not about host and port.
BIND_ERRNOS = frozenset({errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES})


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
        help="portal config file (required; config/portal-demo.toml is the demo's, "
        "whose keys are public)",
    )
    p.add_argument("--host", help="listen address (default: [server] host)")
    p.add_argument("--port", type=int, help="listen port (default: [server] port)")
    p.add_argument(
        "--hash",
        action="store_true",
        help="read a password or cabin token on stdin and print its hash for the config",
    )
    p.set_defaults(func=run)


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _reason(exc: OSError) -> str:
    if isinstance(exc, socket.gaierror):
        return f"unknown address ({exc.strerror or exc})"
    if exc.errno is not None:
        text = os.strerror(exc.errno)
        return text[:1].lower() + text[1:]
    return str(exc)


def run(args: argparse.Namespace) -> int:
    # imported here: aiohttp is not needed by the kiosk's other commands
    import asyncio

    from portal import auth, cli, server
    from portal import config as portal_config

    if args.hash:
        secret = getpass.getpass("secret: ") if sys.stdin.isatty() else sys.stdin.readline()
        print(auth.hash_secret(secret.rstrip("\n")))
        return 0
    if not args.config:
        print(
            f"{PROG}: no config given: pass --config FILE "
            "(the demo's config/portal-demo.toml has a public session key: never serve it)",
            file=sys.stderr,
        )
        return 2
    try:
        cfg = portal_config.load(args.config)
    except portal_config.PortalConfigError as exc:
        raise ConfigError(str(exc)) from exc
    try:
        # Loaded once here so that a bad certificate is not taken for a busy port below.
        server.ssl_context(cfg)
    except OSError as exc:  # ssl.SSLError is one too
        raise ConfigError(
            f"{args.config}: [server] tls_cert/tls_key cannot be loaded: {exc}"
        ) from exc
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    host = args.host or cfg.server.host
    port = cfg.server.port if args.port is None else args.port
    if not 0 <= port <= 65535:
        print(f"{PROG}: --port must be 0 (any free port) or 1-65535, not {port}", file=sys.stderr)
        return 2
    try:
        asyncio.run(cli.serve(cfg, host=host, port=port))
    except OSError as exc:
        if not (isinstance(exc, socket.gaierror) or exc.errno in BIND_ERRNOS):
            raise
        print(f"{PROG}: cannot listen on {_address(host, port)}: {_reason(exc)}", file=sys.stderr)
        return 1
    return 0
