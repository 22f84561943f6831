"""What a call tells its readers: its status, the notices beside the session events, and its
content-free counters."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kiosk.prescriptions import FormVersion, GpReportReceived
from kiosk.session import Event


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
CallUpdate = (
    Event
    | StatusChanged
    | PrescriptionFormReceived
    | GpReportReceived
    | CheckedIn
    | ResumeRequested
)


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
