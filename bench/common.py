"""The shared shape of a benchmark entry in ``bench/results.json`` (DESIGN §7)."""

from __future__ import annotations

import os
import statistics
from collections.abc import Sequence
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
