"""A mallette: the demo cabin as a nurse's kit, its window shown offscreen."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kiosk import config as config_mod
from kiosk.clock import ManualClock
from tests.ui.conftest import kiosk_app, kiosk_config  # noqa: F401 - the demo config, privately spooled


@pytest.fixture
def mallette_config(kiosk_config):  # noqa: F811
    return replace(
        kiosk_config,
        cabin=replace(kiosk_config.cabin, form="mallette"),
        session=replace(kiosk_config.session, require_cleaning=False),
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def mallette(qtbot, mallette_config, clock):
    from ui.app import KioskApp

    app = KioskApp(mallette_config, fullscreen=False, clock=clock)
    app.start_session()
    qtbot.addWidget(app.window)
    app.window.resize(1280, 800)
    app.show()
    qtbot.waitExposed(app.window)
    yield app
    app.close()


__all__ = ["config_mod"]
