"""Errors of the documents room: bad input from the doctor's form, refused uploads.

CabineError
└── DocumentError           a document cannot be composed or accepted
    ├── DocumentInputError      the JSON input is malformed or misses a mandatory field
    ├── UploadRejectedError     an uploaded PDF failed validation (told to the doctor)
    └── FontMissingError        no font with the needed scripts is installed
"""

from __future__ import annotations

from kiosk.errors import CabineError


class DocumentError(CabineError):
    """A document cannot be composed or accepted."""


class DocumentInputError(DocumentError):
    """The input names its bad field: ``prescriber.rpps: missing``."""


class UploadRejectedError(DocumentError):
    """An uploaded prescription PDF was refused; the message is meant for the doctor."""


class FontMissingError(DocumentError):
    """The embedded font (DejaVu Sans) is not installed."""
