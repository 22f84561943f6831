"""Fixtures of the documents tests: a private CUPS with a cups-pdf queue, a tmpfs spool, and
reading a PDF back as text the way a person reads the paper (pdftotext)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.printer.cups import CupsPrinter, PrinterOptions
from drivers.printer.errors import PrinterError
from drivers.printer.sim import DEFAULT_QUEUE, PrivateCups
from kiosk.privacy import Spool, filesystem_of

DATA = Path(__file__).resolve().parent.parent / "data" / "documents"


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return data


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} not found: install poppler-utils (make setup)")
    return found


def pdf_text(source: Path | bytes) -> str:
    """The PDF's text as pdftotext reads it, whitespace collapsed, NFKC-normalised (Arabic
    presentation forms back to letters)."""
    data = source.read_bytes() if isinstance(source, Path) else source
    done = subprocess.run(
        [_tool("pdftotext"), "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=False,
        timeout=30,
    )
    if done.returncode != 0:
        pytest.fail(f"pdftotext failed: {done.stderr.decode(errors='replace')}")
    text = unicodedata.normalize("NFKC", done.stdout.decode("utf-8"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.split())


def pdf_pages(source: Path | bytes) -> list[str]:
    text = pdf_text_raw(source)
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def pdf_text_raw(source: Path | bytes) -> str:
    data = source.read_bytes() if isinstance(source, Path) else source
    done = subprocess.run(
        [_tool("pdftotext"), "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
        timeout=30,
    )
    return unicodedata.normalize("NFKC", done.stdout.decode("utf-8"))


def pdf_fonts(source: Path | bytes) -> str:
    data = source.read_bytes() if isinstance(source, Path) else source
    done = subprocess.run(
        [_tool("pdffonts"), "-"], input=data, capture_output=True, check=True, timeout=30
    )
    return done.stdout.decode()


def qr_codes(source: Path | bytes, page: int) -> list[str]:
    """The QR codes zbarimg reads on ``page`` rendered at 150 dpi, as a scanner would."""
    import tempfile

    data = source.read_bytes() if isinstance(source, Path) else source
    zbarimg = _tool_from("zbarimg", "zbar-tools")
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "doc.pdf"
        pdf.write_bytes(data)
        subprocess.run(
            [
                _tool("pdftoppm"),
                "-r",
                "150",
                "-f",
                str(page),
                "-l",
                str(page),
                "-png",
                str(pdf),
                f"{folder}/page",
            ],
            check=True,
            timeout=60,
        )
        (png,) = Path(folder).glob("page*.png")
        done = subprocess.run(
            [zbarimg, "-q", "--raw", str(png)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    return done.stdout.split()


def _tool_from(name: str, package: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} not found: install {package} (make setup)")
    return found


def fonts_used(pdf: bytes) -> set[str]:
    """The base names of the fonts the pages' text is actually set in (``Tf`` operators)."""
    import io
    import re

    from pypdf import PdfReader

    used: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page["/Resources"].get_object()
        fonts = resources["/Font"].get_object()
        content = page.get_contents()
        assert content is not None
        for name in set(re.findall(rb"(/[A-Za-z0-9+]+)\s+[0-9.]+\s+Tf", content.get_data())):
            used.add(str(fonts[name.decode()].get_object()["/BaseFont"]))
    return used


@pytest.fixture
def cups() -> Iterator[PrivateCups]:
    server = PrivateCups()
    try:
        server.start()
    except PrinterError as exc:
        server.cleanup()
        pytest.fail(f"the private CUPS (cupsd + cups-pdf) could not start: {exc}")
    try:
        yield server
    finally:
        server.cleanup()
    assert not server.running


@pytest.fixture
def printer(cups: PrivateCups) -> CupsPrinter:
    return CupsPrinter(
        PrinterOptions(
            queue=DEFAULT_QUEUE, server=cups.server, retries=0, job_timeout=30.0, retry_delay=0.1
        )
    )


@pytest.fixture
def spool() -> Iterator[Spool]:
    shm = Path("/dev/shm")
    if filesystem_of(shm) != "tmpfs":
        pytest.fail("/dev/shm is not tmpfs on this machine: the spool tests need a tmpfs")
    root = shm / f"cabine-doctest-{os.getpid()}-{secrets.token_hex(4)}"
    spool = Spool(root)
    spool.prepare()
    yield spool
    shutil.rmtree(root, ignore_errors=True)
