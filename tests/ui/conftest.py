"""A kiosk on the demo config with a manual clock, its window shown offscreen."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk import config as config_mod
from kiosk.clock import ManualClock


@pytest.fixture
def kiosk_config(tmp_path_factory) -> config_mod.Config:
    cfg = config_mod.load(config_mod.project_config("demo"))
    spool = Path("/dev/shm") / f"cabine-ui-{os.getpid()}-{tmp_path_factory.getbasetemp().name}"
    yield replace(cfg, session=replace(cfg.session, spool_dir=str(spool)))
    shutil.rmtree(spool, ignore_errors=True)


@pytest.fixture
def kiosk_app(qtbot, kiosk_config):
    from ui.app import KioskApp

    app = KioskApp(kiosk_config, fullscreen=False, clock=ManualClock())
    app.start_session()
    qtbot.addWidget(app.window)
    app.window.resize(1920, 1080)
    app.show()
    qtbot.waitExposed(app.window)
    yield app
    app.close()
