"""The whole cabin on one asyncio loop: the session and everything that feeds it.

:class:`Cabin` composes the card reader, the instruments, the call and the printer around
one :class:`~kiosk.runtime.Runtime`. Each service turns hardware into session events and
session notices into hardware actions; none of them lets an error escape into the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from drivers.errors import DriverError
from drivers.instrument import (
    Instrument,
    InstrumentError,
    InstrumentErrorReason,
    InstrumentUnpluggedError,
    MeasurementAbortedError,
)
from drivers.types import Beneficiary, Reading
from kiosk import instruments
from kiosk.config import Config, DeviceConfig
from kiosk.errors import ConfigError, SessionError
from kiosk.health import DeviceState, HealthMonitor, PrinterState
from kiosk.runtime import Runtime
from kiosk.session import (
    ContinueWithoutCard,
    DocumentReceived,
    EndSession,
    Fault,
    FaultCleared,
    FaultKind,
    MeasurementCancelled,
    Notice,
    PrintingDone,
    ReadingReceived,
    Session,
    State,
    Update,
    send_quietly,
)
from kiosk.states import STAFF_CALL_MAX_S
from kiosk.tasks import Tasks
from protocol import MeasuringReason, MeasuringState

if TYPE_CHECKING:
    from kiosk.call import CabinCall, PrescriptionFormReceived
    from kiosk.card import CardService
    from kiosk.documents.printing import DocumentPrinter

log = logging.getLogger(__name__)

#: How often a headless cabin applies the session's time limits.
TICK_S = 0.5
#: How often an unplugged instrument is looked for while its fault screen shows.
REPLUG_POLL_S = 1.0
#: How long one look for an unplugged instrument may take.
REPLUG_PROBE_S = 10.0


#: The measurement state that says the instrument answers again after it was unplugged:
#: for the fleet's health only, the doctor sees the measurement go on.
BACK = "back"

#: The doctor's reason for a failed measurement, from the kiosk's own code (a driver's
#: reason, or ``no_device``); a code not listed here is a device error.
MEASURING_REASONS: dict[str, MeasuringReason] = {
    "no_device": MeasuringReason.NO_DEVICE,
    "unknown_driver": MeasuringReason.UNAVAILABLE,
    "import_failed": MeasuringReason.UNAVAILABLE,
    "bad_config": MeasuringReason.UNAVAILABLE,
    InstrumentErrorReason.BAD_OPTIONS: MeasuringReason.UNAVAILABLE,
    InstrumentErrorReason.UNPLUGGED: MeasuringReason.UNPLUGGED,
    InstrumentErrorReason.NO_ANSWER: MeasuringReason.UNPLUGGED,
    InstrumentErrorReason.TIMEOUT: MeasuringReason.TIMEOUT,
    InstrumentErrorReason.GARBAGE: MeasuringReason.BAD_DATA,
    InstrumentErrorReason.BAD_CHECKSUM: MeasuringReason.BAD_DATA,
    InstrumentErrorReason.UNUSABLE_FRAME: MeasuringReason.BAD_DATA,
    InstrumentErrorReason.DEVICE_ERROR: MeasuringReason.DEVICE_ERROR,
    InstrumentErrorReason.BUSY: MeasuringReason.DEVICE_ERROR,
    "no_valid_value": MeasuringReason.NO_VALID_VALUE,
}


def measuring_reason(code: str) -> MeasuringReason:
    """The doctor's reason (a closed set) for the kiosk's or a driver's reason ``code``."""
    return MEASURING_REASONS.get(code, MeasuringReason.DEVICE_ERROR)


@dataclass(frozen=True)
class MeasurementStatus:
    """What the doctor and the fleet are told about a measurement (no values).

    ``state`` is a :class:`~protocol.MeasuringState` value, or :data:`BACK`;
    ``reason`` (with ``failed``) is the kiosk's or the driver's own code, which the fleet
    shows as it is and the doctor through :func:`measuring_reason`.
    """

    kind: str
    state: str
    device: str = ""
    reason: str = ""


BuildInstrument = Callable[[str, DeviceConfig], Instrument]


