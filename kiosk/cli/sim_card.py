"""``kiosk sim card PROFILE [--port N]`` and ``kiosk sim pcscd``: the virtual Carte Vitale.

``kiosk sim pcscd`` runs a private pcscd with the vpcd reader in the foreground; ``kiosk sim
card`` inserts a virtual card into it until Ctrl-C (which pulls the card out).
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType

from drivers.card import sim
from drivers.card.errors import CardError
from drivers.card.pcscd import DEMO_SOCKET, SOCKET_ENV, PrivatePcscd


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    card = subparsers.add_parser(
        "card",
        help="insert a virtual Carte Vitale (Ctrl-C removes it)",
        description="Insert a virtual card built from a JSON profile into the vpcd reader. "
        f"Shipped profiles: {', '.join(sim.profile_names())}.",
    )
    card.add_argument("profile", metavar="PROFILE", help="a shipped profile name or a JSON path")
    card.add_argument(
        "--port", type=int, default=sim.DEFAULT_PORT, help="vpcd port (default %(default)s)"
    )
    card.set_defaults(func=run_card)
    pcscd = subparsers.add_parser(
        "pcscd",
        help="run a private pcscd with the virtual reader in the foreground",
        description="A private pcscd on its own socket; clients set "
        f"{SOCKET_ENV}. Ctrl-C stops it.",
    )
    pcscd.add_argument(
        "--port", type=int, default=sim.DEFAULT_PORT, help="vpcd port (default %(default)s)"
    )
    pcscd.add_argument(
        "--socket", default=DEMO_SOCKET, help="pcscd socket path (default %(default)s)"
    )
    pcscd.add_argument("--no-reader", action="store_true", help="start with no reader plugged")
    pcscd.set_defaults(func=run_pcscd)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _stop_on_sigterm() -> None:
    """SIGTERM (systemd, a demo script, ``kill PID``) ends the command like Ctrl-C does."""
    signal.signal(signal.SIGTERM, _interrupt)


def run_card(args: argparse.Namespace) -> int:
    _stop_on_sigterm()
    try:
        profile = sim.load_profile(args.profile)
        card = sim.VirtualCard(profile, port=args.port)
        card.insert()
    except CardError as exc:
        print(f"kiosk: sim card: {exc}", file=sys.stderr)
        return 1
    print(
        f"virtual card {profile.name!r} inserted on port {args.port}; Ctrl-C removes it", flush=True
    )
    try:
        while not card.wait_removed(0.5):
            pass
        print("the card left the reader (profile 'remove_after' or reader gone)")
    except KeyboardInterrupt:
        print("card removed")
    finally:
        card.remove()
    return 0


def run_pcscd(args: argparse.Namespace) -> int:
    _stop_on_sigterm()
    socket_path = Path(args.socket)
    daemon = PrivatePcscd(
        workdir=socket_path.parent,
        port=args.port,
        socket_path=socket_path,
        reader=not args.no_reader,
    )
    try:
        daemon.start()
    except CardError as exc:
        print(f"kiosk: sim pcscd: {exc}", file=sys.stderr)
        return 1
    print(f"private pcscd {daemon.pid} running; vpcd port {daemon.port}", flush=True)
    print(f"export {SOCKET_ENV}={daemon.socket_path}", flush=True)
    try:
        while daemon.wait(0.5):
            pass
        print(f"pcscd exited: {daemon.log_tail()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        daemon.stop()
