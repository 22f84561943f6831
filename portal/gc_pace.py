"""The served portal's garbage collector, paced so that a full collection does not stall it.

A full collection walks every object the process holds: at a region's size (5,000 cabins'
sockets, their buffers and tasks) it takes ~100 ms of a core, during which no message is
relayed, and CPython runs one each time the long-lived objects grew by a quarter (a few a
minute while cabins connect). The benchmark saw them as the relay's p99 (``portal_scale``).

:func:`paced` moves what survived into the permanent generation every :data:`FREEZE_S`
(``gc.freeze``, a list splice: the young collections go on, the full ones find little left to
walk) and, every :data:`FULL_S`, takes it all back and collects once (``gc.unfreeze`` then
``gc.collect``): the reference cycles left by closed sockets are freed then. Objects freed by
their reference count (most of them) are freed at once as ever. One long pause an hour,
announced in the log, instead of one every few minutes at random.

Only ``python -m portal`` (:func:`portal.cli.serve`) runs it: a test process holding many
portals, or a process proving that a session's objects are gone, keeps the usual collector.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time

log = logging.getLogger(__name__)

#: How often what survived is frozen (seconds).
FREEZE_S = 10.0
#: How often everything is collected (seconds).
FULL_S = 3600.0


def full_collection() -> tuple[int, float]:
    """Everything unfrozen, collected, frozen again: (objects freed, seconds)."""
    started = time.perf_counter()
    gc.unfreeze()
    freed = gc.collect()
    gc.freeze()
    return freed, time.perf_counter() - started


async def paced(*, freeze_s: float = FREEZE_S, full_s: float = FULL_S) -> None:
    """Run until cancelled (see the module docstring)."""
    loop = asyncio.get_running_loop()
    last_full = loop.time()
    while True:
        await asyncio.sleep(freeze_s)
        if loop.time() - last_full >= full_s:
            freed, took = full_collection()
            last_full = loop.time()
            log.info("full garbage collection: %d objects freed in %.0f ms", freed, took * 1000)
        else:
            gc.freeze()
