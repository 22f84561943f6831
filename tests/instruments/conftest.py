"""Serial instrument rigs: each driver on a real pty, its simulator on the other end."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.and_scale.serial import AndWeighing
from drivers.and_scale.sim import AndScaleSimulator
from drivers.contec.serial import ContecCms50d
from drivers.contec.sim import ContecSimulator
from drivers.instrument import Instrument, InstrumentOptions
from drivers.masimo.serial import MasimoRad8
from drivers.masimo.sim import MasimoSimulator
from drivers.nonin.serial import NoninOem3
from drivers.nonin.sim import NoninSimulator
from drivers.ptysim import PtySimulator
from drivers.suntech.serial import SunTechAdvantage
from drivers.suntech.sim import SunTechSimulator
from tests.instruments.contract import Rig, options

#: Bytes that are no frame of any family (a SunTech start with an impossible length, a Nonin
#: start with a bad sum, a Contec sync byte, an empty line): sent before every device write.
NOISE = b"\xff\x00\x3e\x07\x01\x80\x13\r\n"

SLOW_OXIMETER = [{"sample": {"finger_out": True, "seconds": 8}}, {"sample": {"spo2": 97}}]


def _rig(
    sim: PtySimulator,
    driver: type[Instrument],
    *,
    slow: list[dict[str, Any]],
    expect: dict[str, float],
) -> Rig:
    def make(**overrides: Any) -> Instrument:
        return driver(InstrumentOptions(**options(port=sim.path, **overrides)))

    return Rig(
        make=make,
        unplug=sim.unplug,
        replug=sim.replug,
        garbage=lambda: sim.set_noise(NOISE),
        silence=sim.silence,
        slow=lambda: sim.play(slow),
        expect=expect,
    )


def _started(sim: PtySimulator) -> Iterator[PtySimulator]:
    sim.start()
    try:
        yield sim
    finally:
        sim.stop()


@pytest.fixture
def link(tmp_path: Path) -> Path:
    return tmp_path / "ttyINSTR"


@pytest.fixture
def suntech_sim(link: Path) -> Iterator[SunTechSimulator]:
    yield from _started(SunTechSimulator(link=link, inflate_s=0.15, deflate_s=0.15))  # type: ignore[misc]


@pytest.fixture
def scale_sim(link: Path) -> Iterator[AndScaleSimulator]:
    yield from _started(AndScaleSimulator(link=link))  # type: ignore[misc]


@pytest.fixture
def nonin_sim(link: Path) -> Iterator[NoninSimulator]:
    yield from _started(NoninSimulator(link=link))  # type: ignore[misc]


@pytest.fixture
def contec_sim(link: Path) -> Iterator[ContecSimulator]:
    yield from _started(ContecSimulator(link=link))  # type: ignore[misc]


@pytest.fixture
def masimo_sim(link: Path) -> Iterator[MasimoSimulator]:
    # a Rad-8 sends a line a second; ten a second keeps the suite fast, same bytes
    yield from _started(MasimoSimulator(link=link, period=0.1))  # type: ignore[misc]


RigFactory = Callable[..., Rig]


@pytest.fixture
def suntech_rig(suntech_sim: SunTechSimulator) -> Rig:
    slow = [{"measure": {"inflate_s": 4, "deflate_s": 4}}]
    return _rig(
        suntech_sim,
        SunTechAdvantage,
        slow=slow,
        expect={"systolic": 120, "diastolic": 80, "map": 93, "pulse": 72},
    )


@pytest.fixture
def scale_rig(scale_sim: AndScaleSimulator) -> Rig:
    slow = [{"weight": {"value": 70 + i / 10, "stable": False}} for i in range(40)]
    return _rig(scale_sim, AndWeighing, slow=slow, expect={"weight": 70.5})


@pytest.fixture
def nonin_rig(nonin_sim: NoninSimulator) -> Rig:
    return _rig(nonin_sim, NoninOem3, slow=SLOW_OXIMETER, expect={"spo2": 97, "pulse": 72})


@pytest.fixture
def contec_rig(contec_sim: ContecSimulator) -> Rig:
    return _rig(contec_sim, ContecCms50d, slow=SLOW_OXIMETER, expect={"spo2": 97, "pulse": 72})


@pytest.fixture
def masimo_rig(masimo_sim: MasimoSimulator) -> Rig:
    return _rig(masimo_sim, MasimoRad8, slow=SLOW_OXIMETER, expect={"spo2": 97, "pulse": 72})
