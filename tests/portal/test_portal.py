"""The portal over real sockets: login, waiting room, the signalling relay, hostile peers."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import aiohttp
import pytest

import protocol
from portal import auth, server
from portal.config import PortalConfigError
from portal.config import parse as parse_config
from protocol import ProtocolError
from tests.portal.conftest import CABIN_ID, CABIN_TOKEN, DOCTORS, portal_toml

SECRET_READING = "137.5"  # would be a health value: must never reach the portal's logs


async def login(http: aiohttp.ClientSession, url: str, name: str) -> dict[str, Any]:
    async with http.post(
        f"{url}/api/login", json={"username": name, "password": DOCTORS[name]}
    ) as r:
        assert r.status == 200, await r.text()
        body: dict[str, Any] = await r.json()
        return body


async def recv(ws: aiohttp.ClientWebSocketResponse, want: str, *, timeout: float = 5.0) -> dict:
    """The next message of type ``want`` (others are skipped), within ``timeout``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        left = deadline - loop.time()
        if left <= 0:
            raise AssertionError(f"no {want!r} message within {timeout} s")
        msg = await ws.receive(timeout=left)
        if msg.type != aiohttp.WSMsgType.TEXT:
            raise AssertionError(f"socket ended while waiting for {want!r}: {msg.type}")
        data = json.loads(msg.data)
        if data["type"] == want:
            return data


async def cabin(http: aiohttp.ClientSession, url: str) -> aiohttp.ClientWebSocketResponse:
    ws = await http.ws_connect(url.replace("http", "ws") + "/ws/cabin")
    await ws.send_str(protocol.signal("hello", cabin_id=CABIN_ID, token=CABIN_TOKEN))
    await recv(ws, "welcome")
    return ws


async def doctor(url: str, name: str) -> tuple[aiohttp.ClientSession, Any]:
    http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    await login(http, url, name)
    ws = await http.ws_connect(url.replace("http", "ws") + "/ws/doctor")
    await recv(ws, "waiting_room")
    return http, ws


@pytest.mark.asyncio
async def test_login_cookie_and_wrong_password(portal: server.Running) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        async with http.get(f"{portal.url}/api/me") as r:
            assert r.status == 401
        async with http.post(
            f"{portal.url}/api/login", json={"username": "dr-a", "password": "nope"}
        ) as r:
            assert r.status == 401
        async with http.post(f"{portal.url}/api/login", data=b"{oops") as r:
            assert r.status == 400
        async with http.post(
            f"{portal.url}/api/login", json={"username": "dr-a", "password": DOCTORS["dr-a"]}
        ) as r:
            assert r.status == 200
            cookie = r.headers["Set-Cookie"]
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
            assert "Content-Security-Policy" in r.headers
        async with http.get(f"{portal.url}/api/me") as r:
            me = await r.json()
            assert me["doctor"]["rpps"] == "10000000001"
            assert me["ice_servers"] == []
        async with http.post(f"{portal.url}/api/logout") as r:
            assert r.status == 200
        async with http.get(f"{portal.url}/api/waiting-room") as r:
            assert r.status == 401


@pytest.mark.asyncio
async def test_account_locked_after_failed_logins(portal: server.Running) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        for _ in range(3):
            async with http.post(
                f"{portal.url}/api/login", json={"username": "dr-b", "password": "x"}
            ) as r:
                assert r.status == 401
        async with http.post(
            f"{portal.url}/api/login", json={"username": "dr-b", "password": DOCTORS["dr-b"]}
        ) as r:
            assert r.status == 429


@pytest.mark.asyncio
async def test_doctor_socket_needs_a_session(portal: server.Running) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        with pytest.raises(aiohttp.WSServerHandshakeError) as info:
            await http.ws_connect(portal.url.replace("http", "ws") + "/ws/doctor")
        assert info.value.status == 401
        await login(http, portal.url, "dr-a")
        with pytest.raises(aiohttp.WSServerHandshakeError) as info:
            await http.ws_connect(
                portal.url.replace("http", "ws") + "/ws/doctor",
                headers={"Origin": "http://evil.example"},
            )
        assert info.value.status == 403


