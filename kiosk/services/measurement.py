"""The measurements the doctor asks for, run on the configured instruments.

:class:`MeasurementService` relays readings to the session as they come, puts the session on
the "instrument unplugged" screen and resumes when the device answers again; each step is
told as a :class:`MeasurementStatus` (no values) for the doctor and the fleet's health.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from drivers.errors import DriverError
from drivers.instrument import (
    Instrument,
    InstrumentError,
    InstrumentErrorReason,
    InstrumentUnpluggedError,
    MeasurementAbortedError,
)
from drivers.types import Reading
from kiosk import instruments
from kiosk.config import Config, DeviceConfig
from kiosk.errors import ConfigError
from kiosk.health import DeviceState
from kiosk.session import (
    Fault,
    FaultCleared,
    FaultKind,
    MeasurementCancelled,
    Notice,
    ReadingReceived,
    Session,
    State,
    Update,
    send_quietly,
)
from kiosk.tasks import Tasks
from protocol import MeasuringReason, MeasuringState

log = logging.getLogger(__name__)

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


def device_health(status: MeasurementStatus) -> tuple[DeviceState, str] | None:
    """What ``status`` says of its instrument for the fleet (its state and detail), or None
    when it says nothing (no device was used, or the measurement was cancelled)."""
    if not status.device:
        return None
    if status.state in DEVICE_HEALTH:
        return DEVICE_HEALTH[status.state], ""
    if status.state != MeasuringState.FAILED:
        return None
    health = FAILED_DEVICE_HEALTH.get(measuring_reason(status.reason), DeviceState.FAULT)
    return health, status.reason if health is DeviceState.FAULT else ""