class MeasurementService:
    """Runs the measurement the doctor asked for on the configured instrument of that kind.

    Readings (intermediate ones included) go to the session as they arrive. An instrument
    that disappears puts the session on the "instrument unplugged" fault screen; when it
    comes back the measurement starts again. A time-out or a device error ends the
    measurement without a value, and the doctor is told why.
    """

    def __init__(
        self,
        session: Session,
        config: Config,
        *,
        build: BuildInstrument = instruments.build,
        on_status: Callable[[MeasurementStatus], None] | None = None,
    ) -> None:
        self.session = session
        self.config = config
        self.build = build
        self.on_status = on_status or (lambda status: None)
        self.tasks = Tasks()
        self._current: asyncio.Task[Any] | None = None
        self._instrument: Instrument | None = None
        self._unplugged: tuple[str, DeviceConfig] | None = None
        #: The last intermediate reading (cuff pressure while it inflates), for the screen.
        self.last_reading: Reading | None = None
        self._unsubscribe = session.subscribe(self._on_update)

    def device_for(self, kind: str, device_id: str = "") -> tuple[str, DeviceConfig] | None:
        if device_id and device_id in self.config.devices:
            return device_id, self.config.devices[device_id]
        for name, device in self.config.devices.items():
            if device.kind == kind:
                return name, device
        return None

    def _on_update(self, update: Update) -> None:
        if update.notice is Notice.MEASUREMENT_REQUESTED:
            if self.session.requested is not None:
                self.on_status(
                    MeasurementStatus(self.session.requested.kind.value, MeasuringState.REQUESTED)
                )
            self._start(restart=True)
        elif update.notice is Notice.TRANSITION:
            if update.state is not State.MEASURING:
                self.last_reading = None
            if update.state is State.MEASURING and update.previous is State.FAULT:
                # Back from a fault: a measurement still running goes on; one that ended
                # (its device was unplugged, or its result came during the fault) starts again.
                self._start(restart=False)
            elif update.state not in (State.MEASURING, State.FAULT):
                self._stop()
                self._unplugged = None

    def _start(self, *, restart: bool) -> None:
        requested = self.session.requested
        if requested is None:
            return
        if not restart and self._current is not None and not self._current.done():
            return
        found = self.device_for(requested.kind.value, requested.device_id)
        if found is None:
            self.on_status(
                MeasurementStatus(requested.kind.value, MeasuringState.FAILED, "", "no_device")
            )
            log.warning(
                "session %s: no %s instrument configured", self.session.log_id, requested.kind
            )
            send_quietly(self.session, MeasurementCancelled())
            return
        self._stop()
        self._current = self.tasks.spawn(self._measure(*found), f"measure-{found[0]}")

    def _stop(self) -> None:
        task, self._current = self._current, None
        if task is not None and not task.done():
            task.cancel()

    async def _measure(self, device_id: str, device: DeviceConfig) -> None:
        kind = device.kind
        try:
            instrument = self.build(device_id, device)
        except (DriverError, ConfigError) as exc:
            reason = str(exc.reason) if isinstance(exc, DriverError) else "bad_config"
            log.error(
                "session %s: instrument %s cannot be used: %s",
                self.session.log_id,
                device_id,
                reason,
            )
            self.on_status(MeasurementStatus(kind, MeasuringState.FAILED, device_id, reason))
            send_quietly(self.session, MeasurementCancelled())
            return
        self._instrument = instrument
        self.on_status(MeasurementStatus(kind, MeasuringState.IN_PROGRESS, device_id))

        def relay(reading: Reading) -> None:
            self.last_reading = reading if reading.intermediate else None
            if self.session.state in (State.MEASURING, State.IN_CALL):
                send_quietly(self.session, ReadingReceived(reading))

        try:
            reading = await instrument.measure(on_reading=relay)
        except asyncio.CancelledError:
            self.on_status(MeasurementStatus(kind, MeasuringState.CANCELLED, device_id))
            raise
        except MeasurementAbortedError:
            self.on_status(MeasurementStatus(kind, MeasuringState.CANCELLED, device_id))
        except InstrumentUnpluggedError:
            log.warning("session %s: instrument %s unplugged", self.session.log_id, device_id)
            self.on_status(MeasurementStatus(kind, MeasuringState.FAILED, device_id, "unplugged"))
            self._unplugged = (device_id, device)
            if send_quietly(self.session, Fault(FaultKind.INSTRUMENT_UNPLUGGED, device_id)):
                self.tasks.spawn(self._wait_replug(device_id, device), f"replug-{device_id}")
        except InstrumentError as exc:
            reason = str(exc.reason)
            log.info(
                "session %s: measurement on %s failed: %s", self.session.log_id, device_id, reason
            )
            self.on_status(MeasurementStatus(kind, MeasuringState.FAILED, device_id, reason))
            if self.session.state is State.MEASURING:
                send_quietly(self.session, MeasurementCancelled())
        else:
            if reading.values:
                self.on_status(MeasurementStatus(kind, MeasuringState.DONE, device_id))
            else:
                # The device ended without a single value (a loose cuff, a movement): its
                # reading, sent as it is, says why.
                self.on_status(
                    MeasurementStatus(kind, MeasuringState.FAILED, device_id, "no_valid_value")
                )
        finally:
            self._instrument = None
            with contextlib.suppress(Exception):
                await instrument.close()

    async def _wait_replug(self, device_id: str, device: DeviceConfig) -> None:
        """While the fault screen shows, look for the instrument; resume when it answers."""
        while self.session.state is State.FAULT and self._unplugged == (device_id, device):
            await asyncio.sleep(REPLUG_POLL_S)
            try:
                probe = self.build(device_id, device)
            except DriverError:
                return
            try:
                # Its self-test asks the device to answer: an open port is not enough.
                report = await asyncio.wait_for(probe.selftest(), timeout=REPLUG_PROBE_S)
            except (InstrumentError, OSError, TimeoutError):
                continue
            finally:
                with contextlib.suppress(Exception):
                    await probe.close()
            if not report.ok:
                continue
            if self.session.state is State.FAULT and self._unplugged == (device_id, device):
                log.info("session %s: instrument %s is back", self.session.log_id, device_id)
                self.on_status(MeasurementStatus(device.kind, BACK, device_id))
                send_quietly(self.session, FaultCleared())
            return

    async def close(self) -> None:
        self._unsubscribe()
        self._stop()
        await self.tasks.close()


