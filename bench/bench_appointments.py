"""Appointments: the check-in answer and a booking through the API, on a real portal (SQLite).

``checkin_match``: a cabin's ``checkin`` with a match key until its ``checked_in``, the
appointment looked up and marked in the database; bare: the same round trip for a walk-in
on a portal without appointments (no database). ``code_check``: a typed booking code's
``check_code`` until its ``checked_in`` (the patient waits on it at the code screen); same
bare. ``booking_api``: ``POST /api/appointments``
until its 201 (validation, phone parsing, insert of the booking and its SMS); bare: ``GET
/api/health`` on the same portal, the HTTP round trip alone.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import entry, stats

ENTRIES = ("checkin_match", "code_check", "booking_api")
RUNS = 60
CHECKIN_BUDGET = "check-in answer <= 50 ms (a patient waits on it)"
BOOKING_BUDGET = "booking <= 100 ms"


def _config(database: str) -> Any:
    from portal import auth
    from portal.config import parse

    cheap = auth.hash_secret("cabin-token", n=2**10)
    api = auth.hash_secret("api-token", n=2**10)
    appointments = (
        f'[appointments]\ndatabase = "{database}"\nmatch_secret = "bench-match-secret-0123"\n'
        f'api_token = "{api}"\nearly_min = 100000.0\n'
        '[hours.c1]\ndays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\n'
        'opens = "00:00"\ncloses = "24:00"\nslot_min = 5\n'
        if database
        else ""
    )
    return parse(
        "[server]\nsecure_cookies = false\n[limits]\nrate = 1000.0\nburst = 1000\n"
        f'[cabins.c1]\ntoken = "{cheap}"\n{appointments}',
        source="bench",
    )


async def _measure() -> dict[str, Any]:
    import aiohttp

    import protocol
    from portal import server

    tmp = Path(tempfile.mkdtemp(prefix="cabine-bench-appt-"))
    with_db = await server.start(_config(f"sqlite+aiosqlite:///{tmp / 'a.db'}"), port=0)
    bare = await server.start(_config(""), port=0)
    person = {"last_name": "Martin", "first_name": "Paul", "birth_date": "19700101"}
    zone = datetime.now().astimezone().tzinfo
    first = datetime.now(zone).replace(second=0, microsecond=0) + timedelta(days=2)
    first -= timedelta(minutes=first.minute % 5)
    headers = {"Authorization": "Bearer api-token"}
    times: dict[str, list[float]] = {
        "checkin": [], "code": [], "walkin": [], "book": [], "health": []
    }  # fmt: skip
    try:
        async with aiohttp.ClientSession() as http:
            sockets = {}
            for name, running in (("db", with_db), ("bare", bare)):
                ws = await http.ws_connect(running.url.replace("http", "ws") + "/ws/cabin")
                await ws.send_str(protocol.signal("hello", cabin_id="c1", token="cabin-token"))
                welcome = protocol.decode_signal((await ws.receive()).data)
                sockets[name] = (ws, welcome)

            async def answer(ws: Any) -> None:
                while True:
                    msg = protocol.decode_signal((await ws.receive(timeout=10)).data)
                    if msg["type"] == "checked_in":
                        return

            for i in range(RUNS):
                body = {"id": f"b{i}", "cabin_id": "c1", "phone": "+33612345678",
                        "slot_start": (first + timedelta(minutes=5 * i)).isoformat(),
                        "last_name": f"Martin{chr(65 + i % 26)}{chr(65 + i // 26)}",
                        "first_name": "Paul", "birth_date": "19700101"}  # fmt: skip
                t0 = time.perf_counter()
                async with http.post(f"{with_db.url}/api/appointments", json=body,
                                     headers=headers) as r:  # fmt: skip
                    assert r.status == 201, await r.text()
                    code = (await r.json())["code"]
                times["book"].append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                async with http.get(f"{with_db.url}/api/health") as r:
                    await r.read()
                times["health"].append((time.perf_counter() - t0) * 1000)

                ws, welcome = sockets["db"]
                t0 = time.perf_counter()
                await ws.send_str(protocol.signal("check_code", session_id=f"s{i}",
                                                  booking_code=code))  # fmt: skip
                await answer(ws)
                times["code"].append((time.perf_counter() - t0) * 1000)
                key = protocol.match_key(welcome["checkin_key"], **{**person,
                                         "last_name": body["last_name"]})  # fmt: skip
                t0 = time.perf_counter()
                await ws.send_str(protocol.signal("checkin", session_id=f"s{i}", match_key=key))
                await answer(ws)
                times["checkin"].append((time.perf_counter() - t0) * 1000)
                ws, _ = sockets["bare"]
                t0 = time.perf_counter()
                await ws.send_str(protocol.signal("checkin", session_id=f"w{i}"))
                await ws.send_str(protocol.signal("ping"))
                while protocol.decode_signal((await ws.receive(timeout=10)).data)["type"] != "pong":
                    pass
                times["walkin"].append((time.perf_counter() - t0) * 1000)
            for ws, _ in sockets.values():
                await ws.close()
    finally:
        await with_db.stop()
        await bare.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    checkin, walkin = stats(times["checkin"], "ms"), stats(times["walkin"], "ms")
    book, health = stats(times["book"], "ms"), stats(times["health"], "ms")
    code = stats(times["code"], "ms")
    return {
        "checkin_match": entry(checkin, walkin, budget=CHECKIN_BUDGET, met=checkin["p95"] <= 50),
        "code_check": entry(code, walkin, budget=CHECKIN_BUDGET, met=code["p95"] <= 50),
        "booking_api": entry(book, health, budget=BOOKING_BUDGET, met=book["p95"] <= 100),
    }


def run() -> dict[str, Any]:
    return asyncio.run(_measure())
