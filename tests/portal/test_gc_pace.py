"""The served portal's paced collector: survivors frozen often, everything collected now and
then (portal.gc_pace); run in a subprocess, as only ``python -m portal`` runs it."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_survivors_are_frozen_and_cycles_are_freed_at_the_full_collection() -> None:
    script = textwrap.dedent(
        """
        import asyncio, gc, weakref
        from portal import gc_pace

        class Node:
            pass

        async def main():
            task = asyncio.create_task(gc_pace.paced(freeze_s=0.05, full_s=0.5))
            a, b = Node(), Node()
            a.other, b.other = b, a          # a cycle, as a closed socket's objects leave
            gone = weakref.ref(a)
            await asyncio.sleep(0.2)
            frozen = gc.get_freeze_count()
            del a, b
            gc.collect()                      # a frozen cycle outlives a collection...
            kept = gone() is not None
            await asyncio.sleep(0.6)          # ...until the full one
            task.cancel()
            print(frozen > 0, kept, gone() is None)

        asyncio.run(main())
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.split() == ["True", "True", "True"], out.stderr
