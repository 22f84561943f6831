"""Waiting for a condition within a deadline, never for a fixed time: one ``until`` for the
async tests (the check may be sync or async) and one ``wait_until`` for the sync ones."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable
from typing import Any


async def until(
    check: Callable[[], Any], what: str, *, timeout: float = 15.0, every: float = 0.02
) -> Any:
    """Poll ``check`` every ``every`` s until it returns something true, and return that.

    ``check`` may return an awaitable (an ``async def`` or a page's script): it is awaited.
    Past ``timeout`` seconds the test fails, naming ``what``, the timeout and the last value.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what}: not within {timeout} s (last: {value!r})")
        await asyncio.sleep(every)


def wait_until(
    check: Callable[[], Any], what: str, *, timeout: float = 5.0, every: float = 0.01
) -> Any:
    """``until`` for a sync test: poll ``check`` until true, failing past ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what}: not within {timeout} s (last: {value!r})")
        time.sleep(every)
