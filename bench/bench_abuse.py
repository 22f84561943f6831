"""The portal under abuse: a cabin's hello and a doctor's login while 300 bad tokens are in flight.

``portal_under_abuse``: from 127.0.0.1, a cabin's hello until its ``welcome`` (fast token
hash) then a doctor's login until its 200 (scrypt at its production cost), in turn, while
another process keeps 300 wrong credentials in flight from 10 other loopback sources (a third
wrong cabin hellos, a third wrong bearer tokens on the appointments API, a third wrong logins:
a real doctor's with a wrong password, or made-up ones). The figure is, per round, the slower
of the two; bare: the same rounds with no attack. Measured with the portal's default limits,
and again with the lockouts off (the fair, bounded password pool alone) under ``detail``.
``python -m bench.bench_abuse attack URL`` is the attacking process.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.common import entry, stats

ENTRIES = ("portal_under_abuse",)
BUDGET = "a cabin's hello and a doctor's login still <= 1 s"
ROUNDS = 40
IN_FLIGHT = 300
SOURCES = 10
ROOT = Path(__file__).resolve().parent.parent
NO_LOCKOUTS = {
    "max_failed_logins": 1_000_000,
    "max_failed_per_source": 1_000_000,
    "max_failed_per_account": 1_000_000,
}


def _config(tmp: Path, cabin_token: str, api_token: str, **limits: Any) -> Any:
    from portal import auth
    from portal.config import parse

    keys = "\n".join(f"{k} = {v!r}" for k, v in limits.items())
    return parse(
        f"[server]\nsecure_cookies = false\n[limits]\n{keys}\n"
        f'[doctors.dr-a]\nname = "Dr A"\npassword = "{auth.hash_secret("doctor-password")}"\n'
        f'[cabins.c1]\ntoken = "{auth.hash_token(cabin_token)}"\n'
        f'[appointments]\ndatabase = "sqlite+aiosqlite:///{tmp / "a.db"}"\n'
        f'match_secret = "bench-match-secret-0123"\napi_token = "{auth.hash_token(api_token)}"\n',
        source="bench-abuse",
    )


async def _rounds(url: str, cabin_token: str) -> tuple[list[float], list[float]]:
    import aiohttp

    hellos, logins = [], []
    connector = aiohttp.TCPConnector(local_addr=("127.0.0.1", 0))
    async with aiohttp.ClientSession(connector=connector) as http:
        for _ in range(ROUNDS):
            t0 = time.perf_counter()
            async with http.ws_connect(url.replace("http", "ws") + "/ws/cabin") as ws:
                await ws.send_str(
                    json.dumps({"type": "hello", "cabin_id": "c1", "token": cabin_token})
                )
                msg = await ws.receive(timeout=30)
                assert json.loads(msg.data)["type"] == "welcome", msg.data
            hellos.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            body = {"username": "dr-a", "password": "doctor-password"}
            async with http.post(f"{url}/api/login", json=body) as r:
                assert r.status == 200, r.status
            logins.append(time.perf_counter() - t0)
    return hellos, logins


async def _under_attack(
    url: str, cabin_token: str
) -> tuple[list[float], list[float], dict[str, Any]]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.bench_abuse", "attack", url,
        cwd=ROOT, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None
    try:
        line = await asyncio.wait_for(process.stdout.readline(), timeout=60)
        if line.strip() != b"attacking":
            raise RuntimeError(f"the attacker did not start: {line!r}")
        hellos, logins = await _rounds(url, cabin_token)
        if process.returncode is not None:
            raise RuntimeError("the attack ended before the measures")
        process.send_signal(signal.SIGTERM)
        out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    report = json.loads(out.decode().strip().splitlines()[-1])
    outcomes, seconds = report["outcomes"], report["seconds"]
    return hellos, logins, {
        "in_flight": IN_FLIGHT, "sources": SOURCES, "seconds": round(seconds, 1),
        "answers_per_s": round(sum(outcomes.values()) / seconds, 1),
        "answers_by_kind_and_status": outcomes,
    }  # fmt: skip


async def _measure() -> dict[str, Any]:
    from portal import auth, server

    cabin_token, api_token = auth.new_token(), auth.new_token()
    tmp = Path(tempfile.mkdtemp(prefix="cabine-bench-abuse-"))
    detail: dict[str, Any] = {}
    try:
        results: dict[str, Any] = {}
        for name, limits in (("defaults", {}), ("pool_alone", NO_LOCKOUTS)):
            (tmp / name).mkdir()
            cfg = _config(tmp / name, cabin_token, api_token, **limits)
            portal = await server.start(cfg, host="127.0.0.1", port=0)
            try:
                bare_h, bare_l = await _rounds(portal.url, cabin_token)
                hellos, logins, attack = await _under_attack(portal.url, cabin_token)
            finally:
                await portal.stop()
            results[name] = {
                "kiosk": stats([max(h, g) for h, g in zip(hellos, logins, strict=True)], "s"),
                "bare": stats([max(h, g) for h, g in zip(bare_h, bare_l, strict=True)], "s"),
            }
            detail[name] = {
                "hello": stats(hellos, "s"), "login": stats(logins, "s"),
                "hello_bare": stats(bare_h, "s"), "login_bare": stats(bare_l, "s"),
                "attack": attack,
            }  # fmt: skip
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    main = results["defaults"]
    met = main["kiosk"]["p95"] <= 1.0 and results["pool_alone"]["kiosk"]["p95"] <= 1.0
    out = entry(main["kiosk"], main["bare"], budget=BUDGET, met=met)
    out["detail"] = detail
    return {"portal_under_abuse": out}


def run() -> dict[str, Any]:
    return asyncio.run(_measure())


# -- the attacking process -------------------------------------------------------------------


async def _attack(url: str) -> dict[str, Any]:
    import aiohttp

    def session(source: str) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(local_addr=(source, 0), limit=0, force_close=True)
        return aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30))

    sessions = [session(f"127.0.0.{2 + n}") for n in range(SOURCES)]
    outcomes: Counter[str] = Counter()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    started = asyncio.Event()
    count = 0

    async def one(http: Any, kind: int, n: int) -> str:
        if kind == 0:  # a wrong cabin hello: a known id, or an unknown one
            cabin_id = "c1" if n % 2 else f"cabin-{secrets.token_hex(4)}"
            try:
                hello = {"type": "hello", "cabin_id": cabin_id, "token": secrets.token_urlsafe(32)}
                async with http.ws_connect(url.replace("http", "ws") + "/ws/cabin") as ws:
                    await ws.send_str(json.dumps(hello))
                    msg = await ws.receive(timeout=30)
                    return f"hello {json.loads(msg.data).get('code') if msg.data else 'closed'}"
            except aiohttp.WSServerHandshakeError as exc:
                return f"hello {exc.status}"
        if kind == 1:  # a wrong bearer token
            headers = {"Authorization": f"Bearer {secrets.token_urlsafe(32)}"}
            async with http.get(f"{url}/api/appointments/a-{n}", headers=headers) as r:
                return f"bearer {r.status}"
        body = {
            "username": "dr-a" if n % 2 else f"nobody-{secrets.token_hex(4)}",
            "password": secrets.token_hex(8),
        }
        async with http.post(f"{url}/api/login", json=body) as r:
            return f"login {r.status}"

    async def worker(n: int) -> None:
        nonlocal count
        count += 1
        if count == IN_FLIGHT:
            started.set()
        while not stop.is_set():
            try:
                outcome = await one(sessions[n % SOURCES], n % 3, n)
            except (aiohttp.ClientError, TimeoutError, ConnectionError) as exc:
                outcome = f"{('hello', 'bearer', 'login')[n % 3]} {type(exc).__name__}"
            outcomes[outcome] += 1

    tasks = [asyncio.create_task(worker(n)) for n in range(IN_FLIGHT)]
    await asyncio.wait_for(started.wait(), timeout=30)
    print("attacking", flush=True)
    t0 = time.perf_counter()
    await asyncio.wait_for(stop.wait(), timeout=600)
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=60)
    seconds = time.perf_counter() - t0
    for http in sessions:
        await http.close()
    return {"outcomes": dict(outcomes), "seconds": seconds}


if __name__ == "__main__" and sys.argv[1:2] == ["attack"]:
    print(json.dumps(asyncio.run(_attack(sys.argv[2]))), flush=True)
