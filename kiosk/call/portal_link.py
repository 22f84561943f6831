"""The cabin's one WebSocket to the portal, kept open: hello and welcome (the ICE servers and
the check-in key it issues), heartbeats with the cabin's health, reconnection with backoff.
Signalling only: no health data ever goes this way."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiortc import RTCIceServer

import protocol
from kiosk.call.options import CallOptions, parse_ice_servers
from protocol import ProtocolError

log = logging.getLogger(__name__)

_BACKOFF = (0.2, 0.5, 1.0, 2.0, 5.0)


class PortalLink:
    """One authenticated WebSocket to the portal, kept open: hello, heartbeats, reconnects."""

    def __init__(
        self,
        options: CallOptions,
        *,
        on_message: Callable[[dict[str, Any]], Awaitable[None]],
        on_connected: Callable[[], Awaitable[None]],
        devices: Callable[[], dict[str, str]] = dict,
        fleet: Callable[[], dict[str, Any]] = dict,
    ) -> None:
        self.options = options
        self._on_message = on_message
        self._on_connected = on_connected
        self._devices = devices
        self._fleet = fleet
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._closing = asyncio.Event()
        self.connected = asyncio.Event()
        self.refused = False
        self.connections = 0
        # wss:// is verified against the system's CAs, or the portal's own CA when given
        self._ssl: ssl.SSLContext | bool = (
            ssl.create_default_context(cafile=options.portal_ca) if options.portal_ca else True
        )
        #: ICE servers the portal issued at the last hello (short-lived TURN credentials).
        self.issued_ice: list[RTCIceServer] = []
        #: This cabin's key of match keys, from the last welcome ("": no appointments).
        self.checkin_key = ""
        #: Whether this cabin also sees patients without an appointment (the portal's word).
        self.walk_ins = False
        self._task: asyncio.Task[None] | None = None
        #: The portal's commands to the cabin itself (``reprint``), by type: told the message,
        #: they answer later (a handler must not hold up the socket).
        self.commands: dict[str, Callable[[dict[str, Any]], None]] = {}

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="portal-link")

    async def close(self) -> None:
        self._closing.set()
        if self._ws is not None:
            await self._ws.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def send(self, msg_type: str, **fields: Any) -> bool:
        ws = self._ws
        if ws is None or ws.closed or not self.connected.is_set():
            return False
        try:
            await ws.send_str(protocol.signal(msg_type, **fields))
        except (ConnectionError, RuntimeError) as exc:
            log.info("portal: send failed: %s", type(exc).__name__)
            return False
        return True

    async def _run(self) -> None:
        failures = 0
        async with aiohttp.ClientSession() as http:
            while not self._closing.is_set():
                try:
                    await self._session(http)
                    failures = 0
                except (aiohttp.ClientError, OSError, TimeoutError, ProtocolError) as exc:
                    log.warning("portal: connection failed: %s", type(exc).__name__)
                finally:
                    self.connected.clear()
                    self._ws = None
                if self._closing.is_set():
                    break
                delay = _BACKOFF[min(failures, len(_BACKOFF) - 1)]
                failures += 1
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._closing.wait(), delay)

    async def _session(self, http: aiohttp.ClientSession) -> None:
        o = self.options
        async with http.ws_connect(
            o.socket_url,
            heartbeat=30.0,
            max_msg_size=2 * protocol.MAX_SIGNAL_BYTES,
            timeout=aiohttp.ClientWSTimeout(ws_close=10.0),
            ssl=self._ssl,
        ) as ws:
            self._ws = ws
            await ws.send_str(protocol.signal("hello", cabin_id=o.cabin_id, token=o.token))
            first = await ws.receive(timeout=10)
            if first.type != aiohttp.WSMsgType.TEXT:
                raise ConnectionError("portal closed the connection during hello")
            welcome = protocol.decode_signal(first.data)
            if welcome["type"] != "welcome":
                self.refused = True
                log.error("portal: cabin %s refused (%s)", o.cabin_id, welcome.get("code", "?"))
                raise ConnectionError("portal refused the cabin")
            self.refused = False
            try:
                self.issued_ice = parse_ice_servers(welcome.get("ice_servers", []))
            except ProtocolError as exc:
                log.warning("portal: unusable ICE servers ignored: %s", exc.detail)
                self.issued_ice = []
            self.checkin_key = str(welcome.get("checkin_key", ""))
            self.walk_ins = welcome.get("walk_ins") is True
            self.connections += 1
            self.connected.set()
            log.info("portal: connected as cabin %s", o.cabin_id)
            beat = asyncio.create_task(
                self._heartbeats(ws, float(welcome["heartbeat_s"])), name="portal-heartbeat"
            )
            try:
                await self._on_connected()
                async for message in ws:
                    if message.type != aiohttp.WSMsgType.TEXT:
                        continue
                    try:
                        msg = protocol.decode_signal(message.data)
                    except ProtocolError as exc:
                        log.warning("portal: refused a message: %s", exc.code.value)
                        continue
                    command = self.commands.get(msg["type"])
                    if command is not None:
                        command(msg)
                        continue
                    await self._on_message(msg)
            finally:
                beat.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await beat
        log.info("portal: disconnected")

    async def _heartbeats(self, ws: aiohttp.ClientWebSocketResponse, every: float) -> None:
        every = max(0.5, min(every, self.options.heartbeat_s))
        while not ws.closed:
            with contextlib.suppress(ConnectionError, RuntimeError):
                fields = {**self._fleet(), "devices": self._devices()}
                await ws.send_str(protocol.signal("heartbeat", **fields))
            await asyncio.sleep(every)
