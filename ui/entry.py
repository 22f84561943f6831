"""The installed ``kiosk`` command: the core's commands plus the screens' own."""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.cli import main as core_main
from ui import commands


def main(argv: Sequence[str] | None = None) -> int:
    return core_main(argv, extra=[commands])


if __name__ == "__main__":
    raise SystemExit(main())
