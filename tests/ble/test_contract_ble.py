"""Every BLE driver passes its kind's contract suite through bleak's real BlueZ backend."""

from __future__ import annotations

import pytest

from drivers.ble.sim import BlueZSimulator, Profile
from tests.ble.conftest import DeviceFactory, ble_rig
from tests.instruments.contract import (
    BloodPressureContract,
    Rig,
    SpO2Contract,
    TemperatureContract,
    WeightContract,
)

pytestmark = pytest.mark.slow


class TestBleBloodPressure(BloodPressureContract):
    @pytest.fixture
    def rig(self, bluez: BlueZSimulator, ble_device: DeviceFactory) -> Rig:
        return ble_rig(bluez, ble_device, Profile.BLOOD_PRESSURE)


class TestBleThermometer(TemperatureContract):
    @pytest.fixture
    def rig(self, bluez: BlueZSimulator, ble_device: DeviceFactory) -> Rig:
        return ble_rig(bluez, ble_device, Profile.THERMOMETER)


class TestBleWeight(WeightContract):
    @pytest.fixture
    def rig(self, bluez: BlueZSimulator, ble_device: DeviceFactory) -> Rig:
        return ble_rig(bluez, ble_device, Profile.WEIGHT)


class TestBlePulseOximeter(SpO2Contract):
    @pytest.fixture
    def rig(self, bluez: BlueZSimulator, ble_device: DeviceFactory) -> Rig:
        return ble_rig(bluez, ble_device, Profile.PULSE_OXIMETER)
