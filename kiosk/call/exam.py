"""The call's examination instruments: the exam camera and the stethoscope as extra tracks
that the doctor switches on and off (``exam_on``/``exam_off`` on the data channel, answered
by ``exam_state``).

**Pre-negotiated transceivers, not renegotiation.** Each peer connection's offer carries one
``sendonly`` video and one ``sendonly`` audio transceiver per configured instrument, with no
track; switching on puts a track on its sender (``replaceTrack``), switching off takes it
away. Why: aiortc sends its candidates only in the SDP and has no ICE restart, and an offer
goes through the portal's signalling under one call id with one answer; a renegotiation
would need a new offer/answer round (and its glare rules) through the portal while the call
runs, and would put the face camera and the doctor's voice at risk each time the doctor
switches the otoscope on. Pre-negotiated, switching costs nothing but opening the device,
and an empty sender sends nothing (no bandwidth, no encoder).

The stethoscope track is the device's samples at 48 kHz, repacked only (no echo
cancellation, noise suppression or gain control: :mod:`drivers.media.live`); while it is
on, the cabin's loudspeaker is muted so no sound reaches the chest piece. A device that is
absent, or goes away during the exam, is told to the doctor (``exam_state`` with ``on``
false and why); the call goes on.

A **still** (``still_request``) is a JPEG at the camera's full resolution: the frame being
sent when the camera is on, else one grabbed by opening it (:mod:`drivers.media.capture`).
It is kept in the session's tmpfs spool (:class:`kiosk.exam.ExamFiles`) and sent to the
doctor in ``exam_still`` pieces on the data channel, never through the portal.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from aiortc import MediaStreamTrack

import protocol
from kiosk.config import Config
from kiosk.errors import PrivacyError
from kiosk.exam import ExamFiles, ExamGuide
from protocol import ErrorCode, ProtocolError

if TYPE_CHECKING:
    from aiortc import RTCPeerConnection, RTCRtpSender

    from drivers.media.live import SourceTrack
    from drivers.media.speaker import Speaker
    from kiosk.privacy import Spool
    from kiosk.tasks import Tasks

log = logging.getLogger(__name__)

#: The stream each instrument sends, in the order of their transceivers.
KINDS = {"exam_camera": "video", "stethoscope": "audio"}
#: Seconds allowed to open an instrument and read its first frame.
OPEN_TIMEOUT_S = 8.0
#: Seconds allowed to grab a still from a camera that is off (open, settle, one frame).
STILL_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class StillPicture:
    """A still of the exam camera: the JPEG and its size in pixels."""

    jpeg: bytes
    width: int
    height: int


class _Tap(MediaStreamTrack):
    """A track passing ``inner``'s frames on, keeping the last (the still's frame)."""

    def __init__(self, inner: MediaStreamTrack) -> None:
        super().__init__()
        self.kind = inner.kind
        self.inner = inner
        self.last: Any = None

    async def recv(self) -> Any:
        frame = await self.inner.recv()
        self.last = frame
        return frame

    def stop(self) -> None:
        self.inner.stop()
        super().stop()


@dataclass(frozen=True)
class ExamState:
    """Where an instrument stands: ``on`` or not; ``detail`` says what it gives ("1280×720
    at 30 fps", and what differs from its URL) or why it is off ("" when switched off)."""

    instrument: str
    on: bool
    detail: str = ""


class ExamInstruments:
    """The configured instruments (``name -> media URL``) of one cabin's calls.

    ``mute_speaker(bool)``: the loudspeaker, muted while the stethoscope is on.
    ``tell(ExamState)``: where each change goes (the data channel, the patient's screen).
    """

    def __init__(
        self,
        urls: dict[str, str],
        *,
        mute_speaker: Callable[[bool], None] = lambda muted: None,
        tell: Callable[[ExamState], None] = lambda state: None,
    ) -> None:
        unknown = set(urls) - set(KINDS)
        if unknown:
            raise ValueError(f"no such instrument: {', '.join(sorted(unknown))}")
        self.urls = dict(urls)
        self.mute_speaker, self.tell = mute_speaker, tell
        self.states = {name: ExamState(name, False) for name in self.urls}
        self._senders: dict[str, RTCRtpSender] = {}
        self._tracks: dict[str, SourceTrack] = {}
        self._taps: dict[str, _Tap] = {}
        self._locks = {name: asyncio.Lock() for name in self.urls}
        #: Where the session's stills are kept (the cabin's spool; None: not kept).
        self.spool: Spool | None = None
        self._files: ExamFiles | None = None
        self._files_session = ""

    @classmethod
    def from_config(cls, cfg: Config) -> ExamInstruments:
        """The instruments of ``[devices.exam_camera]`` and ``[devices.stethoscope]``."""
        return cls({name: media.url for name, media in cfg.media.items()})

    def attach(self, pc: RTCPeerConnection) -> None:
        """Add the instruments' empty ``sendonly`` transceivers to a new peer connection
        (before its offer); each later one starts with every instrument off."""
        from aiortc import RTCRtpSender

        self.detach()
        for name, kind in KINDS.items():
            if name not in self.urls:
                continue
            transceiver = pc.addTransceiver(kind, direction="sendonly")
            if kind == "video":
                codecs = RTCRtpSender.getCapabilities("video").codecs
                vp8 = [c for c in codecs if c.mimeType in ("video/VP8", "video/rtx")]
                transceiver.setCodecPreferences(vp8)
            elif name == "stethoscope":
                from kiosk.call.bandwidth import listen_whole

                listen_whole(transceiver.sender)
            self._senders[name] = transceiver.sender

    def detach(self) -> None:
        """The peer connection ended: every instrument released and off."""
        for name in list(self._tracks):
            self._release(name)
        self._senders.clear()
        self.states = {name: ExamState(name, False) for name in self.urls}

    async def switch(self, name: str, on: bool) -> ExamState:
        """Switch ``name`` on (open it, send it) or off; the new state, also told."""
        if name not in self.urls:
            state = ExamState(name, False, "not in this cabin")
            self.tell(state)
            return state
        async with self._locks[name]:
            if on and name not in self._tracks:
                state = await self._open(name)
            elif not on:
                self._release(name)
                state = ExamState(name, False)
            else:
                state = self.states[name]
            self.states[name] = state
        self.tell(state)
        return state

    async def _open(self, name: str) -> ExamState:
        from drivers.media.live import SourceTrack
        from drivers.media.sources import open_source
        from drivers.media_urls import MediaSourceError

        sender = self._senders.get(name)
        if sender is None:
            return ExamState(name, False, "no call")
        kind = KINDS[name]
        try:
            source = await asyncio.wait_for(
                asyncio.to_thread(open_source, self.urls[name], kind=kind, device=name),  # type: ignore[arg-type]
                OPEN_TIMEOUT_S,
            )
        except MediaSourceError as exc:
            log.warning("exam %s: cannot switch on (%s)", name, exc.reason)
            return ExamState(name, False, f"{exc} [{exc.reason}]")
        except TimeoutError:
            log.warning("exam %s: did not open in %.0f s", name, OPEN_TIMEOUT_S)
            return ExamState(name, False, f"{name}: did not open in {OPEN_TIMEOUT_S:g} s [no_data]")
        if self._senders.get(name) is not sender:  # the call ended meanwhile
            source.close()
            return ExamState(name, False)
        track = SourceTrack(source, device=name, on_ended=lambda t: self._lost(name, t))
        self._tracks[name] = track
        self._taps[name] = tap = _Tap(track)
        sender.replaceTrack(tap)
        if name == "stethoscope":
            self.mute_speaker(True)
        log.info("exam %s: on (%s)", name, source.format)
        detail = str(source.format) + (f"; {source.notice}" if source.notice else "")
        return ExamState(name, True, detail)

    def _release(self, name: str) -> None:
        track = self._tracks.pop(name, None)
        self._taps.pop(name, None)
        sender = self._senders.get(name)
        if sender is not None:
            sender.replaceTrack(None)
        if track is not None:
            track.stop()
            log.info("exam %s: off", name)
        if name == "stethoscope":
            self.mute_speaker(False)

    async def still(self) -> StillPicture:
        """A JPEG of the exam camera at its full resolution; raises :class:`ProtocolError`
        (``not_found``: no camera, or it does not open or give a picture)."""
        from drivers.media.capture import grab_still, jpeg_bytes
        from drivers.media_urls import MediaSourceError

        if "exam_camera" not in self.urls:
            raise ProtocolError(ErrorCode.NOT_FOUND, "no exam camera in this cabin")
        tap = self._taps.get("exam_camera")
        frame = tap.last if tap is not None else None
        try:
            if frame is not None:  # on: the picture the doctor sees, at its full size
                jpeg = await asyncio.to_thread(jpeg_bytes, frame)
                return StillPicture(jpeg, frame.width, frame.height)
            got = await asyncio.to_thread(
                grab_still, self.urls["exam_camera"], device="exam_camera", timeout=STILL_TIMEOUT_S
            )
        except MediaSourceError as exc:
            log.warning("exam still: none (%s)", exc.reason)
            raise ProtocolError(ErrorCode.NOT_FOUND, f"exam camera: {exc.reason}") from exc
        return StillPicture(got.jpeg, got.format.width, got.format.height)

    def keep(self, session_id: str, jpeg: bytes) -> None:
        """Keep the still in the session's spool (nothing written without a spool)."""
        if self.spool is None or not session_id:
            return
        if self._files is None or self._files_session != session_id:
            self._files, self._files_session = ExamFiles(self.spool, session_id), session_id
        self._files.save_still(jpeg)

    def _lost(self, name: str, track: SourceTrack) -> None:
        """A device failed or went away during the exam: off, and everyone told."""
        if self._tracks.get(name) is not track:
            return
        self._release(name)
        state = ExamState(name, False, f"{name}: {track.problem} [ended]")
        self.states[name] = state
        self.tell(state)


class ExamMixin:
    """The exam half of :class:`~kiosk.call.peer.CabinCall`: ``exam_on``/``exam_off`` from
    the doctor's page switch an instrument (acknowledged at once), ``exam_state`` answers."""

    call_id: str
    session_id: str
    _left: bool
    _tasks: Tasks
    #: The cabin's instruments (None: the cabin has none; no transceivers are offered).
    exam: ExamInstruments | None

    if TYPE_CHECKING:  # the data channel's, after this in the call's bases

        def _send_data(self, msg_type: str, **fields: Any) -> bool: ...

        def _refuse(self, exc: ProtocolError, ref: str = "") -> None: ...

        def _check_session(self, session_id: str, ref: str) -> None: ...

    def _init_exam(self, exam: ExamInstruments | None, speaker: Speaker | None) -> None:
        self.exam = exam
        self._still_busy = False
        #: The guidance the doctor gives, and the session it was given in.
        self._guide = ("", ExamGuide())
        if exam is not None:
            exam.tell = self._tell_exam
            if speaker is not None:
                exam.mute_speaker = speaker.mute

    def _exam(self, msg: dict[str, Any]) -> bool:
        if msg["type"] == "still_request":
            return self._still_request(msg)
        if msg["type"] in ("exam_guide", "exam_phrase"):
            self._take_guide(msg)
            return False
        if self.exam is None:
            self._tell_exam(ExamState(msg["instrument"], False, "not in this cabin"))
        else:
            switch = self.exam.switch(msg["instrument"], msg["type"] == "exam_on")
            self._tasks.spawn(switch, "call-exam")
        return False

    def _tell_exam(self, state: ExamState) -> None:
        log.info("call %s: exam %s %s", self.call_id, state.instrument, "on" if state.on else "off")
        self._send_data("exam_state", instrument=state.instrument, on=state.on, detail=state.detail)

    def _still_request(self, msg: dict[str, Any]) -> bool:
        """A still for the doctor: its pieces, then the ack (or why not), come later."""
        self._check_session(msg["session_id"], "still_request")
        if self._still_busy:
            raise ProtocolError(ErrorCode.BUSY, "a still is being taken", ref="still_request")
        self._still_busy = True
        self._tasks.spawn(self._send_still(str(msg.get("id", ""))), "call-exam-still")
        return True

    async def _send_still(self, msg_id: str) -> None:
        session_id = self.session_id
        try:
            if self.exam is None:
                raise ProtocolError(ErrorCode.NOT_FOUND, "no exam camera in this cabin")
            still = await self.exam.still()
            if session_id != self.session_id:
                return  # the session ended meanwhile: nothing of it goes out any more
            self.exam.keep(session_id, still.jpeg)
        except PrivacyError as exc:
            self._refuse(ProtocolError(ErrorCode.TOO_LARGE, str(exc)), ref=msg_id)
            return
        except ProtocolError as exc:
            self._refuse(exc, ref=msg_id or "still_request")
            return
        finally:
            self._still_busy = False
        size = protocol.exam.STILL_CHUNK_BYTES
        pieces = [still.jpeg[at : at + size] for at in range(0, len(still.jpeg), size)]
        if len(pieces) > protocol.exam.MAX_STILL_CHUNKS:
            self._refuse(ProtocolError(ErrorCode.TOO_LARGE, "the still is too large"), ref=msg_id)
            return
        for index, piece in enumerate(pieces):
            sent = self._send_data(
                "exam_still",
                session_id=session_id,
                ref=msg_id[:64] or "still",
                index=index,
                chunks=len(pieces),
                width=still.width,
                height=still.height,
                data=base64.b64encode(piece).decode("ascii"),
            )
            if not sent:
                return  # the link dropped: the page gives up on this still and says so
        log.info("call %s: exam still sent (%d bytes)", self.call_id, len(still.jpeg))
        if msg_id:
            self._send_data("ack", id=msg_id)

    @property
    def exam_guide(self) -> ExamGuide:
        """What the patient's screen shows of the exam (nothing outside the session)."""
        session, guide = self._guide
        if self._left or not session or session != self.session_id:
            guide = ExamGuide()
        states = self.exam.states if self.exam is not None else {}
        steth = states.get("stethoscope")
        # off with a reason: it failed (switched off on purpose, the reason is "")
        trouble = tuple(n for n, state in states.items() if not state.on and state.detail)
        return replace(guide, listening=bool(steth and steth.on), trouble=trouble)

    @property
    def exam_frame(self) -> Any:
        """The exam camera's last frame sent (None while off): the patient's preview."""
        if self.exam is None:
            return None
        tap = self.exam._taps.get("exam_camera")
        return tap.last if tap is not None else None

    def _take_guide(self, msg: dict[str, Any]) -> None:
        """The doctor picks the exam (``exam_guide``) or says a quick phrase."""
        if self._left or not self.session_id:
            raise ProtocolError(ErrorCode.WRONG_SESSION, "no patient in the cabin", ref=msg["type"])
        guide = self.exam_guide
        if msg["type"] == "exam_phrase":
            guide = replace(guide, phrase=msg["phrase"], said=guide.said + 1)
        else:
            exam, point = msg["exam"], msg.get("point", 0)
            points = protocol.exam.GUIDE_POINTS.get(exam, 0)
            if not (point == 0 if points == 0 else 1 <= point <= points):
                raise ProtocolError(
                    ErrorCode.BAD_FIELD, "no such point for that exam", ref="exam_guide"
                )
            guide = replace(guide, exam="" if exam == "none" else exam, point=point, phrase="")
        self._guide = (self.session_id, guide)
        log.info("call %s: exam guide %s", self.call_id, msg["type"])
