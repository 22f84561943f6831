"""What the screens read from the cabin core, as one typed surface: :class:`CabinView`.

:class:`kiosk.cabin.Cabin` satisfies it (mypy checks it there); ``ui.bridge`` reads it and
nothing else of the cabin, so a renamed member fails the type check instead of blanking a
screen.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from kiosk.config import Config
from kiosk.domain import Reading
from kiosk.exam import ExamGuide
from kiosk.services.doctors import DoctorChoice


@runtime_checkable
class CabinView(Protocol):
    """The cabin's figures and actions the screens show and offer, beyond the session.

    Read-only members may be plain attributes (a stand-in's); a cabin without a portal
    answers "none" (``""``, None, False) where the portal would have said.
    """

    @property
    def config(self) -> Config:
        """The cabin's configuration (a mallette's desk reads its form and time zone)."""

    @property
    def last_reading(self) -> Reading | None:
        """The last intermediate reading (cuff pressure while it inflates), for the screen."""

    @property
    def speaking(self) -> str:
        """Who is speaking in the call: ``doctor``, ``patient`` or ``""``."""

    @property
    def call_network(self) -> str:
        """What the call screen says of the link: ``reconnecting`` (no media, the call is
        kept or rebuilt), ``voice_only`` (the video stopped for the bandwidth), else ``""``."""

    @property
    def exam_guide(self) -> ExamGuide | None:
        """What the patient's screen shows of the exam the doctor leads (None: no call)."""

    @property
    def exam_frame(self) -> Any:
        """The exam camera's last frame sent to the doctor (None while it is off)."""

    @property
    def checkin_answer(self) -> dict[str, Any] | None:
        """The portal's answer to this session's check-in (booked and when, or where to
        book)."""

    @property
    def queue_position(self) -> int | None:
        """The patient's place in the waiting room (1 = next), when the portal said."""

    @property
    def queue_estimate_s(self) -> float | None:
        """The expected wait in the waiting room, in seconds, when the portal said."""

    @property
    def waiting_room_news(self) -> dict[str, Any]:
        """The portal's word on the waiting room, as far as it said: ``doctors`` on duty
        (int), ``open`` (bool: within the cabin's hours), ``booking_site`` (str, else the
        cabin's own); empty outside the waiting room."""

    @property
    def staff_call(self) -> str:
        """Where the patient's call for the staff stands: ``""``, ``calling``, ``coming`` or
        ``unreachable`` (:data:`kiosk.states.STAFF_CALL_STATES`)."""

    @property
    def takes_booking_codes(self) -> bool:
        """Whether a patient without a card may type a booking code here and now."""

    @property
    def takes_walk_ins(self) -> bool:
        """Whether a patient without card nor code may wait without an appointment here."""

    @property
    def booking_code_status(self) -> dict[str, Any] | None:
        """The check of the code typed in this session (``state``: ``checking``,
        ``accepted`` or ``refused``), None before any."""

    @property
    def ticks_session(self) -> bool:
        """Whether the cabin applies the session's time limits itself (then the screens'
        timer does not: the session has one clock)."""

    @property
    def papers_hold_minutes(self) -> int:
        """Minutes a printer fault's unprinted papers wait for the staff (0: not kept)."""

    @property
    def volume(self) -> int:
        """The level the doctor's voice plays at (``kiosk.call.volume``: 1 to VOLUME_MAX)."""

    def set_volume(self, level: int) -> int:
        """Play the doctor at ``level`` (clamped to the patient's levels); the level set."""

    def tell_cannot_hear(self) -> bool:
        """Tell the doctor the patient cannot hear them; False when it could not be sent."""

    def submit_booking_code(self, code: str) -> bool:
        """Have ``code`` checked in the background; False if it cannot be now."""

    def continue_without_card(self) -> bool:
        """Wait without an appointment (where walk-ins are seen); False if not allowed."""

    @property
    def doctor_choice(self) -> DoctorChoice | None:
        """A nurse's choice of a doctor for the patient (None: no portal)."""

    def print_test_page(self) -> str:
        """The technician's test print (blocking): a line saying how it went."""

    def device_kind(self, device_id: str) -> str:
        """What the configured instrument ``device_id`` measures (``""`` when unknown)."""
