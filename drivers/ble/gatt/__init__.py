"""Bluetooth health-profile characteristics: one pure codec each (bytes <-> typed values).

One module per characteristic, as the Nordic BLE common library has one parser each; what
they share is in ``common`` and the assigned numbers in ``uuids``. Decoders honour every flag
and raise :class:`FrameError` on a payload too short for what its flags announce; reserved
flag bits are ignored and trailing bytes too (later versions of a profile append fields).
Encoders build the same bytes, for the simulator and the tests. A measurement module's
``decode_reading`` is its ``kiosk decode`` entry (see :mod:`drivers.decoding`).
"""

from __future__ import annotations

from drivers.ble.gatt.blood_pressure import (
    BloodPressure,
    decode_blood_pressure,
    encode_blood_pressure,
)
from drivers.ble.gatt.body_composition import (
    BodyComposition,
    decode_body_composition,
    encode_body_composition,
)
from drivers.ble.gatt.common import Decoder, Record
from drivers.ble.gatt.cuff_pressure import decode_intermediate_cuff_pressure
from drivers.ble.gatt.current_time import CurrentTime, decode_current_time, encode_current_time
from drivers.ble.gatt.intermediate_temperature import decode_intermediate_temperature
from drivers.ble.gatt.plx_continuous import (
    PlxContinuous,
    decode_plx_continuous,
    encode_plx_continuous,
)
from drivers.ble.gatt.plx_spot import PlxSpotCheck, decode_plx_spot_check, encode_plx_spot_check
from drivers.ble.gatt.racp import (
    Racp,
    RacpOp,
    RacpOperator,
    RacpResponse,
    decode_racp,
    encode_racp,
    racp_response,
)
from drivers.ble.gatt.temperature import (
    TEMPERATURE_SITES,
    Temperature,
    decode_temperature,
    encode_temperature,
)
from drivers.ble.gatt.uuids import (
    BASE_UUID,
    BLOOD_PRESSURE_MEASUREMENT,
    BLOOD_PRESSURE_SERVICE,
    BODY_COMPOSITION_MEASUREMENT,
    BODY_COMPOSITION_SERVICE,
    CURRENT_TIME,
    CURRENT_TIME_SERVICE,
    DEVICE_INFORMATION_SERVICE,
    HEALTH_THERMOMETER_SERVICE,
    INTERMEDIATE_CUFF_PRESSURE,
    INTERMEDIATE_TEMPERATURE,
    MANUFACTURER_NAME,
    MODEL_NUMBER,
    PLX_CONTINUOUS,
    PLX_SPOT_CHECK,
    PULSE_OXIMETER_SERVICE,
    RECORD_ACCESS_CONTROL_POINT,
    TEMPERATURE_MEASUREMENT,
    WEIGHT_MEASUREMENT,
    WEIGHT_SCALE_SERVICE,
    uuid16,
)
from drivers.ble.gatt.weight import Weight, decode_weight, encode_weight

#: Decoder of each measurement characteristic (16-bit UUID -> bytes -> record with .reading()).
MEASUREMENT_DECODERS: dict[int, Decoder] = {
    BLOOD_PRESSURE_MEASUREMENT: decode_blood_pressure,
    INTERMEDIATE_CUFF_PRESSURE: decode_intermediate_cuff_pressure,
    TEMPERATURE_MEASUREMENT: decode_temperature,
    INTERMEDIATE_TEMPERATURE: decode_intermediate_temperature,
    WEIGHT_MEASUREMENT: decode_weight,
    BODY_COMPOSITION_MEASUREMENT: decode_body_composition,
    PLX_SPOT_CHECK: decode_plx_spot_check,
    PLX_CONTINUOUS: decode_plx_continuous,
}

#: ``kiosk decode`` profile names -> the characteristic's decoder.
DECODE_PROFILES: dict[str, Decoder] = {
    "gatt-blood-pressure": decode_blood_pressure,
    "gatt-cuff-pressure": decode_intermediate_cuff_pressure,
    "gatt-temperature": decode_temperature,
    "gatt-intermediate-temperature": decode_intermediate_temperature,
    "gatt-weight": decode_weight,
    "gatt-body-composition": decode_body_composition,
    "gatt-plx-spot": decode_plx_spot_check,
    "gatt-plx-continuous": decode_plx_continuous,
}

__all__ = [
    "BASE_UUID",
    "BLOOD_PRESSURE_MEASUREMENT",
    "BLOOD_PRESSURE_SERVICE",
    "BODY_COMPOSITION_MEASUREMENT",
    "BODY_COMPOSITION_SERVICE",
    "CURRENT_TIME",
    "CURRENT_TIME_SERVICE",
    "DECODE_PROFILES",
    "DEVICE_INFORMATION_SERVICE",
    "HEALTH_THERMOMETER_SERVICE",
    "INTERMEDIATE_CUFF_PRESSURE",
    "INTERMEDIATE_TEMPERATURE",
    "MANUFACTURER_NAME",
    "MEASUREMENT_DECODERS",
    "MODEL_NUMBER",
    "PLX_CONTINUOUS",
    "PLX_SPOT_CHECK",
    "PULSE_OXIMETER_SERVICE",
    "RECORD_ACCESS_CONTROL_POINT",
    "TEMPERATURE_MEASUREMENT",
    "TEMPERATURE_SITES",
    "WEIGHT_MEASUREMENT",
    "WEIGHT_SCALE_SERVICE",
    "BloodPressure",
    "BodyComposition",
    "CurrentTime",
    "Decoder",
    "PlxContinuous",
    "PlxSpotCheck",
    "Racp",
    "RacpOp",
    "RacpOperator",
    "RacpResponse",
    "Record",
    "Temperature",
    "Weight",
    "decode_blood_pressure",
    "decode_body_composition",
    "decode_current_time",
    "decode_intermediate_cuff_pressure",
    "decode_intermediate_temperature",
    "decode_plx_continuous",
    "decode_plx_spot_check",
    "decode_racp",
    "decode_temperature",
    "decode_weight",
    "encode_blood_pressure",
    "encode_body_composition",
    "encode_current_time",
    "encode_plx_continuous",
    "encode_plx_spot_check",
    "encode_racp",
    "encode_temperature",
    "encode_weight",
    "racp_response",
    "uuid16",
]
