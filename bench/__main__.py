"""``python -m bench [NAME...]``: run the benchmarks, write bench/results.json, print a table."""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
import traceback
from pathlib import Path
from typing import Any

from bench.common import not_measured

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"


def _modules(selected: list[str]) -> list[str]:
    names = sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("bench_"))
    if selected:
        names = [n for n in names if n.removeprefix("bench_") in selected or n in selected]
    return names


def _fmt(side: dict[str, Any] | None) -> str:
    if not side:
        return "-"
    if "median" not in side:  # an entry of figures of its own (portal_scale: p99_ms)
        return " ".join(f"{key} {value}" for key, value in side.items())
    return f"{side['median']:.4g} {side['unit']} (p95 {side['p95']:.4g})"


def main(argv: list[str]) -> int:
    results: dict[str, Any] = {}
    if RESULTS.exists():
        results = json.loads(RESULTS.read_text(encoding="utf-8"))
    for name in _modules(argv):
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}", flush=True)
        try:
            produced: dict[str, Any] = module.run()
        except Exception as exc:
            traceback.print_exc()
            produced = {
                key: not_measured("see DESIGN §7", f"{name} failed: {type(exc).__name__}: {exc}")
                for key in getattr(module, "ENTRIES", (name.removeprefix("bench_"),))
            }
        results.update(produced)
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print()
    print(f"{'entry':<26} {'kiosk':<30} {'bare':<30} {'ratio':>6}  met")
    for key, row in results.items():
        ratio = "-" if row.get("ratio") is None else f"{row['ratio']:.2f}"
        print(
            f"{key:<26} {_fmt(row.get('kiosk')):<30} {_fmt(row.get('bare')):<30} {ratio:>6}  "
            f"{row.get('met')}{'  ' + row['why'] if row.get('why') else ''}"
        )
    print(f"\nwritten: {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
