"""How the cabin reaches the portal and the doctor: the call's options (from the kiosk's
config), the ICE servers, and the SDP fixes a bundled call needs between aiortc and Chromium."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from aiortc import RTCBundlePolicy, RTCConfiguration, RTCIceServer, RTCIceTransportPolicy

from drivers.media import DeviceMedia, Media, Speaker, SyntheticMedia
from kiosk.config import Config
from protocol import ErrorCode, ProtocolError


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
    #: The ALSA PCM the doctor's voice plays on (``[call] audio_output``); "": not played.
    audio_output: str = ""
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
            "audio_output": cfg.call.audio_output,
        }
        values.update(overrides)
        return cls(**values)

    @property
    def socket_url(self) -> str:
        parts = urlsplit(self.portal_url)
        scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
        path = parts.path if parts.path not in ("", "/") else "/ws/cabin"
        return urlunsplit((scheme, parts.netloc, path, "", ""))

    def media(self) -> Media:
        """The local tracks these options name: synthetic ones, or the cabin's devices."""
        if self.synthetic_media:
            return SyntheticMedia(width=self.width, height=self.height, exam=self.exam_camera)
        return DeviceMedia(
            video_device=self.video_device,
            audio_device=self.audio_device,
            audio_format=self.audio_format,
            exam_video_device=self.exam_video_device,
            width=self.width,
            height=self.height,
            fps=self.fps,
        )

    def speaker(self) -> Speaker | None:
        """The loudspeaker these options name, or None when the doctor is not played."""
        return Speaker(self.audio_output) if self.audio_output else None

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


def candidate_types(sdp: str) -> frozenset[str]:
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


def ice_urls(server: RTCIceServer) -> list[str]:
    """The URLs of an ICE server, one or several."""
    return [server.urls] if isinstance(server.urls, str) else list(server.urls)
