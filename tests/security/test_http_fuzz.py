"""Every HTTP body parser of the portal under hypothesis: bytes, JSON with lone surrogates,
nesting thousands deep, wrong types, hostile headers. No answer is a 500, and afterwards the
portal still answers ``/api/health`` and relays a call between a cabin and a doctor.

The fuzzing client comes from 127.0.0.2 (another loopback source), so the portal's
per-source limits may answer it 429 without touching the clean source 127.0.0.1 the checks
use afterwards. The portal runs in a thread with its own event loop, so that hypothesis
drives plain blocking requests.
"""

from __future__ import annotations

import asyncio
import dataclasses
import http.client
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import protocol
from portal import server
from tests.appointments.conftest import API_TOKEN, appointments_config
from tests.portal.conftest import CABIN_ID, DOCTORS
from tests.portal.test_portal import cabin, doctor, recv
from tests.security.test_schema_fuzz import JSON_VALUES, TEXT

FUZZ_SOURCE = "127.0.0.2"


class PortalThread:
    """A portal with appointments (SQLite), served from a thread's own event loop."""

    def __init__(self, database: Path) -> None:
        cfg = appointments_config(f"sqlite+aiosqlite:///{database}")
        # Lockouts off: the fuzzing source must reach the parsers, not a 429 in front of them.
        self.config = dataclasses.replace(
            cfg,
            limits=dataclasses.replace(
                cfg.limits,
                max_failed_logins=10**9,
                max_failed_per_source=10**9,
                max_failed_per_account=10**9,
                hash_queue_per_source=32,
            ),
        )
        self.loop = asyncio.new_event_loop()
        self.running: server.Running | None = None
        self.thread = threading.Thread(target=self.loop.run_forever, name="fuzz-portal")

    def start(self) -> None:
        self.thread.start()
        started = asyncio.run_coroutine_threadsafe(
            server.start(self.config, host="127.0.0.1", port=0), self.loop
        )
        self.running = started.result(timeout=30)

    def stop(self) -> None:
        if self.running is not None:
            asyncio.run_coroutine_threadsafe(self.running.stop(), self.loop).result(timeout=30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=30)
        self.loop.close()

    @property
    def port(self) -> int:
        assert self.running is not None
        return int(self.running.url.rsplit(":", 1)[1])


@pytest.fixture(scope="module")
def portal_thread(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalThread]:
    running = PortalThread(tmp_path_factory.mktemp("fuzz") / "rdv.db")
    running.start()
    try:
        yield running
    finally:
        running.stop()


def _deep(depth: int) -> bytes:
    return (
        ("[" * depth + "]" * depth).encode()
        if depth % 2
        else ('{"a":' * depth + "1" + "}" * depth).encode()
    )


def _encoded(value: Any) -> bytes:
    # ensure_ascii keeps a lone surrogate as the "\ud800" escape a hostile client sends
    return json.dumps(value).encode()


