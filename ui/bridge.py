"""SessionBridge: the session's notices as documented Qt signals, and its events as slots.

It also reads what the screens show that the session does not hold (waiting-room place, who
is speaking, the reading being measured, where a call for the staff stands) through the
cabin's typed :class:`~kiosk.view.CabinView`; with no cabin behind the screens, each reads
as "none" and the bridge's own timer applies the session's time limits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PyQt6.QtCore import QObject, QTimer, pyqtSignal

from kiosk.domain import Reading
from kiosk.errors import SessionError
from kiosk.exam import ExamGuide
from kiosk.nurse import Profession, local_today, shift_over, sign_in, typed_patient
from kiosk.services.doctors import DoctorChoice
from kiosk.services.pairing import PairingService
from kiosk.services.staff_call import StaffCall
from kiosk.session import (
    CallStaff,
    CarePlaceChosen,
    ChatAnswered,
    ChatLine,
    EndSession,
    Event,
    ExtendTime,
    LanguageChosen,
    MicrophoneMuted,
    Notice,
    NurseDeskOpened,
    NurseSignedIn,
    NurseSignedOut,
    PatientEndedCall,
    PatientTyped,
    Session,
    Update,
)
from kiosk.states import STAFF_CALL_MAX_S, STAFF_CALL_STATES, State
from kiosk.view import CabinView
from kiosk.volume import VOLUME_DEFAULT, VOLUME_MAX, clamp_volume

log = logging.getLogger(__name__)

T = TypeVar("T")


class SessionBridge(QObject):
    """Relays the session to the screens (one bridge per window); owns the screens' tick
    timer, which runs while no cabin applies the session's time limits itself."""

    #: The session moved: (new state, previous state).
    state_changed = pyqtSignal(str, str)
    #: The current screen's time limit is near: seconds left.
    warning = pyqtSignal(float)
    #: The patient got more time on the current screen.
    extended = pyqtSignal()
    #: A reading arrived (read it from ``session.data.readings``).
    reading_arrived = pyqtSignal()
    #: A document arrived for printing.
    document_arrived = pyqtSignal()
    #: The doctor asked for a measurement (kind).
    measurement_requested = pyqtSignal(str)
    #: Someone pressed "call staff".
    staff_called = pyqtSignal()
    #: The screen language changed (code).
    language_changed = pyqtSignal(str)
    #: An event was refused by the session (its error text, for the technician log).
    refused = pyqtSignal(str)
    #: A line was added to the written exchange with the doctor (read :meth:`chat`).
    chat_changed = pyqtSignal()
    #: The patient muted or unmuted their microphone (read :meth:`microphone_muted`).
    microphone_changed = pyqtSignal()

    def __init__(
        self,
        session: Session,
        *,
        runtime: CabinView | None = None,
        tick_ms: int = 500,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.session = session
        #: "Call staff" pressed with no cabin behind the screens: nothing carries the call,
        #: which shows as ``unreachable`` until it ends as a cabin's would.
        self._staff = StaffCall(session, quiet=True)
        self._unsubscribe = session.subscribe(self._on_update)
        self._timer = QTimer(self)
        self._timer.setObjectName("session-tick")
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.on_tick)
        self._runtime: CabinView | None = None
        self.runtime = runtime
        #: The doctor's volume while no call carries it (read again from the call when one does).
        self._volume = 0
        self._pairing: PairingService | None = None
        self.open_desk()

    @property
    def runtime(self) -> CabinView | None:
        """The cabin the screens read, or None. A stand-in may offer part of the view (a
        bare :class:`~kiosk.runtime.Runtime` offers the device kinds, tests and the
        screenshots set what they show): what it lacks reads as "none"."""
        return self._runtime

    @runtime.setter
    def runtime(self, view: CabinView | None) -> None:
        self._runtime = view
        # One clock for the session: a cabin that ticks it, or this timer.
        if self._ask(lambda cabin: cabin.ticks_session) is True:
            self._timer.stop()
        else:
            self._timer.start()

    def _on_update(self, update: Update) -> None:
        notice = update.notice
        if notice is Notice.TRANSITION:
            previous = update.previous.value if update.previous else ""
            if update.state is State.IDLE:
                self._volume = 0  # the next patient starts at the cabin's level
                # A mallette shows its desk between patients (once every listener knows).
                QTimer.singleShot(0, self.open_desk)
            self.state_changed.emit(update.state.value, previous)
        elif notice is Notice.WARNING:
            self.warning.emit(self.session.time_left() or 0.0)
        elif notice is Notice.EXTENDED:
            self.extended.emit()
        elif notice is Notice.READING:
            self.reading_arrived.emit()
        elif notice is Notice.DOCUMENT:
            self.document_arrived.emit()
        elif notice is Notice.MEASUREMENT_REQUESTED:
            requested = self.session.requested
            self.measurement_requested.emit(requested.kind.value if requested else "")
        elif notice is Notice.STAFF_CALLED:
            self.staff_called.emit()
        elif notice is Notice.LANGUAGE:
            self.language_changed.emit(self.session.language)
        elif notice is Notice.CHAT:
            self.chat_changed.emit()
        elif notice is Notice.MICROPHONE:
            self.microphone_changed.emit()

    # -- what the screens read -----------------------------------------------------------

    def _ask(self, question: Callable[[CabinView], T]) -> T | None:
        """``question`` asked of the cabin; None with no cabin, or from a stand-in that does
        not offer that member."""
        view = self._runtime
        if view is None:
            return None
        try:
            return question(view)
        except AttributeError:
            return None

    def appointment(self) -> dict[str, object] | None:
        """The portal's answer to the check-in (booked and when, or where to book), if any."""
        answer = self._ask(lambda cabin: cabin.checkin_answer)
        return answer if isinstance(answer, dict) else None

    def takes_booking_codes(self) -> bool:
        """Whether a patient without a card may type a booking code here and now."""
        return self._ask(lambda cabin: cabin.takes_booking_codes) is True

    def papers_hold_minutes(self) -> int:
        """Minutes the papers a printer fault kept wait for the staff (0: not kept, or
        no cabin to keep them)."""
        minutes = self._ask(lambda cabin: cabin.papers_hold_minutes)
        return minutes if isinstance(minutes, int) and minutes > 0 else 0

    def takes_walk_ins(self) -> bool:
        """Whether a patient without card nor code may wait without an appointment here."""
        return self._ask(lambda cabin: cabin.takes_walk_ins) is True

    def booking_code_status(self) -> dict[str, Any] | None:
        """The portal's answer to the typed code: ``state`` ``checking``, ``accepted`` or
        ``refused`` (with ``reason``, ``walk_in``, ``booking_site``); None before any."""
        status = self._ask(lambda cabin: cabin.booking_code_status)
        if not isinstance(status, dict) or status.get("state") not in (
            "checking",
            "accepted",
            "refused",
        ):
            return None
        return status

    def submit_booking_code(self, code: str) -> bool:
        """Have the cabin check ``code`` (in the background); False if it cannot."""
        submit = self._ask(lambda cabin: cabin.submit_booking_code)
        return bool(submit(code)) if callable(submit) else False

    def doctor_choice(self) -> DoctorChoice | None:
        """A nurse's choice of a doctor for the patient (None: no cabin, or no portal)."""
        choice = self._ask(lambda cabin: cabin.doctor_choice)
        return choice if isinstance(choice, DoctorChoice) else None

    def continue_without_card(self) -> bool:
        """After a refused code, where walk-ins are seen: wait without an appointment."""
        go_on = self._ask(lambda cabin: cabin.continue_without_card)
        return bool(go_on()) if callable(go_on) else False

    def staff_call(self) -> str:
        """Where the patient's call for the staff stands: ``calling`` (the staff's pages show
        it), ``coming`` (someone answered), ``unreachable`` (no portal to carry it) or ``""``
        (no call). Anything unexpected reads as ``""``; with no cabin behind the screens a
        pressed call is ``unreachable``: nothing carries it, so nobody is promised."""
        state = self._ask(lambda cabin: cabin.staff_call)
        if state is None:
            # The limit is read at each call: a test shortens it here.
            return self._staff.state(max_s=STAFF_CALL_MAX_S)
        return state if isinstance(state, str) and state in STAFF_CALL_STATES else ""

    def queue(self) -> tuple[int | None, float | None]:
        """The waiting-room place (1 = next) and expected wait in seconds, when known."""
        position = self._ask(lambda cabin: cabin.queue_position)
        estimate = self._ask(lambda cabin: cabin.queue_estimate_s)
        return (
            int(position) if isinstance(position, int | float) else None,
            float(estimate) if isinstance(estimate, int | float) else None,
        )

    def waiting_room_news(self) -> tuple[int | None, bool | None, str]:
        """The portal's word on the waiting room: doctors on duty, whether the cabin is open
        (its hours), where to book; None or "" for what it did not say."""
        news = self._ask(lambda cabin: cabin.waiting_room_news)
        if not isinstance(news, dict):
            return (None, None, "")
        doctors, is_open, site = news.get("doctors"), news.get("open"), news.get("booking_site")
        return (
            doctors if isinstance(doctors, int) and not isinstance(doctors, bool) else None,
            is_open if isinstance(is_open, bool) else None,
            site if isinstance(site, str) else "",
        )

    def speaking(self) -> str:
        """Who is speaking in the call: ``doctor``, ``patient`` or ``""``."""
        who = self._ask(lambda cabin: cabin.speaking)
        return who if who in ("doctor", "patient") else ""

    def call_network(self) -> str:
        """What the call screen says of the link: ``reconnecting``, ``voice_only`` or ``""``."""
        notice = self._ask(lambda cabin: cabin.call_network)
        return notice if notice in ("reconnecting", "voice_only") else ""

    def exam_guide(self) -> ExamGuide:
        """What the call screen shows of the exam the doctor leads (kiosk.exam.ExamGuide)."""
        guide = self._ask(lambda cabin: cabin.exam_guide)
        return guide if isinstance(guide, ExamGuide) else ExamGuide()

    def exam_frame(self) -> object:
        """The exam camera's last frame, for the patient's preview (None while it is off)."""
        return self._ask(lambda cabin: cabin.exam_frame)

    def readings(self) -> list[Reading]:
        data = self.session.data
        return list(data.readings) if data is not None else []

    def live_reading(self) -> Reading | None:
        """The last intermediate reading (cuff pressure while inflating), when kept."""
        last = self._ask(lambda cabin: cabin.last_reading)
        return last if isinstance(last, Reading) and last.intermediate else None

    def device_kind(self, device_id: str) -> str:
        """What the configured instrument ``device_id`` measures ("" when unknown)."""
        kind_of = self._ask(lambda cabin: cabin.device_kind)
        kind = kind_of(device_id) if callable(kind_of) else ""
        return kind if isinstance(kind, str) else ""

    # -- the patient in the call: volume, "I can't hear", ending it --------------------------

    def volume(self) -> tuple[int, int]:
        """The doctor's volume level and the highest level (``kiosk.volume``)."""
        level = self._ask(lambda cabin: cabin.volume)
        if isinstance(level, int) and not isinstance(level, bool):
            self._volume = level
        return (self._volume or VOLUME_DEFAULT, VOLUME_MAX)

    def change_volume(self, steps: int) -> int:
        """Play the doctor ``steps`` levels louder (or quieter, negative); the new level."""
        level = clamp_volume(self.volume()[0] + steps)
        set_volume = self._ask(lambda cabin: cabin.set_volume)
        if callable(set_volume):
            level = int(set_volume(level))
        self._volume = level
        return level

    def tell_cannot_hear(self) -> bool:
        """Tell the doctor the patient cannot hear them; False when it could not be sent."""
        tell = self._ask(lambda cabin: cabin.tell_cannot_hear)
        return bool(tell()) if callable(tell) else False

    def chat(self) -> list[ChatLine]:
        """The written exchange with the doctor this session (oldest first)."""
        data = self.session.data
        return list(data.chat) if data is not None else []

    def answer_chat(self, answer: str) -> bool:
        """The patient's preset answer to the doctor's message."""
        return self.send(ChatAnswered(answer))

    def microphone_muted(self) -> bool:
        data = self.session.data
        return data is not None and data.muted

    def mute_microphone(self, muted: bool) -> bool:
        """Mute (or unmute) the patient's microphone in the call (the doctor's page says so)."""
        return self.send(MicrophoneMuted(muted))

    def on_end_call(self) -> None:
        self.send(PatientEndedCall())

    # -- a mallette's desk: the nurse of the shift ----------------------------------------

    def is_mallette(self) -> bool:
        return self._ask(lambda cabin: cabin.config.cabin.form) == "mallette"

    def _timezone(self) -> str:
        zone = self._ask(lambda cabin: cabin.config.cabin.timezone)
        return zone if isinstance(zone, str) and zone else "Europe/Paris"

    def open_desk(self) -> None:
        """In a mallette, between patients: the nurse's desk instead of the idle screen."""
        if self.session.state is State.IDLE and self.is_mallette():
            self.send(NurseDeskOpened())

    def sign_in_nurse(self, rpps: str, name: str, profession: str) -> str:
        """Sign the nurse in for the shift: "" when done, else the
        :class:`~kiosk.nurse.SignInError` code to show (``refused``: not at the desk)."""
        try:
            nurse = sign_in(
                rpps,
                name,
                Profession(profession),
                now=self.session.clock.now(),
                timezone=self._timezone(),
            )
        except ValueError as exc:
            return str(exc.args[0])
        return "" if self.send(NurseSignedIn(nurse)) else "refused"

    def sign_out_nurse(self) -> bool:
        """Refused (False) anywhere but at the desk: never during a consultation."""
        return self.send(NurseSignedOut())

    def choose_care_place(self, place: str) -> bool:
        """Where the nurse sees the next patients (a ``kiosk.nurse.CarePlace`` value)."""
        return self.send(CarePlaceChosen(place))

    def check_in_typed_patient(self, last_name: str, first_name: str, born: str, sex: str) -> str:
        """A patient without a card, as the nurse typed them: "" when checked in (-> consent),
        else the :class:`~kiosk.nurse.PatientError` code to show."""
        today = local_today(self.session.clock.now(), self._timezone())
        try:
            person, checked_sex = typed_patient(last_name, first_name, born, sex, today=today)
        except ValueError as exc:
            return str(exc.args[0])
        return "" if self.send(PatientTyped(person, checked_sex.value)) else "refused"

    def end_shift_if_over(self) -> bool:
        """The day of the sign-in is over in the cabin's time zone: sign the nurse out."""
        nurse = self.session.nurse
        if nurse is None or self.session.state is not State.NURSE:
            return False
        if not shift_over(nurse, now=self.session.clock.now(), timezone=self._timezone()):
            return False
        return self.send(NurseSignedOut("end_of_day"))

    def pairing(self) -> PairingService:
        """The kit's BLE instruments (a mallette's "Appareils"), made when first asked."""
        if self._pairing is None:
            self._pairing = PairingService(self.session)
        return self._pairing

    def test_print_hook(self) -> Callable[[], str] | None:
        hook = self._ask(lambda cabin: cabin.print_test_page)
        return hook if callable(hook) else None

    def send(self, event: Event) -> bool:
        """Send ``event`` to the session; a refused event is reported, never raised into Qt."""
        try:
            self.session.send(event)
        except SessionError as exc:
            log.info("session %s: %s refused: %s", self.session.log_id, event.name, exc)
            self.refused.emit(str(exc))
            return False
        return True

    def on_tick(self) -> None:
        self.session.tick()

    def on_call_staff(self) -> None:
        self.send(CallStaff())

    def on_language(self, language: str) -> None:
        self.send(LanguageChosen(language))

    def on_extend(self) -> None:
        self.send(ExtendTime())

    def on_end(self) -> None:
        self.send(EndSession())

    def close(self) -> None:
        self._timer.stop()
        self._staff.close()
        if self._pairing is not None:
            self._pairing.close()
        self._unsubscribe()
