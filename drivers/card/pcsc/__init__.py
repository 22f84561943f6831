"""The PC/SC transport of the Carte Vitale reader: the only package that imports pyscard.

:class:`VitaleReader` (``reader``) reads the card in a reader, every PC/SC failure mapped to
a typed :mod:`drivers.card.errors` error (``link``); :class:`CardWatcher` (``watcher``) follows
every reader on its own named thread and hands ``CardPresent``/``CardRemoved`` to asyncio.
"""

from __future__ import annotations

from drivers.card.pcsc.link import ReaderOptions, describe, use_socket
from drivers.card.pcsc.reader import ReaderState, ServiceStatus, VitaleReader
from drivers.card.pcsc.watcher import (
    CardEvent,
    CardPresent,
    CardRemoved,
    CardWatcher,
    ReadersChanged,
)

__all__ = [
    "CardEvent",
    "CardPresent",
    "CardRemoved",
    "CardWatcher",
    "ReaderOptions",
    "ReaderState",
    "ReadersChanged",
    "ServiceStatus",
    "VitaleReader",
    "describe",
    "use_socket",
]
