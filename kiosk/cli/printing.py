"""``kiosk print FILE.pdf [--printer NAME]`` and ``kiosk print-test``: the technicians' printing.

Both follow the job until CUPS reports it completed; a printer problem exits 1 with its
typed reason (``paper_out``, ``stopped``...). A file that is not a readable PDF exits 2.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import secrets
import sys
from pathlib import Path

from drivers.printer.cups import CupsPrinter, PrinterOptions
from drivers.printer.errors import PrinterError
from kiosk import config as config_mod
from kiosk.cli import add_config_option
from kiosk.config import Config, PrinterConfig
from kiosk.documents.errors import DocumentError, UploadRejectedError
from kiosk.errors import ConfigError
from kiosk.privacy import Spool

#: Where a test page is spooled when no config names a spool directory.
FALLBACK_SPOOL = "/dev/shm/cabine-technician"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "print",
        help="print a PDF on the cabin printer and wait until it is printed",
        description="Validate FILE as a PDF, send it to CUPS and follow the job.",
    )
    p.add_argument("file", metavar="FILE.pdf")
    _common(p)
    p.set_defaults(func=run_print)
    t = subparsers.add_parser(
        "print-test",
        help="print a test page (cabin id, time, scripts, QR code)",
        description="Compose and print the technicians' test page, then wait until printed.",
    )
    t.add_argument("--cabin", help="cabin id to print (default: the config's)")
    _common(t)
    t.set_defaults(func=run_print_test)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--printer", metavar="NAME", help="CUPS queue (default: the config's)")
    p.add_argument("--timeout", type=float, help="seconds to wait for the job")
    add_config_option(p)


def _config(args: argparse.Namespace) -> Config | None:
    """The cabin's config; optional when ``--printer`` (and ``--cabin``) say enough."""
    try:
        return config_mod.load(args.config)
    except ConfigError:
        if args.config or not args.printer:
            raise
        return None


def _printer(args: argparse.Namespace, cfg: Config | None) -> CupsPrinter:
    from kiosk.documents.printing import printer_options

    base = cfg.printer if cfg else PrinterConfig()
    options: PrinterOptions = printer_options(base)
    if args.printer:
        options = PrinterOptions(
            queue=args.printer, retries=options.retries, job_timeout=options.job_timeout
        )
    return CupsPrinter(options)


def _report(what: str, printer: CupsPrinter, job_id: int, seconds: float) -> None:
    print(f"{what}: printed on {printer.queue} (job {job_id}, {seconds:.2f} s)")


def run_print(args: argparse.Namespace) -> int:
    from kiosk.documents.upload import validate_upload

    path = Path(args.file)
    try:
        data = path.read_bytes()
        validate_upload(data, sha256=hashlib.sha256(data).hexdigest(), document_id=path.name)
    except OSError as exc:
        print(f"kiosk: print: {path}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except UploadRejectedError as exc:
        print(f"kiosk: print: {path}: {exc}", file=sys.stderr)
        return 2
    cfg = _config(args)
    printer = _printer(args, cfg)
    try:
        result = printer.print_file(path, title="cabine-technician", timeout=args.timeout)
    except PrinterError as exc:
        print(f"kiosk: print: {exc} [{exc.reason}]", file=sys.stderr)
        return 1
    _report(str(path), printer, result.job_id, result.seconds)
    return 0


def run_print_test(args: argparse.Namespace) -> int:
    from kiosk.documents.printing import DocumentPrinter
    from kiosk.documents.testpage import compose_test_page

    cfg = _config(args)
    cabin = args.cabin or (cfg.cabin.id if cfg else "")
    if not cabin:
        print("kiosk: print-test: no cabin id (give --cabin or a config)", file=sys.stderr)
        return 2
    printer = _printer(args, cfg)
    spool = Spool(cfg.session.spool_dir if cfg else FALLBACK_SPOOL)
    session = f"technician-{secrets.token_hex(4)}"
    try:
        document = compose_test_page(cabin)
        result = DocumentPrinter(spool, printer).print_document(
            session, document, timeout=args.timeout
        )
    except PrinterError as exc:
        print(f"kiosk: print-test: {exc} [{exc.reason}]", file=sys.stderr)
        return 1
    except DocumentError as exc:
        print(f"kiosk: print-test: {exc}", file=sys.stderr)
        return 1
    finally:
        spool.wipe(session)
        if cfg is None:  # the fallback folder is this command's own: leave no trace of it
            with contextlib.suppress(OSError):
                Path(FALLBACK_SPOOL).rmdir()
    _report("test page", printer, result.job_id, result.seconds)
    return 0
