"""The messages cabin, portal and doctor's page exchange: JSON objects with a ``type``.

Shared by the kiosk and the portal (which imports nothing of the kiosk): one schema
per type, a size cap per channel, a rate limiter. Anything that does not fit raises
:class:`ProtocolError` with a :class:`ErrorCode`, answered with an ``error`` message.

Two channels: the *signalling* WebSocket through the portal (no health data ever: ids, times,
SDP) and the call's *data* channel between cabin and doctor (identity, readings, documents).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

# the check-in's match key, used by the kiosk and the portal as ``protocol.match_key``
from protocol.checkin import checkin_key as checkin_key
from protocol.checkin import match_key as match_key
from protocol.checkin import normalise_birth_date as normalise_birth_date
from protocol.checkin import normalise_name as normalise_name
from protocol.doctors import doctors_schemas
from protocol.exam import exam_schemas
from protocol.network import network_schemas
from protocol.nurse import nurse_schemas

#: Largest signalling message (an SDP offer with three media sections is ~6 KiB).
MAX_SIGNAL_BYTES = 64 * 1024
#: Largest data-channel message; aiortc advertises max-message-size 65536.
MAX_DATA_BYTES = 60 * 1024
#: Raw PDF bytes per ``document_chunk`` (base64 makes it ~43 KiB, under the data cap).
DOCUMENT_CHUNK_BYTES = 32 * 1024
#: Largest document (PDF) carried on the data channel.
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
#: Longest string field (other than SDP and base64 chunks).
MAX_TEXT = 512
#: What the doctor may ask the cabin to measure (``ReadingKind`` values).
MEASUREMENT_KINDS = ("blood_pressure", "temperature", "weight", "spo2")
#: The examination instruments the doctor switches on and off (extra tracks of the call).
EXAM_INSTRUMENTS = ("exam_camera", "stethoscope")
#: Characters of a FHIR bundle's JSON text (ASCII) per ``fhir_bundle``: escaped again in the
#: message, they stay under :data:`MAX_DATA_BYTES`.
FHIR_CHUNK_CHARS = 24 * 1024
#: The most pieces one bundle is sent in (1.5 MB of JSON: thousands of readings).
MAX_FHIR_CHUNKS = 64
QUALITY_LEVELS = ("good", "fair", "poor")
CLOSE_REASONS = ("ended", "restart", "gone", "error", "timeout")


class MeasuringState(StrEnum):
    """Where a measurement the doctor asked for stands (``measuring``), sent once per change."""

    REQUESTED = "requested"  # the cabin took the request
    IN_PROGRESS = "in_progress"  # the instrument is measuring
    DONE = "done"  # its reading was sent
    FAILED = "failed"  # no reading: ``reason`` says why
    CANCELLED = "cancelled"  # stopped on purpose (call ended, session over, aborted)


class MeasuringReason(StrEnum):
    """Why a measurement failed, in words the doctor's page knows (only with ``failed``)."""

    NO_DEVICE = "no_device"  # no instrument of that kind in this cabin
    UNAVAILABLE = "unavailable"  # its driver cannot be used (set-up)
    UNPLUGGED = "unplugged"  # unplugged, or not found
    TIMEOUT = "timeout"  # no result in time
    DEVICE_ERROR = "device_error"  # the instrument refused or reported a failure
    BAD_DATA = "bad_data"  # what it sent could not be read
    NO_VALID_VALUE = "no_valid_value"  # it measured, but has no valid value (loose cuff...)


class ErrorCode(StrEnum):
    MALFORMED = "malformed"  # not JSON, not an object, no string ``type``
    TOO_LARGE = "too_large"
    UNKNOWN_TYPE = "unknown_type"
    BAD_FIELD = "bad_field"
    RATE_LIMITED = "rate_limited"
    UNAUTHORIZED = "unauthorized"
    STALE_CALL = "stale_call"
    TAKEN = "taken"
    NOT_FOUND = "not_found"
    BAD_DOCUMENT = "bad_document"
    #: a data-channel message written for another patient session than the cabin's current one
    WRONG_SESSION = "wrong_session"
    #: an older version of a prescription the doctor has since replaced
    SUPERSEDED = "superseded"
    #: a measurement asked while another one runs: not taken (ask again once it is over)
    BUSY = "busy"


class ProtocolError(ValueError):
    """A message that cannot be accepted; ``code`` says why, ``ref`` is its type if known.

    The text never quotes the message's content (it may carry health data).
    """

    def __init__(self, code: ErrorCode, detail: str, *, ref: str = "") -> None:
        super().__init__(f"{code.value}: {detail}")
        self.code = code
        self.detail = detail
        self.ref = ref