#: The NIR's first digit gives the sex (1, 3, 7 men; 2, 4, 8 women; 3-4 and 7-8 are
#: provisional numbers).
SEX_OF_NIR = {"1": "M", "3": "M", "7": "M", "2": "F", "4": "F", "8": "F"}


def prescription_input(
    form: dict[str, Any], person: Beneficiary | None, *, cabin_id: str, zone: str = "Europe/Paris"
) -> dict[str, Any]:
    """The doctor's form completed with what the cabin knows: the patient (from the card,
    never from the page), a unique prescription id, and its date as a day at the cabin
    (time zone ``zone``): the page sends the moment it was written, in UTC, and a
    prescription written at 00:30 in Paris is not dated the day before.

    ``person=None``: no card was read (booking code, walk-in): the identity is the one the
    doctor typed after checking an ID document on camera.
    """
    import re
    import secrets
    import zoneinfo

    typed = form.get("patient")
    typed = typed if isinstance(typed, dict) else {}
    weight = typed.get("weight_kg")
    patient: dict[str, Any]
    if person is None:
        patient = {
            key: typed[key]
            for key in ("last_name", "first_name", "sex", "birth_date")
            if key in typed
        }
    else:
        patient = {
            "last_name": person.last_name,
            "first_name": person.first_name,
            "sex": SEX_OF_NIR.get(person.nir[:1], ""),
            "birth_date": person.birth_date,
        }
    if weight not in (None, ""):
        patient["weight_kg"] = weight
    tz = zoneinfo.ZoneInfo(zone)
    today = datetime.now(tz).date()
    # The id's letters are few (a cabin called "SAS Nord 01" made every id invalid, and
    # with it every prescription of that cabin refused).
    stamp = re.sub(r"[^A-Za-z0-9._-]", "-", cabin_id)[:40]
    day = form.get("date")
    if isinstance(day, str) and len(day) > 10:
        with contextlib.suppress(ValueError):  # not a moment: the document checks it
            moment = datetime.fromisoformat(day)
            if moment.tzinfo is not None:
                day = moment.astimezone(tz).date().isoformat()
    return {
        **form,
        "id": form.get("id") or f"RX-{stamp}-{today:%Y%m%d}-{secrets.token_hex(4)}",
        "date": day or today.isoformat(),
        "patient": patient,
    }


def patient_of(person: Beneficiary | None) -> Any:
    """The documents' patient from the card's beneficiary (birth date as the card has it);
    without one, a blank identity the patient fills in by hand."""
    from kiosk.documents.inputs import Patient

    if person is None:
        return Patient(last_name="", first_name="", birth_date="")
    raw = person.birth_date
    birth = f"{raw[6:8]}/{raw[4:6]}/{raw[0:4]}" if len(raw) == 8 else raw
    sex = SEX_OF_NIR.get(person.nir[:1], "")
    return Patient(
        last_name=person.last_name, first_name=person.first_name, sex=sex, birth_date=birth
    )


