"""The call on a weak network (the bus santé's 4G): what the link carries is estimated from the
doctor's receiver reports each second, and the cabin's video follows it (smaller, slower,
then off below a floor, audio first: the voice is a 20 kbit/s Opus that fits where video
does not), coming back when the link does."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import av
from aiortc import MediaStreamTrack, RTCPeerConnection, RTCRtpSender
from aiortc.codecs.opus import OpusEncoder
from aiortc.mediastreams import MediaStreamError
from aiortc.stats import RTCOutboundRtpStreamStats, RTCRemoteInboundRtpStreamStats

log = logging.getLogger(__name__)

#: Below this estimate (kbit/s) the video stops: the voice alone goes through.
FLOOR_KBIT = 100
#: The video comes back when the estimate holds over this for :data:`RESUME_HOLD_S`.
RESUME_KBIT = 160
RESUME_HOLD_S = 5.0
#: The most the estimate climbs to (what aiortc's VP8 sends at most, and the voice).
MAX_KBIT = 1600
#: The voice's bitrate (Opus, speech): wideband speech, ~42 kbit/s on the wire.
VOICE_BPS = 20_000
#: The stethoscope's bitrate (Opus, "audio" application): body sounds kept whole.
STETHOSCOPE_BPS = 64_000
#: The video's steps, from the best: (estimate at least, kbit/s) -> width, height, fps.
LADDER: tuple[tuple[int, int, int, int], ...] = (
    (600, 640, 480, 30),
    (220, 320, 240, 15),
    (FLOOR_KBIT, 160, 120, 10),
)


@dataclass(frozen=True)
class Plan:
    """What the cabin sends: video on (at ``width``×``height``, ``fps``) or the voice alone."""

    video: bool
    width: int
    height: int
    fps: int
    kbit: int  # the estimate it follows

    @classmethod
    def for_estimate(cls, kbit: float, *, video: bool = True) -> Plan:
        if video:
            for least, width, height, fps in LADDER:
                if kbit >= least:
                    return cls(True, width, height, fps, int(kbit))
        return cls(False, 0, 0, 0, int(kbit))

    def same_picture(self, other: Plan) -> bool:
        return (self.video, self.width, self.height, self.fps) == (
            other.video,
            other.width,
            other.height,
            other.fps,
        )


class Estimator:
    """Loss- and delay-based, each second. Congestion (losses over 15 %, the round trip
    150 ms over its least and rising) brings
    the estimate to 85 % of what was sent (halving it at most), then it waits three samples
    for the reports to catch up; losses under 2 % let it climb 8 % a second; between, it
    holds (a 4G's random losses are not congestion). A resume that fails (video off again
    within 20 s) doubles the hold before the next one (up to 20 s), so a link too weak for
    video is not probed often.
    """

    def __init__(self, *, start_kbit: float = MAX_KBIT) -> None:
        self.kbit = float(start_kbit)
        self.video = True
        self.min_rtt = math.inf
        self.hold_s = RESUME_HOLD_S
        self._good_since: float | None = None
        self._resumed_at = -math.inf
        self._calm = 0
        self._last_rtt: float | None = None
        self._last_loss = 0.0
        self._heard_at = -math.inf

    def update(
        self,
        *,
        sent_kbit: float,
        loss: float | None,
        rtt: float | None,
        now: float,
    ) -> Plan:
        """``loss`` and ``rtt``: from the reports new since the last update (None: none)."""
        if rtt is not None and rtt > 0:
            self.min_rtt = min(self.min_rtt, rtt)
        # aiortc smooths the round trip: a queue shows as a round trip high and rising
        rising = rtt is not None and self._last_rtt is not None and rtt > self._last_rtt
        self._last_rtt = rtt if rtt is not None else self._last_rtt
        if loss is not None:
            self._last_loss, self._heard_at = loss, now
        # (the browser's REMB is no help: it follows what it receives, and aiortc does not
        # probe for more)
        congested = (loss is not None and loss > 0.15) or (
            rising and rtt is not None and rtt > self.min_rtt + 0.15
        )
        if self._calm > 0:
            self._calm -= 1
        elif congested:
            # what was sent, less; halved at most (a sender the camera limits sent little)
            self.kbit = max(min(self.kbit, sent_kbit) * 0.85, self.kbit / 2)
            self._calm = 3
        elif (loss is not None or now - self._heard_at < 6.0) and (
            loss if loss is not None else self._last_loss
        ) < 0.02:
            # (a voice alone is reported on every few seconds: the last word holds a while)
            self.kbit = self.kbit * 1.08 + 4
        self.kbit = max(16.0, min(self.kbit, MAX_KBIT))
        if self.video and self.kbit < FLOOR_KBIT:
            self.video = False
            self._good_since = None
            if now - self._resumed_at < 20.0:
                self.hold_s = min(self.hold_s * 2, 20.0)
        elif not self.video:
            if self.kbit >= RESUME_KBIT:
                self._good_since = now if self._good_since is None else self._good_since
                if now - self._good_since >= self.hold_s:
                    self.video = True
                    self._resumed_at = now
            else:
                self._good_since = None
        if self.video and now - self._resumed_at > 30.0:
            self.hold_s = RESUME_HOLD_S
        return Plan.for_estimate(self.kbit, video=self.video)


class VoiceOpusEncoder(OpusEncoder):
    """aiortc's Opus at a speech bitrate (its own sends 96 kbit/s, more than a weak 4G)."""

    def __init__(self) -> None:
        super().__init__()
        self.codec.bit_rate = VOICE_BPS


