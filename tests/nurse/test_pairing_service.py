"""Issue #23: the mallette's BLE instruments paired from the desk, through bleak's real BlueZ
backend against the simulated BlueZ on a private D-Bus: scan (kinds from the advertised
health services), pair (bonded, battery read), forget (RemoveDevice), a cuff bonded to a
phone refused with its reason; every wait bounded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from drivers.ble.sim import BlueZSimulator, Profile
from kiosk.services.pairing import (
    DeviceKind,
    PairingError,
    PairingFailure,
    PairingService,
    kind_of,
    uuid16,
)
from kiosk.session import Notice, Session, State, Update
from tests.ble.conftest import DeviceFactory, ble_device, bluez  # noqa: F401 - the rig
from tests.core.helpers import reading

WAIT = 30.0


@pytest.fixture
def service(bluez: BlueZSimulator) -> Iterator[PairingService]:  # noqa: F811
    pairing = PairingService(scan_s=0.6, timeout_s=5.0)
    yield pairing
    pairing.close()


def test_kinds_from_the_advertised_services():
    assert uuid16("00001810-0000-1000-8000-00805f9b34fb") == 0x1810
    assert uuid16("6e400001-b5a3-f393-e0a9-e50e24dcca9e") is None
    assert (
        kind_of(["0000180f-0000-1000-8000-00805f9b34fb", "00001822-0000-1000-8000-00805f9b34fb"])
        is DeviceKind.PULSE_OXIMETER
    )
    assert kind_of(["0000181d-0000-1000-8000-00805F9B34FB"]) is DeviceKind.WEIGHT
    assert kind_of([]) is DeviceKind.UNKNOWN


def test_scan_pair_battery_forget(
    bluez: BlueZSimulator,  # noqa: F811
    ble_device: DeviceFactory,  # noqa: F811
    service: PairingService,
):
    cuff = ble_device(Profile.BLOOD_PRESSURE, name="Cuff A", battery=63)
    thermo = ble_device(Profile.THERMOMETER, battery=-1)
    found = {d.address: d for d in service.submit(service.scan).result(WAIT)}
    assert found[cuff].kind is DeviceKind.BLOOD_PRESSURE and found[cuff].name == "Cuff A"
    assert found[thermo].kind is DeviceKind.THERMOMETER and not found[cuff].paired
    assert service.submit(lambda: service.pair(cuff)).result(WAIT) == 63
    assert bluez.state(cuff)["host_paired"] and not bluez.state(cuff)["connected"]
    assert service.found[cuff].paired and service.battery[cuff] == 63
    assert service.submit(lambda: service.pair(thermo)).result(WAIT) is None  # no battery service
    service.submit(lambda: service.forget(cuff)).result(WAIT)
    assert not bluez.state(cuff)["host_paired"]
    assert not service.found[cuff].paired and cuff not in service.battery
    assert any("RemoveDevice" in call for call in bluez.calls)
    # Forgotten: BlueZ no longer knows it; forgetting again says so.
    with pytest.raises(PairingError) as again:
        service.submit(lambda: service.forget(cuff)).result(WAIT)
    assert again.value.reason is PairingFailure.NOT_FOUND


def test_a_cuff_bonded_to_a_phone_is_refused_with_its_reason(
    bluez: BlueZSimulator,  # noqa: F811
    ble_device: DeviceFactory,  # noqa: F811
    service: PairingService,
    caplog: pytest.LogCaptureFixture,
):
    cuff = ble_device(Profile.BLOOD_PRESSURE, bonded_elsewhere=True)
    service.submit(service.scan).result(WAIT)
    with pytest.raises(PairingError) as refused:
        service.submit(lambda: service.pair(cuff)).result(WAIT)
    assert refused.value.reason is PairingFailure.BONDED_ELSEWHERE
    assert not bluez.state(cuff)["host_paired"]
    assert "bonded elsewhere" in caplog.text
    # The nurse erased the cuff's pairing (its notice): it pairs now.
    bluez.bond_elsewhere(cuff, False)
    assert service.submit(lambda: service.pair(cuff)).result(WAIT) == 85


def test_an_unknown_address_is_not_found_in_bounded_time(service: PairingService):
    with pytest.raises(PairingError) as missing:
        service.submit(lambda: service.pair("C0:FF:EE:99:99:99")).result(WAIT)
    assert missing.value.reason in (PairingFailure.NOT_FOUND, PairingFailure.TIMEOUT)


def test_the_last_reading_time_by_kind_never_its_value():
    pairing = PairingService(Session())
    try:
        pairing._on_update(
            Update(Notice.READING, State.MEASURING, reading=reading(intermediate=True))
        )
        assert pairing.last_reading == {}  # the cuff inflating is not a reading
        pairing._on_update(Update(Notice.READING, State.MEASURING, reading=reading()))
        assert set(pairing.last_reading) == {DeviceKind.BLOOD_PRESSURE}
    finally:
        pairing.close()


def test_a_device_script_says_bonded_elsewhere_and_battery(tmp_path):
    from drivers.ble.sim import ScriptError, load_device_script

    script = tmp_path / "cuff.toml"
    script.write_text(
        '[device]\nprofile = "blood_pressure"\nbonded_elsewhere = true\nbattery = 12\n',
        encoding="utf-8",
    )
    spec, steps = load_device_script(script)
    assert spec.bonded_elsewhere and spec.battery == 12 and steps == []
    script.write_text('[device]\nprofile = "thermometer"\nbattery = 140\n', encoding="utf-8")
    with pytest.raises(ScriptError, match="battery: a percentage"):
        load_device_script(script)
