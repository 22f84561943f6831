"""Item 3: unauthenticated clients must not starve password checking.

300 wrong tokens in flight made a cabin's hello take 14.7 s (the kiosk gives up at 10 s) and
a doctor's login 17.8 s. Machine tokens now have a fast keyed hash, passwords a small pool
fair between sources, and limits per source answer 429 early.
"""

from __future__ import annotations

import asyncio
import io
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import protocol
from portal import auth, cli, limits, server
from portal.config import PortalConfig
from portal.config import parse as parse_portal_config
from tests.security.conftest import client, hello, login

ROOT = Path(__file__).resolve().parents[2]
CABIN_ID = "cabin-abuse-01"
#: Machine tokens are 256 random bits: their hash is the fast one.
CABIN_TOKEN = auth.new_token()
API_TOKEN = auth.new_token()
PASSWORD = "a doctor's password"
#: The kiosk gives up on its hello at 10 s; the budget (DESIGN §7) is 1 s.
BUDGET_S = 1.0
#: The kiosk gives up on a hello after this long.
GIVE_UP_S = 10.0


def abuse_config(tmp_path: Path, **limits: Any) -> PortalConfig:
    """Production costs: the doctor's password at scrypt's default cost, fast token hashes."""
    keys = "\n".join(f"{k} = {v!r}" for k, v in limits.items())
    text = f"""
[server]
secure_cookies = false
[limits]
{keys}
[doctors.dr-a]
name = "Dr A"
password = "{auth.hash_secret(PASSWORD)}"
[cabins.{CABIN_ID}]
token = "{auth.hash_token(CABIN_TOKEN)}"
[appointments]
database = "sqlite+aiosqlite:///{tmp_path / "appointments.db"}"
match_secret = "abuse-test-match-secret"
api_token = "{auth.hash_token(API_TOKEN)}"
"""
    return parse_portal_config(text, source="abuse-test.toml")


@pytest.fixture
def attacker() -> Iterator[Callable[[str, float], Awaitable[subprocess.Popen[str]]]]:
    """Start ``tests.security.attacker`` against a URL (300 wrong credentials in flight from
    10 other sources); it is stopped by PID at the test's end."""
    processes: list[subprocess.Popen[str]] = []

    async def start(url: str, seconds: float) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.security.attacker", url, "--in-flight", "300",
             "--seconds", str(seconds), "--cabin", CABIN_ID, "--login", "dr-a"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        processes.append(process)
        assert process.stdout is not None
        line = await asyncio.wait_for(asyncio.to_thread(process.stdout.readline), timeout=60)
        assert line.strip() == "attacking", f"the attacker did not start: {line!r}"
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


async def _timed_rounds(url: str, rounds: int) -> tuple[list[float], list[float]]:
    """A cabin's hello until its welcome, and a doctor's login until its 200, from 127.0.0.1."""
    hellos, logins = [], []
    async with client() as http:
        for _ in range(rounds):
            t0 = time.perf_counter()
            ws, answer = await hello(http, url, cabin_id=CABIN_ID, token=CABIN_TOKEN)
            hellos.append(time.perf_counter() - t0)
            assert answer["type"] == "welcome", answer
            await ws.close()
            t0 = time.perf_counter()
            assert await login(http, url, "dr-a", PASSWORD) == 200
            logins.append(time.perf_counter() - t0)
    return hellos, logins


@pytest.mark.parametrize(
    "overrides",
    [
        {},  # the defaults: attackers' sources are soon answered 429 without any hashing
        # no lockout at all: the fair, bounded pool alone keeps the doctor's login prompt
        {
            "max_failed_logins": 1_000_000,
            "max_failed_per_source": 1_000_000,
            "max_failed_per_account": 1_000_000,
        },
    ],
    ids=["with-lockouts", "pool-alone"],
)
@pytest.mark.asyncio
async def test_300_wrong_tokens_in_flight_starve_neither_hello_nor_login(
    tmp_path: Path,
    start_portal: Callable[[PortalConfig], Awaitable[server.Running]],
    attacker: Callable[[str, float], Awaitable[subprocess.Popen[str]]],
    overrides: dict[str, Any],
) -> None:
    portal = await start_portal(abuse_config(tmp_path, **overrides))
    process = await attacker(portal.url, 60.0)
    hellos, logins = await _timed_rounds(portal.url, 12)
    still_attacking = process.poll() is None
    process.terminate()  # the attacker ends its requests in flight, then says what it got
    out, _ = await asyncio.to_thread(process.communicate, timeout=60)  # the portal serves on
    assert still_attacking, f"the attack ended before the measures: {out[-500:]}"
    outcomes: dict[str, int] = json.loads(out.strip().splitlines()[-1])
    # Behaviour, not speed (bench/bench_abuse.py measures against the 1 s budget): every
    # hello and login gets through, far from the kiosk's 10 s give-up (it was 14.7 and
    # 17.8 s), whatever else the shared machine runs meanwhile.
    for name, times in (("hello", hellos), ("login", logins)):
        assert max(times) <= GIVE_UP_S / 2, f"{name}: {times}; attack: {outcomes}"
        assert statistics.median(times) <= 2 * BUDGET_S, f"{name}: {times}"
    # the attack was real, and got refusals only: 401, 429, or the hello's error codes
    assert sum(outcomes.values()) >= 300, outcomes
    allowed = {"401", "429", "unauthorized", "rate_limited"}
    assert {k.split()[1] for k in outcomes} <= allowed, outcomes
    guard = portal.app[limits.GUARD]
    assert guard.hashes.load <= guard.hashes.max_pending