@dataclass(frozen=True)
class F:
    """One field of a schema: its JSON type, whether required, a size bound."""

    kind: type | tuple[type, ...]
    required: bool = True
    max_len: int = MAX_TEXT
    choices: tuple[str, ...] = ()


#: A written message from the doctor to the cabin's screen: a few lines, read at 2 m.
MAX_CHAT_TEXT = 280
#: The patient's preset answers to a written message (the screen translates them).
CHAT_ANSWERS = ("yes", "no", "cannot_hear", "repeat")
_ID = F(str, max_len=64)
_CALL = {"call_id": _ID}
_SDP = F(str, max_len=MAX_SIGNAL_BYTES)
_OPT_ID = F(str, required=False, max_len=64)
_MSG_ID = {"id": F(str, required=False, max_len=64)}
_EXAM = {**_MSG_ID, "instrument": F(str, choices=EXAM_INSTRUMENTS)}

Schema = Mapping[str, F]

#: Signalling messages, on the portal's WebSockets (cabin <-> portal <-> doctor).
SIGNAL_SCHEMAS: dict[str, Schema] = {
    # cabin -> portal
    "hello": {"cabin_id": _ID, "token": F(str, max_len=256)},
    "heartbeat": {
        # device id -> "ok", "missing", "fault", "unknown" (no patient data, ever)
        "devices": F(dict, required=False, max_len=64),
        "version": F(str, required=False, max_len=32),
        "uptime_s": F((int, float), required=False),
        # the printer: "idle", "printing", "stopped", "missing", "unknown", and CUPS's reason
        "printer": F(str, required=False, max_len=16),
        "printer_detail": F(str, required=False, max_len=120),
        # papers a printer fault kept for the staff: how many, since when (ISO UTC); never
        # the papers themselves
        "papers_held": F(int, required=False),
        "papers_since": F(str, required=False, max_len=40),
    },
    # how the staff's reprint went: "printed", "failed" (CUPS's reason in detail: what was
    # not printed stays held) or "nothing" (nothing held any more)
    "reprint_result": {
        "state": F(str, choices=("printed", "failed", "nothing")),
        "detail": F(str, required=False, max_len=120),
    },
    "checkin": {
        "session_id": _ID,
        "call_id": _OPT_ID,
        # the chosen beneficiary's match_key() under the welcome's checkin_key (no names)
        "match_key": F(str, required=False, max_len=64),
        # typed on screen when there is no card, or the card failed
        "booking_code": F(str, required=False, max_len=16),
    },
    # a typed booking code, checked before consent: the answer is a checked_in, but the
    # patient joins the waiting room only with the checkin that follows consent
    "check_code": {"session_id": _ID, "booking_code": F(str, max_len=16)},
    "checkout": {"session_id": _ID},
    # the patient pressed "call staff" (active), or no longer needs them (the session ended)
    "staff_call": {"active": F(bool)},
    "offer": {"call_id": _ID, "sdp": _SDP},
    "restart": _CALL,
    # portal -> cabin
    "welcome": {
        "heartbeat_s": F((int, float)),
        # STUN/TURN servers for the call, with short-lived TURN credentials
        "ice_servers": F(list, required=False, max_len=8),
        # this cabin's key of match keys (hex); absent when the portal has no appointments
        "checkin_key": F(str, required=False, max_len=64),
        # with appointments: whether this cabin also sees patients without one
        "walk_ins": F(bool, required=False),
    },
    # the answer to a checkin: the appointment found (its slot), or none
    "checked_in": {
        "session_id": _ID,
        "booked": F(bool),
        "slot_start": F(str, required=False, max_len=40),
        # no appointment: whether the patient waits as a walk-in, else where to book
        "walk_in": F(bool, required=False),
        "booking_site": F(str, required=False),
        # why no appointment was found: "none", "bad_code", "rate_limited", "unavailable"
        "reason": F(str, required=False, max_len=32),
    },
    "call": {"call_id": _ID, "session_id": _ID},
    # the staff pressed "Reprint now": print the held papers from the cabin's own copy
    "reprint": {},
    # about the cabin's staff call: "received" (shown on the staff and doctors' pages), or
    # "coming" (someone on site said they are on their way; ``by``: their display name)
    "staff_answer": {
        "state": F(str, choices=("received", "coming")),
        "by": F(str, required=False, max_len=64),
    },
    # the patient's place in the waiting room (1 = next) and the expected wait; how many
    # doctors are logged in (0: none on duty), whether the cabin is within its opening hours
    # (absent: it has none), and where to book instead of waiting
    "queue": {
        "session_id": _ID,
        "position": F(int),
        "estimate_s": F((int, float)),
        "doctors": F(int, required=False),
        "open": F(bool, required=False),
        "booking_site": F(str, required=False, max_len=200),
    },
    # doctor -> portal
    "take": {"session_id": _ID},
    "answer": {"call_id": _ID, "sdp": _SDP},
    # portal -> doctor
    "waiting_room": {
        "patients": F(list, max_len=500),
        "cabins": F(list, max_len=500),
        "patients_total": F(int, required=False),  # a region's: the totals (room_view)
        "cabins_total": F(int, required=False),
        "cabins_online": F(int, required=False),
    },
    "taken": {"session_id": _ID, "call_id": _ID},
    # both ways
    "hangup": {"call_id": _ID, "reason": F(str, required=False, choices=CLOSE_REASONS)},
    "ping": {},
    "pong": {},
    "error": {
        "code": F(str, choices=tuple(ErrorCode)),
        "message": F(str, required=False),
        "ref": F(str, required=False, max_len=64),
    },
}

