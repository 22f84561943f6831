"""The FHIR bundle as data-channel messages: built off the event loop (the FHIR models load
then), cut in ``fhir_bundle`` pieces that each fit a data-channel message."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import protocol
from kiosk.domain import Reading
from protocol import ErrorCode, ProtocolError

log = logging.getLogger(__name__)


async def fhir_messages(
    session_id: str,
    identity: Mapping[str, Any] | None,
    readings: Sequence[Reading],
    *,
    ref: str,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """The fields of each ``fhir_bundle`` message answering the request ``ref``.

    Raises :class:`ProtocolError` (``not_found``: no reading yet; ``bad_field``: the bundle
    could not be made), answered to the page as an ``error``.
    """
    from kiosk.records.fhir import BundleError, build, chunks

    kept = [r for r in readings if not r.intermediate]
    if not session_id or not kept:
        raise ProtocolError(ErrorCode.NOT_FOUND, "no reading in this session yet", ref=ref)
    when = now or datetime.now(UTC)
    try:
        text = await asyncio.to_thread(build, session_id, identity, kept, now=when)
    except BundleError as exc:
        log.error("session %s: FHIR bundle not made: %s", session_id, exc)
        raise ProtocolError(ErrorCode.BAD_FIELD, "the FHIR bundle could not be made") from exc
    pieces = chunks(text, protocol.FHIR_CHUNK_CHARS)
    if len(pieces) > protocol.MAX_FHIR_CHUNKS:
        raise ProtocolError(ErrorCode.TOO_LARGE, "too many readings for one bundle", ref=ref)
    return [
        {
            "session_id": session_id,
            "ref": ref[:64],
            "index": index,
            "chunks": len(pieces),
            "data": piece,
        }
        for index, piece in enumerate(pieces)
    ]
