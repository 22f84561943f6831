"""``python -m portal``: the portal on its own (its systemd unit), without the kiosk's CLI.

``kiosk portal`` runs the same :func:`serve`, with the same options (:func:`add_options`).
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import getpass
import logging
import signal
import sys
from collections.abc import Sequence
from typing import Any

from portal import app, auth, gc_pace, security
from portal import config as portal_config

log = security.escaped_logger(__name__)


async def serve(cfg: portal_config.PortalConfig, *, host: str | None, port: int | None) -> None:
    """Serve until SIGINT or SIGTERM."""
    running = await app.start(cfg, host=host, port=port)
    print(f"portal listening on {running.url}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(loop_errors)
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    collector = loop.create_task(gc_pace.paced(), name="portal-gc")  # no 100 ms stalls
    try:
        await stop.wait()
    finally:
        collector.cancel()
        await running.stop()


#: What an accept() fails with when the process or the machine is out of files or memory.
OUT_OF_RESOURCES = (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM)


def loop_errors(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """Out of open files at accept() (a burst past the connection cap): asyncio stops
    accepting for a second and goes on; said in one line, not as a crash's traceback."""
    exc = context.get("exception")
    if isinstance(exc, OSError) and exc.errno in OUT_OF_RESOURCES:
        log.warning("portal: new connections wait a second: %s", exc.strerror)
        return
    loop.default_exception_handler(context)


def add_options(parser: argparse.ArgumentParser) -> None:
    """The portal's options, the same for ``python -m portal`` and ``kiosk portal``."""
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="portal config file (required: the demo's config/portal-demo.toml has a public "
        "session key, so it is never a default)",
    )
    parser.add_argument("--host", help="listen address (default: [server] host)")
    parser.add_argument("--port", type=int, help="listen port (default: [server] port)")
    hashing = parser.add_mutually_exclusive_group()
    hashing.add_argument(
        "--hash", action="store_true", help="hash a password read on stdin (scrypt), for the config"
    )
    hashing.add_argument(
        "--hash-token",
        action="store_true",
        help=f"hash a machine token read on stdin ({auth.MIN_TOKEN_CHARS}+ random characters: "
        "a cabin's, the booking site's) with the fast keyed hash, for the config",
    )
    hashing.add_argument(
        "--new-token",
        action="store_true",
        help="draw a new machine token: prints it, then its hash for the config",
    )


def make_secret(args: argparse.Namespace, *, prog: str) -> int | None:
    """``--hash``, ``--hash-token`` or ``--new-token``: print what the config needs and
    return the exit status; None when none of them was given."""
    if args.hash or args.hash_token:
        secret = getpass.getpass("secret: ") if sys.stdin.isatty() else sys.stdin.readline()
        secret = secret.rstrip("\n")
        if args.hash:
            print(auth.hash_secret(secret))
            return 0
        try:
            print(auth.hash_token(secret))
        except ValueError as exc:
            print(f"{prog}: {exc}; draw one with --new-token", file=sys.stderr)
            return 2
        return 0
    if args.new_token:
        token = auth.new_token()
        print(token)
        print(auth.hash_token(token))
        return 0
    return None


def no_config(*, prog: str) -> int:
    """Refuse to serve without a config (exit status 2): the demo's is never a default."""
    print(
        f"{prog}: no config given: pass --config FILE (the demo's "
        "config/portal-demo.toml has a public session key: never serve it)",
        file=sys.stderr,
    )
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["accounts"]:  # the accounts in the database: portal.accounts.cli
        from portal.accounts import cli as accounts_cli

        return accounts_cli.main(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python -m portal",
        description="The doctor portal. `python -m portal accounts --help`: its accounts.",
    )
    add_options(parser)
    args = parser.parse_args(argv)
    status = make_secret(args, prog="portal")
    if status is not None:
        return status
    if not args.config:
        return no_config(prog="portal")
    try:
        cfg = portal_config.load(args.config)
    except portal_config.PortalConfigError as exc:
        print(f"portal: config error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    asyncio.run(serve(cfg, host=args.host, port=args.port))
    return 0