#: Data-channel messages, cabin <-> doctor's browser only (DTLS); never through the portal.
DATA_SCHEMAS: dict[str, Schema] = {
    # cabin -> doctor
    "identity": {
        **_MSG_ID,
        "last_name": F(str, max_len=128),
        "first_name": F(str, max_len=128),
        "birth_date": F(str, max_len=8),
        "nir": F(str, required=False, max_len=15),
        "consent_time": F(str, required=False, max_len=40),
        "session_id": F(str, required=False, max_len=64),
        # "booking_code": no card was read (names empty): the doctor checks an ID document
        # and types the identity in the prescription form
        "source": F(str, required=False, choices=("card", "booking_code", "walk_in")),
    },
    # ``seq``: the reading's number in the session (1, 2...): the page keeps each once, and
    # says which it holds after a reconnection (``resume``)
    "reading": {**_MSG_ID, "reading": F(dict, max_len=32), "seq": F(int, required=False)},
    # a measurement's state, once per change; ``reason`` with ``failed`` only
    "measuring": {
        **_MSG_ID,
        "kind": F(str, choices=MEASUREMENT_KINDS),
        "state": F(str, choices=tuple(MeasuringState)),
        "reason": F(str, required=False, choices=tuple(MeasuringReason)),
    },
    # what an instrument shows while it measures (cuff pressure as it inflates, a finger out
    # of the oximeter, an unstable weight): an intermediate reading, for the page's live
    # line and curve; not kept, not numbered, not acknowledged (no ``id``)
    "live": {"reading": F(dict, max_len=32)},
    # the patient pressed "I can't hear the doctor" in the cabin (the page says so)
    "cannot_hear": {**_MSG_ID},
    # the session's readings as a FHIR R4 bundle, answering the page's ``fhir_request``
    # (``ref``): its JSON text in ``chunks`` pieces, in order; the request's ack follows them
    "fhir_bundle": {
        **_MSG_ID,
        "session_id": _ID,
        "ref": _ID,
        "index": F(int),
        "chunks": F(int),
        "data": F(str, max_len=FHIR_CHUNK_CHARS),
    },
    # the patient's microphone, muted or not from the cabin's screen (the page shows it)
    "mute": {**_MSG_ID, "muted": F(bool)},
    # the patient's answer to the doctor's written message: one of the screen's presets
    "chat_answer": {**_MSG_ID, "answer": F(str, choices=CHAT_ANSWERS)},
    # doctor -> cabin
    "measure": {**_MSG_ID, "kind": F(str, choices=MEASUREMENT_KINDS)},
    # the doctor asks for the session's readings as a FHIR bundle, to download
    "fhir_request": {**_MSG_ID, "session_id": _ID},
    # a message the doctor writes, shown large on the cabin's screen (a hard-of-hearing
    # patient); acknowledged once shown, refused when no call screen shows it
    "chat": {**_MSG_ID, "text": F(str, max_len=MAX_CHAT_TEXT)},
    # "call the site's staff" from the call: raised as the patient's own "call staff"
    "call_staff": {**_MSG_ID},
    # the doctor switches an instrument on or off; the cabin answers ``exam_state``: ``on`` or
    # not, and in ``detail`` what it gives ("1280×720 at 30 fps") or why it is off
    "exam_on": _EXAM,
    "exam_off": _EXAM,
    "exam_state": {**_EXAM, "on": F(bool), "detail": F(str, required=False)},
    # the form is bound to the session it was written for; ``rx_id`` names the form of that
    # session and ``version`` grows with each "edit and resend": the cabin prints the latest.
    # ``form``: prescriber, date, patient (weight; the identity only without a card) and
    # ``lines`` of {medicine, dose, duration, renewals, non_substitutable, ald}, checked field
    # by field at the cabin (kiosk.documents.inputs): any ALD line makes the paper a bizone
    "prescription": {
        **_MSG_ID,
        "session_id": _ID,
        "rx_id": _ID,
        "version": F(int),
        "form": F(dict, max_len=64),
    },
    # who the doctor is, sent by the page when the data channel opens: the patient's papers
    # (the results sheet) name the doctor of the consultation
    "doctor": {
        **_MSG_ID,
        "session_id": _ID,
        "name": F(str, max_len=200),
        "rpps": F(str, required=False, max_len=20),
    },
    # the doctor's report for the patient's GP, printed in the cabin as its own page: bound to
    # the session; a later ``version`` replaces the earlier (it prints once, at the end).
    # ``report``: reason, findings, advice, follow_up (text as written) and doctor {name,
    # rpps, signature}; acknowledged once composed, refused with the field at fault
    "gp_report": {**_MSG_ID, "session_id": _ID, "version": F(int), "report": F(dict, max_len=8)},
    # a new data channel (after a reconnection): the session's readings the page holds, by
    # ``seq``; the cabin sends the others again, and where each measurement stands
    "resume": {**_MSG_ID, "session_id": _ID, "readings": F(list, max_len=1000)},
    "document": {
        **_MSG_ID,
        "session_id": _OPT_ID,
        "doc_id": _ID,
        "kind": F(str, choices=("uploaded_prescription",)),
        "sha256": F(str, max_len=64),
        "size": F(int),
        "chunks": F(int),
    },
    "document_chunk": {
        **_MSG_ID,
        "doc_id": _ID,
        "index": F(int),
        "data": F(str, max_len=MAX_DATA_BYTES),
    },
    # both ways
    "quality": {**_MSG_ID, "level": F(str, choices=QUALITY_LEVELS)},
    "end": {**_MSG_ID, "reason": F(str, required=False, max_len=64)},
    "ack": {"id": _ID},
    "error": SIGNAL_SCHEMAS["error"],
}
DATA_SCHEMAS.update(exam_schemas(F, msg_id=_MSG_ID, an_id=_ID))  # protocol.exam
DATA_SCHEMAS.update(network_schemas(F, msg_id=_MSG_ID))  # protocol.network
DATA_SCHEMAS.update(nurse_schemas(F, msg_id=_MSG_ID))  # protocol.nurse: who assists
# protocol.doctors: the nurse calls one doctor (the list; a checkin naming them)
_DOCTORS, _DIRECT_CHECKIN, _DIRECT_QUEUE = doctors_schemas(F, an_id=_ID)
SIGNAL_SCHEMAS.update(_DOCTORS)
SIGNAL_SCHEMAS["checkin"] = {**SIGNAL_SCHEMAS["checkin"], **_DIRECT_CHECKIN}
SIGNAL_SCHEMAS["queue"] = {**SIGNAL_SCHEMAS["queue"], **_DIRECT_QUEUE}


