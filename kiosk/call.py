"""The cabin's side of the consultation: one WebSocket to the portal, one WebRTC call (aiortc).

The kiosk is the offerer. Signalling (ids, SDP) goes through the portal; identity, readings,
measurement requests and documents only on the call's data channel. The call turns what the
doctor does into session events (:class:`~kiosk.session.DoctorJoined`, ...), read with
``async for update in call.updates()``. A dropped call is rebuilt as a new peer connection
(aiortc has no ICE restart) after a short grace time, a limited number of times.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hashlib
import itertools
import logging
import math
import ssl
import time
from array import array
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import av
from aiortc import (
    MediaStreamTrack,
    RTCBundlePolicy,
    RTCConfiguration,
    RTCDataChannel,
    RTCIceServer,
    RTCIceTransportPolicy,
    RTCPeerConnection,
    RTCRtpSender,
    RTCSessionDescription,
)
from aiortc.mediastreams import AUDIO_PTIME, AudioStreamTrack, MediaStreamError, VideoStreamTrack

import protocol
from kiosk.config import Config
from kiosk.domain import Beneficiary, Reading, ReadingKind
from kiosk.errors import IllegalEventError
from kiosk.live import LiveFeed
from kiosk.prescriptions import FormVersion, PrescriptionLedger
from kiosk.session import (
    CallEnded,
    DoctorJoined,
    DocumentReceived,
    Event,
    Fault,
    FaultKind,
    MeasurementRequested,
    Notice,
    Session,
    State,
    Update,
)
from protocol import (
    ErrorCode,
    MeasuringReason,
    MeasuringState,
    ProtocolError,
    RateLimiter,
)

log = logging.getLogger(__name__)

DATA_CHANNEL = "cabine"
_BACKOFF = (0.2, 0.5, 1.0, 2.0, 5.0)


class CallStatus(StrEnum):
    IDLE = "idle"  # no patient checked in
    WAITING = "waiting"  # checked in, no doctor yet
    CONNECTING = "connecting"  # a doctor took the patient; offer sent
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"  # the patient sees "reconnecting"; the session is kept
    ENDED = "ended"


@dataclass(frozen=True)
class StatusChanged:
    status: CallStatus


@dataclass(frozen=True)
class PrescriptionFormReceived:
    """The doctor's prescription form; the kiosk composes the PDF from it.

    ``version``: the session, form and version it was written as (it replaces any earlier
    one of the session); the page hears of it once :meth:`CabinCall.prescription_settled`.
    """

    form: dict[str, Any] = field(repr=False)
    version: FormVersion | None = None
    msg_id: str = ""


@dataclass(frozen=True)
class ResumeRequested:
    """The doctor's page, on a new data channel, holds these readings of the session (by
    ``seq``): the others are to be sent again."""

    readings: frozenset[int]


@dataclass(frozen=True)
class CheckedIn:
    """The portal's answer to the patient's check-in (appointment found, or not)."""

    answer: dict[str, Any]


#: What ``updates()`` yields: session events, plus the call's own notices.
CallUpdate = Event | StatusChanged | PrescriptionFormReceived | CheckedIn | ResumeRequested


@dataclass(frozen=True, kw_only=True)
class CallOptions:
    portal_url: str  # ws(s)://host:port[/ws/cabin]
    cabin_id: str
    token: str
    stun_servers: tuple[str, ...] = ()
    turn_servers: tuple[str, ...] = ()
    turn_username: str = ""
    turn_password: str = ""
    #: Synthetic camera and tone (demo, tests); else the devices below.
    synthetic_media: bool = False
    video_device: str = "/dev/video0"
    audio_device: str = "default"
    audio_format: str = "pulse"
    #: The exam camera, offered as a second video track: a V4L2 device (production), or a
    #: second synthetic camera when ``exam_camera`` is set with synthetic media.
    exam_video_device: str = ""
    exam_camera: bool = False
    width: int = 640
    height: int = 480
    fps: int = 30
    #: Seconds the call may stay ``disconnected`` before it is rebuilt.
    grace_s: float = 3.0
    #: Seconds a new peer connection has to connect before it counts as a failed attempt.
    connect_timeout_s: float = 15.0
    #: Rebuilt calls in a row before giving up (``Fault(NETWORK_LOST)``).
    max_reconnects: int = 3
    heartbeat_s: float = 10.0
    #: PEM file of the CA that signed the portal's certificate (empty: the system's CAs).
    portal_ca: str = ""
    #: Relayed candidates only (through TURN): the call never reveals the cabin's address.
    relay_only: bool = False
    #: Data-channel messages a second accepted from the doctor's page, and the burst.
    data_rate: float = 30.0
    data_burst: int = 200

    @classmethod
    def from_config(cls, cfg: Config, **overrides: Any) -> CallOptions:
        p = cfg.portal
        values: dict[str, Any] = {
            "portal_url": p.url,
            "cabin_id": cfg.cabin.id,
            "token": p.token,
            "stun_servers": p.stun_servers,
            "turn_servers": p.turn_servers,
            "turn_username": p.turn_username,
            "turn_password": p.turn_password,
            "synthetic_media": cfg.session.simulated,
        }
        values.update(overrides)
        return cls(**values)

    @property
    def socket_url(self) -> str:
        parts = urlsplit(self.portal_url)
        scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
        path = parts.path if parts.path not in ("", "/") else "/ws/cabin"
        return urlunsplit((scheme, parts.netloc, path, "", ""))

    def ice_servers(self, issued: Sequence[RTCIceServer] = ()) -> list[RTCIceServer]:
        """From config and from the portal (``issued``, short-lived TURN credentials);
        never aiortc's implicit public STUN server."""
        servers = [RTCIceServer(urls=u) for u in self.stun_servers]
        if issued:
            return servers + list(issued)
        if self.turn_servers:
            servers.append(
                RTCIceServer(
                    urls=list(self.turn_servers),
                    username=self.turn_username,
                    credential=self.turn_password,
                )
            )
        return servers

    def rtc_configuration(self, issued: Sequence[RTCIceServer] = ()) -> RTCConfiguration:
        policy = RTCIceTransportPolicy.RELAY if self.relay_only else RTCIceTransportPolicy.ALL
        # one transport for every track and the data channel: one TURN allocation, one port
        return RTCConfiguration(
            iceServers=self.ice_servers(issued),
            iceTransportPolicy=policy,
            bundlePolicy=RTCBundlePolicy.MAX_BUNDLE,
        )


