"""What the benchmarks share: the shape of an entry in ``bench/results.json`` (DESIGN §7),
waiting for a condition within a deadline, and this process's memory and file descriptors.

The bench ships apart from the tests: it has its own ``until``, the twin of ``tests.helpers``'s.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def machine() -> str:
    load1, load5, _ = os.getloadavg()
    return f"{os.cpu_count()} cores, load {load1:.2f}/{load5:.2f}"


def stats(samples: Sequence[float], unit: str) -> dict[str, Any]:
    """Median and p95 of ``samples`` (already in ``unit``)."""
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples")
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median": round(statistics.median(ordered), 4),
        "p95": round(p95, 4),
        "unit": unit,
        "n": len(ordered),
    }


def entry(
    kiosk: dict[str, Any] | None,
    bare: dict[str, Any] | None,
    *,
    budget: str,
    met: bool | None,
    why: str = "",
) -> dict[str, Any]:
    """One row; ``met`` is None (with ``why``) when the figure could not be measured."""
    ratio = None
    if kiosk and bare and bare.get("median"):
        ratio = round(kiosk["median"] / bare["median"], 3)
    out: dict[str, Any] = {
        "kiosk": kiosk,
        "bare": bare,
        "ratio": ratio,
        "budget": budget,
        "met": met,
        "machine": machine(),
    }
    if why:
        out["why"] = why
    return out


def not_measured(budget: str, why: str) -> dict[str, Any]:
    return entry(None, None, budget=budget, met=None, why=why)


async def until(
    check: Callable[[], Any], what: str, *, timeout: float = 20.0, every: float = 0.02
) -> Any:
    """Poll ``check`` (sync, or returning an awaitable) every ``every`` s until it returns
    something true, and return that; ``TimeoutError`` naming ``what`` past ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"{what} not within {timeout} s")
        await asyncio.sleep(every)


def wait_until(
    check: Callable[[], Any], what: str, *, timeout: float = 5.0, every: float = 0.005
) -> Any:
    """``until`` for the sync benchmarks."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"{what} not within {timeout} s")
        time.sleep(every)


def uss_mb() -> float:
    """Unique set size of this process in MB (its own pages, counted once)."""
    kb = 0
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            kb += int(line.split()[1])
    return kb / 1024


def open_fds() -> int:
    """How many file descriptors this process holds open."""
    return len(os.listdir("/proc/self/fd"))
