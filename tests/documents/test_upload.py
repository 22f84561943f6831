"""An uploaded prescription PDF: parsed (not sniffed), capped in size and pages, hash-checked."""

from __future__ import annotations

import hashlib
import io

import pytest
from pypdf import PdfWriter

from kiosk.documents.errors import UploadRejectedError
from kiosk.documents.upload import validate_upload
from kiosk.domain import DocumentKind


def make_pdf(pages: int = 1, *, password: str = "") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_valid_pdf_is_accepted_unaltered():
    data = make_pdf(2)
    document = validate_upload(data, sha256=sha(data).upper(), document_id="up-1")
    assert document.kind is DocumentKind.UPLOADED_PRESCRIPTION
    assert document.pdf == data
    assert document.sha256 == sha(data)


@pytest.mark.parametrize(
    ("data", "claimed", "message"),
    [
        (b"", None, "empty"),
        (make_pdf(), "0" * 64, "does not match its hash"),
        (make_pdf(), "not-a-hash", "without a valid SHA-256"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\nhello\n%%EOF\n", None, "not a readable PDF"),
        (b"GIF89a" + b"\x00" * 100, None, "not a readable PDF"),
        (make_pdf()[:200], None, "not a readable PDF"),
        (make_pdf(11), None, "11 pages; the cabin prints at most 10"),
        (make_pdf(password="secret"), None, "encrypted"),
    ],
)
def test_bad_uploads_are_refused_with_a_message_for_the_doctor(
    data: bytes, claimed: str | None, message: str
):
    with pytest.raises(UploadRejectedError, match=message):
        validate_upload(data, sha256=claimed or sha(data), document_id="up")


def test_size_cap_is_checked_before_parsing():
    data = make_pdf() + b"\n" * 2048
    with pytest.raises(UploadRejectedError, match="at most 1 KiB"):
        validate_upload(data, sha256=sha(data), document_id="up", max_bytes=1024)
