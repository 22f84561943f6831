"""Many sessions in one process: nothing of a patient is left, no file descriptor leaks."""

from __future__ import annotations

import gc
import os
import weakref

import pytest

from kiosk.cabin import Cabin
from kiosk.domain import ReadingKind
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
    SessionData,
    State,
)
from tests.cabin.conftest import cabin_config
from tests.core.helpers import beneficiary
from tests.helpers.waiting import until

SESSIONS = 120


def fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.slow
@pytest.mark.asyncio
async def test_sessions_leave_nothing_behind(sims):
    cfg = cabin_config(sims)
    sims["bp"].inflate_s = sims["bp"].deflate_s = 0.0
    cabin = Cabin(cfg, card=False, tick=False)
    await cabin.start()
    s = cabin.session
    gone: list[weakref.ref[SessionData]] = []
    counts = []
    try:
        for i in range(SESSIONS):
            for event in (
                CardInserted(),
                CardRead((beneficiary(0),)),
                BeneficiaryChosen(0),
                ConsentGiven(),
                DoctorJoined(),
                MeasurementRequested(ReadingKind.BLOOD_PRESSURE),
            ):
                s.send(event)
            assert s.data is not None
            gone.append(weakref.ref(s.data))
            await until(lambda: s.state is State.IN_CALL, f"session {i}'s measurement")
            (cabin.runtime.spool.session_dir(s.session_id) / "results.pdf").write_bytes(b"%PDF")
            s.send(CallEnded())
            s.send(PrintingDone())
            s.send(CardRemoved())
            s.send(CleaningConfirmed())
            assert s.data is None
            assert cabin.runtime.spool.files() == []
            if i in (20, SESSIONS - 1):
                gc.collect()
                counts.append(fds())
    finally:
        await cabin.stop()
    gc.collect()
    assert all(ref() is None for ref in gone)
    assert counts[-1] <= counts[0], f"file descriptors grew: {counts}"
