"""``kiosk document results|prescription --input JSON --output PDF``: compose, do not print.

For technicians and tests. Bad JSON or a missing mandatory field exits 2 with one line.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kiosk.documents.errors import DocumentError, DocumentInputError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "document",
        help="compose the results sheet or a prescription as a PDF (no printing)",
        description="Compose a patient document from its JSON input into a PDF file.",
    )
    sub = p.add_subparsers(dest="document_kind", metavar="KIND")

    def usage(args: argparse.Namespace) -> int:
        p.print_help()
        return 2

    p.set_defaults(func=usage)
    results = sub.add_parser(
        "results",
        help="the results sheet from {cabin, patient, readings}",
        description="Readings as Reading.to_json(); no interpretation is printed.",
    )
    results.set_defaults(func=run_results)
    rx = sub.add_parser(
        "prescription",
        help="a prescription from the doctor's form (JSON)",
        description="{id, date, prescriber{...}, patient{...}, lines[...], notes?}",
    )
    rx.set_defaults(func=run_prescription)
    for parser in (results, rx):
        parser.add_argument("--input", required=True, metavar="JSON", help="input file")
        parser.add_argument("--output", required=True, metavar="PDF", help="PDF to write")


def _write(pdf: bytes, output: str) -> None:
    path = Path(output)
    try:
        path.write_bytes(pdf)
    except OSError as exc:
        raise DocumentError(f"{path}: cannot write: {exc.strerror or exc}") from exc


def _run(args: argparse.Namespace, kind: str) -> int:
    from kiosk.documents.inputs import Prescription, ResultsInput, load_json

    start = time.monotonic()
    try:
        data = load_json(args.input)
        if kind == "results":
            from kiosk.documents.results import compose_results

            document = compose_results(ResultsInput.from_json(data))
        else:
            from kiosk.documents.prescription import compose_prescription

            document = compose_prescription(Prescription.from_json(data))
        _write(document.pdf, args.output)
    except DocumentInputError as exc:
        print(f"kiosk: document {kind}: {exc}", file=sys.stderr)
        return 2
    except DocumentError as exc:
        print(f"kiosk: document {kind}: {exc}", file=sys.stderr)
        return 1
    print(
        f"{args.output}: {kind}, {len(document.pdf)} bytes, sha256 {document.sha256[:16]}…, "
        f"{time.monotonic() - start:.2f} s"
    )
    return 0


def run_results(args: argparse.Namespace) -> int:
    return _run(args, "results")


def run_prescription(args: argparse.Namespace) -> int:
    return _run(args, "prescription")
