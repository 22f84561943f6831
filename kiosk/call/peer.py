"""The cabin's consultation façade and its peer-connection core: one aiortc peer connection
per call (offered by the cabin, answered through the portal), the remote tracks read to their
end, a dropped call rebuilt after a grace time a limited number of times, and the call's
status and updates to its readers."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import av
from aiortc import MediaStreamTrack, RTCPeerConnection, RTCRtpSender, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError

from drivers.media import SPEAKING_HOLD_S, VOICE_RMS, Media, Speaker, audio_rms
from kiosk.call.bandwidth import AdaptiveVideo, Governor, Plan, speak_low
from kiosk.call.chat import ChatMixin
from kiosk.call.datachannel import DATA_CHANNEL, DataChannelMixin
from kiosk.call.exam import ExamInstruments, ExamMixin
from kiosk.call.mute import MutableMicrophone
from kiosk.call.options import CallOptions, candidate_types, ice_urls, spread_candidates
from kiosk.call.portal_link import PortalLink
from kiosk.call.updates import CallStats, CallStatus, CallUpdate, StatusChanged
from kiosk.call.volume import VOLUME_DEFAULT, clamp_volume, scale_audio, volume_gain
from kiosk.call.waiting_room import WaitingRoomMixin
from kiosk.session import CallEnded, DoctorJoined, Fault, FaultKind
from kiosk.tasks import Tasks

log = logging.getLogger(__name__)

#: Graces a silent connection is kept, after the first, before a new one is asked for.
MEDIA_HOLD = 3


class CabinCall(WaitingRoomMixin, ChatMixin, ExamMixin, DataChannelMixin):
    """The cabin's consultation façade: check a patient in, hold the call, report events."""

    def __init__(
        self,
        options: CallOptions,
        *,
        media: Media | None = None,
        devices: Callable[[], dict[str, str]] = dict,
        on_remote_video: Callable[[av.VideoFrame], None] | None = None,
        on_remote_audio: Callable[[av.AudioFrame], None] | None = None,
        exam: ExamInstruments | None = None,
    ) -> None:
        """``on_remote_video``/``on_remote_audio``: where the doctor's frames go (the screen,
        the loudspeaker); audio frames reach it at the patient's :attr:`volume`. Without an
        ``on_remote_audio``, they play on the options' :attr:`speaker`, which the call owns:
        released at the end of each peer connection, closed with the call. ``exam``: the
        cabin's exam camera and stethoscope, extra tracks the doctor switches on and off."""
        self.options = options
        self.media: Media = media or options.media()
        self.speaker: Speaker | None = options.speaker()
        if on_remote_audio is None and self.speaker is not None:
            on_remote_audio = self.speaker.play
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
        self.on_remote_audio = on_remote_audio
        #: The patient's volume level for the doctor's voice (``kiosk.call.volume``).
        self.volume = VOLUME_DEFAULT
        self.status = CallStatus.IDLE
        self.stats = CallStats()
        self.call_id = ""
        self._init_waiting_room()
        self._init_data_channel(options)
        self._init_exam(exam, self.speaker)
        self._pc: RTCPeerConnection | None = None
        #: The patient's microphone as this peer connection sends it (muted or not).
        self._microphone: MutableMicrophone | None = None
        #: What the link allows the cabin to send now (``kiosk.call.bandwidth``); None: no call.
        self.network: Plan | None = None
        self._tasks = Tasks()
        self._consumers: set[asyncio.Task[Any]] = set()
        self._last_media = 0.0
        self._remote_voice_at = -math.inf
        self._watchdog: asyncio.Task[Any] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._listeners: list[Callable[[CallUpdate], None]] = []
        self._joined = False
        self._ended = False
        self._attempts = 0

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
        await self._tasks.close()
        if self.speaker is not None:
            # the device drains what it holds: off the loop
            await asyncio.to_thread(self.speaker.close)

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

    def set_volume(self, level: int) -> int:
        """Play the doctor at ``level`` (clamped to the patient's levels) from the next frame;
        returns the level set."""
        self.volume = clamp_volume(level)
        return self.volume

    async def hang_up(self) -> None:
        """The patient (or a timeout) ends the call."""
        self._send_data("end", reason="cabin")
        if self.call_id:
            await self.link.send("hangup", call_id=self.call_id, reason="ended")
        await self._close_peer()
        self._emit_end()

    # -- signalling ----------------------------------------------------------------------

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
        elif kind in ("checked_in", "staff_answer", "queue"):
            self._on_room_signal(msg)
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
        types = candidate_types(msg["sdp"])
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
        video: AdaptiveVideo | None = None
        for source in self.media.tracks():
            track = source
            if source.kind == "audio":
                track = self._microphone = MutableMicrophone(source)
                self._microphone.muted = self.microphone_muted
            else:
                track = video = AdaptiveVideo(source)  # follows the link (the bus's 4G)
            transceiver = pc.addTransceiver(track, direction="sendrecv")
            if track.kind == "video":
                codecs = RTCRtpSender.getCapabilities("video").codecs
                vp8 = [c for c in codecs if c.mimeType in ("video/VP8", "video/rtx")]
                transceiver.setCodecPreferences(vp8)
            else:
                codecs = RTCRtpSender.getCapabilities("audio").codecs
                transceiver.setCodecPreferences([c for c in codecs if c.mimeType == "audio/opus"])
                speak_low(transceiver.sender)
        governor = Governor(pc, video, self._on_network, start=self.network)
        self._tasks.spawn(governor.run(), "call-bandwidth")
        if self.exam is not None:
            self.exam.attach(pc)
        channel = pc.createDataChannel(DATA_CHANNEL, ordered=True)
        self._channel = channel
        channel.on("open", lambda: self._on_channel_open(channel))
        channel.on("message", lambda data: self._on_data(channel, data))
        pc.on(
            "track",
            lambda track: self._consumers.add(self._tasks.spawn(self._consume(track), "call-in")),
        )
        pc.on("connectionstatechange", lambda: self._on_state(pc))
        await pc.setLocalDescription(await pc.createOffer())
        if self._pc is not pc:
            return
        sdp = pc.localDescription.sdp
        self.stats.local_candidate_types = candidate_types(sdp)
        turn = self.options.turn_servers or any(
            str(u).startswith("turn") for s in self.link.issued_ice for u in ice_urls(s)
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
                self._watchdog = self._tasks.spawn(self._watch_media(pc), "call-watchdog")
            if not self._joined:
                self._joined = True
                self._emit(DoctorJoined())
        elif state == "failed":
            self._tasks.spawn(self._restart("failed"), "call-restart")

    async def _watch_media(self, pc: RTCPeerConnection) -> None:
        """aiortc has no ``disconnected`` state and sees a dead peer only after ~30 s of
        failed consent checks: no remote audio or video for ``grace_s`` counts as one (the
        call says ``reconnecting``), and a new connection is asked for when it lasts
        :data:`MEDIA_HOLD` graces more."""
        grace = self.options.grace_s
        silent = False  # no media since ``grace``: the connection is kept a while longer
        while pc is self._pc:
            await asyncio.sleep(min(0.5, grace / 4))
            if pc is not self._pc or self.status not in (
                CallStatus.CONNECTED,
                CallStatus.RECONNECTING,
            ):
                continue
            quiet = time.monotonic() - self._last_media
            if not silent and quiet > grace and self.status is CallStatus.CONNECTED:
                # A network cut (a bus's 4G under a bridge) leaves ICE, DTLS and the data
                # channel standing: kept, the call resumes the moment packets flow again,
                # sooner than a new call set up through the portal.
                log.info("call %s: no media for %.1f s, waiting", self.call_id, grace)
                silent = True
                self._set_status(CallStatus.RECONNECTING)
            elif silent and quiet <= grace:
                log.info("call %s: media back on the same connection", self.call_id)
                silent = False
                self._set_status(CallStatus.CONNECTED)
            elif silent and quiet > grace * (1 + MEDIA_HOLD):
                log.info("call %s: disconnected (no media for %.1f s)", self.call_id, quiet)
                self._watchdog = None
                await self._restart("disconnected")
                return

    def _arm(self, delay: float, why: str) -> None:
        self._disarm()
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(
            delay, lambda: self._tasks.spawn(self._restart(why), "call-restart")
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
        if self.exam is not None:
            self.exam.detach()
        if pc is not None:
            await pc.close()
        self.media.stop()
        if self.speaker is not None:
            self.speaker.end()
        if self._watchdog is not None and self._watchdog is not asyncio.current_task():
            self._watchdog.cancel()
        self._watchdog = None
        for task in list(self._consumers):
            task.cancel()
        self._consumers.clear()

    def _on_network(self, plan: Plan) -> None:
        """The link changed what the cabin sends: the doctor's page and the screen are told."""
        self.network = plan
        self._send_data(
            "network", video=plan.video, kbit=plan.kbit, width=plan.width, height=plan.height
        )

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
                # the doctor's own loudness, whatever the patient's volume
                if audio_rms(frame) >= VOICE_RMS:
                    self._remote_voice_at = time.monotonic()
                if self.on_remote_audio is not None:
                    self.on_remote_audio(scale_audio(frame, volume_gain(self.volume)))

    @property
    def speaking(self) -> str:
        """``doctor`` while the doctor's voice is heard (for the patient's screen), else ``""``."""
        if self.status is not CallStatus.CONNECTED:
            return ""
        return "doctor" if time.monotonic() - self._remote_voice_at < SPEAKING_HOLD_S else ""

    @property
    def network_notice(self) -> str:
        """What the patient's screen says of the link, calmly: ``reconnecting`` (no media: the
        call is kept, or rebuilt), ``voice_only`` (the video stopped for the bandwidth), else
        ``""``."""
        if self.status is CallStatus.RECONNECTING and self._joined:
            return "reconnecting"
        if self.status is CallStatus.CONNECTED and self.network and not self.network.video:
            return "voice_only"
        return ""

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

    def _new_session(self) -> None:
        self._joined = self._ended = False
        self.network = None  # each patient's call starts from the best picture
        # each patient starts at the cabin's level, not at the last patient's
        self.volume = VOLUME_DEFAULT
        self.microphone_muted = self.mute_told = False
        if self._microphone is not None:
            self._microphone.muted = False
        self._attempts = 0
        self.prescriptions.reset()
        self._applied.clear()
        self._set_status(CallStatus.WAITING)
