"""The patients' booking site on one portal (issue 17).

``booking_site``: the server's time for the site's pages (find, a cabin's slots, the privacy
page, a lost booking's), p95 over sequential requests on an idle portal (bare:
``/api/health``); then 200 concurrent bookers for 60 s, each walking find -> slot -> who ->
phone -> code -> done as a browser without JavaScript would (random days and slots, so
bookers collide), their code SMS going to a local sink: bookings a second, double bookings
(must be 0) and server errors (must be 0) under ``detail``. The bookers run in another
process (``python -m bench.bench_booking_site bookers URL SINK SECONDS``) so that they do
not share the portal's core. ``BENCH_BOOKING_S`` (or ``python -m bench.bench_booking_site
--duration S``) shortens the load for a quick check.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import entry, stats

ENTRIES = ("booking_site",)
BUDGET = "page p95 <= 100 ms (idle); 200 bookers: 0 double bookings, 0 5xx"
BOOKERS = 200
ROOT = Path(__file__).resolve().parent.parent
CABINS = ("bench-a", "bench-b", "bench-c")


def _config(tmp: Path) -> Any:
    from portal import auth
    from portal.config import parse

    token = auth.hash_token("bench-cabin-token-" + "0123456789" * 3)
    cabins = "".join(
        f'[cabins.{c}]\nname = "Cabine {c}"\ntoken = "{token}"\n'
        f'[hours.{c}]\ndays = ["mon","tue","wed","thu","fri","sat","sun"]\nopens = "00:00"\n'
        f'closes = "24:00"\nslot_min = 5\naddress = "1 rue du Banc, 78000 Versailles"\n'
        f'commune = "Versailles"\npostcode = "78000"\n'
        for c in CABINS
    )
    return parse(
        "[server]\nsecure_cookies = false\n"
        "[limits]\nmax_connections_per_source = 100000\nmax_connections = 100000\n"
        f'[appointments]\ndatabase = "sqlite+aiosqlite:///{tmp / "a.db"}"\n'
        'match_secret = "bench-match-secret-0123"\n'
        f"{cabins}"
        '[sms]\nsendsms_url = "http://127.0.0.1:9/replaced"\nmax_attempts = 1\n'
        '[booking]\nenabled = true\nlink_secret = "bench-link-secret-0123456"\n'
        "days_ahead = 14\ncodes_per_source = 1000000\ntries_per_source = 1000000\n"
        "bookings_per_source = 1000000\n",
        source="bench-booking-site",
    )


class Sink:
    """Kannel's ``sendsms`` as the portal sees it; ``/code?to=`` gives a phone's last code."""

    def __init__(self) -> None:
        self.codes: dict[str, str] = {}
        self.sent = 0

    async def start(self) -> tuple[Any, str]:
        from aiohttp import web

        async def sendsms(request: web.Request) -> web.Response:
            self.sent += 1
            found = re.search(r"\b(\d{6})\b", request.query.get("text", ""))
            if found:
                self.codes[request.query.get("to", "")] = found.group(1)
            return web.Response(status=202, text="0: Accepted for delivery")

        async def code(request: web.Request) -> web.Response:
            return web.Response(text=self.codes.get(request.query.get("to", ""), ""))

        app = web.Application()
        app.router.add_get("/cgi-bin/sendsms", sendsms)
        app.router.add_get("/code", code)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return runner, f"http://127.0.0.1:{port}"


async def _pages(url: str) -> tuple[list[float], list[float]]:
    """Sequential requests on an idle portal: the site's pages, and /api/health."""
    import aiohttp

    pages, health = [], []
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{url}/book/fr/cabin/{CABINS[0]}") as r:
            await r.read()
        for n in range(60):
            for path in (
                "/book/fr/?q=78000",
                f"/book/fr/cabin/{CABINS[n % 3]}",
                "/book/ar/privacy",
                "/book/fr/who?f=none",
            ):
                t0 = time.perf_counter()
                async with http.get(url + path) as r:
                    await r.read()
                pages.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            async with http.get(f"{url}/api/health") as r:
                await r.read()
            health.append((time.perf_counter() - t0) * 1000)
    return pages, health


async def _double_bookings(cfg: Any) -> tuple[int, int]:
    from sqlalchemy import func, select

    from portal.appointments.models import ACTIVE, Appointment
    from portal.appointments.repository import Repository

    repo = await Repository.open(cfg.appointments.database)
    try:
        async with repo.engine.connect() as conn:
            total = (
                await conn.execute(select(func.count()).where(Appointment.status.in_(ACTIVE)))
            ).scalar_one()
            doubles = (
                await conn.execute(
                    select(Appointment.cabin_id, Appointment.slot_start)
                    .where(Appointment.status.in_(ACTIVE))
                    .group_by(Appointment.cabin_id, Appointment.slot_start)
                    .having(func.count() > 1)
                )
            ).all()
    finally:
        await repo.close()
    return int(total), len(doubles)


