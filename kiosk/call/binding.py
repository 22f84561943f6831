"""Wires the call to the patient's session: the session's transitions check the patient in,
hang up and check out; its readings go to the doctor; the call's events go to the session."""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.call.peer import CabinCall
from kiosk.call.updates import CallStatus, CallUpdate, ResumeRequested
from kiosk.domain import Reading
from kiosk.errors import IllegalEventError
from kiosk.live import LiveFeed
from kiosk.session import ChatReceived, Event, Notice, Session, State, Update
from kiosk.session.data import SessionData
from kiosk.tasks import Tasks

log = logging.getLogger(__name__)


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
    The doctor's written message is acknowledged once the session holds it (the call
    screen shows it), refused when not; the patient's answers and mute go to the page.
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
        call.session_readings = self._session_readings
        self._tasks = Tasks()
        #: (session id, how many of its stored readings went to the doctor): a notice for
        #: an intermediate reading (cuff inflating) sends nothing again.
        self._readings_sent = ("", 0)
        self._unsubscribe = [session.subscribe(self._on_session), call.subscribe(self._on_call)]
        session.add_wipe_hook(self._on_wipe)
        #: Whether a session's check-in waits for a nurse's choice of doctor
        #: (``kiosk.services.doctors``, which then checks the patient in).
        self.defers_check_in: Callable[[SessionData], bool] = lambda _data: False

    def close(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
        self.call.measuring = lambda: False
        self.call.session_readings = lambda: ()

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
            if isinstance(update, ChatReceived):  # no call screen to show it: the page hears
                self.call.chat_settled(update.msg_id, shown=False)

    def _session_readings(self) -> tuple[Reading, ...]:
        """The readings stored in the call's session (for the FHIR bundle); none otherwise."""
        data = self.session.data
        if data is None or data.session_id != self.call.session_id:
            return ()
        return tuple(data.readings)

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
                if self.defers_check_in(data):
                    return
                self._tasks.spawn(
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
                self._tasks.spawn(self._session_over(hang_up=hang_up), "call-hang-up")
        elif update.notice is Notice.CHAT and data is not None:
            line = data.chat[-1]
            if line.sender == "doctor":  # on the call screen now
                self.call.chat_settled(line.msg_id, shown=True)
            else:
                self.call.send_chat_answer(line.text)
        elif update.notice is Notice.MICROPHONE and data is not None:
            self.call.mute_microphone(data.muted)
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
        self._tasks.spawn(self.call.check_out(), "call-check-out")
