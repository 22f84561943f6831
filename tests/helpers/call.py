"""A cabin's call to the test portal (``tests.portal.conftest``'s cabin and token) as the
call tests set it (synthetic media, short grace, connect and heartbeat times), and what the
call tells its subscribers, recorded."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

from kiosk.call import CabinCall, CallOptions, CallUpdate
from tests.helpers.waiting import until
from tests.portal.conftest import CABIN_ID, CABIN_TOKEN


def call_options(portal_url: str, *, max_reconnects: int = 2) -> CallOptions:
    """The test cabin's call options on ``portal_url``: what a dropped link costs is short."""
    return CallOptions(
        portal_url=portal_url,
        cabin_id=CABIN_ID,
        token=CABIN_TOKEN,
        synthetic_media=True,
        grace_s=1.0,
        connect_timeout_s=4.0,
        max_reconnects=max_reconnects,
        heartbeat_s=1.0,
    )


@contextlib.asynccontextmanager
async def connected_call(
    portal_url: str, *, devices: Callable[[], dict[str, str]]
) -> AsyncIterator[CabinCall]:
    """A started call, on the portal's link; closed at the end. ``devices``: the health the
    cabin reports."""
    call = CabinCall(call_options(portal_url), devices=devices)
    await call.start()
    try:
        await until(call.link.connected.is_set, "portal link")
        yield call
    finally:
        await call.close()


class Recorder:
    """Collects a call's updates; waits for one with a deadline."""

    def __init__(self, call: CabinCall) -> None:
        self.seen: list[CallUpdate] = []
        self._changed = asyncio.Event()
        call.subscribe(self._on_update)

    def _on_update(self, update: CallUpdate) -> None:
        self.seen.append(update)
        self._changed.set()

    async def wait(
        self, what: str, match: Callable[[CallUpdate], bool], *, timeout: float = 20.0
    ) -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for update in self.seen:
                if match(update):
                    self.seen.remove(update)
                    return update
            left = deadline - loop.time()
            if left <= 0:
                names = [type(u).__name__ for u in self.seen]
                raise AssertionError(f"kiosk: no {what} within {timeout} s (saw {names})")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), left)
            except TimeoutError:
                continue
