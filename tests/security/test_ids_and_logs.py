"""Items 9 and 10: ids a cabin cannot use to forge log lines, nor to learn which cabins exist.

A session id holding ``\\n`` and ESC was accepted and printed a fake "CRITICAL" line; cabin
ids could be enumerated by hello timing (3 ms unknown vs 55 ms known); the same session id
was accepted at two cabins.
"""

from __future__ import annotations

import json
import logging
import statistics
import time
from collections.abc import Awaitable, Callable

import pytest

import protocol
from portal import auth, credentials, security, server
from portal.config import PortalConfig, PortalConfigError
from portal.config import parse as parse_portal_config
from tests.portal.conftest import CABIN_TOKEN, _cheap
from tests.portal.test_portal import recv
from tests.security.conftest import CABIN_ID, client, hello, security_config

Start = Callable[[PortalConfig], Awaitable[server.Running]]
#: 64 characters at most: within the schema's length, so only the id rule refuses it.
FORGED = "s1\n2026-05-01 12:00:00 CRITICAL portal: disk full\x1b[2J\x1b[31m"
SECOND = "cabin-test-02"


def _no_forged_line(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        text = record.getMessage()
        assert "\n" not in text and "\x1b" not in text, text
        assert record.levelname != "CRITICAL"


@pytest.mark.asyncio
async def test_a_session_id_with_a_newline_and_esc_is_refused_and_never_logged_raw(
    start_portal: Start, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    portal = await start_portal(security_config())
    async with client() as http:
        cab, welcome = await hello(http, portal.url)
        assert welcome["type"] == "welcome"
        for msg_type, fields in (
            ("checkin", {"session_id": FORGED}),
            ("check_code", {"session_id": FORGED, "booking_code": "ABC123"}),
            ("checkout", {"session_id": FORGED}),
            ("checkin", {"session_id": "s1", "call_id": FORGED}),
            ("checkin", {"session_id": "x" * 65}),
            ("checkin", {"session_id": ""}),
            ("checkin", {"session_id": "sé"}),
        ):
            await cab.send_str(json.dumps({"type": msg_type, **fields}))  # as a forger would
            error = await recv(cab, "error")
            assert error["code"] in ("bad_field", "stale_call"), error
        await cab.send_str(json.dumps({"type": "offer", "call_id": FORGED, "sdp": "v=0"}))
        assert (await recv(cab, "error"))["code"] == "stale_call"
        assert not portal.app[server.HUB].patients
        await cab.close()
        # a forged cabin id in a hello is refused, and logged escaped
        ws, answer = await hello(http, portal.url, cabin_id=FORGED)
        assert answer["code"] == "unauthorized"
        await ws.close()
    _no_forged_line(caplog)
    assert "CRITICAL portal: disk full" not in caplog.text


def test_log_fields_are_escaped(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    log = security.escaped_logger("portal.test-escape")
    log.info("cabin %s: session %s checked in", "c1", FORGED)
    log.info("login: refused for %(who)s", {"who": "a\rb\u2028c\x85d\x00"})
    first, second = (r.getMessage() for r in caplog.records)
    assert first.startswith("cabin c1: session s1\\n2026-05-01 12:00:00 CRITICAL")
    assert len(FORGED) <= 64
    assert "\\x1b[2J" in first
    assert second == "login: refused for a\\rb\\u2028c\\x85d\\x00"
    _no_forged_line(caplog)
    # the portal's own loggers carry the filter
    for name in ("portal.server", "portal.credentials", "portal.appointments.api"):
        assert any(isinstance(f, security.EscapeFilter) for f in logging.getLogger(name).filters)


def test_the_config_refuses_a_cabin_id_outside_the_rule() -> None:
    token = _cheap(CABIN_TOKEN)
    for bad in ('"cab\\nin"', '"cabin é"', '"' + "c" * 65 + '"', '"cab.in"'):
        with pytest.raises(PortalConfigError, match="a cabin id is 1 to 64"):
            parse_portal_config(f'[cabins.{bad}]\ntoken = "{token}"\n', source="t")


@pytest.mark.asyncio
async def test_the_same_session_id_at_two_cabins_is_refused(start_portal: Start) -> None:
    portal = await start_portal(
        security_config(f'\n[cabins.{SECOND}]\nname = "Second"\ntoken = "{_cheap(CABIN_TOKEN)}"\n')
    )
    async with client() as http:
        first, _ = await hello(http, portal.url)
        second, _ = await hello(http, portal.url, cabin_id=SECOND)
        await first.send_str(protocol.signal("checkin", session_id="s-shared"))
        await recv(first, "queue")
        await second.send_str(protocol.signal("checkin", session_id="s-shared"))
        error = await recv(second, "error")
        assert (error["code"], error["ref"]) == ("bad_field", "checkin")
        hub = portal.app[server.HUB]
        assert [(p.cabin_id, p.session_id) for p in hub.patients.values()] == [
            (CABIN_ID, "s-shared")
        ]
        # the first cabin checking in again with its own id is still fine
        await first.send_str(protocol.signal("checkin", session_id="s-shared"))
        await first.send_str(protocol.signal("ping"))
        await recv(first, "pong")
        await second.send_str(protocol.signal("checkin", session_id="s-other"))
        await recv(second, "queue")
        for ws in (first, second):
            await ws.close()


def test_an_unknown_cabin_id_is_checked_against_a_hash_of_the_same_cost() -> None:
    """Equal work: the stand-in has the scheme and cost of a configured cabin's hash."""
    for hashed in (auth.hash_secret("t" * 20, n=2**12), auth.hash_token(auth.new_token())):
        cfg = parse_portal_config(f'[cabins.c1]\ntoken = "{hashed}"\n', source="t")
        creds = credentials.Credentials(cfg, server.limits.Guard.from_config(cfg.limits))
        for unknown in ("cabin-nope", "x", "c2"):
            stand_in = creds._stand_in(unknown)
            assert stand_in.split("$")[0] == hashed.split("$")[0]
            if hashed.startswith("scrypt$"):
                assert stand_in.split("$")[1:4] == hashed.split("$")[1:4]  # n, r, p
            assert stand_in == creds._stand_in(unknown)  # the same id costs the same
            assert not auth.verify_secret("t" * 20, stand_in)


@pytest.mark.asyncio
async def test_hello_timing_does_not_tell_known_cabin_ids(start_portal: Start) -> None:
    """3 ms for an unknown id against 55 ms for a known one (an old scrypt hash at its
    production cost): now both pay the same check."""
    token = auth.hash_secret(CABIN_TOKEN)  # scrypt's production cost, ~50 ms
    portal = await start_portal(
        parse_portal_config(f'[cabins.{CABIN_ID}]\ntoken = "{token}"\n', source="t")
    )
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    async with client() as http:
        for n in range(8):
            for kind, cabin_id in (("known", CABIN_ID), ("unknown", f"cabin-unknown-{n}")):
                t0 = time.perf_counter()
                ws, answer = await hello(http, portal.url, cabin_id=cabin_id, token="wrong")
                times[kind].append(time.perf_counter() - t0)
                assert answer["code"] == "unauthorized"
                await ws.close()
    known, unknown = statistics.median(times["known"]), statistics.median(times["unknown"])
    assert known > 0.01, times  # the scrypt check was paid
    assert 0.5 < unknown / known < 2.0, times
