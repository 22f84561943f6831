"""The network gone for good, at the session's level: a whole Cabin (the real session machine,
its call binding, its printing service) on the cabin's side of the shaped veth, a real call
with the doctor's Chromium; the patient has a prescription when every packet is dropped. The
call gives up (its limits shortened: the 60 s of the bus's defaults are the same path, see
``test_cut``), the session shows the network fault, "Finish" prints the papers, and the
session ends wiped."""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from harness.shaping import ShapedLink
from kiosk import config as config_mod
from kiosk.cabin import Cabin
from kiosk.call import CabinCall, CallStatus
from kiosk.domain import Document
from kiosk.privacy import Spool
from kiosk.runtime import Runtime
from kiosk.session import (
    BeneficiaryChosen,
    CardInserted,
    CardRead,
    ConsentGiven,
    DocumentReceived,
    EndSession,
    Fault,
    FaultKind,
    Session,
    State,
)
from portal import server
from tests.core.helpers import document
from tests.helpers.call import call_options
from tests.helpers.waiting import until
from tests.network.conftest import CabinSide, ThreadRecorder, port_of
from tests.portal.conftest import DoctorPage
from tests.portal.test_call import PATIENT, connected, take_patient

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]


class RecordingPrinter:
    """The cabin's document printer, keeping what the printing service asked it to print
    (the papers' kinds and hashes, never their content)."""

    def __init__(self, spool: Spool) -> None:
        self.spool = spool
        self.printed: list[tuple[str, str, str]] = []  # (session id, kind, sha256)

    def print_document(self, session_id: str, doc: Document, timeout: object = None) -> None:
        # the job's file in the session's spool, as the real printer leaves it
        (self.spool.session_dir(session_id) / f"{doc.id}.pdf").write_bytes(doc.pdf)
        self.printed.append((session_id, doc.kind.value, doc.sha256))

    def wipe(self, session_id: str) -> None:
        self.spool.wipe(session_id)


@pytest_asyncio.fixture
async def bus_cabin(
    cabin_side: CabinSide, network_portal: server.Running, shaped: ShapedLink, tmp_path: Path
) -> AsyncIterator[tuple[Cabin, RecordingPrinter]]:
    """A started cabin across the veth: no card reader (the test inserts the card), a call
    that gives up after one new connection (seconds, not the bus's minute)."""
    base = config_mod.load(config_mod.project_config("demo"))
    spool_dir = Path("/dev/shm") / f"cabine-cut-{os.getpid()}-{tmp_path.name}"
    cfg = dataclasses.replace(
        base, session=dataclasses.replace(base.session, spool_dir=str(spool_dir)), devices={}
    )
    url = f"http://{shaped.doctor_address}:{port_of(network_portal)}"

    async def started() -> tuple[Cabin, RecordingPrinter]:
        call = CabinCall(call_options(url, max_reconnects=1), devices=dict)
        runtime = Runtime(cfg)
        printer = RecordingPrinter(runtime.spool)
        cabin = Cabin(cfg, runtime=runtime, card=False, printer=printer, call=call, tick=False)  # type: ignore[arg-type]
        await cabin.start()
        await until(call.link.connected.is_set, "portal link across the veth")
        return cabin, printer

    cabin, printer = await cabin_side.run(started())
    try:
        yield cabin, printer
    finally:
        await cabin_side.run(cabin.stop())
        shutil.rmtree(spool_dir, ignore_errors=True)


async def on_cabin(cabin_side: CabinSide, session: Session, *events: Any) -> State:
    """``events`` sent to the session on the cabin's loop (where the session lives)."""

    async def sending() -> State:
        for event in events:
            session.send(event)
        return session.state

    return await cabin_side.run(sending())


async def test_a_network_gone_for_good_prints_the_papers_then_wipes(
    doctor: DoctorPage,
    cabin_side: CabinSide,
    shaped: ShapedLink,
    bus_cabin: tuple[Cabin, RecordingPrinter],
) -> None:
    cabin, printer = bus_cabin
    session, call = cabin.session, cabin.call
    assert call is not None
    recorder = ThreadRecorder(call)
    # the patient checks in: the session's binding puts them in the waiting room
    state = await on_cabin(
        cabin_side,
        session,
        CardInserted(),
        CardRead((PATIENT,)),
        BeneficiaryChosen(0),
        ConsentGiven(),
    )
    assert state is State.WAITING_ROOM
    sid = session.session_id
    await take_patient(doctor, sid)
    await connected(doctor, call, recorder)
    await until(lambda: session.state is State.IN_CALL, "the session in the call")
    prescription = document()
    await on_cabin(cabin_side, session, DocumentReceived(prescription))

    shaped.cut()
    try:
        # reconnecting first (the patient's calm line), then the call gives up
        await until(lambda: call.network_notice == "reconnecting", "reconnecting", timeout=8)
        fault = await recorder.wait("the network fault", lambda u: isinstance(u, Fault), timeout=30)
        assert fault.kind is FaultKind.NETWORK_LOST and not fault.resumable
        await until(lambda: session.fault_detail == "call_lost", "the fault screen", timeout=5)
        assert session.state is State.FAULT and session.fault_kind is FaultKind.NETWORK_LOST
        assert not session.resumable  # only "Finish" is offered
        assert call.status is CallStatus.ENDED
        assert printer.printed == []  # nothing printed behind the patient's back

        # "Finish": the papers print (the network is still gone), then goodbye
        assert await on_cabin(cabin_side, session, EndSession()) is State.PRINTING
        await until(lambda: session.state is State.GOODBYE, "printed, goodbye", timeout=10)
        assert printer.printed == [(sid, "prescription", prescription.sha256)]
        assert (cabin.runtime.spool.root / sid / "rx-1.pdf").exists()
        # the goodbye screen ends: the session is wiped, the cabin waits for cleaning
        await on_cabin(cabin_side, session, EndSession())
        assert session.state in (State.CLEANING, State.IDLE)
        assert session.data is None
        assert not (cabin.runtime.spool.root / sid).exists()  # the printed file with it
    finally:
        shaped.restore()