class BodySoundOpusEncoder(OpusEncoder):
    """Opus for the stethoscope: the "audio" application, whose encoder has no speech
    high-pass filter (aiortc's "voip" one takes several dB off heart sounds at 50 Hz), at a
    bitrate that keeps 20-1,000 Hz whole."""

    def __init__(self) -> None:
        super().__init__()
        self.codec.bit_rate = STETHOSCOPE_BPS
        self.codec.options = {"application": "audio"}


def _set_encoder(sender: RTCRtpSender, encoder: OpusEncoder, what: str) -> None:
    """aiortc makes its encoder at the first frame unless one is there: set here (a private
    member of aiortc 1.x; if it is gone, the track keeps aiortc's own encoder, logged)."""
    name = "_RTCRtpSender__encoder"
    if getattr(sender, name, "missing") is None:
        setattr(sender, name, encoder)
    else:
        log.warning("call: aiortc's sender changed, the %s keeps aiortc's own encoder", what)


def speak_low(sender: RTCRtpSender) -> None:
    """The voice of ``sender`` (an Opus sender, before its first frame) at :data:`VOICE_BPS`."""
    _set_encoder(sender, VoiceOpusEncoder(), "voice")


def listen_whole(sender: RTCRtpSender) -> None:
    """The stethoscope's sender (before its first frame): :class:`BodySoundOpusEncoder`."""
    _set_encoder(sender, BodySoundOpusEncoder(), "stethoscope")


class AdaptiveVideo(MediaStreamTrack):
    """The cabin's camera as the link allows: scaled to the plan's size, thinned to its
    frame rate, and no frame at all while the plan is the voice alone."""

    kind = "video"

    def __init__(self, source: MediaStreamTrack) -> None:
        super().__init__()
        self.source = source
        self.plan = Plan.for_estimate(MAX_KBIT)
        self._next_at = 0.0
        self.frames_sent = 0

    async def recv(self) -> av.VideoFrame:
        while True:
            try:
                frame = await self.source.recv()
            except MediaStreamError:
                self.stop()
                raise
            plan = self.plan
            if not plan.video:
                continue  # read and dropped: the camera's own pace keeps this loop idle
            now = time.monotonic()
            if now < self._next_at:
                continue
            self._next_at = max(now, self._next_at) + 1 / plan.fps - 0.005
            assert isinstance(frame, av.VideoFrame)
            if (frame.width, frame.height) != (plan.width, plan.height):
                scaled = frame.reformat(width=plan.width, height=plan.height)
                scaled.pts, scaled.time_base = frame.pts, frame.time_base
                frame = scaled
            self.frames_sent += 1
            return frame

    def stop(self) -> None:
        super().stop()
        self.source.stop()