def printer_health(exc: Any) -> tuple[PrinterState, str]:
    """The printer's state for the fleet after a :class:`~drivers.printer.errors.PrinterError`,
    and CUPS's reason as its detail."""
    reason = str(exc.reason)
    if reason == "no_such_queue":
        return PrinterState.MISSING, reason
    if reason == "cups_unavailable":
        return PrinterState.UNKNOWN, reason
    if reason in ("document_rejected", "bad_file", "job_canceled"):
        return PrinterState.IDLE, reason  # that document's problem, not the printer's
    return PrinterState.STOPPED, reason


#: What a measurement's state says of its instrument (``failed``: see its reason).
DEVICE_HEALTH = {
    MeasuringState.IN_PROGRESS: DeviceState.OK,
    MeasuringState.DONE: DeviceState.OK,
    BACK: DeviceState.OK,
}
#: What a failed measurement's reason says of its instrument: a device that measured without
#: a valid value works (the cuff was loose); any other failure is the device's fault.
FAILED_DEVICE_HEALTH = {
    MeasuringReason.UNPLUGGED: DeviceState.MISSING,
    MeasuringReason.NO_VALID_VALUE: DeviceState.OK,
}


def declared_person(patient: dict[str, Any]) -> Beneficiary:
    """The identity the doctor typed (no card): a beneficiary without NIR."""
    return Beneficiary(
        last_name=str(patient.get("last_name", "")),
        first_name=str(patient.get("first_name", "")),
        birth_date=str(patient.get("birth_date", "")).replace("-", ""),
        nir="",
    )


class PrintingService:
    """On ``printing``: compose the results sheet, print it and the doctor's documents.

    Each document is printed once; after a printer fault is cleared, what is left prints.
    A printer problem puts the session on the printer fault screen with CUPS's reason.
    """

    def __init__(
        self,
        session: Session,
        config: Config,
        printer: DocumentPrinter,
        *,
        on_printer: Callable[[PrinterState, str], None] | None = None,
    ) -> None:
        self.session = session
        self.config = config
        self.printer = printer
        #: Told the printer's state word and CUPS's reason after each attempt (fleet health).
        self.on_printer = on_printer or (lambda state, detail: None)
        self.tasks = Tasks()
        self._printed: set[str] = set()
        self._results_id = ""
        self.printed_count = 0
        self._unsubscribe = session.subscribe(self._on_update)

    def _on_update(self, update: Update) -> None:
        if update.notice is Notice.TRANSITION:
            if update.state is State.PRINTING:
                self.tasks.spawn(self._print_all(), "print-session")
            elif update.state in (State.IDLE, State.CLEANING):
                self._printed.clear()
                self._results_id = ""

    def _documents(self) -> list[Any]:
        from kiosk.documents.inputs import Cabin as CabinInfo
        from kiosk.documents.inputs import ResultsInput
        from kiosk.documents.results import compose_results

        data = self.session.data
        if data is None:
            return []
        documents = list(data.documents)
        if data.readings and (data.chosen is not None or data.without_card):
            cabin = self.config.cabin
            results = compose_results(
                ResultsInput(
                    cabin=CabinInfo(
                        id=cabin.id,
                        name=cabin.name,
                        site=cabin.site,
                        address=cabin.address,
                        timezone=cabin.timezone,
                    ),
                    patient=patient_of(data.chosen),
                    readings=tuple(data.readings),
                    printed_at=datetime.now(UTC),
                )
            )
            if not self._results_id:
                self._results_id = results.id
            documents.insert(0, results)
        return documents

    async def _print_all(self) -> None:
        from drivers.printer.errors import PrinterError

        sid = self.session.session_id
        try:
            documents = await asyncio.to_thread(self._documents)
            for document in documents:
                key = "results" if document.kind.value == "results" else document.sha256
                if key in self._printed:
                    continue
                if not self._still_printing(sid):
                    # The session ended between two papers (its printing time ran out): the
                    # rest must not land in the tray for the next patient.
                    log.warning("session %s: ended before all papers printed", sid)
                    await asyncio.to_thread(self.printer.spool.wipe, sid)
                    return
                await asyncio.to_thread(self.printer.print_document, sid, document)
                self._printed.add(key)
                self.printed_count += 1
        except PrinterError as exc:
            log.warning("session %s: printer problem: %s", self.session.log_id, exc.reason)
            self.on_printer(*printer_health(exc))
            if self.session.state is State.PRINTING:
                send_quietly(self.session, Fault(FaultKind.PRINTER_PROBLEM, str(exc.reason)))
            return
        self.on_printer(PrinterState.IDLE, "")
        if self.session.state is State.PRINTING and self.session.session_id == sid:
            send_quietly(self.session, PrintingDone())

    def _still_printing(self, session_id: str) -> bool:
        return self.session.session_id == session_id and self.session.state is State.PRINTING

    async def close(self) -> None:
        self._unsubscribe()
        await self.tasks.close()


