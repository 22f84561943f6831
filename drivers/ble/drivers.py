"""One driver per Bluetooth health profile, on the shared BLE transport.

Vendor quirks go in :data:`QUIRKS` under the model name a config gives (``model = "..."``);
a model not listed gets the standard profile behaviour.
"""

from __future__ import annotations

from typing import ClassVar

from drivers.ble import gatt as g
from drivers.ble.transport import BleInstrument, Quirks
from drivers.types import Reading, ReadingKind

#: Model name -> what that vendor does differently (none known yet; verify on real devices).
QUIRKS: dict[str, Quirks] = {}


class _HealthProfile(BleInstrument):
    """A standard health-profile driver: what differs by vendor comes from :data:`QUIRKS`."""

    quirks_by_model: ClassVar[dict[str, Quirks]] = QUIRKS


class BleBloodPressure(_HealthProfile):
    """Blood Pressure profile: cuff pressures while inflating, then the indicated result."""

    kind = ReadingKind.BLOOD_PRESSURE
    default_model = "BLE blood pressure"
    service = g.BLOOD_PRESSURE_SERVICE
    result = g.BLOOD_PRESSURE_MEASUREMENT
    also = (g.INTERMEDIATE_CUFF_PRESSURE,)


class BleThermometer(_HealthProfile):
    """Health Thermometer profile: intermediate temperatures, then the measured one."""

    kind = ReadingKind.TEMPERATURE
    default_model = "BLE thermometer"
    service = g.HEALTH_THERMOMETER_SERVICE
    result = g.TEMPERATURE_MEASUREMENT
    also = (g.INTERMEDIATE_TEMPERATURE,)


class BleWeight(_HealthProfile):
    """Weight Scale profile; a body-composition record, when the scale sends one, goes first."""

    kind = ReadingKind.WEIGHT
    default_model = "BLE scale"
    service = g.WEIGHT_SCALE_SERVICE
    result = g.WEIGHT_MEASUREMENT
    also = (g.BODY_COMPOSITION_MEASUREMENT,)


class BlePulseOximeter(_HealthProfile):
    """Pulse Oximeter profile: a spot-check record, or the first valid continuous one."""

    kind = ReadingKind.SPO2
    default_model = "BLE pulse oximeter"
    service = g.PULSE_OXIMETER_SERVICE
    result = g.PLX_SPOT_CHECK
    also = (g.PLX_CONTINUOUS,)

    def is_result(self, uuid: int, reading: Reading) -> bool:
        return uuid == self.result or (uuid == g.PLX_CONTINUOUS and reading.valid)
