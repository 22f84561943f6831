"""The whole cabin on one asyncio loop: the session and everything that feeds it.

:class:`Cabin` composes the services of :mod:`kiosk.services` (card reader, measurements,
papers, booking codes, staff call) and the call around one :class:`~kiosk.runtime.Runtime`,
and offers the screens what they read of it (:class:`~kiosk.view.CabinView`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from drivers.types import Reading
from kiosk import instruments
from kiosk.config import Config
from kiosk.errors import SessionError
from kiosk.exam import ExamGuide
from kiosk.health import DeviceState, HealthMonitor, PrinterState
from kiosk.nurse import assistance_fields
from kiosk.runtime import Runtime
from kiosk.services.booking import BookingService
from kiosk.services.doctors import DoctorChoice
from kiosk.services.measurement import (
    BACK,
    BuildInstrument,
    MeasurementService,
    MeasurementStatus,
    device_health,
    measuring_reason,
)
from kiosk.services.printing import PrintingService, take_prescription
from kiosk.services.staff_call import StaffCall
from kiosk.session import Notice, ProfessionalCardInserted, State, Update, send_quietly
from kiosk.states import STAFF_CALL_MAX_S
from kiosk.tasks import Tasks
from kiosk.view import CabinView
from protocol import MeasuringState

if TYPE_CHECKING:
    from kiosk.call import CabinCall
    from kiosk.documents.printing import DocumentPrinter
    from kiosk.services.card import CardService

log = logging.getLogger(__name__)

#: How often a running cabin applies the session's time limits (the screens' timer then
#: steps aside: the session has one clock).
TICK_S = 0.5


class Cabin:
    """Everything a running cabin owns, started and stopped together.

    ``printer`` and ``call`` are optional: a cabin without a printer queue still runs the
    consultation (the fault screen says the papers cannot print), one without a portal
    (``[portal] url`` empty) runs without a doctor, for technicians and benches. ``tick``:
    the cabin applies the session's time limits itself once started.
    """

    def __init__(
        self,
        config: Config,
        *,
        runtime: Runtime | None = None,
        card: bool = True,
        printer: DocumentPrinter | None = None,
        call: CabinCall | None = None,
        build_instrument: BuildInstrument = instruments.build,
        tick: bool = True,
    ) -> None:
        self.config = config
        self.runtime = runtime or Runtime(config)
        self.session = self.runtime.session
        self._use_card = card
        self._tick = tick
        self.card: CardService | None = None
        self.call = call
        self.binding: Any = None
        self.measurements = MeasurementService(
            self.session, config, build=build_instrument, on_status=self._on_measurement
        )
        #: The cabin's health for the portal's heartbeats and the metrics (no patient data).
        self.health = HealthMonitor(cabin_id=config.cabin.id)
        for name, device in config.devices.items():
            self.health.set_device(name, device.kind, DeviceState.UNKNOWN)
        self.printer = printer
        self.printing = (
            PrintingService(self.session, config, printer, on_printer=self._on_printer_health)
            if printer
            else None
        )
        if printer is not None:
            self.session.add_wipe_hook(printer.wipe)
        if call is not None:
            call.report_health(self.health.device_states, self._fleet_fields)
            call.link.commands["reprint"] = self._on_reprint
            if call.exam is not None:  # the session's stills live in its spool
                call.exam.spool = self.runtime.spool
            if self.printing is not None:
                self.printing.doctor = lambda sid: call.doctor[1] if call.doctor[0] == sid else ""
        self.tasks = Tasks()
        self._call_unsubscribe: Callable[[], None] | None = None
        self.booking = BookingService(self.session, call, tasks=self.tasks)
        self.staff = StaffCall(self.session, call=call, tasks=self.tasks)
        #: A nurse calls one doctor directly (None without a portal).
        self.doctor_choice = DoctorChoice(self.session, call, tasks=self.tasks) if call else None
        self._session_unsubscribe = self.session.subscribe(self._on_session_update)

    @classmethod
    def from_config(
        cls,
        config: Config,
        *,
        runtime: Runtime | None = None,
        on_remote_video: Callable[[Any], None] | None = None,
    ) -> Cabin:
        """The cabin a config describes: CUPS printer (``$CUPS_SERVER`` or the local one),
        and a call when ``[portal] url`` is set."""
        from drivers.printer.cups import CupsPrinter
        from kiosk.documents.printing import DocumentPrinter, printer_options

        runtime = runtime or Runtime(config)
        printer = DocumentPrinter(runtime.spool, CupsPrinter(printer_options(config.printer)))
        call = None
        if config.portal.url:
            from kiosk.call import CabinCall, CallOptions
            from kiosk.call.exam import ExamInstruments

            exam = ExamInstruments.from_config(config) if config.media else None
            options = CallOptions.from_config(config)
            call = CabinCall(options, on_remote_video=on_remote_video, exam=exam)
        return cls(config, runtime=runtime, printer=printer, call=call)

    async def start(self) -> None:
        self.runtime.start()
        if self._use_card:
            from kiosk.services.card import CardService, reader_options

            self.card = CardService(self.session, options=reader_options(self.config.card))
            if self.config.cabin.form == "mallette":
                self.card.listeners.append(self._professional_card)
            self.card.start()
        if self.call is not None:
            from kiosk.call import SessionBinding

            self.binding = SessionBinding(
                self.call, self.session, live=lambda: self.measurements.last_reading
            )
            self.binding.defers_check_in = DoctorChoice.defers  # a nurse chooses a doctor
            self._call_unsubscribe = self.call.subscribe(self._on_call)
            await self.call.start()
        if self._tick:
            self.tasks.spawn(self._ticker(), "session-tick")
        log.info("cabin %s: started", self.config.cabin.id)

    def _professional_card(self, event: object) -> None:
        """A mallette's desk tells a CPS from a Carte Vitale by its ATR (unread: PIN)."""
        from drivers.card import pcsc
        from drivers.card.protocol import CardKind, classify_atr

        if isinstance(event, pcsc.CardPresent) and classify_atr(event.atr) is CardKind.CPS:
            send_quietly(self.session, ProfessionalCardInserted())

    async def _ticker(self) -> None:
        while True:
            await asyncio.sleep(TICK_S)
            try:
                self.session.tick()
            except SessionError as exc:  # pragma: no cover - tick never raises by design
                log.error("session %s: tick failed: %s", self.session.log_id, exc)

    # -- what the screens read (kiosk.view.CabinView) -------------------------------------

    @property
    def ticks_session(self) -> bool:
        return self._tick

    @property
    def last_reading(self) -> Reading | None:
        return self.measurements.last_reading

    @property
    def speaking(self) -> str:
        return self.call.speaking if self.call is not None else ""

    @property
    def call_network(self) -> str:
        return self.call.network_notice if self.call is not None else ""

    @property
    def exam_guide(self) -> ExamGuide | None:
        return self.call.exam_guide if self.call is not None else None

    @property
    def exam_frame(self) -> Any:
        return self.call.exam_frame if self.call is not None else None

    @property
    def checkin_answer(self) -> dict[str, Any] | None:
        return self.booking.checkin_answer

    @property
    def queue_position(self) -> int | None:
        """The patient's place in the waiting room (1 = next), when the portal said."""
        queue = self.call.queue if self.call is not None else None
        return queue[0] if queue and self.session.state is State.WAITING_ROOM else None

    @property
    def queue_estimate_s(self) -> float | None:
        queue = self.call.queue if self.call is not None else None
        return queue[1] if queue and self.session.state is State.WAITING_ROOM else None

    @property
    def waiting_room_news(self) -> dict[str, Any]:
        if self.session.state is not State.WAITING_ROOM:
            return {}
        news = dict(self.call.room) if self.call is not None else {}
        if not news.get("booking_site") and self.config.cabin.booking_site:
            news["booking_site"] = self.config.cabin.booking_site
        return news

    @property
    def staff_call(self) -> str:
        # The limit is read at each call: a test shortens it here.
        return self.staff.state(max_s=STAFF_CALL_MAX_S)

    @property
    def takes_booking_codes(self) -> bool:
        return self.booking.takes_booking_codes

    @property
    def takes_walk_ins(self) -> bool:
        return self.booking.takes_walk_ins

    @property
    def booking_code_status(self) -> dict[str, Any] | None:
        return self.booking.booking_code_status

    @property
    def volume(self) -> int:
        if self.call is not None:
            return self.call.volume
        from kiosk.volume import VOLUME_DEFAULT

        return VOLUME_DEFAULT

    def set_volume(self, level: int) -> int:
        if self.call is not None:
            return self.call.set_volume(level)
        from kiosk.volume import clamp_volume

        return clamp_volume(level)

    def tell_cannot_hear(self) -> bool:
        return self.call.tell_cannot_hear() if self.call is not None else False

    def submit_booking_code(self, code: str) -> bool:
        return self.booking.submit_booking_code(code)

    def continue_without_card(self) -> bool:
        return self.booking.continue_without_card()

    @property
    def papers_hold_minutes(self) -> int:
        return self.config.printer.hold_minutes if self.printing is not None else 0

    def print_test_page(self) -> str:
        """The technician's test print (blocking): a line saying how it went."""
        if self.printing is None:
            return "no printer configured"
        return self.printing.print_test_page()

    def device_kind(self, device_id: str) -> str:
        return self.runtime.device_kind(device_id)

    # -- the services' news ---------------------------------------------------------------

    def _on_session_update(self, update: Update) -> None:
        if update.notice is Notice.TRANSITION:
            self.health.set_session_state(update.state.value)
            data = self.session.data
            if update.state is State.WAITING_ROOM and self.call is not None and data is not None:
                # Told to the doctor with the identity; None where no nurse assists.
                self.call.assistance = assistance_fields(data.assistance)

    def _fleet_fields(self) -> dict[str, Any]:
        held = self.printing.held_fields() if self.printing is not None else {}
        return {**self.health.fleet_fields(), **held}

    def _on_reprint(self, _msg: dict[str, Any]) -> None:
        """The staff's "Reprint now", through the portal: print the held papers, answer."""
        self.tasks.spawn(self._reprint(), "reprint-held")

    async def _reprint(self) -> None:
        printing = self.printing
        result = await asyncio.to_thread(printing.reprint_held) if printing else "nothing"
        state, _, detail = result.partition(": ")
        if self.call is not None:
            await self.call.link.send("reprint_result", state=state, detail=detail)

    def _on_printer_health(self, state: PrinterState, detail: str) -> None:
        self.health.set_printer(state, detail)

    def _on_measurement(self, status: MeasurementStatus) -> None:
        health = device_health(status)
        if health is not None:
            self.health.set_device(status.device, status.kind, *health)
        if status.state == BACK:
            return  # for the fleet only: the doctor sees the measurement go on
        if self.call is not None:
            from drivers.types import ReadingKind

            failed = status.state == MeasuringState.FAILED
            reason = measuring_reason(status.reason) if failed else None
            self.call.send_measuring(ReadingKind(status.kind), MeasuringState(status.state), reason)

    def _on_call(self, update: Any) -> None:
        from kiosk.call import CheckedIn, PrescriptionFormReceived
        from kiosk.prescriptions import GpReportReceived

        if isinstance(update, PrescriptionFormReceived):
            self.tasks.spawn(
                take_prescription(self.session, update, cabin=self.config.cabin, call=self.call),
                "compose-prescription",
            )
        elif isinstance(update, GpReportReceived):
            from kiosk.services.gp_report import take_gp_report

            self.tasks.spawn(
                take_gp_report(self.session, update, cabin=self.config.cabin, call=self.call),
                "compose-gp-report",
            )
        elif isinstance(update, CheckedIn):
            self.booking.checked_in(update.answer)

    async def stop(self) -> None:
        await self.tasks.close()
        await self.measurements.close()
        if self.printing is not None:
            await self.printing.close()
        if self.card is not None:
            await self.card.stop()
        self._session_unsubscribe()
        self.staff.close()
        if self._call_unsubscribe is not None:
            self._call_unsubscribe()
        if self.binding is not None:
            self.binding.close()
        if self.call is not None:
            await self.call.close()
        log.info("cabin %s: stopped", self.config.cabin.id)


#: The screens read a cabin through :class:`~kiosk.view.CabinView`: mypy checks here that a
#: cabin offers all of it.
_SCREENS_READ: type[CabinView] = Cabin
