"""``kiosk sim printer``: a private CUPS with a cups-pdf queue, in the foreground.

Point the kiosk at it with the ``CUPS_SERVER`` it prints; printed pages land as PDFs in its
output folder. ``--fault`` makes the queue play a printer problem for technicians' drills.
"""

from __future__ import annotations

import argparse
import sys

from drivers.printer.errors import PrinterError
from drivers.printer.sim import DEFAULT_QUEUE, DEMO_DIR, FAULTS, PrivateCups


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "printer",
        help="run a private CUPS with a cups-pdf queue in the foreground",
        description="A private cupsd on its own socket and loopback port; clients set "
        "CUPS_SERVER. Ctrl-C stops it.",
    )
    p.add_argument("--dir", default=DEMO_DIR, help="its files and output (default %(default)s)")
    p.add_argument("--queue", default=DEFAULT_QUEUE, help="queue name (default %(default)s)")
    p.add_argument("--port", type=int, default=0, help="loopback TCP port (default: a free one)")
    p.add_argument("--fault", choices=sorted(FAULTS), help="start with this printer fault")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    cups = PrivateCups(workdir=args.dir, port=args.port or None, queues=(args.queue,))
    try:
        cups.start()
        if args.fault:
            cups.set_fault(args.queue, args.fault)
    except PrinterError as exc:
        print(f"kiosk: sim printer: {exc}", file=sys.stderr)
        cups.stop()
        return 1
    print(f"private cupsd {cups.pid} running; queue {args.queue!r}", flush=True)
    print(f"export CUPS_SERVER={cups.server}   # or 127.0.0.1:{cups.port}", flush=True)
    print(
        f"export CUPS_SERVERROOT={cups.server_root}   # its config, for kiosk selftest", flush=True
    )
    print(f"printed PDFs land in {cups.output_dir}", flush=True)
    try:
        while cups.wait(0.5):
            pass
        print(f"cupsd exited: {cups.log_tail()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        cups.stop()
