"""The cabin's health as the portal sees it: the heartbeats carry each instrument's state,
the printer's, the kiosk's version and uptime, from what the running cabin met; never a
patient's data.

Real parts: serial simulators on ptys, a private CUPS with a PDF queue, the portal, the
kiosk's call on the portal's WebSocket.
"""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from drivers.printer.cups import CupsPrinter, PrinterOptions
from drivers.printer.sim import DEFAULT_QUEUE, PrivateCups
from kiosk import __version__
from kiosk.cabin import Cabin
from kiosk.call import CabinCall, CallOptions
from kiosk.documents.printing import DocumentPrinter
from kiosk.domain import ReadingKind
from kiosk.runtime import Runtime
from kiosk.services.printing import printer_health
from kiosk.session import (
    BookingCodeRequested,
    ConsentGiven,
    ContinueWithoutCard,
    DoctorJoined,
    MeasurementRequested,
    State,
)
from portal import server
from tests.cabin.conftest import cabin_config
from tests.helpers.waiting import until
from tests.portal.conftest import CABIN_ID, CABIN_TOKEN


def cabin_row(running: server.Running) -> dict[str, Any]:
    rows = running.app[server.HUB].snapshot("dr-a")["cabins"]
    return next(row for row in rows if row["cabin_id"] == CABIN_ID)


@pytest.mark.asyncio
async def test_the_portal_sees_instruments_printer_and_version(
    sims: dict[str, Any], portal: server.Running, cups: PrivateCups, shm_spool: Path
) -> None:
    base = cabin_config(sims)
    cfg = replace(
        base,
        cabin=replace(base.cabin, id=CABIN_ID),
        session=replace(base.session, spool_dir=str(shm_spool)),
    )
    runtime = Runtime(cfg)
    printer = DocumentPrinter(
        runtime.spool,
        CupsPrinter(
            PrinterOptions(queue=DEFAULT_QUEUE, server=cups.server, retries=0, job_timeout=30.0)
        ),
    )
    call = CabinCall(
        CallOptions(
            portal_url=portal.url,
            cabin_id=CABIN_ID,
            token=CABIN_TOKEN,
            synthetic_media=True,
            heartbeat_s=0.5,
        )
    )
    cabin = Cabin(cfg, runtime=runtime, printer=printer, call=call, card=False, tick=False)
    await cabin.start()
    try:
        # At start: the configured instruments, not yet used; the printer not yet tried.
        await until(
            lambda: (
                cabin_row(portal)["version"] == __version__
                and cabin_row(portal)["devices"] == {"tensiometer": "unknown", "scale": "unknown"}
                and cabin_row(portal)["printer"] == "unknown"
            ),
            "the first heartbeat",
        )
        assert cabin_row(portal)["uptime_s"] is not None

        # The scale unplugged when the doctor asks for the weight: missing, then back.
        session = cabin.session
        for event in (
            BookingCodeRequested(),
            ContinueWithoutCard(),
            ConsentGiven(),
            DoctorJoined(),
        ):
            session.send(event)
        sims["scale"].unplug()
        session.send(MeasurementRequested(ReadingKind.WEIGHT))
        await until(lambda: cabin_row(portal)["devices"]["scale"] == "missing", "scale missing")
        assert session.state is State.FAULT
        sims["scale"].replug()
        await until(lambda: cabin_row(portal)["devices"]["scale"] == "ok", "the scale back")

        # The printer stopped by CUPS: the technician's test page fails, the portal says why.
        cups.stop_queue(DEFAULT_QUEUE)
        said = await asyncio.to_thread(cabin.print_test_page)
        assert said.startswith("test page not printed")
        await until(lambda: cabin_row(portal)["printer"] == "stopped", "printer stopped")
        assert cabin_row(portal)["printer_detail"] == "stopped"
        cups.resume_queue(DEFAULT_QUEUE)
        said = await asyncio.to_thread(cabin.print_test_page)
        assert said.startswith("test page printed"), said
        await until(lambda: cabin_row(portal)["printer"] == "idle", "printer ready")
        # The session state is the fleet's to know; nothing of the patient is.
        assert cabin.health.heartbeat().session_state == session.state.value
    finally:
        await cabin.stop()
        shutil.rmtree(cfg.session.spool_dir, ignore_errors=True)


@pytest.mark.parametrize(
    ("reason", "state"),
    [
        ("no_such_queue", "missing"),
        ("cups_unavailable", "unknown"),
        ("paper_jam", "stopped"),
        ("paper_out", "stopped"),
        ("document_rejected", "idle"),
    ],
)
def test_printer_errors_as_the_fleet_sees_them(reason: str, state: str) -> None:
    from drivers.printer.errors import PrinterError, PrinterReason

    error = PrinterError("x", queue="q", reason=PrinterReason(reason))
    assert printer_health(error) == (state, reason)