class Governor:
    """Each second, for one peer connection: the senders' stats in, a plan out to the video
    track and, when the picture changes, to ``on_change``."""

    def __init__(
        self,
        pc: RTCPeerConnection,
        video: AdaptiveVideo | None,
        on_change: Callable[[Plan], None],
        *,
        every_s: float = 1.0,
        start: Plan | None = None,
    ) -> None:
        """``start``: where the last peer connection of the call left off (a call rebuilt on
        a weak link does not start from the best picture)."""
        self.pc, self.video, self.on_change, self.every_s = pc, video, on_change, every_s
        self.estimator = Estimator(start_kbit=start.kbit if start else MAX_KBIT)
        self.estimator.video = start.video if start else True
        self.plan = start or Plan.for_estimate(MAX_KBIT)
        if video is not None:
            video.plan = self.plan
        #: The latest estimate (kbit/s), each second.
        self.kbit = MAX_KBIT
        self._bytes: dict[str, int] = {}
        self._reports: dict[str, tuple[int, int]] = {}

    async def run(self) -> None:
        while self.pc.connectionState not in ("closed", "failed"):
            await asyncio.sleep(self.every_s)
            try:
                sample = await self._sample()
            except Exception as exc:  # a closing connection's stats may fail
                log.debug("call: no stats this second (%s)", type(exc).__name__)
                continue
            self.step(sample)

    async def _sample(self) -> tuple[float, float | None, float | None]:
        """(kbit/s sent since the last sample, the worst share lost and the longest round
        trip in the reports new since then). aiortc keeps a sender's last report: one whose
        counts have not moved (a video sending nothing) is old news, left out."""
        sent = lost = total = 0
        rtts: list[float] = []
        for sender in self.pc.getSenders():
            report = await sender.getStats()
            for stats in report.values():
                if isinstance(stats, RTCOutboundRtpStreamStats):
                    before = self._bytes.get(stats.id, stats.bytesSent)
                    sent += stats.bytesSent - before
                    self._bytes[stats.id] = stats.bytesSent
                elif isinstance(stats, RTCRemoteInboundRtpStreamStats):
                    counts = (stats.packetsLost, stats.packetsLost + stats.packetsReceived)
                    last = self._reports.get(stats.id)
                    self._reports[stats.id] = counts
                    if last is None or last == counts:
                        continue
                    # counted between two reports, not RTCP's 8-bit fraction (which a
                    # retransmission can make nonsense of)
                    lost += max(0, counts[0] - last[0])
                    total += max(0, counts[1] - last[1])
                    if stats.roundTripTime:
                        rtts.append(stats.roundTripTime)
        return (
            sent * 8 / 1000 / self.every_s,
            min(1.0, lost / total) if total >= 20 else None,
            max(rtts) if rtts else None,
        )

    def step(self, sample: tuple[float, float | None, float | None]) -> Plan:
        sent_kbit, loss, rtt = sample
        log.debug("call: sent %.0f kbit/s, loss %s, rtt %s", sent_kbit, loss, rtt)
        plan = self.estimator.update(sent_kbit=sent_kbit, loss=loss, rtt=rtt, now=time.monotonic())
        if self.video is not None:
            self.video.plan = plan
        self.kbit = plan.kbit
        changed = not plan.same_picture(self.plan)
        self.plan = plan
        if changed:
            log.info(
                "call: network %d kbit/s, %s",
                plan.kbit,
                f"video {plan.width}x{plan.height}@{plan.fps}" if plan.video else "voice only",
            )
            self.on_change(plan)
        return plan
