"""The call's data channel, the only way health data travels: identity, readings and
measurement states to the doctor; measurement requests, prescriptions, a resume after a
reconnection and documents (in chunks, checked) from the doctor. Every message from the page
is answered (``ack`` or ``error``), never raised out of the channel's callback."""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import itertools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiortc import RTCDataChannel

import protocol
from kiosk.call.options import CallOptions
from kiosk.call.updates import CallStats, CallUpdate, PrescriptionFormReceived, ResumeRequested
from kiosk.domain import Reading, ReadingKind
from kiosk.prescriptions import GpReportLedger, GpReportReceived, PrescriptionLedger
from kiosk.session import CallStaff, DocumentReceived, MeasurementRequested
from kiosk.tasks import Tasks
from protocol import ErrorCode, MeasuringReason, MeasuringState, ProtocolError, RateLimiter

log = logging.getLogger(__name__)

DATA_CHANNEL = "cabine"


@dataclass
class _Incoming:
    doc_id: str
    msg_id: str
    sha256: str
    size: int
    chunks: int
    parts: list[bytes] = field(default_factory=list)


class DataChannelMixin:
    """The data-channel half of :class:`~kiosk.call.peer.CabinCall`: it owns the channel's
    state; the call provides the members declared (not set) below."""

    session_id: str
    call_id: str
    stats: CallStats
    _identity: dict[str, Any] | None
    _left: bool
    _tasks: Tasks

    def _emit(self, update: CallUpdate) -> None:
        raise NotImplementedError

    async def _doctor_ended(self) -> None:
        raise NotImplementedError

    def _chat(self, msg: dict[str, Any]) -> bool:
        raise NotImplementedError

    def _exam(self, msg: dict[str, Any]) -> bool:
        raise NotImplementedError

    def _init_data_channel(self, options: CallOptions) -> None:
        self.quality = ""
        self._channel: RTCDataChannel | None = None
        self._outbox: list[str] = []
        self._ids = itertools.count(1)
        #: The nurse assisting this session (a mallette), told when the channel opens.
        self.assistance: dict[str, Any] | None = None
        self._incoming: dict[str, _Incoming] = {}
        self._limiter = RateLimiter(rate=options.data_rate, burst=options.data_burst)
        #: The last ``measuring`` state (and reason) sent per kind, this session: each
        #: change goes once.
        self._measuring: dict[ReadingKind, tuple[MeasuringState, str]] = {}
        #: This session's prescription forms: the latest is the one kept.
        self.prescriptions = PrescriptionLedger()
        #: The doctor of the session, as their page names them: (session id, name).
        self.doctor: tuple[str, str] = ("", "")
        #: This session's report for the GP: the latest version is the one kept.
        self.gp_reports = GpReportLedger()
        #: Ids of the measurement requests applied this session: the page sends one again
        #: when the link dropped before its ack, and it is acknowledged, not measured twice.
        self._applied: dict[str, None] = {}
        #: Whether a measurement runs at the cabin (the session binding's answer): a request
        #: then is refused as ``busy``, not acknowledged for nothing done.
        self.measuring: Callable[[], bool] = lambda: False
        #: The session's stored readings (the session binding's answer), for the FHIR bundle.
        self.session_readings: Callable[[], Sequence[Reading]] = lambda: ()
        #: The patient muted their microphone (``ChatMixin.mute_microphone``), and whether
        #: the page was told of a mute this session (a new channel is told again).
        self.microphone_muted = self.mute_told = False

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

    def gp_report_settled(self, received: GpReportReceived, error: ProtocolError | None) -> None:
        """The report was composed and kept (``error`` None), or refused: the page hears it."""
        if not received.msg_id:
            return
        if error is not None:
            self._refuse(error, ref=received.msg_id)
        else:
            self._send_data("ack", id=received.msg_id)

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

    def tell_cannot_hear(self) -> bool:
        """Tell the doctor's page the patient cannot hear them; False when the data channel
        is not open (nothing is queued: a stale "cannot hear" would only confuse)."""
        sent = self._send_data("cannot_hear")
        log.info(
            "call %s: the patient cannot hear the doctor (%s)",
            self.call_id,
            "told" if sent else "not told: no data channel",
        )
        return sent

    def _on_channel_open(self, channel: RTCDataChannel) -> None:
        if channel is not self._channel:
            return
        if self._identity is not None:
            self._send_data("identity", **self._identity)
        if self.assistance is not None:
            self._send_data("assistance", **self.assistance)
        if self.microphone_muted or self.mute_told:  # (unmuted during a drop: said too)
            self._send_data("mute", muted=self.microphone_muted)
        outbox, self._outbox = self._outbox, []
        for text in outbox:
            channel.send(text)

    def _send_data(self, msg_type: str, **fields: Any) -> bool:
        if msg_type not in ("ack", "error", "live") and "id" not in fields:
            fields["id"] = f"k{next(self._ids)}"
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
        elif kind == "doctor":  # named on the session's results sheet
            self._check_session(msg["session_id"], kind)
            self.doctor = (msg["session_id"], msg["name"].strip())
        elif kind == "gp_report":  # composed by the session's owner, answered when done
            version = self.gp_reports.admit("" if self._left else self.session_id, msg)
            self._emit(GpReportReceived(msg["report"], version, str(msg.get("id", ""))))
            return True
        elif kind == "resume":
            self._resume(msg)
        elif kind == "document":
            if "session_id" in msg:
                self._check_session(msg["session_id"], kind)
            return self._document_start(msg)
        elif kind == "document_chunk":
            self._document_chunk(msg)
        elif kind == "chat":
            return self._chat(msg)
        elif kind == "call_staff":
            self._emit(CallStaff())  # as if the patient pressed "call staff"
        elif kind in ("exam_on", "exam_off", "still_request", "exam_guide", "exam_phrase"):
            # kiosk.call.exam
            return self._exam(msg)
        elif kind == "fhir_request":
            self._check_session(msg["session_id"], kind)
            self._tasks.spawn(self._send_fhir(str(msg.get("id", ""))), "call-fhir-bundle")
            return True
        elif kind == "quality":
            self.quality = msg["level"]
        elif kind == "end":
            self._tasks.spawn(self._doctor_ended(), "call-end")
        elif kind == "ack":
            pass  # nothing is sent again: a reading the page lacks comes back by ``resume``
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
        self._tasks.spawn(self._document_checked(doc, pdf), "call-document-check")

    async def _send_fhir(self, msg_id: str) -> None:
        """The session's readings as a FHIR bundle (:mod:`kiosk.records`), in pieces, then
        the request's ack; or why not."""
        from kiosk.records.channel import fhir_messages

        session_id = self.session_id
        try:
            messages = await fhir_messages(
                session_id, self._identity, self.session_readings(), ref=msg_id
            )
        except ProtocolError as exc:
            self._refuse(exc, ref=msg_id or "fhir_request")
            return
        if session_id != self.session_id:
            return  # the session ended meanwhile: nothing of it goes out any more
        for fields in messages:
            self._send_data("fhir_bundle", **fields)
        if msg_id:
            self._send_data("ack", id=msg_id)

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
