"""The cabin's side of the consultation: one WebSocket to the portal, one WebRTC call (aiortc).

The kiosk is the offerer. Signalling (ids, SDP) goes through the portal; identity, readings,
measurement requests and documents only on the call's data channel. The call turns what the
doctor does into session events (:class:`~kiosk.session.DoctorJoined`, ...), read with
``async for update in call.updates()``. A dropped call is rebuilt as a new peer connection
(aiortc has no ICE restart) after a short grace time, a limited number of times.

Rooms: ``options`` (CallOptions, ICE and SDP helpers), ``portal_link`` (the WebSocket),
``waiting_room`` (check-in, staff call, booking codes), ``datachannel`` (the messages with the
doctor's page), ``peer`` (CabinCall: the peer connection, its status and updates), ``updates``
(what readers get), ``binding`` (the call wired to the session). The media tracks are
:mod:`drivers.media`'s.
"""

from kiosk.call.binding import SessionBinding
from kiosk.call.options import CallOptions, spread_candidates
from kiosk.call.peer import CabinCall
from kiosk.call.updates import (
    CallStatus,
    CallUpdate,
    CheckedIn,
    PrescriptionFormReceived,
    ResumeRequested,
    StatusChanged,
)

__all__ = [
    "CabinCall",
    "CallOptions",
    "CallStatus",
    "CallUpdate",
    "CheckedIn",
    "PrescriptionFormReceived",
    "ResumeRequested",
    "SessionBinding",
    "StatusChanged",
    "spread_candidates",
]
