"""``python -m portal accounts`` (``cabine-portal accounts``): the accounts in the database.

``list``, ``add KIND LOGIN``, ``disable KIND LOGIN``, ``enable KIND LOGIN``, ``reset KIND
LOGIN``; KIND is doctor, staff, admin or cabin. ``add`` and ``reset`` print the new password
(or cabin token) once on stdout, alone on its line; what happened goes to stderr. The config
file's accounts are imported first, as the portal does at start. Exit status: 0 done, 1
refused (no such account, login taken, bad value), 2 no usable config or database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Sequence

from sqlalchemy.exc import SQLAlchemyError

from portal import config as portal_config
from portal.accounts.repository import KINDS, AccountExists, AccountRepository
from portal.accounts.service import DOCTOR_DETAILS, Accounts, BadAccount, NoAccount
from portal.appointments.repository import Repository

PROG = "portal accounts"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description="The portal's accounts in its database.")
    p.add_argument("--config", metavar="PATH", required=True, help="the portal's config file")
    sub = p.add_subparsers(dest="action", required=True)
    listing = sub.add_parser("list", help="every account, enabled or not (never a secret)")
    listing.add_argument("--json", action="store_true", help="one JSON array")
    add = sub.add_parser("add", help="a new account; prints its password or token once")
    add.add_argument("kind", choices=KINDS)
    add.add_argument("login")
    add.add_argument("--name", default="", help="the name shown (a doctor's: on prescriptions)")
    add.add_argument("--cabins", default="", help="staff: cabin ids, comma-separated, or *")
    add.add_argument("--psc-only", action="store_true", help="doctor: Pro Santé Connect only")
    for key in DOCTOR_DETAILS:
        add.add_argument(f"--{key}", default="", help=f"doctor: {key} on prescriptions")
    for action, what in (("disable", "refuse its logins, close its sockets"),
                         ("enable", "accept it again"),
                         ("reset", "a new password or cabin token, printed once")):  # fmt: skip
        one = sub.add_parser(action, help=what)
        one.add_argument("kind", choices=KINDS)
        one.add_argument("login")
    return p


async def _run(args: argparse.Namespace, cfg: portal_config.PortalConfig) -> int:
    repo = await Repository.open(cfg.appointments.database)
    try:
        accounts = Accounts(AccountRepository(repo.engine), cfg)
        imported = await accounts.import_config(cfg)
        if imported:
            print(f"{PROG}: {len(imported)} account(s) imported from the config file",
                  file=sys.stderr)  # fmt: skip
        return await _act(args, accounts)
    finally:
        await repo.close()


async def _act(args: argparse.Namespace, accounts: Accounts) -> int:
    try:
        if args.action == "list":
            rows = await accounts.list()
            if args.json:
                print(json.dumps([r.public() for r in rows], ensure_ascii=False, indent=1))
                return 0
            for r in rows:
                state = "enabled " if r.enabled else "disabled"
                when = time.strftime("%Y-%m-%d %H:%M", time.gmtime(r.updated_at))
                extra = ",".join(r.details.get("cabins", [])) if r.kind == "staff" else ""
                print(f"{r.kind:<6} {r.login:<24} {state} {when}Z {r.name} {extra}".rstrip())
            return 0
        if args.action == "add":
            details = {k: getattr(args, k) for k in DOCTOR_DETAILS if getattr(args, k)}
            cabins = tuple(c.strip() for c in args.cabins.split(",") if c.strip())
            row, secret = await accounts.add(
                args.kind, args.login, name=args.name, cabins=cabins, details=details,
                psc_only=args.psc_only, origin="cli",
            )  # fmt: skip
            what = "token" if row.kind == "cabin" else "password"
            print(f"{PROG}: {row.kind} {row.login} added; its {what} (shown once):",
                  file=sys.stderr)  # fmt: skip
            print(secret)
            return 0
        if args.action == "reset":
            secret = await accounts.reset(args.kind, args.login)
            what = "token" if args.kind == "cabin" else "password"
            print(f"{PROG}: {args.kind} {args.login}: new {what} (shown once):", file=sys.stderr)
            print(secret)
            return 0
        await accounts.set_enabled(args.kind, args.login, args.action == "enable")
        print(f"{PROG}: {args.kind} {args.login} {args.action}d", file=sys.stderr)
        return 0
    except (BadAccount, NoAccount) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    except AccountExists:
        print(f"{PROG}: login {args.login!r} is taken", file=sys.stderr)
        return 1


def main(argv: Sequence[str]) -> int:
    args = parser().parse_args(argv)
    try:
        cfg = portal_config.load(args.config)
    except portal_config.PortalConfigError as exc:
        print(f"{PROG}: config error: {exc}", file=sys.stderr)
        return 2
    if not cfg.appointments.database:
        print(f"{PROG}: {args.config} has no [appointments] database: its accounts are the "
              "file's own ([doctors], [staff], [cabins])", file=sys.stderr)  # fmt: skip
        return 2
    try:
        return asyncio.run(_run(args, cfg))
    except (OSError, RuntimeError, SQLAlchemyError) as exc:
        print(f"{PROG}: database error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
