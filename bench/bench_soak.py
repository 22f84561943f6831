"""1,000 scripted sessions in one process (no video): memory and file descriptors stay flat.

Each session goes the whole way through the core: card events, identity, consent, call
events, a blood-pressure measurement taken for real from the SunTech simulator on a pty,
the results sheet composed, then goodbye and the wipe. The card (see ``bench_card``) and
CUPS (see ``bench_documents``) are measured on their own: here they would only add waits.
"""

from __future__ import annotations

import asyncio
import gc
import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.common import entry, open_fds, stats, uss_mb

ENTRIES = ("soak_sessions",)
SESSIONS = int(os.environ.get("CABINE_SOAK_SESSIONS", "1000"))
WARM_UP = max(10, SESSIONS // 10)


async def _soak() -> dict[str, Any]:
    from drivers.suntech.sim import SunTechSimulator
    from drivers.types import Beneficiary, ReadingKind
    from kiosk import config as config_mod
    from kiosk.cabin import Cabin
    from kiosk.clock import SystemClock
    from kiosk.config import DeviceConfig
    from kiosk.documents.inputs import CabinOnPaper, ResultsInput
    from kiosk.documents.results import compose_results
    from kiosk.services.printing import patient_of
    from kiosk.session import (
        BeneficiaryChosen,
        CallEnded,
        CardInserted,
        CardRead,
        CardRemoved,
        CleaningConfirmed,
        ConsentGiven,
        DoctorJoined,
        MeasurementRequested,
        PrintingDone,
        State,
    )

    def beneficiary(rank: int, *, first: str = "Anne") -> Beneficiary:
        nir13 = "1850578006084"  # fictitious, with a valid key
        return Beneficiary(
            last_name="Soak",
            first_name=first,
            birth_date="19850512",
            nir=nir13 + f"{97 - int(nir13) % 97:02d}",
            rank=rank,
        )

    work = Path(tempfile.mkdtemp(prefix="cabine-soak-"))
    sim = SunTechSimulator(name="soak-bp", link=work / "bp", inflate_s=0.0, deflate_s=0.0)
    sim.start()
    base = config_mod.load(config_mod.project_config("demo"))
    cfg = replace(
        base,
        session=replace(base.session, spool_dir=f"/dev/shm/cabine-soak-{os.getpid()}"),
        devices={
            "tensiometer": DeviceConfig(
                driver="suntech-advantage", kind="blood_pressure", port=str(work / "bp")
            )
        },
    )
    cabin = Cabin(cfg, card=False, tick=False)
    await cabin.start()
    session = cabin.session
    clock = SystemClock()
    usage: list[tuple[int, float, int]] = []
    durations: list[float] = []
    try:
        for i in range(SESSIONS):
            started = clock.monotonic()
            session.send(CardInserted())
            session.send(CardRead((beneficiary(0), beneficiary(1, first="Léo"))))
            session.send(BeneficiaryChosen(1))
            session.send(ConsentGiven())
            session.send(DoctorJoined())
            session.send(MeasurementRequested(ReadingKind.BLOOD_PRESSURE))
            deadline = clock.monotonic() + 30
            while session.state is State.MEASURING and clock.monotonic() < deadline:
                await asyncio.sleep(0.001)
            if session.state is not State.IN_CALL or session.data is None:
                raise RuntimeError(f"session {i}: measurement did not finish ({session.state})")
            data = session.data
            compose_results(
                ResultsInput(
                    cabin=CabinOnPaper(id=cfg.cabin.id),
                    patient=patient_of(data.chosen),
                    readings=tuple(data.readings),
                )
            )
            session.send(CallEnded())
            session.send(PrintingDone())
            session.send(CardRemoved())
            if session.data is not None or cabin.runtime.spool.files():
                raise RuntimeError(f"session {i}: data left after the wipe")
            session.send(CleaningConfirmed())
            durations.append(clock.monotonic() - started)
            if i + 1 in (WARM_UP, SESSIONS) or (i + 1) % 100 == 0:
                gc.collect()
                usage.append((i + 1, uss_mb(), open_fds()))
    finally:
        await cabin.stop()
        sim.stop()
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(cfg.session.spool_dir, ignore_errors=True)
    warm = next(u for u in usage if u[0] >= WARM_UP)
    end = usage[-1]
    growth = (end[1] - warm[1]) / warm[1] * 100
    print(
        f"soak: {SESSIONS} sessions; USS {warm[1]:.1f} MB after {warm[0]} -> {end[1]:.1f} MB "
        f"({growth:+.2f} %); fds {warm[2]} -> {end[2]}"
    )
    for n, uss, fds in usage:
        print(f"  after {n:5d} sessions: USS {uss:7.1f} MB, {fds} fds")
    kiosk = stats([growth], "%")
    kiosk["uss_mb_warm"] = round(warm[1], 1)
    kiosk["uss_mb_end"] = round(end[1], 1)
    kiosk["fds_warm"] = warm[2]
    kiosk["fds_end"] = end[2]
    kiosk["session_ms_median"] = round(stats(durations, "s")["median"] * 1000, 2)
    return entry(
        kiosk,
        None,
        budget="memory flat (<= 5 % after warm-up), file descriptors flat",
        met=growth <= 5.0 and end[2] <= warm[2],
    )


def run() -> dict[str, Any]:
    return {"soak_sessions": asyncio.run(_soak())}
