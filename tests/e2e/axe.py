"""axe-core, injected into a page under test, checks it against WCAG 2.x levels A and AA.

The engine is the npm package's own ``axe.min.js``, installed by ``make setup`` into
``.cache/axe`` (no download at test time). Only violations count; what axe cannot decide
("incomplete") is not a failure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

AXE_JS = (
    Path(__file__).resolve().parents[2]
    / ".cache"
    / "axe"
    / "node_modules"
    / "axe-core"
    / "axe.min.js"
)
#: The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")

_RUN = """
const [tags, done] = [arguments[0], arguments[arguments.length - 1]];
axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then((r) => done(r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary})),
  }))))
  .catch((e) => done([{id: 'axe-error', help: String(e), nodes: []}]));
"""


def _inject_and_run(driver: Any, tags: tuple[str, ...]) -> list[dict[str, Any]]:
    if not driver.execute_script("return typeof window.axe !== 'undefined'"):
        if not AXE_JS.exists():
            pytest.fail(f"axe-core is missing ({AXE_JS}): run `make setup` (npm install axe-core)")
        driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
    driver.set_script_timeout(60)
    violations: list[dict[str, Any]] = driver.execute_async_script(_RUN, list(tags))
    return violations


async def violations(page: Any, tags: tuple[str, ...] = WCAG_AA) -> list[dict[str, Any]]:
    """The WCAG A/AA violations axe finds on the page as it is now (empty when none)."""
    found: list[dict[str, Any]] = await page.run(_inject_and_run, page.driver, tags)
    return found


def readable(found: list[dict[str, Any]]) -> str:
    """The violations, one rule a line with where, for an assertion's message."""
    return "\n".join(
        f"{v['id']} ({v.get('impact')}): {v['help']} at "
        + "; ".join(n["target"] for n in v["nodes"][:5])
        for v in found
    )
