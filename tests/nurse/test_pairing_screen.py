"""Issue #23: the nurse pairs the kit's BLE instruments from the desk ("Appareils"), driven
through the real screen (pytest-qt) against bleak's real BlueZ backend and the simulated
BlueZ on a private D-Bus: search, the list with each kind, pair (battery shown), forget, and
a cuff bonded to a phone explained in words."""

from __future__ import annotations

import pytest

from drivers.ble.sim import BlueZSimulator, Profile
from tests.ble.conftest import DeviceFactory, ble_device, bluez  # noqa: F401 - the rig
from tests.core.helpers import reading
from tests.nurse.test_signin_screen import desk, sign_in
from tests.ui.helpers import click
from ui.screens.nurse_signin import NurseSignInScreen

WAIT_MS = 30_000
BONDED_ELSEWHERE = (
    "Ce brassard est appairé à un autre appareil (téléphone ?) : effacez son appairage (voir "
    "sa notice), puis réessayez."
)


def devices_page(qtbot, app) -> NurseSignInScreen:
    screen = sign_in(qtbot, app)
    assert screen.devices_button.isVisible() and screen.devices_button.text() == "Appareils"
    click(qtbot, screen.devices_button)
    assert screen.pairing.isVisible() and screen.back_button.isVisible()
    assert not screen.no_card_button.isVisible() and not screen.sign_out_button.isVisible()
    assert screen.title.text() == "Les appareils de la mallette"
    return screen


def search(qtbot, screen: NurseSignInScreen, address: str) -> None:
    panel = screen.pairing
    click(qtbot, panel.scan_button)
    assert panel.busy == "scan" and not panel.scan_button.isEnabled()
    qtbot.waitUntil(lambda: not panel.busy, timeout=WAIT_MS)
    assert panel.error == ""
    rows = [panel.devices.item(i) for i in range(panel.devices.count())]
    row = next(r for r in rows if r is not None and r.data(256) == address)
    row.setSelected(True)


def row_text(screen: NurseSignInScreen, address: str) -> str:
    panel = screen.pairing
    for i in range(panel.devices.count()):
        item = panel.devices.item(i)
        if item is not None and item.data(256) == address:
            return item.text().replace("\u2066", "").replace("\u2069", "")  # the isolates
    raise AssertionError(f"{address} not listed")


@pytest.mark.slow
def test_search_pair_and_forget_from_the_desk(
    mallette,
    qtbot,
    bluez: BlueZSimulator,  # noqa: F811
    ble_device: DeviceFactory,  # noqa: F811
):
    cuff = ble_device(Profile.BLOOD_PRESSURE, name="Tensio A", battery=64)
    scale = ble_device(Profile.WEIGHT, name="Balance B")
    screen = devices_page(qtbot, mallette)
    panel = screen.pairing
    panel.service.scan_s = 0.6
    search(qtbot, screen, cuff)
    assert row_text(screen, cuff) == "Tensiomètre — Tensio A"
    assert row_text(screen, scale) == "Balance — Balance B"
    assert panel.status.text().startswith("Appareils trouvés")
    assert panel.pair_button.isEnabled() and not panel.forget_button.isEnabled()
    click(qtbot, panel.pair_button)
    qtbot.waitUntil(lambda: not panel.busy, timeout=WAIT_MS)
    assert panel.error == "" and bluez.state(cuff)["host_paired"]
    assert row_text(screen, cuff) == "Tensiomètre — Tensio A  ·  ✓ Appairé  ·  Batterie 64 %"
    assert panel.forget_button.isEnabled() and not panel.pair_button.isEnabled()
    # A blood pressure came in a consultation: the desk shows when, never the value.
    panel.service._on_update(_reading_update())
    panel.refresh()
    assert "Dernière mesure à " in row_text(screen, cuff) and "138" not in row_text(screen, cuff)
    click(qtbot, panel.forget_button)
    qtbot.waitUntil(lambda: not panel.busy, timeout=WAIT_MS)
    assert not bluez.state(cuff)["host_paired"]
    assert row_text(screen, cuff) == "Tensiomètre — Tensio A"
    click(qtbot, screen.back_button)
    assert not panel.isVisible() and screen.no_card_button.isVisible()
    assert screen.title.text() == "Patient suivant"


@pytest.mark.slow
def test_a_cuff_bonded_to_a_phone_is_explained(
    mallette,
    qtbot,
    bluez: BlueZSimulator,  # noqa: F811
    ble_device: DeviceFactory,  # noqa: F811
):
    cuff = ble_device(Profile.BLOOD_PRESSURE, name="Tensio C", bonded_elsewhere=True)
    screen = devices_page(qtbot, mallette)
    panel = screen.pairing
    panel.service.scan_s = 0.6
    search(qtbot, screen, cuff)
    with qtbot.waitSignal(panel.announce, timeout=WAIT_MS) as said:
        click(qtbot, panel.pair_button)
    assert said.args == [BONDED_ELSEWHERE]
    assert panel.error_label.isVisible() and panel.error_label.text() == BONDED_ELSEWHERE
    assert BONDED_ELSEWHERE in screen.spoken_text()  # read aloud when speech is on
    assert not bluez.state(cuff)["host_paired"] and panel.pair_button.isEnabled()
    # Its pairing erased (its notice): the retry pairs it, the explanation goes.
    bluez.bond_elsewhere(cuff, False)
    click(qtbot, panel.pair_button)
    qtbot.waitUntil(lambda: not panel.busy, timeout=WAIT_MS)
    assert not panel.error_label.isVisible() and bluez.state(cuff)["host_paired"]


def _reading_update():
    from kiosk.session import Notice, State, Update

    return Update(Notice.READING, State.MEASURING, reading=reading())


def test_the_devices_page_needs_a_nurse_signed_in(mallette, qtbot):
    screen = desk(mallette)
    assert not screen.devices_button.isVisible()
    screen.on_devices()
    assert not screen.pairing_devices and not screen.pairing.isVisible()
