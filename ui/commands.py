"""The screens' commands: ``kiosk run`` and ``kiosk demo``.

Qt is imported only when one of them runs, so headless commands stay light.
"""

from __future__ import annotations

import argparse

from kiosk import config as config_mod
from kiosk.cli import add_config_option


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run_p = subparsers.add_parser(
        "run",
        help="run the kiosk (full-screen unless --window)",
        description="Run the cabin's kiosk with the configured hardware.",
    )
    add_config_option(run_p)
    run_p.add_argument("--window", action="store_true", help="a window, not full-screen")
    run_p.set_defaults(func=_run)

    demo_p = subparsers.add_parser(
        "demo",
        help="run the kiosk on simulated hardware (config/demo.toml)",
        description="The whole cabin on simulated hardware, in a window.",
    )
    add_config_option(demo_p)
    demo_p.add_argument("--fullscreen", action="store_true", help="full-screen, locked")
    demo_p.set_defaults(func=_demo)


def _run(args: argparse.Namespace) -> int:
    cfg = config_mod.load(args.config)
    from ui.app import run

    return run(cfg, fullscreen=False if args.window else None)


def _demo(args: argparse.Namespace) -> int:
    cfg = config_mod.load(args.config or config_mod.project_config("demo"))
    from ui.app import run

    return run(cfg, fullscreen=bool(args.fullscreen))