@pytest.mark.parametrize(
    "hello",
    [
        protocol.signal("hello", cabin_id=CABIN_ID, token="wrong"),
        protocol.signal("hello", cabin_id="cabin-unknown", token=CABIN_TOKEN),
        '{"type": "hello"}',
        "not json at all",
    ],
)
@pytest.mark.asyncio
async def test_cabin_refused_without_id_and_token(portal: server.Running, hello: str) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        ws = await http.ws_connect(portal.url.replace("http", "ws") + "/ws/cabin")
        await ws.send_str(hello)
        error = await recv(ws, "error")
        assert error["code"] == "unauthorized"
        msg = await ws.receive(timeout=5)
        assert msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        assert ws.close_code == 4001


@pytest.mark.asyncio
async def test_waiting_room_take_and_relay(
    portal: server.Running, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    http_a, doc_a = await doctor(portal.url, "dr-a")
    http_b, doc_b = await doctor(portal.url, "dr-b")
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        cab = await cabin(http, portal.url)
        await cab.send_str(protocol.signal("heartbeat", devices={"thermometer": "ok"}))
        await cab.send_str(protocol.signal("checkin", session_id="sess-1"))
        room = await recv(doc_a, "waiting_room")
        while not room["patients"]:
            room = await recv(doc_a, "waiting_room")
        patient = room["patients"][0]
        assert patient["session_id"] == "sess-1" and patient["state"] == "waiting"
        assert set(patient) == {"cabin_id", "session_id", "waiting_s", "state", "mine", "call_id"}
        cabin_row = next(c for c in room["cabins"] if c["cabin_id"] == CABIN_ID)
        assert cabin_row["online"] is True

        await doc_a.send_str(protocol.signal("take", session_id="sess-1"))
        taken = await recv(doc_a, "taken")
        call = await recv(cab, "call")
        assert call["call_id"] == taken["call_id"]

        # a second doctor cannot take the same patient, nor answer its call
        await doc_b.send_str(protocol.signal("take", session_id="sess-1"))
        assert (await recv(doc_b, "error"))["code"] == "taken"
        await doc_b.send_str(protocol.signal("answer", call_id=call["call_id"], sdp="v=0"))
        assert (await recv(doc_b, "error"))["code"] == "stale_call"
        # an id that is not ASCII is one more wrong id, not the end of the doctor's socket
        await doc_b.send_str(protocol.signal("answer", call_id="é-call", sdp="v=0"))
        assert (await recv(doc_b, "error"))["code"] == "stale_call"
        await doc_b.send_str(protocol.signal("ping"))
        await recv(doc_b, "pong")

        # offer and answer flow; a stale call id is dropped with an error
        await cab.send_str(protocol.signal("offer", call_id=call["call_id"], sdp="v=0 offer"))
        assert (await recv(doc_a, "offer"))["sdp"] == "v=0 offer"
        await cab.send_str(protocol.signal("offer", call_id="old-call", sdp="v=0 stale"))
        assert (await recv(cab, "error"))["code"] == "stale_call"
        await doc_a.send_str(protocol.signal("answer", call_id=call["call_id"], sdp="v=0 ans"))
        assert (await recv(cab, "answer"))["sdp"] == "v=0 ans"

        # a restart makes a new call id; the old one is stale from then on
        await cab.send_str(protocol.signal("restart", call_id=call["call_id"]))
        new_call = await recv(cab, "call")
        assert new_call["call_id"] != call["call_id"]
        assert (await recv(doc_a, "hangup"))["reason"] == "restart"
        assert (await recv(doc_a, "taken"))["call_id"] == new_call["call_id"]
        await doc_a.send_str(protocol.signal("answer", call_id=call["call_id"], sdp="v=0"))
        assert (await recv(doc_a, "error"))["code"] == "stale_call"

        await doc_a.send_str(protocol.signal("hangup", call_id=new_call["call_id"]))
        assert (await recv(cab, "hangup"))["call_id"] == new_call["call_id"]
        await cab.close()
    for ws, http in ((doc_a, http_a), (doc_b, http_b)):
        await ws.close()
        await http.close()
    assert "sess-1" in caplog.text
    assert "v=0 offer" not in caplog.text  # SDP is relayed, never logged


@pytest.mark.asyncio
async def test_hostile_messages_answered_and_survived(
    portal: server.Running, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        cab = await cabin(http, portal.url)
        bad = [
            ("{broken", "malformed"),
            ('{"type": "self_destruct"}', "unknown_type"),
            ('{"type": "checkin"}', "bad_field"),
            ('{"type": "take", "session_id": "s"}', "unknown_type"),
            (json.dumps({"type": "checkin", "session_id": SECRET_READING * 15000}), "too_large"),
        ]
        for raw, code in bad:
            await cab.send_str(raw)
            assert (await recv(cab, "error"))["code"] == code
        # still alive and served
        await cab.send_str(protocol.signal("ping"))
        await recv(cab, "pong")
        # a frame far beyond the cap is cut by the server, which stays up
        await cab.send_str("x" * (8 * protocol.MAX_SIGNAL_BYTES))
        msg = await cab.receive(timeout=5)
        assert msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        cab2 = await cabin(http, portal.url)
        await cab2.send_str(protocol.signal("ping"))
        await recv(cab2, "pong")
        await cab2.close()
    assert SECRET_READING not in caplog.text


@pytest.mark.asyncio
async def test_flood_is_rate_limited_then_closed(portal: server.Running) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        cab = await cabin(http, portal.url)
        for _ in range(200):
            await cab.send_str(protocol.signal("ping"))
        codes = []
        while True:
            msg = await cab.receive(timeout=5)
            if msg.type != aiohttp.WSMsgType.TEXT:
                break
            codes.append(json.loads(msg.data).get("code"))
        assert "rate_limited" in codes
        assert cab.close_code == 1008
        # the portal still serves others
        cab2 = await cabin(http, portal.url)
        await cab2.close()


def test_config_errors_name_the_key() -> None:
    with pytest.raises(PortalConfigError, match=r"\[server\]: unknown key 'prot'"):
        parse_config("[server]\nprot = 1\n", source="p.toml")
    with pytest.raises(PortalConfigError, match=r"p.toml: \[doctors.x\]: key 'password'"):
        parse_config('[doctors.x]\nname = "X"\n', source="p.toml")
    with pytest.raises(PortalConfigError, match="must be int"):
        parse_config("[server]\nport = true\n", source="p.toml")
    with pytest.raises(PortalConfigError, match="go together"):
        parse_config('[server]\ntls_cert = "c.pem"\n', source="p.toml")
    assert parse_config(portal_toml(), source="t").cabins[CABIN_ID].name == "Test cabin"


def test_secret_hashes() -> None:
    stored = auth.hash_secret("s3cret", n=2**10)
    assert auth.verify_secret("s3cret", stored)
    assert not auth.verify_secret("s3cret!", stored)
    for broken in ("", "scrypt$1$2", "md5$1$1$1$AA==$AA==", "scrypt$1000$8$1$AA==$AA=="):
        assert not auth.verify_secret("s3cret", broken)


def test_short_lived_turn_credentials() -> None:
    import base64
    import dataclasses
    import hashlib
    import hmac

    cfg = parse_config(portal_toml(), source="t")
    assert server.ice_servers(cfg, "dr-a") == []  # nothing implicit
    cfg = dataclasses.replace(
        cfg,
        ice=dataclasses.replace(
            cfg.ice,
            stun_servers=("stun:127.0.0.1:3478",),
            turn_servers=("turn:127.0.0.1:3478",),
            turn_secret="s3cret",
            turn_ttl_s=600.0,
        ),
    )
    stun, turn = server.ice_servers(cfg, "cabin-9", now=1_000_000.0)
    assert stun == {"urls": "stun:127.0.0.1:3478"}
    assert turn["username"] == "1000600:cabin-9"
    expected = hmac.new(b"s3cret", b"1000600:cabin-9", hashlib.sha1).digest()
    assert turn["credential"] == base64.b64encode(expected).decode()


@pytest.mark.asyncio
async def test_a_message_that_fails_unforeseen_is_refused_not_fatal(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A handler that raises what nobody foresaw: the peer gets an error, the socket lives,
    and the log names the message's type and the error's, never its text."""
    sent: list[dict[str, Any]] = []

    class Peer:
        kind, ident = "doctor", "dr-a"

        async def refuse(self, exc: ProtocolError) -> None:
            sent.append(protocol.error_fields(exc))

    async def handler(_peer: Any, msg: dict[str, Any]) -> None:
        raise KeyError(msg["sdp"])

    await server._handle(Peer(), handler, {"type": "answer", "sdp": SECRET_READING})  # type: ignore[arg-type]
    assert sent and sent[0]["code"] == "malformed" and sent[0]["ref"] == "answer"
    assert "answer message failed: KeyError" in caplog.text
    assert SECRET_READING not in caplog.text


def test_an_unknown_login_is_checked_against_one_hash_made_once() -> None:
    assert auth.dummy_hash() is auth.dummy_hash()
    assert not auth.verify_secret("unused", auth.dummy_hash())


def test_signed_sessions() -> None:
    now = [1_000_000.0]
    sessions = auth.Sessions(ttl_s=60, secret=b"k1", clock=lambda: now[0])
    session = sessions.open("dr-a")
    assert sessions.get(session.token) == session
    # the same key after a restart still knows it; another key does not
    assert auth.Sessions(ttl_s=60, secret=b"k1", clock=lambda: now[0]).get(session.token)
    assert auth.Sessions(ttl_s=60, secret=b"k2", clock=lambda: now[0]).get(session.token) is None
    payload, signature = session.token.split(".")
    forged = payload.replace(payload[5], "A" if payload[5] != "A" else "B") + "." + signature
    for bad in (None, "", "x", "a.b.c", forged, "%%%." + signature, "x" * 600, payload + ".é"):
        assert sessions.get(bad) is None
    sessions.close(session.token)
    assert sessions.get(session.token) is None  # logged out
    other = sessions.open("dr-b")
    now[0] += 61
    assert sessions.get(other.token) is None  # expired


@pytest.mark.asyncio
async def test_doctor_ends_a_call_while_the_cabin_is_offline(portal: server.Running) -> None:
    hub = portal.app[server.HUB]
    http_a, doc_a = await doctor(portal.url, "dr-a")
    async with aiohttp.ClientSession() as http:
        cab = await cabin(http, portal.url)
        await cab.send_str(protocol.signal("checkin", session_id="sess-off"))
        await recv(doc_a, "waiting_room")
        await doc_a.send_str(protocol.signal("take", session_id="sess-off"))
        call_id = (await recv(cab, "call"))["call_id"]
        await cab.close()  # the cabin's network goes down
        deadline = asyncio.get_running_loop().time() + 5
        while hub.cabins[CABIN_ID].peer is not None:
            assert asyncio.get_running_loop().time() < deadline, "the portal missed the drop"
            await asyncio.sleep(0.01)
        # the doctor ends the consultation meanwhile: no error, the room is empty
        await doc_a.send_str(protocol.signal("hangup", call_id=call_id))
        room = await recv(doc_a, "waiting_room")
        while room["patients"]:
            room = await recv(doc_a, "waiting_room")
        # the cabin comes back with its call: it is told the call ended, and stays out
        cab = await cabin(http, portal.url)
        await cab.send_str(protocol.signal("checkin", session_id="sess-off", call_id=call_id))
        hangup = await recv(cab, "hangup")
        assert hangup["call_id"] == call_id and hangup["reason"] == "ended"
        await cab.send_str(protocol.signal("ping"))
        await recv(cab, "pong")
        assert not hub.patients and not hub.ended_offline
        await cab.close()
    await doc_a.close()
    await http_a.close()
