"""Serial instrument simulators on real ptys, and a cabin config pointing at them."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from drivers.and_scale.sim import AndScaleSimulator
from drivers.suntech.sim import SunTechSimulator
from kiosk import config as config_mod
from kiosk.config import DeviceConfig

# The private CUPS and the portal, for the cabin tests that need them (fleet health).
from tests.documents.conftest import cups  # noqa: F401
from tests.portal.conftest import portal, portal_config  # noqa: F401


@pytest.fixture
def sims(tmp_path: Path):
    bp = SunTechSimulator(name="t-bp", link=tmp_path / "bp", inflate_s=0.3, deflate_s=0.3)
    scale = AndScaleSimulator(name="t-scale", link=tmp_path / "scale")
    bp.start()
    scale.start()
    yield {"bp": bp, "scale": scale, "dir": tmp_path}
    bp.stop()
    scale.stop()
    shutil.rmtree(spool_of(tmp_path), ignore_errors=True)


def spool_of(test_dir: Path) -> Path:
    """The tmpfs spool of the cabin of the test working in ``test_dir``."""
    return Path("/dev/shm") / f"cabine-t-cabin-{os.getpid()}-{test_dir.name}"


def cabin_config(sims, **devices: DeviceConfig):
    base = config_mod.load(config_mod.project_config("demo"))
    spool = str(spool_of(sims["dir"]))
    default = {
        "tensiometer": DeviceConfig(
            driver="suntech-advantage", kind="blood_pressure", port=str(sims["dir"] / "bp")
        ),
        "scale": DeviceConfig(
            driver="and-weight",
            kind="weight",
            port=str(sims["dir"] / "scale"),
            measure_timeout=20.0,
        ),
    }
    default.update(devices)
    return replace(base, session=replace(base.session, spool_dir=spool), devices=default)


def into_the_call(session: Any) -> None:
    """A card patient (``tests.core.helpers.beneficiary(0)``) checks in; the doctor joins."""
    from kiosk.session import (
        BeneficiaryChosen,
        CardInserted,
        CardRead,
        ConsentGiven,
        DoctorJoined,
    )
    from tests.core.helpers import beneficiary

    for event in (
        CardInserted(),
        CardRead((beneficiary(0),)),
        BeneficiaryChosen(0),
        ConsentGiven(),
        DoctorJoined(),
    ):
        session.send(event)


@contextlib.asynccontextmanager
async def running(cabin: Any) -> AsyncIterator[Any]:
    """``cabin`` started; stopped and its spool folder gone at the end."""
    await cabin.start()
    try:
        yield cabin
    finally:
        await cabin.stop()
        shutil.rmtree(cabin.config.session.spool_dir, ignore_errors=True)


@contextlib.asynccontextmanager
async def in_call_cabin(cfg: Any) -> AsyncIterator[Any]:
    """A started cabin (no card reader, no call) whose session is in the call; its
    measurement statuses are kept in ``.statuses``."""
    from kiosk.cabin import Cabin

    cabin = Cabin(cfg, card=False, tick=False)
    cabin.statuses = []  # type: ignore[attr-defined]
    cabin.measurements.on_status = cabin.statuses.append  # type: ignore[attr-defined]
    async with running(cabin):
        into_the_call(cabin.session)
        yield cabin
