"""``kiosk portal --config FILE``: run the doctor portal; the options are ``python -m portal``'s
(:func:`portal.cli.add_options`: ``--hash``, ``--hash-token``, ``--new-token`` make secrets).

There is no default config: the repository's ``portal-demo.toml`` signs doctors' cookies
with a key anyone can read, so it is served only when named (``kiosk demo`` names its own).
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import socket
import sys

from kiosk.errors import ConfigError

PROG = "kiosk portal"

#: Errors of binding the listening socket: anything else is not about host and port.
BIND_ERRNOS = frozenset({errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES})


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    # imported here: aiohttp is not needed by the kiosk's other commands
    from portal import cli

    p = subparsers.add_parser(
        "portal",
        help="run the doctor portal (login, waiting room, signalling)",
        description="Serve the doctor's page and relay call signalling between cabins and "
        "doctors. Health data never passes through it.",
    )
    cli.add_options(p)  # the same options as ``python -m portal``
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
    import asyncio

    from portal import app, cli
    from portal import config as portal_config

    status = cli.make_secret(args, prog=PROG)
    if status is not None:
        return status
    if not args.config:
        return cli.no_config(prog=PROG)
    try:
        cfg = portal_config.load(args.config)
    except portal_config.PortalConfigError as exc:
        raise ConfigError(str(exc)) from exc
    try:
        # Loaded once here so that a bad certificate is not taken for a busy port below.
        app.ssl_context(cfg)
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