def test_machine_tokens_have_a_fast_keyed_hash_and_old_scrypt_ones_still_work() -> None:
    token = auth.new_token()
    assert len(token) >= auth.MIN_TOKEN_CHARS
    fast = auth.hash_token(token)
    assert fast.startswith("hmac-sha256$") and auth.is_fast(fast)
    assert auth.verify_secret(token, fast)
    assert not auth.verify_secret(token + "x", fast)
    assert not auth.verify_secret("\ud800" + token[1:], fast)
    assert auth.hash_token(token) != fast  # salted
    with pytest.raises(ValueError, match="32 characters"):
        auth.hash_token("short-token")
    old = auth.hash_secret("short-token", n=2**10)
    assert auth.verify_secret("short-token", old) and not auth.is_fast(old)
    for broken in ("hmac-sha256$", "hmac-sha256$AA==", "hmac-sha256$$AA==", "sha1$AA==$AA=="):
        assert not auth.is_hash(broken) and not auth.verify_secret(token, broken)
    # the config takes either, and refuses what is no hash at all
    base = '[cabins.c1]\ntoken = "{}"\n'
    assert parse_portal_config(base.format(fast), source="t").cabins["c1"].token == fast
    assert parse_portal_config(base.format(old), source="t").cabins["c1"].token == old
    with pytest.raises(Exception, match="must be a hash"):
        parse_portal_config(base.format(token), source="t")


@pytest.mark.asyncio
async def test_a_cabin_with_either_hash_is_welcomed(
    start_portal: Callable[[PortalConfig], Awaitable[server.Running]],
) -> None:
    fast_token, old_token = auth.new_token(), "an-old-cabin-token"
    cfg = parse_portal_config(
        f'[server]\nsecure_cookies = false\n[cabins.fast]\ntoken = "{auth.hash_token(fast_token)}"\n'
        f'[cabins.old]\ntoken = "{auth.hash_secret(old_token, n=2**10)}"\n',
        source="t",
    )
    portal = await start_portal(cfg)
    async with client() as http:
        for cabin_id, token in (("fast", fast_token), ("old", old_token), ("old", old_token)):
            ws, answer = await hello(http, portal.url, cabin_id=cabin_id, token=token)
            assert answer["type"] == "welcome", (cabin_id, answer)
            await ws.send_str(protocol.signal("ping"))
            await ws.close()
        ws, answer = await hello(http, portal.url, cabin_id="fast", token=old_token)
        assert answer["code"] == "unauthorized"
        await ws.close()


@pytest.mark.asyncio
async def test_the_pool_serves_sources_in_turn_and_refuses_beyond_its_bounds() -> None:
    """One source's flood: beyond its places it is refused at once (Busy, a 429); a check
    from another source waits behind one check per source, not behind the flood."""
    pool = limits.HashPool(workers=1, max_pending=8, per_source=4)
    stored = auth.hash_secret("pw", n=2**12)
    order: list[str] = []

    async def check(source: str, secret: str) -> bool:
        ok = await pool.verify(secret, stored, source=source)
        order.append(source)
        return ok

    try:
        flood = [asyncio.create_task(check("10.0.0.1", "wrong")) for _ in range(300)]
        await asyncio.sleep(0)  # every flood task asked for its place
        clean = asyncio.create_task(check("10.0.0.2", "pw"))
        assert await asyncio.wait_for(clean, timeout=10) is True
        results = await asyncio.gather(*flood, return_exceptions=True)
        busy = [r for r in results if isinstance(r, limits.Busy)]
        assert len(busy) == 296  # 4 places for the flooding source, no more
        assert order.index("10.0.0.2") <= 2  # served in turn, not after the flood
        # a full pool: a clean source takes the busiest source's newest waiting place
        pool2 = limits.HashPool(workers=1, max_pending=4, per_source=4)
        first = [asyncio.create_task(pool2.verify("x", stored, source="a")) for _ in range(4)]
        await asyncio.sleep(0)
        assert await pool2.verify("pw", stored, source="b") is True
        outcomes = await asyncio.gather(*first, return_exceptions=True)
        assert sum(isinstance(o, limits.Busy) for o in outcomes) == 1
        pool2.close()
    finally:
        pool.close()


def test_the_cli_draws_and_hashes_machine_tokens(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli.main(["--new-token"]) == 0
    token, hashed = capsys.readouterr().out.split()
    assert auth.is_fast(hashed) and auth.verify_secret(token, hashed)
    monkeypatch.setattr("sys.stdin", io.StringIO(token + "\n"))
    assert cli.main(["--hash-token"]) == 0
    assert auth.verify_secret(token, capsys.readouterr().out.strip())
    monkeypatch.setattr("sys.stdin", io.StringIO("too-short\n"))
    assert cli.main(["--hash-token"]) == 2
    assert "32 characters" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("a password\n"))
    assert cli.main(["--hash"]) == 0
    assert capsys.readouterr().out.startswith("scrypt$")
