"""The screens' commands: ``kiosk run``, ``kiosk demo`` and ``kiosk screenshots``.

Qt is imported only when one of them runs, so headless commands stay light.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk import config as config_mod
from kiosk import health
from kiosk.cli import add_config_option


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run_p = subparsers.add_parser(
        "run",
        help="run the kiosk (full-screen unless --window)",
        description="Run the cabin's kiosk with the configured hardware.",
    )
    add_config_option(run_p)
    run_p.add_argument("--window", action="store_true", help="a window, not full-screen")
    health.add_metrics_option(run_p)
    run_p.set_defaults(func=_run)

    demo_p = subparsers.add_parser(
        "demo",
        help="run the kiosk on simulated hardware (config/demo.toml)",
        description="The whole cabin on simulated hardware, in a window.",
    )
    add_config_option(demo_p)
    demo_p.add_argument("--fullscreen", action="store_true", help="full-screen, locked")
    demo_p.add_argument(
        "--scripted",
        action="store_true",
        help="headless: a scripted patient and a real headless Chromium as the doctor go "
        "through a whole consultation; prints each step's time and a verdict",
    )
    demo_p.add_argument("--json", action="store_true", help="with --scripted: JSON output")
    demo_p.add_argument(
        "--faults",
        action="store_true",
        help="with --scripted: also pull the card, unplug the scale, cut the network "
        "and stop the printer",
    )
    demo_p.add_argument(
        "--without-card",
        action="store_true",
        help="with --scripted: the patient has no card and types the booking code of the "
        "demo appointment",
    )
    demo_p.set_defaults(func=_demo)

    fault_p = subparsers.add_parser(
        "fault-screen",
        help="show the out-of-service screen (systemd runs it when the kiosk keeps failing)",
        description="A calm, static out-of-service screen; touches no hardware.",
    )
    add_config_option(fault_p)
    fault_p.add_argument("--window", action="store_true", help="a window, not full-screen")
    fault_p.set_defaults(func=_fault_screen)

    shots_p = subparsers.add_parser(
        "screenshots",
        help="render every screen in every language (and high contrast) to PNG files",
        description="Every screen, offscreen, with a fictitious patient: for design reviews.",
    )
    shots_p.add_argument("--out", type=Path, required=True, help="folder for the PNG files")
    shots_p.add_argument(
        "--size", default="1920x1080", type=_size, help="window size WIDTHxHEIGHT (1920x1080)"
    )
    shots_p.add_argument(
        "--languages", default="", help="comma-separated codes (default: fr,en,ar,es)"
    )
    shots_p.set_defaults(func=_screenshots)


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(n) for n in text.lower().split("x"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"size {text!r} is not WIDTHxHEIGHT") from exc
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise argparse.ArgumentTypeError(f"size {text!r} is out of range")
    return width, height


def _run(args: argparse.Namespace) -> int:
    cfg = config_mod.load(args.config)
    from ui.app import run

    port = args.metrics_port  # checked by the option (kiosk.health.metrics_port)
    return run(cfg, fullscreen=False if args.window else None, metrics_port=port or None)


def _demo(args: argparse.Namespace) -> int:
    cfg = config_mod.load(args.config or config_mod.project_config("demo"))
    if args.scripted and args.faults and args.without_card:
        print("kiosk demo: --faults and --without-card: pick one scenario", file=sys.stderr)
        return 2
    if args.scripted:
        from harness.scripted import run as run_scripted
        from kiosk import logs

        logs.setup(level=cfg.logging.level)
        return run_scripted(
            cfg, as_json=args.json, faults=args.faults, without_card=args.without_card
        )
    if args.json or args.faults or args.without_card:
        print("kiosk demo: --json, --faults and --without-card go with --scripted", file=sys.stderr)
        return 2
    from harness.demo import run_demo

    return run_demo(cfg, fullscreen=bool(args.fullscreen))


def _fault_screen(args: argparse.Namespace) -> int:
    from kiosk.errors import ConfigError

    try:
        cfg: config_mod.Config | None = config_mod.load(args.config)
    except ConfigError:
        cfg = None  # the fault screen shows even when the config is what is broken
    from ui.fault_screen import run_fault_screen

    return run_fault_screen(cfg, window=args.window)


def _screenshots(args: argparse.Namespace) -> int:
    from kiosk.config import LANGUAGES

    languages = tuple(code for code in args.languages.split(",") if code) or LANGUAGES
    unknown = [code for code in languages if code not in LANGUAGES]
    if unknown:
        print(f"kiosk screenshots: unknown language(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    from harness.screenshots import render
    from kiosk import logs

    # The scripted session's faults are expected: keep the output to what went wrong.
    logs.setup(level="ERROR")
    written = render(args.out, size=args.size, languages=languages)
    print(f"{len(written)} screenshots in {args.out}")
    return 0
