"""A prescription PDF uploaded by the doctor: printed unaltered, once it proves to be one.

It must be under a size cap, carry the SHA-256 it was sent with, parse as a PDF (pypdf reads
its structure: never a sniff of the first bytes), be unencrypted and have 1 to N pages.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
import re
import warnings

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from kiosk.documents.errors import UploadRejectedError
from kiosk.domain import Document, DocumentKind

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UPLOAD_PAGES = 10
_SHA256 = re.compile(r"[0-9a-f]{64}")


def validate_upload(
    data: bytes,
    *,
    sha256: str,
    document_id: str,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_pages: int = MAX_UPLOAD_PAGES,
) -> Document:
    """The upload as a Document ready to print, or :class:`UploadRejectedError` for the doctor."""
    if not data:
        raise UploadRejectedError("the prescription file is empty")
    if len(data) > max_bytes:
        raise UploadRejectedError(
            f"the prescription file is {len(data) // 1024} KiB; the cabin accepts at most "
            f"{max_bytes // 1024} KiB"
        )
    claimed = sha256.strip().lower()
    if not _SHA256.fullmatch(claimed):
        raise UploadRejectedError("the prescription came without a valid SHA-256 hash")
    actual = hashlib.sha256(data).hexdigest()
    if not hmac.compare_digest(claimed, actual):
        raise UploadRejectedError(
            "the prescription file does not match its hash (damaged in transit): send it again"
        )
    pages = _count_pages(data)
    if pages > max_pages:
        raise UploadRejectedError(
            f"the prescription has {pages} pages; the cabin prints at most {max_pages}"
        )
    return Document(
        kind=DocumentKind.UPLOADED_PRESCRIPTION, id=document_id, pdf=data, sha256=actual
    )


def _count_pages(data: bytes) -> int:
    try:
        with warnings.catch_warnings():
            # A sloppy but readable PDF warns; only what cannot be read is refused.
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise UploadRejectedError(
                    "the prescription PDF is encrypted: export it without a password"
                )
            count = len(reader.pages)
            for page in reader.pages:
                box = page.mediabox
                if box.width <= 0 or box.height <= 0:
                    raise UploadRejectedError("the prescription PDF has a page without a size")
    except UploadRejectedError:
        raise
    except (
        PdfReadError,
        PyPdfError,
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
    ) as exc:
        log.info("uploaded prescription refused: %s", type(exc).__name__)
        raise UploadRejectedError("the file is not a readable PDF") from exc
    if count == 0:
        raise UploadRejectedError("the prescription PDF has no page")
    return count