#: What the endpoints' own fields look like, so a body gets past the first check.
FIELDS = st.dictionaries(
    st.sampled_from(
        ["username", "password", "id", "cabin_id", "slot_start", "lang", "phone", "last_name",
         "first_name", "birth_date", "by", "code"]
    ) | TEXT,
    JSON_VALUES,
    max_size=10,
)  # fmt: skip
BODIES = st.one_of(
    st.binary(max_size=400),
    JSON_VALUES.map(_encoded),
    FIELDS.map(_encoded),
    st.one_of(
        st.sampled_from([1, 2, 999, 1000, 5000, 20_000, 30_000]),
        st.integers(min_value=0, max_value=30_000),
    ).map(_deep),
)
#: Header values as raw bytes (http.client refuses CR, LF and NUL itself).
HEADER_BYTES = st.binary(min_size=1, max_size=80).filter(
    lambda b: not any(c in b for c in b"\r\n\x00") and not b[:1].isspace() and not b[-1:].isspace()
)
AUTHORIZATION = st.one_of(
    st.none(),
    st.just(f"Bearer {API_TOKEN}".encode()),  # past the token: the body parser itself
    st.just(b"Bearer \xff\xfe\xfd"),
    HEADER_BYTES,
    HEADER_BYTES.map(lambda b: b"Bearer " + b),
)
ENDPOINTS = st.sampled_from(
    [
        ("POST", "/api/login"),
        ("POST", "/api/logout"),
        ("POST", "/api/appointments"),
        ("PATCH", "/api/appointments/fuzz-1"),
        ("DELETE", "/api/appointments/fuzz-1"),
        ("GET", "/api/appointments"),
        ("POST", f"/api/staff/cabins/{CABIN_ID}/coming"),
    ]
)
QUERIES = st.one_of(
    st.just(""),
    st.builds(
        lambda cabin_, day: f"?cabin_id={cabin_}&day={day}",
        st.text(alphabet="abc-%0123456789", max_size=12),
        st.text(alphabet="0123456789-%ff", max_size=12),
    ),
)
DLR_QUERIES = st.builds(
    lambda m, t, s: f"/api/sms/dlr?m={m}&t={t}&s={s}",
    st.text(alphabet="0123456789-%ex", max_size=12),
    st.text(alphabet="abcdef0123456789%C3%A9", max_size=70),
    st.text(alphabet="0123456789-%", max_size=5),
)


def _request(
    port: int, method: str, path: str, body: bytes, headers: dict[str, bytes | str]
) -> int:
    conn = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(FUZZ_SOURCE, 0)
    )
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _fuzz(port: int) -> None:
    @settings(
        max_examples=250,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        endpoint=ENDPOINTS,
        query=QUERIES,
        body=BODIES,
        authorization=AUTHORIZATION,
        content_type=st.sampled_from(["application/json", "text/plain", "", "application/json; charset=latin-1"]),
        cookie=st.one_of(st.none(), HEADER_BYTES),
    )  # fmt: skip
    def one(*, endpoint, query, body, authorization, content_type, cookie) -> None:
        method, path = endpoint
        headers: dict[str, bytes | str] = {}
        if content_type:
            headers["Content-Type"] = content_type
        if authorization is not None:
            headers["Authorization"] = authorization
        if cookie is not None:
            headers["Cookie"] = b"cabine_portal=" + cookie
        status = _request(port, method, path + query, body, headers)
        assert status < 500, (method, path, body[:80], status)

    @settings(max_examples=80, deadline=None)
    @given(path=DLR_QUERIES)
    def report(path: str) -> None:
        status = _request(port, "GET", path, b"", {})
        assert status < 500, (path, status)

    one()
    report()


async def _still_serves(url: str) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as http:
        async with http.get(f"{url}/api/health") as r:
            assert r.status == 200 and (await r.json())["ok"] is True
        http_doc, doc = await doctor(url, "dr-a")
        try:
            cab = await cabin(http, url)
            await cab.send_str(protocol.signal("checkin", session_id="after-fuzz"))
            room = await recv(doc, "waiting_room")
            while not any(p["session_id"] == "after-fuzz" for p in room["patients"]):
                room = await recv(doc, "waiting_room")
            await doc.send_str(protocol.signal("take", session_id="after-fuzz"))
            call = await recv(cab, "call")
            await cab.send_str(protocol.signal("offer", call_id=call["call_id"], sdp="v=0 o"))
            assert (await recv(doc, "offer"))["sdp"] == "v=0 o"
            await doc.send_str(protocol.signal("answer", call_id=call["call_id"], sdp="v=0 a"))
            assert (await recv(cab, "answer"))["sdp"] == "v=0 a"
            await cab.close()
        finally:
            await doc.close()
            await http_doc.close()


@pytest.mark.slow
def test_no_http_body_makes_a_500_and_the_portal_still_relays(portal_thread: PortalThread) -> None:
    assert "dr-a" in DOCTORS
    _fuzz(portal_thread.port)
    assert portal_thread.running is not None
    asyncio.run(_still_serves(portal_thread.running.url))
