"""``python -m portal accounts`` / ``cabine-portal accounts`` run as a subprocess against a
SQLite file: add, list, disable, enable, reset, each secret printed once; the portal then
accepts exactly what the command line says."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from portal import config as portal_config
from portal import server
from tests.accounts.conftest import login
from tests.appointments.conftest import appointments_toml
from tests.portal.conftest import CABIN_ID

VENV_BIN = Path(sys.executable).parent


def accounts(config: Path, *args: str, entry: str = "module") -> subprocess.CompletedProcess[str]:
    head = (
        [str(VENV_BIN / "cabine-portal")] if entry == "script" else [sys.executable, "-m", "portal"]
    )
    return subprocess.run(
        [*head, "accounts", "--config", str(config), *args],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "portal.toml"
    path.write_text(appointments_toml(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}"))
    return path


def test_add_list_disable_enable_reset(config_file: Path) -> None:
    listed = accounts(config_file, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert "5 account(s) imported from the config file" in listed.stderr
    assert {(a["kind"], a["login"]) for a in json.loads(listed.stdout)} >= {("doctor", "dr-a")}
    assert "secret" not in listed.stdout and "scrypt" not in listed.stdout

    added = accounts(config_file, "add", "doctor", "dr-new", "--name", "Dr New",
                     "--rpps", "10101010101", "--specialty", "Pédiatrie")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "doctor dr-new added; its password (shown once)" in added.stderr
    password = added.stdout.strip()
    assert len(password) >= 16 and "\n" not in password

    staff = accounts(config_file, "add", "staff", "pharma-2", "--name", "Pharmacie 2",
                     "--cabins", CABIN_ID, entry="script")  # fmt: skip
    assert staff.returncode == 0, staff.stderr
    table = accounts(config_file, "list")
    assert table.returncode == 0 and "imported" not in table.stderr  # imported once only
    line = next(x for x in table.stdout.splitlines() if "pharma-2" in x)
    assert line.split()[:3] == ["staff", "pharma-2", "enabled"] and line.endswith(CABIN_ID)

    assert accounts(config_file, "disable", "doctor", "dr-new").returncode == 0
    line = next(x for x in accounts(config_file, "list").stdout.splitlines() if "dr-new" in x)
    assert "disabled" in line
    assert accounts(config_file, "enable", "doctor", "dr-new").returncode == 0

    reset = accounts(config_file, "reset", "cabin", CABIN_ID)
    assert reset.returncode == 0 and "new token (shown once)" in reset.stderr
    assert len(reset.stdout.strip()) >= 43


def test_refusals_say_why_and_change_nothing(config_file: Path, tmp_path: Path) -> None:
    taken = accounts(config_file, "add", "staff", "dr-a", "--name", "X", "--cabins", "*")
    assert taken.returncode == 1
    assert taken.stderr.splitlines()[-1] == "portal accounts: login 'dr-a' is taken"
    bad = accounts(config_file, "add", "doctor", "dr-x", "--name", "X", "--rpps", "123")
    assert bad.returncode == 1 and "rpps: 11 digits" in bad.stderr and not bad.stdout
    nobody = accounts(config_file, "disable", "cabin", "nowhere")
    assert nobody.returncode == 1 and "no cabin 'nowhere'" in nobody.stderr
    assert accounts(config_file, "reset", "robot", "x").returncode == 2  # argparse: a usage error
    assert len(json.loads(accounts(config_file, "list", "--json").stdout)) == 5

    no_db = tmp_path / "no-db.toml"
    no_db.write_text("[server]\nsecure_cookies = false\n")
    refused = accounts(no_db, "list")
    assert refused.returncode == 2 and "has no [appointments] database" in refused.stderr
    missing = accounts(tmp_path / "missing.toml", "list")
    assert missing.returncode == 2 and "config error" in missing.stderr


@pytest.mark.asyncio
async def test_the_portal_accepts_what_the_command_line_made(config_file: Path) -> None:
    password = accounts(config_file, "add", "admin", "root-1", "--name", "Root").stdout.strip()
    doctor = accounts(config_file, "add", "doctor", "dr-cli", "--name", "Dr CLI").stdout.strip()
    assert accounts(config_file, "disable", "doctor", "dr-b").returncode == 0
    running = await server.start(portal_config.load(config_file), host="127.0.0.1", port=0)
    try:
        async with aiohttp.ClientSession() as http:
            status, body = await login(http, running.url, "root-1", password)
            assert (status, body["next"]) == (200, "/admin")
            assert (await login(http, running.url, "dr-cli", doctor))[0] == 200
            assert (await login(http, running.url, "dr-b", "pass-b"))[0] == 401
    finally:
        await running.stop()