class Cabin:
    """Everything a running cabin owns, started and stopped together.

    ``printer`` and ``call`` are optional: a cabin without a printer queue still runs the
    consultation (the fault screen says the papers cannot print), one without a portal
    (``[portal] url`` empty) runs without a doctor, for technicians and benches.
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
            call.report_health(self.health.device_states, self.health.fleet_fields)
        self.tasks = Tasks()
        self._call_unsubscribe: Callable[[], None] | None = None
        #: The booking code check of the current session: (session id, status).
        self._code_status: tuple[str, dict[str, Any]] | None = None
        #: When the patient last pressed "call staff" (monotonic), None when no call is on.
        self._staff_called_at: float | None = None
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

            call = CabinCall(CallOptions.from_config(config), on_remote_video=on_remote_video)
        return cls(config, runtime=runtime, printer=printer, call=call)

    async def start(self) -> None:
        self.runtime.start()
        if self._use_card:
            from kiosk.card import CardService, reader_options

            self.card = CardService(self.session, options=reader_options(self.config.card))
            self.card.start()
        if self.call is not None:
            from kiosk.call import SessionBinding

            self.binding = SessionBinding(
                self.call, self.session, live=lambda: self.measurements.last_reading
            )
            self._call_unsubscribe = self.call.subscribe(self._on_call)
            await self.call.start()
        if self._tick:
            self.tasks.spawn(self._ticker(), "session-tick")
        log.info("cabin %s: started", self.config.cabin.id)

    async def _ticker(self) -> None:
        while True:
            await asyncio.sleep(TICK_S)
            try:
                self.session.tick()
            except SessionError as exc:  # pragma: no cover - tick never raises by design
                log.error("session %s: tick failed: %s", self.session.log_id, exc)

    # -- what the screens may read (see ui.bridge) ----------------------------------------

    @property
    def last_reading(self) -> Reading | None:
        return self.measurements.last_reading

    @property
    def speaking(self) -> str:
        return self.call.speaking if self.call is not None else ""

    @property
    def checkin_answer(self) -> dict[str, Any] | None:
        """The portal's answer to this session's check-in: booked (``slot_start``), or not
        (``walk_in``, ``booking_site``, ``reason``)."""
        answer = self.call.checked_in if self.call is not None else None
        if answer is None or answer.get("session_id") != self.session.session_id:
            return None
        return answer

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
    def staff_call(self) -> str:
        """The patient's call for the staff: ``""`` (none), ``calling`` (the staff's and
        doctors' pages show it), ``coming`` (someone said they are on their way) or
        ``unreachable`` (no portal to carry it: the screen sends the patient to the desk)."""
        called_at = self._staff_called_at
        if called_at is None:
            return ""
        if self.session.state is State.IDLE and (time.monotonic() - called_at > STAFF_CALL_MAX_S):
            self._end_staff_call()
            return ""
        call = self.call
        if call is None or not call.link.connected.is_set():
            return "unreachable"
        answer = call.staff_answer
        return "coming" if answer is not None and answer.get("state") == "coming" else "calling"

    def _on_session_update(self, update: Update) -> None:
        if update.notice is Notice.TRANSITION:
            self.health.set_session_state(update.state.value)
        if update.notice is Notice.STAFF_CALLED:
            self._staff_called_at = time.monotonic()
            log.info("session %s: the patient calls the staff", self.session.log_id)
            if self.call is not None:
                self.tasks.spawn(self.call.call_staff(True), "staff-call")
        elif (
            update.notice is Notice.TRANSITION
            and update.state is State.IDLE
            and self._staff_called_at is not None
        ):
            self._end_staff_call()

    def _end_staff_call(self) -> None:
        self._staff_called_at = None
        if self.call is not None:
            self.tasks.spawn(self.call.call_staff(False), "staff-call-end")

    @property
    def takes_booking_codes(self) -> bool:
        """Whether a patient without a card may type a booking code (the portal has
        appointments and is reachable)."""
        return self.call is not None and self.call.takes_booking_codes

    @property
    def booking_code_status(self) -> dict[str, Any] | None:
        """The check of the code typed in this session: ``state`` is ``checking``,
        ``accepted`` or ``refused`` (with ``reason``: ``bad_code``, ``rate_limited``,
        ``no_answer``; ``walk_in`` and ``booking_site`` as the portal said)."""
        if self._code_status is None or self._code_status[0] != self.session.session_id:
            return None
        return dict(self._code_status[1])

    def submit_booking_code(self, code: str) -> bool:
        """The booking-code screen's OK: check ``code`` with the portal in the background;
        a code of this cabin's appointment now takes the patient on to consent."""
        code = "".join(code.split()).replace("-", "").upper()
        state = self.session.state
        if self.call is None or state is not State.BOOKING_CODE or not code:
            return False
        status = self.booking_code_status
        if status is not None and status["state"] == "checking":
            return False  # one check at a time
        sid = self.session.session_id
        self._code_status = (sid, {"state": "checking"})
        self.tasks.spawn(self._check_code(sid, code), "check-booking-code")
        return True

    async def _check_code(self, sid: str, code: str) -> None:
        assert self.call is not None
        answer = await self.call.check_code(sid, code)
        if self.session.session_id != sid or self.session.state is not State.BOOKING_CODE:
            return
        if answer is None:
            status: dict[str, Any] = {"state": "refused", "reason": "no_answer"}
        elif answer.get("booked"):
            status = {"state": "accepted", "slot_start": answer.get("slot_start", "")}
        elif answer.get("reason") == "unavailable":
            # The portal's own trouble: the patient is not turned away, but waits as a walk-in.
            status = {"state": "accepted", "reason": "unavailable"}
            code = ""
        else:
            status = {
                "state": "refused",
                "reason": str(answer.get("reason", "bad_code")),
                "walk_in": bool(answer.get("walk_in")),
                "booking_site": str(answer.get("booking_site", "")),
            }
        self._code_status = (sid, status)
        log.info("session %s: booking code %s", sid, status["state"])
        if status["state"] == "accepted":
            send_quietly(self.session, ContinueWithoutCard(code))

    @property
    def takes_walk_ins(self) -> bool:
        """Whether a patient without card nor code may wait without an appointment here."""
        return self.takes_booking_codes and self.call is not None and self.call.link.walk_ins

    def continue_without_card(self) -> bool:
        """At a cabin that takes walk-ins (the portal said so at connection, or with a refused
        code): wait without an appointment."""
        status = self.booking_code_status
        if not self.takes_walk_ins and (status is None or not status.get("walk_in")):
            return False
        if status is not None and status.get("state") == "checking":
            return False  # a code is being checked: its answer decides
        return send_quietly(self.session, ContinueWithoutCard())

    def print_test_page(self) -> str:
        """The technician's test print (blocking): a line saying how it went."""
        import secrets

        from drivers.printer.errors import PrinterError
        from kiosk.documents.testpage import compose_test_page

        if self.printer is None:
            return "no printer configured"
        session = f"technician-{secrets.token_hex(4)}"
        try:
            result = self.printer.print_document(session, compose_test_page(self.config.cabin.id))
        except PrinterError as exc:
            self._on_printer_health(*printer_health(exc))
            return f"test page not printed: {exc.reason}"
        finally:
            self.runtime.spool.wipe(session)
        self._on_printer_health(PrinterState.IDLE, "")
        return f"test page printed (job {result.job_id}, {result.seconds:.1f} s)"

    def _on_printer_health(self, state: PrinterState, detail: str) -> None:
        self.health.set_printer(state, detail)

    def _on_measurement(self, status: MeasurementStatus) -> None:
        failed = status.state == MeasuringState.FAILED
        reason = measuring_reason(status.reason) if failed else None
        if status.device:
            if status.state in DEVICE_HEALTH:
                self.health.set_device(status.device, status.kind, DEVICE_HEALTH[status.state])
            elif reason is not None:
                health = FAILED_DEVICE_HEALTH.get(reason, DeviceState.FAULT)
                detail = status.reason if health is DeviceState.FAULT else ""
                self.health.set_device(status.device, status.kind, health, detail)
        if status.state == BACK:
            return  # for the fleet only: the doctor sees the measurement go on
        if self.call is not None:
            from drivers.types import ReadingKind

            self.call.send_measuring(ReadingKind(status.kind), MeasuringState(status.state), reason)

    def _on_call(self, update: Any) -> None:
        from kiosk.call import CheckedIn, PrescriptionFormReceived

        if isinstance(update, PrescriptionFormReceived):
            self.tasks.spawn(self._compose_prescription(update), "compose-prescription")
        elif isinstance(update, CheckedIn):
            answer = update.answer
            if (
                answer.get("walk_in") is False
                and not answer.get("booked")
                and answer.get("session_id") == self.session.session_id
                and self.session.state is State.WAITING_ROOM
            ):
                # No appointment at a cabin that sees booked patients only: the goodbye
                # screen says where to book.
                log.info("session %s: no appointment, no walk-ins here", self.session.log_id)
                send_quietly(self.session, EndSession())

    async def _compose_prescription(self, received: PrescriptionFormReceived) -> None:
        """Compose the doctor's form; kept for printing only if it is still the session's
        latest version, replacing the earlier one (the papers print once, at the end). The
        page is told either way (:meth:`~kiosk.call.CabinCall.prescription_settled`)."""
        from kiosk.documents.errors import DocumentInputError
        from kiosk.documents.inputs import Prescription
        from kiosk.documents.prescription import compose_prescription
        from kiosk.domain import DocumentKind
        from protocol import ErrorCode, ProtocolError

        def refuse(code: ErrorCode, detail: str) -> None:
            if self.call is not None:
                self.call.prescription_settled(received, ProtocolError(code, detail))

        data = self.session.data
        version = received.version
        if data is None or (version is not None and version.session_id != data.session_id):
            refuse(ErrorCode.WRONG_SESSION, "not the cabin's current session")
            return
        if data.chosen is None and not data.without_card:
            refuse(ErrorCode.NOT_FOUND, "no patient identity")
            return
        person = None if data.without_card else data.chosen
        cabin = self.config.cabin
        merged = prescription_input(received.form, person, cabin_id=cabin.id, zone=cabin.timezone)
        try:
            document = await asyncio.to_thread(
                lambda: compose_prescription(Prescription.from_json(merged))
            )
        except DocumentInputError as exc:
            # The form's problem is named by field, never by value.
            field_name = str(exc).split(":", 1)[0]
            log.warning(
                "session %s: prescription form refused: %s", self.session.log_id, field_name
            )
            refuse(ErrorCode.BAD_FIELD, f"prescription form: {field_name}"[:120])
            return
        if (
            self.call is not None
            and version is not None
            and not self.call.prescriptions.is_latest(version)
        ):
            return  # a later version came meanwhile: it replaces this one
        if self.session.data is not data or self.session.state not in (
            State.IN_CALL,
            State.MEASURING,
        ):
            refuse(ErrorCode.WRONG_SESSION, "the consultation is over")
            return
        if data.without_card and data.chosen is None:
            # The identity the doctor checked also heads the results sheet.
            data.chosen = declared_person(merged["patient"])
            data.beneficiaries.append(data.chosen)
        # "Edit and resend" replaces: only the latest form of the session prints.
        replaced = [d for d in data.documents if d.kind is DocumentKind.PRESCRIPTION]
        for earlier in replaced:
            data.documents.remove(earlier)
        if send_quietly(self.session, DocumentReceived(document)):
            if replaced:
                log.info("session %s: prescription replaced", self.session.log_id)
            if self.call is not None:
                self.call.prescription_settled(received)
        else:
            data.documents.extend(replaced)
            refuse(ErrorCode.WRONG_SESSION, "the consultation is over")

    async def stop(self) -> None:
        await self.tasks.close()
        await self.measurements.close()
        if self.printing is not None:
            await self.printing.close()
        if self.card is not None:
            await self.card.stop()
        self._session_unsubscribe()
        if self._call_unsubscribe is not None:
            self._call_unsubscribe()
        if self.binding is not None:
            self.binding.close()
        if self.call is not None:
            await self.call.close()
        log.info("cabin %s: stopped", self.config.cabin.id)
