"""``python -m harness --scripted [--json] [--faults]``: the headless scripted demo.

``kiosk demo --scripted`` runs the same; this entry needs no screen and no Qt.
"""

from __future__ import annotations

import argparse
import sys

from kiosk import config as config_mod
from kiosk import logs
from kiosk.errors import ConfigError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness")
    parser.add_argument("--config", help="base config (default: config/demo.toml)")
    parser.add_argument("--scripted", action="store_true", required=True)
    parser.add_argument("--json", action="store_true", help="write the steps as JSON")
    parser.add_argument("--faults", action="store_true", help="play the fault scenario too")
    args = parser.parse_args(argv)
    try:
        cfg = config_mod.load(args.config or config_mod.project_config("demo"))
    except ConfigError as exc:
        print(f"kiosk: config error: {exc}", file=sys.stderr)
        return 2
    from harness.scripted import run

    logs.setup(level=cfg.logging.level)
    return run(cfg, as_json=args.json, faults=args.faults)


if __name__ == "__main__":
    sys.exit(main())