async def _measure(duration_s: float) -> dict[str, Any]:
    import dataclasses

    from portal import server

    tmp = Path(tempfile.mkdtemp(prefix="bench-booking-"))
    sink = Sink()
    sink_runner, sink_url = await sink.start()
    cfg = _config(tmp)
    cfg = dataclasses.replace(
        cfg, sms=dataclasses.replace(cfg.sms, sendsms_url=f"{sink_url}/cgi-bin/sendsms")
    )
    running = await server.start(cfg, host="127.0.0.1", port=0)
    try:
        pages, health = await _pages(running.url)
        bookers = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.bench_booking_site", "bookers", running.url, sink_url,
            str(duration_s), cwd=ROOT, stdout=subprocess.PIPE,
        )  # fmt: skip
        out, _ = await asyncio.wait_for(bookers.communicate(), duration_s + 120)
        load = json.loads(out.decode() or "{}")
    finally:
        await running.stop()
        await sink_runner.cleanup()
    total, doubles = await _double_bookings(cfg)
    shutil.rmtree(tmp, ignore_errors=True)
    page, bare = stats(pages, "ms"), stats(health, "ms")
    detail = {
        **load,
        "bookings_in_db": total,
        "double_bookings": doubles,
    }
    met = page["p95"] <= 100 and doubles == 0 and load.get("server_errors", 1) == 0
    result = entry(page, bare, budget=BUDGET, met=met)
    result["detail"] = detail
    return {"booking_site": result}


def run(duration_s: float | None = None) -> dict[str, Any]:
    seconds = duration_s or float(os.environ.get("BENCH_BOOKING_S", "60"))
    return asyncio.run(_measure(seconds))


# -- the bookers' process --------------------------------------------------------------------


async def _bookers(url: str, sink: str, duration_s: float) -> dict[str, Any]:
    import aiohttp

    counts = {"booked": 0, "slot_taken": 0, "server_errors": 0, "other": 0, "client_errors": 0}
    step_ms: list[float] = []
    deadline = time.monotonic() + duration_s
    flow_re = re.compile(r'name="f" value="([^"]+)"')
    slot_re = re.compile(r'name="slot" value="([^"]+)"')
    day_re = re.compile(r"\?day=(\d{4}-\d{2}-\d{2})")

    async def step(http: Any, method: str, path: str, data: Any = None) -> tuple[int, str, str]:
        t0 = time.perf_counter()
        async with http.request(method, url + path, data=data) as r:
            text = await r.text()
            step_ms.append((time.perf_counter() - t0) * 1000)
            if r.status >= 500:
                counts["server_errors"] += 1
            return r.status, str(r.url), text

    async def one(http: Any) -> str:
        cabin = random.choice(CABINS)
        await step(http, "GET", "/book/fr/?q=78000")
        _, _, page = await step(http, "GET", f"/book/fr/cabin/{cabin}")
        days = day_re.findall(page)
        if days:
            _, _, page = await step(
                http, "GET", f"/book/fr/cabin/{cabin}?day={random.choice(days[:3])}"
            )
        slots = slot_re.findall(page)
        if not slots:
            return "other"
        status, where, page = await step(
            http, "POST", f"/book/fr/cabin/{cabin}", {"slot": random.choice(slots[:12])}
        )
        if "/who" not in where:
            return "slot_taken" if status == 409 else "other"
        flow = flow_re.search(page).group(1)  # type: ignore[union-attr]
        person = {"f": flow, "who": "self", "last_name": "Martin", "first_name": "Anne",
                  "birth_day": "2", "birth_month": "7", "birth_year": "1961"}  # fmt: skip
        await step(http, "POST", "/book/fr/who", person)
        phone = f"+33612{secrets.randbelow(10**6):06d}"
        _, where, _ = await step(http, "POST", "/book/fr/phone", {"f": flow, "phone": phone})
        if "/code" not in where:
            return "other"
        async with http.get(f"{sink}/code", params={"to": phone}) as r:
            code = await r.text()
        status, where, _ = await step(http, "POST", "/book/fr/code", {"f": flow, "code": code})
        if "/done" in where:
            return "booked"
        return "slot_taken" if "e=taken" in where else "other"

    async def booker(http: Any) -> None:
        while time.monotonic() < deadline:
            try:
                counts[await one(http)] += 1
            except (aiohttp.ClientError, TimeoutError):
                counts["client_errors"] += 1

    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=60)
    started = time.monotonic()
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        await asyncio.gather(*(booker(http) for _ in range(BOOKERS)))
    elapsed = time.monotonic() - started
    ordered = sorted(step_ms) or [0.0]
    return {
        **counts,
        "bookers": BOOKERS,
        "seconds": round(elapsed, 1),
        "bookings_per_s": round(counts["booked"] / elapsed, 2),
        "requests": len(step_ms),
        "request_p95_ms_under_load": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
    }


if __name__ == "__main__" and sys.argv[1:2] == ["bookers"]:
    print(json.dumps(asyncio.run(_bookers(sys.argv[2], sys.argv[3], float(sys.argv[4])))))
elif __name__ == "__main__":
    seconds = (
        float(sys.argv[sys.argv.index("--duration") + 1]) if "--duration" in sys.argv else None
    )
    print(json.dumps(run(seconds), indent=2))