def parse_ice_servers(raw: Any) -> list[RTCIceServer]:
    """The portal's ``ice_servers`` (W3C shape); raises ``ProtocolError`` on anything odd."""
    if not isinstance(raw, list) or len(raw) > 8:
        raise ProtocolError(ErrorCode.BAD_FIELD, "'ice_servers' must be a short list")
    servers = []
    for item in raw:
        if not isinstance(item, dict):
            raise ProtocolError(ErrorCode.BAD_FIELD, "an ICE server is an object")
        urls = item.get("urls")
        urls = [urls] if isinstance(urls, str) else urls
        if not isinstance(urls, list) or not urls or len(urls) > 8:
            raise ProtocolError(ErrorCode.BAD_FIELD, "an ICE server has 'urls'")
        for url in urls:
            if not isinstance(url, str) or not url.startswith(("stun:", "turn:", "turns:")):
                raise ProtocolError(ErrorCode.BAD_FIELD, "an ICE server URL is stun: or turn:")
        username, credential = item.get("username"), item.get("credential")
        for value in (username, credential):
            if value is not None and (not isinstance(value, str) or len(value) > 256):
                raise ProtocolError(ErrorCode.BAD_FIELD, "ICE credentials are short strings")
        servers.append(RTCIceServer(urls=urls, username=username, credential=credential))
    return servers


# --- media ----------------------------------------------------------------------------------


#: Glass-to-glass stamp: the frame's wall-clock time in ms (mod 2**32) as STAMP_BITS blocks
#: of STAMP_BLOCK px on the top row, most significant first, white = 1; the row below holds
#: the complement, so a page reading it back from a canvas can tell a damaged stamp.
STAMP_BITS = 32
STAMP_BLOCK = 16