def _check_field(msg_type: str, name: str, spec: F, value: Any) -> None:
    kinds = spec.kind if isinstance(spec.kind, tuple) else (spec.kind,)
    # bool is an int in Python: accepted only where the schema says bool
    if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
        names = "/".join(k.__name__ for k in kinds)
        raise ProtocolError(ErrorCode.BAD_FIELD, f"{name!r} must be {names}", ref=msg_type)
    if isinstance(value, float) and not math.isfinite(value):
        raise ProtocolError(ErrorCode.BAD_FIELD, f"{name!r} must be finite", ref=msg_type)
    if isinstance(value, str | list | dict) and len(value) > spec.max_len:
        raise ProtocolError(ErrorCode.BAD_FIELD, f"{name!r} is too long", ref=msg_type)
    if spec.choices and value not in spec.choices:
        raise ProtocolError(ErrorCode.BAD_FIELD, f"{name!r} has an unknown value", ref=msg_type)


def _check_encodable(message: dict[str, Any]) -> None:
    """Every text in ``message`` (keys too) is valid UTF-8 and every number finite."""
    pending: list[Any] = [message]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    raise ProtocolError(
                        ErrorCode.MALFORMED, "text that is not valid UTF-8"
                    ) from None
        elif isinstance(value, dict):
            pending.extend(value)
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, float) and not math.isfinite(value):
            raise ProtocolError(ErrorCode.BAD_FIELD, "a number that is not finite")


