"""``kiosk decode``: the bytes a user typed, through a decode profile's pure parser, to one reading.

The profiles are the decoder table of :mod:`drivers.registry`; each profile's module has
``decode_reading(data, *, device, received_at)``; ``hex`` profiles take hex digits, ``text``
ones the line as typed.
"""

from __future__ import annotations

import string
from datetime import UTC, datetime

from drivers import registry
from drivers.errors import FrameError, InstrumentErrorReason
from drivers.types import DeviceInfo, Reading

#: The decode profiles (name -> (module, input form)): the decoder table of the registry.
PROFILES = registry.DECODERS

_HEX_SEPARATORS = str.maketrans("", "", " :-_\t\n")


def input_bytes(form: str, text: str) -> bytes:
    """The bytes a user typed: hex digits (spaces and colons allowed) or a text line."""
    if form == "hex":
        digits = text.translate(_HEX_SEPARATORS).removeprefix("0x")
        if not digits or len(digits) % 2 or not set(digits) <= set(string.hexdigits):
            raise FrameError(
                "expected hex bytes, like '3E 05 02 01 BA'", reason=InstrumentErrorReason.GARBAGE
            )
        return bytes.fromhex(digits)
    try:
        return text.encode("ascii")
    except UnicodeEncodeError:
        raise FrameError("expected an ASCII line", reason=InstrumentErrorReason.GARBAGE) from None


def decode(profile: str, text: str, *, received_at: datetime | None = None) -> Reading:
    """The reading in ``text`` for ``profile``; raises :class:`InstrumentError` subclasses."""
    decode_reading, form = registry.resolve_decoder(profile)
    data = input_bytes(form, text)
    return decode_reading(
        data, device=DeviceInfo(id=profile), received_at=received_at or datetime.now(UTC)
    )
