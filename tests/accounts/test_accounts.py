"""Accounts in the database (SQLite and PostgreSQL): the config file's imported once, the
database winning afterwards, disabled accounts refused at login, bad values refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import pytest

from portal import auth, server
from portal.accounts.repository import AccountRepository
from portal.accounts.service import Accounts, BadAccount, NoAccount
from portal.accounts.web import ACCOUNTS
from portal.appointments.repository import Repository
from portal.config import parse as parse_portal_config
from tests.accounts.conftest import login
from tests.appointments.conftest import appointments_config, appointments_toml
from tests.portal.conftest import CABIN_ID, STAFF

pytestmark = pytest.mark.asyncio


async def test_the_config_file_is_imported_once_then_the_database_wins(database_url: str) -> None:
    running = await server.start(appointments_config(database_url), host="127.0.0.1", port=0)
    try:
        rows = await running.app[ACCOUNTS].list()
        assert {(r.kind, r.login, r.origin) for r in rows} == {
            ("doctor", "dr-a", "config"), ("doctor", "dr-b", "config"),
            ("staff", STAFF[0], "config"), ("cabin", CABIN_ID, "config"),
            ("cabin", "cabin-test-02", "config"),
        }  # fmt: skip
        dr_a = next(r for r in rows if r.login == "dr-a")
        assert dr_a.details["rpps"] == "10000000001" and dr_a.enabled
        assert next(r for r in rows if r.kind == "staff").details == {"cabins": [CABIN_ID]}
    finally:
        await running.stop()

    # a second start imports nothing; a changed password in the file is ignored (the
    # database wins), a doctor new in the file is imported
    toml = appointments_toml(database_url).replace("[doctors.dr-a]", "[doctors.dr-c]\n"
        f'name = "Dr C"\npassword = "{auth.hash_secret("pass-c", n=2**10)}"\n\n[doctors.dr-a]')  # fmt: skip
    cfg = parse_portal_config(toml, source="changed.toml")
    cfg.doctors["dr-a"] = cfg.doctors["dr-a"].__class__(
        name="Dr A", password=auth.hash_secret("new-pass-a", n=2**10)
    )
    repo = await Repository.open(database_url)
    try:
        accounts = Accounts(AccountRepository(repo.engine), cfg)
        assert await accounts.import_config(appointments_config(database_url)) == []
        assert await accounts.import_config(cfg) == [("doctor", "dr-c")]
        assert await accounts.import_config(cfg) == []
    finally:
        await repo.close()
    running = await server.start(cfg, host="127.0.0.1", port=0)
    try:
        async with aiohttp.ClientSession() as http:
            assert (await login(http, running.url, "dr-a", "pass-a"))[0] == 200
            assert (await login(http, running.url, "dr-a", "new-pass-a"))[0] == 401
            assert (await login(http, running.url, "dr-c", "pass-c"))[0] == 200
    finally:
        await running.stop()


async def test_disabled_accounts_cannot_log_in_and_enabled_ones_can(
    db_portal: server.Running,
) -> None:
    accounts = db_portal.app[ACCOUNTS]
    url = db_portal.url
    async with aiohttp.ClientSession() as http:
        await accounts.set_enabled("doctor", "dr-a", False)
        assert (await login(http, url, "dr-a", "pass-a"))[0] == 401
        await accounts.set_enabled("staff", STAFF[0], False)
        assert (await login(http, url, *STAFF))[0] == 401
        await accounts.set_enabled("doctor", "dr-a", True)
        status, body = await login(http, url, "dr-a", "pass-a")
        assert status == 200 and body["doctor"]["rpps"] == "10000000001"
        # a reset password replaces the old one at once
        password = await accounts.reset("doctor", "dr-a")
        assert (await login(http, url, "dr-a", "pass-a"))[0] == 401
        assert (await login(http, url, "dr-a", password))[0] == 200
        # a new admin logs in, and is sent to /admin
        _, secret = await accounts.add("admin", "root-1", name="Admin One")
        status, body = await login(http, url, "root-1", secret)
        assert status == 200 and body["next"] == "/admin" and body["role"] == "admin"
    rows = {(r.kind, r.login): r for r in await accounts.list()}
    assert rows["staff", STAFF[0]].enabled is False
    assert rows["doctor", "dr-a"].updated_at >= rows["doctor", "dr-a"].created_at


async def test_bad_accounts_are_refused_with_a_clear_reason(db_portal: server.Running) -> None:
    accounts = db_portal.app[ACCOUNTS]
    bad: list[tuple[str, str, dict[str, Any], str]] = [
        ("doctor", "dr a", {}, "login"),
        ("doctor", "dr-z", {"name": ""}, "name"),
        ("staff", "st-1", {}, "cabins"),
        ("staff", "st-1", {"cabins": ("nope",)}, "no cabin 'nope'"),
        ("staff", "st-1", {"cabins": ("*", CABIN_ID)}, "stands alone"),
        ("doctor", "dr-z", {"details": {"rpps": "12"}}, "rpps"),
        ("doctor", "dr-z", {"details": {"iban": "x"}}, "unknown detail"),
        ("robot", "r", {}, "kind"),
        ("cabin", "cab/1", {}, "login"),
    ]
    for kind, login_, kwargs, reason in bad:
        with pytest.raises(BadAccount, match=reason):
            await accounts.add(kind, login_, **{"name": "N", **kwargs})
    with pytest.raises(Exception, match="dr-b"):  # a person's login is unique among people
        await accounts.add("staff", "dr-b", name="S", cabins=("*",))
    with pytest.raises(NoAccount):
        await accounts.set_enabled("doctor", "nobody", False)
    with pytest.raises(NoAccount):
        await accounts.reset("cabin", "nowhere")
    assert len(await accounts.list()) == 5  # nothing half-added


async def test_without_a_database_the_config_accounts_work_and_there_is_no_admin(
    portal: server.Running,
) -> None:
    async with aiohttp.ClientSession() as http:
        assert (await login(http, portal.url, "dr-a", "pass-a"))[0] == 200
        async with http.get(f"{portal.url}/admin") as response:
            assert response.status == 404
    assert ACCOUNTS not in portal.app


async def test_a_database_of_the_previous_version_gains_the_accounts_table(tmp_path: Path) -> None:
    from sqlalchemy import text

    from portal.appointments import models
    from portal.appointments.repository import engine_for

    engine = engine_for(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    try:
        shipped = models.MIGRATIONS
        models.MIGRATIONS = shipped[:1]  # the portal before this change
        try:
            assert await models.migrate(engine) == 1
        finally:
            models.MIGRATIONS = shipped
        assert await models.migrate(engine) == len(shipped) >= 2
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM account"))).scalar_one() == 0
            version = (await conn.execute(text("SELECT version FROM schema_version"))).scalar_one()
        assert version == len(shipped)
    finally:
        await engine.dispose()