def validate(
    message: Any, schemas: Mapping[str, Schema], *, extra_ok: bool = False, _encoding: bool = False
) -> dict[str, Any]:
    """Check one decoded message against ``schemas``; returns it (a dict) or raises.

    Whatever it accepts encodes again (UTF-8 JSON without NaN): a peer's lone surrogate
    (``"\\ud800"``, valid JSON) would otherwise raise at the first re-encode, far from here.
    """
    if not isinstance(message, dict):
        raise ProtocolError(ErrorCode.MALFORMED, "a message is a JSON object")
    if not _encoding:  # (one being encoded: the encoder itself refuses, see _encode)
        _check_encodable(message)
    msg_type = message.get("type")
    if not isinstance(msg_type, str) or not msg_type:
        raise ProtocolError(ErrorCode.MALFORMED, "a message has a string 'type'")
    schema = schemas.get(msg_type)
    if schema is None:
        raise ProtocolError(ErrorCode.UNKNOWN_TYPE, "unknown message type", ref=msg_type[:64])
    for name, spec in schema.items():
        if name in message:
            _check_field(msg_type, name, spec, message[name])
        elif spec.required:
            raise ProtocolError(ErrorCode.BAD_FIELD, f"{name!r} is required", ref=msg_type)
    if not extra_ok:
        unknown = set(message) - set(schema) - {"type"}
        if unknown:
            raise ProtocolError(ErrorCode.BAD_FIELD, "unknown fields", ref=msg_type)
    return message


def decode(raw: str | bytes, schemas: Mapping[str, Schema], *, max_bytes: int) -> dict[str, Any]:
    """Size-check, parse and validate one raw message."""
    size = len(raw.encode("utf-8")) if isinstance(raw, str) else len(raw)
    if size > max_bytes:
        raise ProtocolError(ErrorCode.TOO_LARGE, f"{size} bytes, at most {max_bytes}")
    try:
        message = json.loads(raw)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ProtocolError(ErrorCode.MALFORMED, "not JSON") from exc
    return validate(message, schemas)


def decode_signal(raw: str | bytes) -> dict[str, Any]:
    return decode(raw, SIGNAL_SCHEMAS, max_bytes=MAX_SIGNAL_BYTES)


def decode_data(raw: str | bytes) -> dict[str, Any]:
    return decode(raw, DATA_SCHEMAS, max_bytes=MAX_DATA_BYTES)


def _encode(schemas: Mapping[str, Schema], max_bytes: int, msg_type: str, **fields: Any) -> str:
    message = validate({"type": msg_type, **fields}, schemas, _encoding=True)
    # the encoder refuses what _check_encodable would, in one pass (a doctor's waiting room
    # goes to every doctor on every change: walking it twice cost as much as building it)
    try:
        text = json.dumps(message, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:
        raise ProtocolError(ErrorCode.BAD_FIELD, "a number that is not finite") from None
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise ProtocolError(ErrorCode.MALFORMED, "text that is not valid UTF-8") from None
    if size > max_bytes:
        raise ProtocolError(ErrorCode.TOO_LARGE, "message to send is too large", ref=msg_type)
    return text


def signal(msg_type: str, **fields: Any) -> str:
    """Encode a signalling message, validated as on arrival (a bug fails here, not there)."""
    return _encode(SIGNAL_SCHEMAS, MAX_SIGNAL_BYTES, msg_type, **fields)


def data(msg_type: str, **fields: Any) -> str:
    """Encode a data-channel message."""
    return _encode(DATA_SCHEMAS, MAX_DATA_BYTES, msg_type, **fields)


def error_fields(exc: ProtocolError) -> dict[str, Any]:
    """The fields of the ``error`` answering ``exc`` (no content of the bad message)."""
    return {"code": exc.code.value, "message": exc.detail[:MAX_TEXT], "ref": exc.ref[:64]}


class RateLimiter:
    """A token bucket: ``rate`` messages a second on average, bursts up to ``burst``."""

    def __init__(
        self,
        *,
        rate: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._last = clock()

    def allow(self) -> bool:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False

    def check(self, msg_type: str = "") -> None:
        """Like :meth:`allow` but raises ``ProtocolError(RATE_LIMITED)``."""
        if not self.allow():
            raise ProtocolError(ErrorCode.RATE_LIMITED, "too many messages", ref=msg_type)
