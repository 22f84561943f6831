"""The kiosk's side of the instruments: config to driver, one measurement, the self-test.

Drivers know nothing of the kiosk: this module turns a ``[devices.ID]`` table into the
driver's own options, builds the driver through the registry and relays its readings.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from drivers import registry
from drivers.errors import DriverError
from drivers.instrument import Instrument, InstrumentOptions, ReadingCallback
from drivers.types import Reading, ReadingKind
from kiosk.config import Config, DeviceConfig
from kiosk.errors import ConfigError
from kiosk.session import ReadingReceived

if TYPE_CHECKING:
    from kiosk.selftest import CheckResult

log = logging.getLogger(__name__)


def options_from_config(
    device_id: str, device: DeviceConfig, *, default_connect_grace: float = 2.0
) -> InstrumentOptions:
    """The driver's options for ``[devices.DEVICE_ID]`` (zero/empty keep the driver default)."""
    return InstrumentOptions(
        id=device_id,
        port=device.port,
        address=device.address,
        baudrate=device.baudrate,
        parity=device.parity,
        bytesize=device.bytesize,
        stopbits=device.stopbits,
        model=device.model,
        serial=device.serial,
        measure_timeout=device.measure_timeout,
        clock_window=device.clock_window,
        connect_grace=device.connect_grace or default_connect_grace,
    )


def build(device_id: str, device: DeviceConfig) -> Instrument:
    """The driver named by the config, built but not opened.

    Raises :class:`ConfigError` when the driver is not an instrument or measures another kind,
    and the registry's :class:`DriverError` when it is unknown or cannot load.
    """
    cls: Any = registry.resolve(device.driver)
    where = f"[devices.{device_id}]"
    if not (isinstance(cls, type) and issubclass(cls, Instrument)):
        raise ConfigError(f"{where}: driver {device.driver!r} is not an instrument")
    if cls.kind is not ReadingKind(device.kind):
        raise ConfigError(
            f"{where}: driver {device.driver!r} measures {cls.kind.value}, not {device.kind}"
        )
    options = options_from_config(
        device_id, device, default_connect_grace=cls.default_connect_grace
    )
    instrument: Instrument = cls(options)
    return instrument


def device_config(cfg: Config, device_id: str) -> DeviceConfig:
    try:
        return cfg.devices[device_id]
    except KeyError:
        known = ", ".join(sorted(cfg.devices)) or "none"
        raise ConfigError(
            f"{cfg.source or 'config'}: no device {device_id!r} (configured: {known})"
        ) from None


async def measure(
    instrument: Instrument,
    *,
    timeout: float | None = None,
    on_reading: ReadingCallback | None = None,
) -> Reading:
    """One measurement on an instrument, opened (and closed) around it."""
    log.info("instrument %s: measurement started", instrument.id)
    async with instrument:
        reading = await instrument.measure(timeout=timeout, on_reading=on_reading)
    log.info("instrument %s: measurement done (valid=%s)", instrument.id, reading.valid)
    return reading


def relay_to(send: Callable[[Any], object]) -> ReadingCallback:
    """A reading callback that hands each reading to a session as ``ReadingReceived``.

    ``send`` is :meth:`kiosk.session.Session.send` (or anything taking the event).
    """

    def relay(reading: Reading) -> None:
        send(ReadingReceived(reading))

    return relay


def _summary(instrument: Instrument, checks: Iterable[Any]) -> tuple[bool, str]:
    parts = []
    ok = True
    for check in checks:
        ok = ok and check.ok
        parts.append(f"{check.name} {'ok' if check.ok else 'FAILED'}: {check.detail}")
    return ok, f"{type(instrument).__name__}; " + "; ".join(parts)


async def _selftest_all(cfg: Config) -> list[CheckResult]:
    from kiosk.selftest import CheckResult  # kiosk.selftest lists this module's check

    results: list[CheckResult] = []
    for device_id, device in cfg.devices.items():
        name = f"device:{device_id}"
        try:
            instrument = build(device_id, device)
        except (DriverError, ConfigError) as exc:
            results.append(CheckResult(name, False, str(exc)))
            continue
        try:
            report = await instrument.selftest()
        finally:
            await instrument.close()
        ok, detail = _summary(instrument, report.checks)
        results.append(CheckResult(name, ok and report.ok, detail))
    return results


def _run(coro_factory: Callable[[], Any]) -> Any:
    """Run a coroutine to completion, also when called from inside a running loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro_factory())
    box: dict[str, Any] = {}

    def worker() -> None:
        try:
            box["value"] = asyncio.run(coro_factory())
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=worker, name="instrument-selftest", daemon=True)
    thread.start()
    thread.join(timeout=120.0)
    if thread.is_alive():
        raise TimeoutError("the instruments' self-test did not finish within 120 s")
    if "error" in box:
        raise box["error"]
    return box["value"]


def check_instruments(cfg: Config) -> Iterable[CheckResult]:
    """``kiosk selftest``: per configured device, driver loads, port present, device answers,
    last frame valid."""
    results: list[CheckResult] = _run(lambda: _selftest_all(cfg))
    return results
