"""``kiosk selftest [--json]``: the technician's summary of the cabin's health.

Without any config (no ``--config``, no ``$KIOSK_CONFIG``, no ``/etc/cabine/kiosk.toml``) the
checks that need none still run, and the report says how to give one.
"""

from __future__ import annotations

import argparse
import json
import os

from kiosk.cli import add_config_option


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "selftest",
        help="check config, system packages and every configured device",
        description="Run every check; exit 0 when all pass, 1 otherwise. Each failed check "
        "says what to do. Without a config, only the checks that need none run.",
    )
    add_config_option(p)
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: building the parser must stay cheap for every other command.
    from kiosk import config as config_mod
    from kiosk import selftest
    from kiosk.errors import ConfigError

    path = config_mod.resolve_path(args.config)
    named = bool(args.config or os.environ.get(config_mod.ENV_VAR))
    if not named and not path.exists():
        report = selftest.run_without_config()
    else:
        try:
            cfg: config_mod.Config | None = config_mod.load(path)
            config_error = ""
        except ConfigError as exc:
            cfg, config_error = None, str(exc)
        report = selftest.run_all(cfg, config_error=config_error)
    if args.json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        for check in report.checks:
            mark = "ok  " if check.ok else "FAIL"
            print(f"{mark} {check.name}: {check.detail}")
            if check.hint:
                print(f"     -> {check.hint}")
        print("all checks passed" if report.ok else "some checks failed")
    return 0 if report.ok else 1
