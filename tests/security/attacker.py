"""Keep N wrong credentials in flight against a portal, from other loopback sources.

``python -m tests.security.attacker URL --in-flight 300 --seconds 20 --cabin ID --login NAME``

A third of the workers send cabin hellos with a wrong token (a known cabin id, or an unknown
one), a third bearer tokens to the appointments API, a third logins (a real account with a
wrong password, or a made-up login). Each worker sends its next request as soon as the last
is answered. Sources are 127.0.0.2 and up (``--sources``). Prints ``attacking`` once every
worker has sent its first request, and at the end a JSON line of answers by kind and status.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import signal
import sys
import time
from collections import Counter
from typing import Any

import aiohttp

KINDS = ("hello", "bearer", "login")


async def _one(http: aiohttp.ClientSession, url: str, kind: str, i: int, args: Any) -> str:
    """One wrong credential; its outcome as a short word (an HTTP status, or how it ended)."""
    if kind == "hello":
        cabin_id = args.cabin if i % 2 else f"cabin-{secrets.token_hex(4)}"
        try:
            async with http.ws_connect(url.replace("http", "ws") + "/ws/cabin") as ws:
                hello = {"type": "hello", "cabin_id": cabin_id, "token": secrets.token_hex(16)}
                await ws.send_str(json.dumps(hello))
                msg = await ws.receive(timeout=30)
                if msg.type == aiohttp.WSMsgType.TEXT:
                    return str(json.loads(msg.data).get("code", "welcome"))
                return "closed"
        except aiohttp.WSServerHandshakeError as exc:
            return str(exc.status)
    if kind == "bearer":
        headers = {"Authorization": f"Bearer {secrets.token_urlsafe(32)}"}
        async with http.get(f"{url}/api/appointments/a-{i}", headers=headers) as r:
            await r.read()
            return str(r.status)
    name = args.login if i % 2 else f"nobody-{secrets.token_hex(4)}"
    body = {"username": name, "password": secrets.token_hex(8)}
    async with http.post(f"{url}/api/login", json=body) as r:
        await r.read()
        return str(r.status)


async def attack(args: Any) -> dict[str, Any]:
    sources = [f"127.0.0.{2 + n}" for n in range(args.sources)]
    sessions = [
        aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(local_addr=(s, 0), limit=0, force_close=True),
            timeout=aiohttp.ClientTimeout(total=30),
        )
        for s in sources
    ]
    outcomes: Counter[str] = Counter()
    started = 0
    all_started = asyncio.Event()
    deadline = time.monotonic() + args.seconds

    def stop() -> None:  # SIGTERM: finish the requests in flight, then report
        nonlocal deadline
        deadline = 0.0

    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop)

    async def worker(n: int) -> None:
        nonlocal started
        kind, http = KINDS[n % len(KINDS)], sessions[n % len(sessions)]
        first = True
        while time.monotonic() < deadline:
            if first:
                started += 1
                if started == args.in_flight:
                    all_started.set()
                first = False
            try:
                outcome = await _one(http, args.url, kind, n, args)
            except (aiohttp.ClientError, TimeoutError, ConnectionError) as exc:
                outcome = type(exc).__name__
            outcomes[f"{kind} {outcome}"] += 1

    tasks = [asyncio.create_task(worker(n)) for n in range(args.in_flight)]
    await asyncio.wait_for(all_started.wait(), timeout=30)
    print("attacking", flush=True)
    await asyncio.gather(*tasks)
    for http in sessions:
        await http.close()
    return dict(outcomes)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--in-flight", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--sources", type=int, default=10)
    parser.add_argument("--cabin", default="cabin-test-01")
    parser.add_argument("--login", default="dr-a")
    args = parser.parse_args(argv)
    outcomes = asyncio.run(attack(args))
    print(json.dumps(outcomes), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