class SyntheticCamera(VideoStreamTrack):
    """A moving grey ramp at the configured size: cheap to make, real to encode.

    ``stamp``: each frame carries its wall-clock time (see ``STAMP_BITS``), for measuring
    glass-to-glass latency at the doctor's page.
    """

    def __init__(self, *, width: int = 640, height: int = 480, stamp: bool = False) -> None:
        super().__init__()
        if stamp and (width < STAMP_BITS * STAMP_BLOCK or height < 2 * STAMP_BLOCK):
            raise ValueError(f"a stamped frame is at least {STAMP_BITS * STAMP_BLOCK} px wide")
        self.width, self.height, self.stamp = width, height, stamp
        self._row = bytes((x * 255 // max(1, width - 1)) for x in range(width)) * 2
        self._chroma = bytes([128]) * ((width // 2) * (height // 2))
        self._frames = 0

    def _luma(self, shift: int) -> bytes:
        row = self._row[shift : shift + self.width]
        if not self.stamp:
            return row * self.height
        ms = int(time.time() * 1000) % 2**STAMP_BITS  # wall clock: the page compares its own
        bits = [(ms >> (STAMP_BITS - 1 - i)) & 1 for i in range(STAMP_BITS)]

        def blocks(values: list[int]) -> bytes:
            line = b"".join((b"\xeb" if v else b"\x10") * STAMP_BLOCK for v in values)
            return line + row[len(line) :]

        top = blocks(bits) * STAMP_BLOCK + blocks([1 - b for b in bits]) * STAMP_BLOCK
        return top + row * (self.height - 2 * STAMP_BLOCK)

    async def recv(self) -> av.VideoFrame:
        pts, time_base = await self.next_timestamp()
        shift = (self._frames * 8) % self.width
        self._frames += 1
        frame = av.VideoFrame(self.width, self.height, "yuv420p")
        frame.planes[0].update(self._luma(shift))
        frame.planes[1].update(self._chroma)
        frame.planes[2].update(self._chroma)
        frame.pts, frame.time_base = pts, time_base
        return frame


#: RMS of 16-bit samples above which the far end counts as speaking (about -36 dBFS).
VOICE_RMS = 500.0
#: How long "the doctor is speaking" stays shown after the last loud frame.
SPEAKING_HOLD_S = 0.5


def audio_rms(frame: av.AudioFrame) -> float:
    """Loudness of a 16-bit audio frame (every 4th sample is enough to tell a voice)."""
    if frame.format.name not in ("s16", "s16p"):
        return 0.0
    channels = 1 if frame.format.is_planar else len(frame.layout.channels)
    samples = array("h", bytes(frame.planes[0])[: frame.samples * channels * 2])
    picked = samples[::4]
    if not picked:
        return 0.0
    return math.sqrt(sum(x * x for x in picked) / len(picked))


class ToneMicrophone(AudioStreamTrack):
    """A quiet 400 Hz tone (8 whole periods per 20 ms frame, so one frame repeats)."""

    def __init__(self, *, rate: int = 48000) -> None:
        super().__init__()
        self.rate = rate
        samples = int(AUDIO_PTIME * rate)
        pcm = bytearray()
        for i in range(samples):
            value = int(3000 * math.sin(2 * math.pi * 400 * i / rate))
            pcm += value.to_bytes(2, "little", signed=True)
        self._pcm = bytes(pcm)
        self._samples = samples

    async def recv(self) -> av.AudioFrame:
        # pace like the base class does, then hand out the tone
        silence = await super().recv()
        frame = av.AudioFrame(format="s16", layout="mono", samples=self._samples)
        frame.planes[0].update(self._pcm)
        frame.sample_rate = self.rate
        frame.pts, frame.time_base = silence.pts, silence.time_base
        return frame


class Media(Protocol):
    """Where a call's local tracks come from; one set per peer connection."""

    def tracks(self) -> list[MediaStreamTrack]: ...

    def stop(self) -> None: ...


class SyntheticMedia:
    """Demo media: the synthetic camera, the tone, and a second camera as the exam camera."""

    def __init__(
        self, *, width: int = 640, height: int = 480, exam: bool = False, stamp: bool = False
    ) -> None:
        self.width, self.height, self.exam, self.stamp = width, height, exam, stamp
        self._tracks: list[MediaStreamTrack] = []

    def tracks(self) -> list[MediaStreamTrack]:
        camera = SyntheticCamera(width=self.width, height=self.height, stamp=self.stamp)
        self._tracks = [camera, ToneMicrophone()]
        if self.exam:
            self._tracks.append(SyntheticCamera(width=self.width, height=self.height))
        return list(self._tracks)

    def stop(self) -> None:
        for track in self._tracks:
            track.stop()
        self._tracks = []


class DeviceMedia:
    """The cabin's V4L2 camera and ALSA/Pulse microphone through aiortc's media helpers."""

    def __init__(self, options: CallOptions) -> None:
        self.options = options
        self._players: list[Any] = []

    def tracks(self) -> list[MediaStreamTrack]:
        # imported here: contrib.media opens devices and is only needed with real hardware
        from aiortc.contrib.media import MediaPlayer

        o = self.options
        video = MediaPlayer(
            o.video_device,
            format="v4l2",
            options={"video_size": f"{o.width}x{o.height}", "framerate": str(o.fps)},
        )
        audio = MediaPlayer(o.audio_device, format=o.audio_format)
        self._players = [video, audio]
        tracks = [video.video, audio.audio]
        if o.exam_video_device:  # otoscope, dermatoscope: a UVC camera
            exam = MediaPlayer(
                o.exam_video_device,
                format="v4l2",
                options={"video_size": f"{o.width}x{o.height}", "framerate": str(o.fps)},
            )
            self._players.append(exam)
            tracks.append(exam.video)
        return [t for t in tracks if t is not None]

    def stop(self) -> None:
        for player in self._players:
            for track in (player.audio, player.video):
                if track is not None:
                    track.stop()
        self._players = []


# --- the portal link ------------------------------------------------------------------------


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


# --- the call -------------------------------------------------------------------------------


def _candidate_types(sdp: str) -> frozenset[str]:
    """``host``, ``srflx``, ``relay``... of the candidates in an SDP (never the addresses)."""
    return frozenset(
        line.split(" typ ", 1)[1].split()[0]
        for line in sdp.splitlines()
        if line.startswith("a=candidate:") and " typ " in line
    )


def spread_candidates(sdp: str) -> str:
    """Copy the bundle's ICE candidates into every media section that has none.

    Chromium puts a bundled answer's candidates in the first section only, and aiortc 1.16
    reads a shared transport's candidates from the *last* section using it: without this,
    a relay-only call (no peer-reflexive rescue) never checks a pair.
    """
    newline = "\r\n" if "\r\n" in sdp else "\n"
    lines = sdp.split(newline)
    sections: list[list[str]] = [[]]
    for line in lines:
        if line.startswith("m="):
            sections.append([])
        sections[-1].append(line)
    media = sections[1:]
    found = next((m for m in media if any(x.startswith("a=candidate:") for x in m)), None)
    if found is None:
        return sdp
    shared = [x for x in found if x.startswith(("a=candidate:", "a=end-of-candidates"))]
    for section in media:
        if not any(x.startswith("a=candidate:") for x in section):
            tail = 1 if section and section[-1] == "" else 0
            section[len(section) - tail : len(section) - tail] = shared
    return newline.join(line for section in sections for line in section)


def _urls(server: RTCIceServer) -> list[str]:
    return [server.urls] if isinstance(server.urls, str) else list(server.urls)


@dataclass
class CallStats:
    """Counters for health, tests and benchmarks (no content)."""

    offers: int = 0
    peer_connections: int = 0
    remote_video_frames: int = 0
    remote_audio_frames: int = 0
    remote_video_size: tuple[int, int] = (0, 0)
    offer_sent_at: float = 0.0
    first_remote_video_at: float = 0.0
    data_errors_sent: int = 0
    data_errors_received: int = 0
    relay_missing: bool = False
    local_candidate_types: frozenset[str] = frozenset()


@dataclass
class _Incoming:
    doc_id: str
    msg_id: str
    sha256: str
    size: int
    chunks: int
    parts: list[bytes] = field(default_factory=list)


class CabinCall:
    """The cabin's consultation façade: check a patient in, hold the call, report events."""

    def __init__(
        self,
        options: CallOptions,
        *,
        media: Media | None = None,
        devices: Callable[[], dict[str, str]] = dict,
        on_remote_video: Callable[[av.VideoFrame], None] | None = None,
    ) -> None:
        self.options = options
        self.media: Media = media or (
            SyntheticMedia(width=options.width, height=options.height, exam=options.exam_camera)
            if options.synthetic_media
            else DeviceMedia(options)
        )
        self._devices = devices
        self._fleet: Callable[[], dict[str, Any]] = dict
        self.link = PortalLink(
            options,
            on_message=self._on_signal,
            on_connected=self._on_portal,
            devices=self.health,
            fleet=self.fleet,
        )
        self.on_remote_video = on_remote_video
        self.status = CallStatus.IDLE
        self.stats = CallStats()
        self.quality = ""
        self.session_id = ""
        self.call_id = ""
        self._identity: dict[str, Any] | None = None
        self._booking_code = ""
        #: The portal's answer to the last checkin (appointment found or not).
        self.checked_in: dict[str, Any] | None = None
        self._code_checks: dict[str, asyncio.Future[dict[str, Any] | None]] = {}
        #: The patient's call for the staff is on (sent again after a reconnection).
        self.staff_called = False
        #: The portal's last word on it: ``{"state": "received" | "coming", "by": ...}``.
        self.staff_answer: dict[str, Any] | None = None
        #: The patient's place in the waiting room (1 = next) and expected wait (s).
        self.queue: tuple[int, float] | None = None
        self._pc: RTCPeerConnection | None = None
        self._channel: RTCDataChannel | None = None
        self._outbox: list[str] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._consumers: set[asyncio.Task[None]] = set()
        self._last_media = 0.0
        self._remote_voice_at = -math.inf
        self._watchdog: asyncio.Task[None] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._listeners: list[Callable[[CallUpdate], None]] = []
        self._joined = False
        self._ended = False
        self._attempts = 0
        self._ids = itertools.count(1)
        self._incoming: dict[str, _Incoming] = {}
        self._limiter = RateLimiter(rate=options.data_rate, burst=options.data_burst)
        self._unacked: dict[str, float] = {}
        #: The last ``measuring`` state (and reason) sent per kind, this session: each
        #: change goes once.
        self._measuring: dict[ReadingKind, tuple[MeasuringState, str]] = {}
        #: This session's prescription forms: the latest is the one kept.
        self.prescriptions = PrescriptionLedger()
        #: Ids of the measurement requests applied this session: the page sends one again
        #: when the link dropped before its ack, and it is acknowledged, not measured twice.
        self._applied: dict[str, None] = {}
        #: Whether a measurement runs at the cabin (the session binding's answer): a request
        #: then is refused as ``busy``, not acknowledged for nothing done.
        self.measuring: Callable[[], bool] = lambda: False
        #: The session ended at the cabin (printing, goodbye...): out of the waiting room;
        #: and whether the portal was told (else it is at the next connection).
        self._left = self._checked_out = False

    # -- public API ----------------------------------------------------------------------

    def report_health(
        self, devices: Callable[[], dict[str, str]], fleet: Callable[[], dict[str, Any]]
    ) -> None:
        """Where the heartbeats take the cabin's device states and its version, uptime and
        printer state (the cabin's health monitor)."""
        self._devices = devices
        self._fleet = fleet

    def fleet(self) -> dict[str, Any]:
        """Version, uptime and printer state for the heartbeats (empty without a monitor)."""
        return self._fleet()

    def health(self) -> dict[str, str]:
        """What the heartbeats tell the portal: device states, and the call's own problems."""
        states = dict(self._devices())
        if self.stats.relay_missing:
            states["turn"] = "no relay candidate"
        return states

    async def start(self) -> None:
        self.link.start()

    async def close(self) -> None:
        await self._close_peer()
        await self.link.close()

    def updates(self) -> AsyncIterator[CallUpdate]:
        """Session events (DoctorJoined, MeasurementRequested, DocumentReceived, CallEnded,
        Fault) and call notices (StatusChanged, PrescriptionFormReceived), in order."""
        return self._iter_updates()

    async def _iter_updates(self) -> AsyncIterator[CallUpdate]:
        # a queue per reader, so updates nobody reads do not pile up
        queue: asyncio.Queue[CallUpdate] = asyncio.Queue(maxsize=1000)
        unsubscribe = self.subscribe(queue.put_nowait)
        try:
            while True:
                yield await queue.get()
        finally:
            unsubscribe()

    def subscribe(self, listener: Callable[[CallUpdate], None]) -> Callable[[], None]:
        """Call ``listener`` with each update as it happens (on the event loop)."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    async def check_in(
        self,
        session_id: str,
        *,
        identity: Beneficiary | None = None,
        consent_time: datetime | None = None,
        booking_code: str = "",
        without_card: bool = False,
    ) -> None:
        """Put the patient in the portal's waiting room (by session id only).

        With appointments, the portal gets the beneficiary's match key (a keyed hash under
        this cabin's key, never a name) or the typed ``booking_code``, and answers with
        ``checked_in`` (kept in :attr:`checked_in`). ``without_card``: no identity was read;
        the doctor is told so, to check an ID document on camera.
        """
        self.session_id = session_id
        self._identity = None
        self.checked_in = None
        self.queue = None
        self._booking_code = booking_code
        if identity is not None:
            self._identity = {
                "last_name": identity.last_name,
                "first_name": identity.first_name,
                "birth_date": identity.birth_date,
                "nir": identity.nir,
                "consent_time": consent_time.isoformat() if consent_time else "",
                "session_id": session_id,
                "source": "card",
            }
        elif without_card:
            self._identity = {
                "last_name": "",
                "first_name": "",
                "birth_date": "",
                "consent_time": consent_time.isoformat() if consent_time else "",
                "session_id": session_id,
                "source": "booking_code" if booking_code else "walk_in",
            }
        self._joined = self._ended = self._left = self._checked_out = False
        self._attempts = 0
        self.prescriptions.reset()
        self._applied.clear()
        self._set_status(CallStatus.WAITING)
        await self.link.send("checkin", session_id=session_id, **self._match_fields())
        log.info("call: session %s checked in", session_id)

    async def call_staff(self, active: bool = True) -> bool:
        """Tell the portal the patient calls the staff (or no longer does); False when the
        portal cannot be told now (then the call goes again on reconnection)."""
        self.staff_called = active
        self.staff_answer = None
        return await self.link.send("staff_call", active=active)

    @property
    def takes_booking_codes(self) -> bool:
        """Whether the portal has appointments (its welcome gave a check-in key)."""
        return bool(self.link.checkin_key) and self.link.connected.is_set()

    async def check_code(
        self, session_id: str, code: str, *, timeout: float = 10.0
    ) -> dict[str, Any] | None:
        """Ask the portal whether ``code`` is this cabin's appointment now, without joining
        the waiting room; ``None`` when the portal cannot answer in time."""
        previous = self._code_checks.pop(session_id, None)
        if previous is not None and not previous.done():
            previous.set_result(None)  # a newer check of the same session takes over
        waiter: asyncio.Future[dict[str, Any] | None] = asyncio.get_running_loop().create_future()
        self._code_checks[session_id] = waiter
        try:
            if not await self.link.send("check_code", session_id=session_id, booking_code=code):
                return None
            return await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            log.info("call: session %s: no answer about the booking code", session_id)
            return None
        finally:
            if self._code_checks.get(session_id) is waiter:
                del self._code_checks[session_id]

    def _match_fields(self) -> dict[str, str]:
        key, who = self.link.checkin_key, self._identity
        if self._booking_code:
            return {"booking_code": self._booking_code}
        if not key or who is None or who.get("source") != "card":
            return {}
        try:
            return {
                "match_key": protocol.match_key(
                    key,
                    last_name=who["last_name"],
                    first_name=who["first_name"],
                    birth_date=who["birth_date"],
                )
            }
        except ValueError:
            log.warning("call: session %s: no match key for this card", self.session_id)
            return {}

    async def leave_room(self) -> None:
        """The session ended at the cabin (papers printing, goodbye, a fault that cannot be
        resumed): the portal takes the patient out of the waiting room now, not at the wipe a
        minute later, and a call that was starting is let go; none is taken any more."""
        if not self.session_id or self._left:
            return
        self._left = True
        if self.call_id and not self._ended:
            await self.hang_up()
        log.info("call: session %s left the waiting room", self.session_id)
        self._checked_out = await self.link.send("checkout", session_id=self.session_id)

    async def check_out(self) -> None:
        """End the session at the portal and drop the call; the wipe hook calls this."""
        if self.call_id and not self._ended:
            await self.link.send("hangup", call_id=self.call_id, reason="ended")
        if self.session_id and not self._checked_out:
            await self.link.send("checkout", session_id=self.session_id)
        await self._close_peer()
        self.session_id = self.call_id = ""
        self._identity = None
        self._booking_code = ""
        self.checked_in = None
        self.queue = None
        self._outbox.clear()
        self._incoming.clear()
        self._measuring.clear()
        self.prescriptions.reset()
        self._applied.clear()
        self._left = self._checked_out = False
        self._set_status(CallStatus.IDLE)

    def send_reading(self, reading: Reading, *, seq: int = 0) -> bool:
        """Send a reading to the doctor; queued until the data channel opens. ``seq``: its
        number in the session (from 1), by which the page keeps it once."""
        fields: dict[str, Any] = {"seq": seq} if seq > 0 else {}
        return self._send_data("reading", reading=reading.to_json(), **fields)

    def send_live(self, reading: Reading) -> bool:
        """Send what an instrument shows while it measures (an intermediate reading); not
        kept, not numbered, and lost (not queued) while the data channel is down."""
        return self._send_data("live", reading=reading.to_json())

    def prescription_settled(
        self, received: PrescriptionFormReceived, error: ProtocolError | None = None
    ) -> None:
        """The form was composed and kept for printing (``error`` None), or refused: the
        page hears it now, for each time it sent that version."""
        if received.version is None:
            return
        code, detail = (error.code.value, error.detail) if error else ("", "")
        for msg_id in self.prescriptions.settle(received.version, code, detail):
            if error is not None:
                self._refuse(error, ref=msg_id)
            else:
                self._send_data("ack", id=msg_id)

    def send_measuring(
        self, kind: ReadingKind, state: MeasuringState, reason: MeasuringReason | None = None
    ) -> bool:
        """Tell the doctor where the measurement of ``kind`` stands; queued until the data
        channel opens. A state already sent for that kind is not sent again (False).

        ``reason`` goes with ``failed`` and only with it (``ValueError`` otherwise).
        """
        if (state is MeasuringState.FAILED) != (reason is not None):
            raise ValueError("a measuring reason goes with 'failed', and only with it")
        current = (state, reason.value if reason is not None else "")
        if self._measuring.get(kind) == current:
            return False
        self._measuring[kind] = current
        fields = {"reason": reason.value} if reason is not None else {}
        return self._send_data("measuring", kind=kind.value, state=state.value, **fields)

    async def hang_up(self) -> None:
        """The patient (or a timeout) ends the call."""
        self._send_data("end", reason="cabin")
        if self.call_id:
            await self.link.send("hangup", call_id=self.call_id, reason="ended")
        await self._close_peer()
        self._emit_end()

    # -- signalling ----------------------------------------------------------------------

    async def _on_portal(self) -> None:
        if self.staff_called:
            await self.link.send("staff_call", active=True)
        # (re)connected: put the patient back in the room, with the call if one is up; a
        # patient whose call has ended (printing, goodbye) does not go back to the room
        if self.session_id and not self._ended and not self._left:
            fields: dict[str, Any] = {"session_id": self.session_id, **self._match_fields()}
            if self.call_id and self.status is CallStatus.CONNECTED:
                fields["call_id"] = self.call_id
            await self.link.send("checkin", **fields)
        elif self.session_id and self._left and not self._checked_out:
            # the patient left while the portal was out of reach: out of its room now
            self._checked_out = await self.link.send("checkout", session_id=self.session_id)

    async def _on_signal(self, msg: dict[str, Any]) -> None:
        kind = msg["type"]
        if kind == "call":
            if msg["session_id"] != self.session_id or not self.session_id or self._left:
                log.warning("call: call %s for another session, refused", msg["call_id"])
                await self.link.send("hangup", call_id=msg["call_id"], reason="gone")
                return
            self.call_id = msg["call_id"]
            log.info("call: session %s, doctor calling, call %s", self.session_id, self.call_id)
            await self._new_peer()
        elif kind == "answer":
            await self._on_answer(msg)
        elif kind == "checked_in":
            waiter = self._code_checks.pop(msg["session_id"], None)
            if waiter is not None and not waiter.done():
                waiter.set_result(msg)
            elif msg["session_id"] == self.session_id:
                self.checked_in = msg
                self._emit(CheckedIn(msg))
        elif kind == "staff_answer":
            if self.staff_called:
                self.staff_answer = msg
        elif kind == "queue":
            if msg["session_id"] == self.session_id:
                self.queue = (msg["position"], float(msg["estimate_s"]))
        elif kind == "hangup":
            if msg["call_id"] != self.call_id:
                return  # stale
            if msg.get("reason") == "restart":
                await self._close_peer()
                self._set_status(CallStatus.WAITING)
            else:
                await self._close_peer()
                self._emit_end()
        elif kind == "error":
            log.warning("call: portal error %s about %s", msg["code"], msg.get("ref", "?"))

    async def _on_answer(self, msg: dict[str, Any]) -> None:
        pc = self._pc
        if pc is None or msg["call_id"] != self.call_id or pc.signalingState != "have-local-offer":
            log.info("call: stale answer for %s dropped", msg["call_id"])
            return
        types = _candidate_types(msg["sdp"])
        log.info("call %s: answer with candidates of type %s", self.call_id, sorted(types) or "-")
        try:
            answer = RTCSessionDescription(sdp=spread_candidates(msg["sdp"]), type="answer")
            await pc.setRemoteDescription(answer)
        except (ValueError, AttributeError, KeyError) as exc:
            log.warning("call %s: unusable answer: %s", self.call_id, type(exc).__name__)
            await self._restart("bad answer")

    # -- peer connection -----------------------------------------------------------------

    async def _new_peer(self) -> None:
        await self._close_peer()
        self._set_status(CallStatus.RECONNECTING if self._joined else CallStatus.CONNECTING)
        pc = RTCPeerConnection(self.options.rtc_configuration(self.link.issued_ice))
        self._pc = pc
        self.stats.peer_connections += 1
        for track in self.media.tracks():
            transceiver = pc.addTransceiver(track, direction="sendrecv")
            if track.kind == "video":
                codecs = RTCRtpSender.getCapabilities("video").codecs
                vp8 = [c for c in codecs if c.mimeType in ("video/VP8", "video/rtx")]
                transceiver.setCodecPreferences(vp8)
        channel = pc.createDataChannel(DATA_CHANNEL, ordered=True)
        self._channel = channel
        channel.on("open", lambda: self._on_channel_open(channel))
        channel.on("message", lambda data: self._on_data(channel, data))
        pc.on(
            "track", lambda track: self._consumers.add(self._spawn(self._consume(track), "call-in"))
        )
        pc.on("connectionstatechange", lambda: self._on_state(pc))
        await pc.setLocalDescription(await pc.createOffer())
        if self._pc is not pc:
            return
        sdp = pc.localDescription.sdp
        self.stats.local_candidate_types = _candidate_types(sdp)
        turn = self.options.turn_servers or any(
            str(u).startswith("turn") for s in self.link.issued_ice for u in _urls(s)
        )
        if turn and "relay" not in self.stats.local_candidate_types:
            self.stats.relay_missing = True
            log.warning("call %s: TURN configured but no relay candidate gathered", self.call_id)
        self.stats.offers += 1
        self.stats.offer_sent_at = time.monotonic()
        self.stats.first_remote_video_at = 0.0
        await self.link.send("offer", call_id=self.call_id, sdp=sdp)
        self._arm(self.options.connect_timeout_s, "no connection")

    def _on_state(self, pc: RTCPeerConnection) -> None:
        if pc is not self._pc:
            return
        state = pc.connectionState
        log.info("call %s: connection %s", self.call_id, state)
        if state == "connected":
            self._disarm()
            self._attempts = 0
            self._set_status(CallStatus.CONNECTED)
            self._last_media = time.monotonic()
            if self._watchdog is None:
                self._watchdog = self._spawn(self._watch_media(pc), "call-watchdog")
            if not self._joined:
                self._joined = True
                self._emit(DoctorJoined())
        elif state == "failed":
            self._spawn(self._restart("failed"), "call-restart")

    async def _watch_media(self, pc: RTCPeerConnection) -> None:
        """aiortc has no ``disconnected`` state and sees a dead peer only after ~30 s of
        failed consent checks: no remote audio or video for ``grace_s`` counts as one."""
        grace = self.options.grace_s
        while pc is self._pc:
            await asyncio.sleep(min(0.5, grace / 4))
            if pc is not self._pc or self.status is not CallStatus.CONNECTED:
                continue
            if time.monotonic() - self._last_media > grace:
                log.info("call %s: disconnected (no media for %.1f s)", self.call_id, grace)
                self._watchdog = None
                await self._restart("disconnected")
                return

    def _arm(self, delay: float, why: str) -> None:
        self._disarm()
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(
            delay, lambda: self._spawn(self._restart(why), "call-restart")
        )

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    async def _restart(self, why: str) -> None:
        """Rebuild the call as a new peer connection, or give up after the limit."""
        self._disarm()
        if not self.call_id or self._ended:
            return
        self._attempts += 1
        if self._attempts > self.options.max_reconnects:
            log.warning("call %s: lost (%s), giving up", self.call_id, why)
            await self.link.send("hangup", call_id=self.call_id, reason="gone")
            await self._close_peer()
            self._ended = True
            self._set_status(CallStatus.ENDED)
            # nothing to resume: the fault screen says so and offers only to finish
            self._emit(Fault(FaultKind.NETWORK_LOST, "call_lost", resumable=False))
            return
        log.info("call %s: %s, reconnecting (attempt %d)", self.call_id, why, self._attempts)
        await self._close_peer()
        self._set_status(CallStatus.RECONNECTING)
        # the portal answers with a new call id, then we offer again; if it cannot be
        # reached the timer counts this attempt as failed
        self._arm(self.options.connect_timeout_s, "no new call")
        await self.link.send("restart", call_id=self.call_id)

    async def _close_peer(self) -> None:
        self._disarm()
        pc, self._pc = self._pc, None
        self._channel = None
        # Uploads cut with the connection never finish (the page sends them again under a
        # new id): kept, two of them would refuse every later upload of the session.
        self._incoming.clear()
        if pc is not None:
            await pc.close()
        self.media.stop()
        if self._watchdog is not None and self._watchdog is not asyncio.current_task():
            self._watchdog.cancel()
        self._watchdog = None
        for task in list(self._consumers):
            task.cancel()
        self._consumers.clear()

    def _on_track(self, track: MediaStreamTrack) -> None:
        self._consumers.add(self._spawn(self._consume(track), f"call-{track.kind}-in"))

    async def _consume(self, track: MediaStreamTrack) -> None:
        """Every remote track is read to its end (aiortc leaks otherwise)."""
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            self._last_media = time.monotonic()
            if isinstance(frame, av.VideoFrame):
                self.stats.remote_video_frames += 1
                if not self.stats.first_remote_video_at:
                    self.stats.first_remote_video_at = time.monotonic()
                self.stats.remote_video_size = (frame.width, frame.height)
                if self.on_remote_video is not None:
                    self.on_remote_video(frame)
            elif isinstance(frame, av.AudioFrame):
                self.stats.remote_audio_frames += 1
                if audio_rms(frame) >= VOICE_RMS:
                    self._remote_voice_at = time.monotonic()

    @property
    def speaking(self) -> str:
        """``doctor`` while the doctor's voice is heard (for the patient's screen), else ``""``."""
        if self.status is not CallStatus.CONNECTED:
            return ""
        return "doctor" if time.monotonic() - self._remote_voice_at < SPEAKING_HOLD_S else ""

    # -- data channel --------------------------------------------------------------------

    def _on_channel_open(self, channel: RTCDataChannel) -> None:
        if channel is not self._channel:
            return
        if self._identity is not None:
            self._send_data("identity", **self._identity)
        outbox, self._outbox = self._outbox, []
        for text in outbox:
            channel.send(text)

    def _send_data(self, msg_type: str, **fields: Any) -> bool:
        if msg_type not in ("ack", "error", "live") and "id" not in fields:
            fields["id"] = f"k{next(self._ids)}"
            self._unacked[fields["id"]] = time.monotonic()
            if len(self._unacked) > 1000:  # a page that never acks must not grow us
                self._unacked.pop(next(iter(self._unacked)))
        text = protocol.data(msg_type, **fields)
        channel = self._channel
        if channel is not None and channel.readyState == "open":
            channel.send(text)
            return True
        if msg_type in ("reading", "measuring") and len(self._outbox) < 100:
            self._outbox.append(text)
        return False

    def _refuse(self, exc: ProtocolError, ref: str = "") -> None:
        self.stats.data_errors_sent += 1
        log.warning("call %s: refused a data message: %s", self.call_id, exc.code.value)
        fields = protocol.error_fields(exc)
        if ref:
            fields["ref"] = ref[:64]
        self._send_data("error", **fields)

    def _on_data(self, channel: RTCDataChannel, raw: str | bytes) -> None:
        if channel is not self._channel:
            return
        try:
            self._limiter.check()
            msg = protocol.decode_data(raw)
        except ProtocolError as exc:
            self._refuse(exc)
            return
        msg_id = str(msg.get("id", ""))
        try:
            acked_later = self._handle_data(msg)
        except ProtocolError as exc:
            self._refuse(exc, ref=msg_id or exc.ref)
            return
        except Exception as exc:  # a message the cabin did not foresee refuses, never raises
            log.error("call %s: a data message failed: %s", self.call_id, type(exc).__name__)
            self._refuse(ProtocolError(ErrorCode.BAD_FIELD, "not applied"), ref=msg_id)
            return
        if msg_id and msg["type"] not in ("ack", "error") and not acked_later:
            self._send_data("ack", id=msg_id)

    def _handle_data(self, msg: dict[str, Any]) -> bool:
        """Apply one valid message; True when its ack comes later (a document)."""
        kind = msg["type"]
        if kind == "measure":
            msg_id = str(msg.get("id", ""))
            if msg_id and msg_id in self._applied:
                return False  # sent again after a drop: acknowledged again, measured once
            if self.measuring():
                raise ProtocolError(ErrorCode.BUSY, "another measurement is running", ref=kind)
            self._emit(MeasurementRequested(ReadingKind(msg["kind"])))
            if msg_id:
                self._applied[msg_id] = None
                if len(self._applied) > 500:
                    self._applied.pop(next(iter(self._applied)))
        elif kind == "prescription":
            return self._prescription(msg)
        elif kind == "resume":
            self._resume(msg)
        elif kind == "document":
            if "session_id" in msg:
                self._check_session(msg["session_id"], kind)
            return self._document_start(msg)
        elif kind == "document_chunk":
            self._document_chunk(msg)
        elif kind == "quality":
            self.quality = msg["level"]
        elif kind == "end":
            self._spawn(self._doctor_ended(), "call-end")
        elif kind == "ack":
            self._unacked.pop(msg["id"], None)
        elif kind == "error":
            self.stats.data_errors_received += 1
            log.warning("call %s: the page refused a message: %s", self.call_id, msg["code"])
        else:
            raise ProtocolError(ErrorCode.UNKNOWN_TYPE, "not for the cabin", ref=kind)
        return False

    def _check_session(self, session_id: str, ref: str) -> None:
        if self._left or not self.session_id or session_id != self.session_id:
            raise ProtocolError(ErrorCode.WRONG_SESSION, "not the cabin's current session", ref=ref)

    def _prescription(self, msg: dict[str, Any]) -> bool:
        """Admitted for the current session only (:mod:`kiosk.prescriptions`); its answer
        comes once it is composed."""
        received = self.prescriptions.receive("" if self._left else self.session_id, msg)
        for earlier in received.superseded:
            replaced = ProtocolError(ErrorCode.SUPERSEDED, "replaced by a later version")
            self._refuse(replaced, ref=earlier)
        if received.version is not None:
            msg_id = str(msg.get("id", ""))
            self._emit(PrescriptionFormReceived(msg["form"], received.version, msg_id))
        return received.later

    def _resume(self, msg: dict[str, Any]) -> None:
        """A new data channel: where each measurement stands again, and the readings the
        page lacks (sent by the session binding, which holds them)."""
        self._check_session(msg["session_id"], "resume")
        have = msg["readings"]
        if not all(type(seq) is int for seq in have):
            raise ProtocolError(ErrorCode.BAD_FIELD, "'readings' lists reading numbers")
        for kind, (state, reason) in self._measuring.items():
            fields = {"reason": reason} if reason else {}
            self._send_data("measuring", kind=kind.value, state=state.value, **fields)
        self._emit(ResumeRequested(frozenset(have)))

    def _document_start(self, msg: dict[str, Any]) -> bool:
        size, chunks = msg["size"], msg["chunks"]
        if not 0 < size <= protocol.MAX_DOCUMENT_BYTES:
            raise ProtocolError(ErrorCode.BAD_DOCUMENT, "document size out of bounds")
        if chunks != -(-size // protocol.DOCUMENT_CHUNK_BYTES):
            raise ProtocolError(ErrorCode.BAD_DOCUMENT, "chunk count does not match the size")
        if len(self._incoming) >= 2:
            raise ProtocolError(ErrorCode.BAD_DOCUMENT, "too many documents in flight")
        self._incoming[msg["doc_id"]] = _Incoming(
            msg["doc_id"], str(msg.get("id", "")), msg["sha256"].lower(), size, chunks
        )
        return True

    def _document_chunk(self, msg: dict[str, Any]) -> None:
        doc = self._incoming.get(msg["doc_id"])
        if doc is None:
            raise ProtocolError(ErrorCode.BAD_DOCUMENT, "chunk of an unknown document")
        try:
            if msg["index"] != len(doc.parts):
                raise ProtocolError(ErrorCode.BAD_DOCUMENT, "chunk out of order")
            try:
                part = base64.b64decode(msg["data"], validate=True)
            except (binascii.Error, ValueError) as exc:
                raise ProtocolError(ErrorCode.BAD_DOCUMENT, "chunk is not base64") from exc
            if len(part) > protocol.DOCUMENT_CHUNK_BYTES:
                raise ProtocolError(ErrorCode.BAD_DOCUMENT, "chunk too large")
            doc.parts.append(part)
            if len(doc.parts) < doc.chunks:
                return
            pdf = b"".join(doc.parts)
            if len(pdf) != doc.size or hashlib.sha256(pdf).hexdigest() != doc.sha256:
                raise ProtocolError(ErrorCode.BAD_DOCUMENT, "size or hash does not match")
            if not pdf.startswith(b"%PDF-"):
                raise ProtocolError(ErrorCode.BAD_DOCUMENT, "not a PDF")
        except ProtocolError as exc:
            del self._incoming[doc.doc_id]
            exc.ref = doc.msg_id or "document"
            raise
        del self._incoming[doc.doc_id]
        # Read as a PDF (pages counted) off the event loop: the video goes on meanwhile.
        self._spawn(self._document_checked(doc, pdf), "call-document-check")

    async def _document_checked(self, doc: _Incoming, pdf: bytes) -> None:
        """The assembled upload goes to the session once it reads as a printable PDF of a
        few pages; otherwise the doctor is told why (a 300-page file would empty the tray,
        a broken one would show at the cabin as a printer problem)."""
        from kiosk.documents.errors import UploadRejectedError
        from kiosk.documents.upload import validate_upload

        try:
            document = await asyncio.to_thread(
                validate_upload, pdf, sha256=doc.sha256, document_id=doc.doc_id
            )
        except UploadRejectedError as exc:
            log.warning("call %s: document %s refused: not printable", self.call_id, doc.doc_id)
            refused = ProtocolError(ErrorCode.BAD_DOCUMENT, str(exc))
            self._refuse(refused, ref=doc.msg_id or "document")
            return
        log.info("call %s: document %s received (%d bytes)", self.call_id, doc.doc_id, len(pdf))
        self._emit(DocumentReceived(document))
        if doc.msg_id:
            self._send_data("ack", id=doc.msg_id)

    async def _doctor_ended(self) -> None:
        await self._close_peer()
        self._emit_end()

    # -- plumbing ------------------------------------------------------------------------

    def _emit_end(self) -> None:
        if self._ended:
            return
        self._ended = True
        self._set_status(CallStatus.ENDED)
        self._emit(CallEnded())

    def _set_status(self, status: CallStatus) -> None:
        if status is not self.status:
            self.status = status
            self._emit(StatusChanged(status))

    def _emit(self, update: CallUpdate) -> None:
        for listener in list(self._listeners):
            listener(update)

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("call: task %s failed", task.get_name(), exc_info=task.exception())


#: States a patient never goes back to the waiting room (nor to the call) from.
LEFT_ROOM = frozenset({State.PRINTING, State.GOODBYE, State.WIPING, State.CLEANING, State.IDLE})


class SessionBinding:
    """Wires a :class:`CabinCall` to the patient :class:`~kiosk.session.Session`.

    Session to call: entering ``waiting_room`` checks the patient in (identity and consent
    time go to the doctor on the data channel), each stored reading is sent (numbered, and
    sent again when the page lacks it after a reconnection), leaving the call ends it, the
    session's end takes the patient out of the waiting room at once, the wipe checks out.
    (A measurement's states go to the doctor from the cabin's measurement service, which
    alone knows them: ``Cabin._on_measurement``.)
    Call to session: the call's events are sent to the session; one the current state does
    not accept is logged and dropped (a doctor may click twice).
    """

    def __init__(
        self,
        call: CabinCall,
        session: Session,
        *,
        live: Callable[[], Reading | None] | None = None,
    ) -> None:
        self.call = call
        self.session = session
        #: ``live``: the running measurement's last intermediate reading (the measurement
        #: service's), relayed to the page as it comes (cuff pressure while it inflates).
        self._live = LiveFeed(live, call.send_live) if live is not None else None
        call.measuring = self._measuring
        self._tasks: set[asyncio.Task[None]] = set()
        #: (session id, how many of its stored readings went to the doctor): a notice for
        #: an intermediate reading (cuff inflating) sends nothing again.
        self._readings_sent = ("", 0)
        self._unsubscribe = [session.subscribe(self._on_session), call.subscribe(self._on_call)]
        session.add_wipe_hook(self._on_wipe)

    def close(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
        self.call.measuring = lambda: False

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _on_call(self, update: CallUpdate) -> None:
        if isinstance(update, ResumeRequested):
            self._send_missing(update.readings)
            return
        if not isinstance(update, Event):
            return
        try:
            self.session.send(update)
        except IllegalEventError as exc:
            log.info("session %s: call event dropped: %s", self.session.log_id, exc)

    def _measuring(self) -> bool:
        """A measurement runs (or waits for its unplugged instrument on the fault screen)."""
        state = self.session.state
        return state is State.MEASURING or (
            state is State.FAULT and self.session.requested is not None
        )

    def _on_session(self, update: Update) -> None:
        data = self.session.data
        if update.notice is Notice.TRANSITION:
            if update.state is State.WAITING_ROOM and update.previous is State.CONSENT:
                assert data is not None
                self._spawn(
                    self.call.check_in(
                        data.session_id,
                        identity=data.chosen,
                        consent_time=data.consent_time,
                        booking_code=data.booking_code,
                        without_card=data.without_card,
                    ),
                    "call-check-in",
                )
                return
            hang_up = (
                update.previous in (State.IN_CALL, State.MEASURING)
                and update.state not in (State.IN_CALL, State.MEASURING, State.FAULT)
                and self.call.status not in (CallStatus.ENDED, CallStatus.IDLE)
            ) or (
                # "End" on the fault screen of a call still up (an instrument unplugged):
                # the papers print, the doctor is let go now, not at the wipe
                update.previous is State.FAULT
                and update.state is State.PRINTING
                and self.call.status in (CallStatus.CONNECTING, CallStatus.CONNECTED)
            )
            # the patient is leaving: out of the waiting room now (a doctor taking them
            # would connect to the goodbye screen), not at the wipe
            left = update.state in LEFT_ROOM or (
                update.state is State.FAULT and not self.session.resumable
            )
            if hang_up or left:
                self._spawn(self._session_over(hang_up=hang_up), "call-hang-up")
        elif update.notice is Notice.READING and data is not None:
            session_id, sent = self._readings_sent
            if session_id != data.session_id:
                sent = 0
            for seq, reading in enumerate(data.readings[sent:], start=sent + 1):
                self.call.send_reading(reading, seq=seq)
            self._readings_sent = (data.session_id, len(data.readings))
            if len(data.readings) == sent and self._live is not None:
                self._live.poll()  # nothing kept: an intermediate reading, shown live

    async def _session_over(self, *, hang_up: bool) -> None:
        if hang_up:
            await self.call.hang_up()
        await self.call.leave_room()

    def _send_missing(self, have: frozenset[int]) -> None:
        data = self.session.data
        if data is None or data.session_id != self.call.session_id:
            return
        for seq, reading in enumerate(data.readings, start=1):
            if seq not in have:
                self.call.send_reading(reading, seq=seq)

    def _on_wipe(self, session_id: str) -> None:
        self._spawn(self.call.check_out(), "call-check-out")
