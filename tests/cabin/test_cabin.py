"""The cabin's services on real simulators: measurements asked by the doctor, faults, forms."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio

from kiosk import config as config_mod
from kiosk.config import DeviceConfig
from kiosk.domain import Document, DocumentKind, ReadingKind
from kiosk.privacy import Spool
from kiosk.services.measurement import MeasurementStatus
from kiosk.services.printing import PrintingService, patient_of, prescription_input
from kiosk.session import (
    BeneficiaryChosen,
    CallEnded,
    CardInserted,
    CardRead,
    ConsentGiven,
    DoctorJoined,
    DocumentReceived,
    EndSession,
    Fault,
    FaultCleared,
    FaultKind,
    MeasurementRequested,
    ReadingReceived,
    Session,
    State,
)
from tests.cabin.conftest import cabin_config, in_call_cabin
from tests.core.helpers import LAST_NAME, NIR, beneficiary, reading
from tests.helpers.waiting import until


@pytest_asyncio.fixture
async def cabin(sims):
    async with in_call_cabin(cabin_config(sims)) as c:
        yield c


@pytest.mark.asyncio
async def test_blood_pressure_asked_by_the_doctor_is_measured(cabin):
    seen = []
    cabin.session.subscribe(lambda u: seen.append(u.notice))
    cabin.session.send(MeasurementRequested(ReadingKind.BLOOD_PRESSURE))
    await until(lambda: cabin.session.state is State.IN_CALL, "the measurement")
    readings = cabin.session.data.readings
    assert len(readings) == 1
    assert readings[0].kind is ReadingKind.BLOOD_PRESSURE
    assert readings[0].valid
    assert [s.state for s in cabin.statuses] == ["requested", "in_progress", "done"]
    assert seen.count("reading") >= 2, "cuff pressure is relayed while the cuff inflates"


@pytest.mark.asyncio
async def test_no_instrument_of_that_kind(cabin):
    cabin.session.send(MeasurementRequested(ReadingKind.TEMPERATURE))
    assert cabin.session.state is State.IN_CALL
    assert cabin.statuses[-1] == MeasurementStatus("temperature", "failed", "", "no_device")


@pytest.mark.asyncio
async def test_unknown_driver_ends_the_measurement(sims):
    cfg = cabin_config(
        sims, scale=DeviceConfig(driver="no-such-driver", kind="weight", port="/dev/null")
    )
    async with in_call_cabin(cfg) as c:
        c.session.send(MeasurementRequested(ReadingKind.WEIGHT))
        await until(lambda: c.session.state is State.IN_CALL, "the measurement to be given up")
        assert c.statuses[-1].state == "failed"
        assert c.statuses[-1].reason == "unknown_driver"


@pytest.mark.asyncio
async def test_silent_instrument_times_out_without_a_value(sims):
    cfg = cabin_config(
        sims,
        scale=DeviceConfig(
            driver="and-weight",
            kind="weight",
            port=str(sims["dir"] / "scale"),
            measure_timeout=1.0,
        ),
    )
    sims["scale"].play([{"weight": {"value": 70.0, "stable": False}}] * 100)
    async with in_call_cabin(cfg) as c:
        s = c.session
        s.send(MeasurementRequested(ReadingKind.WEIGHT))
        await until(lambda: s.state is State.IN_CALL, "the time-out")
        assert c.statuses[-1].state == "failed"
        assert c.statuses[-1].reason == "timeout"
        assert all(r.kind is not ReadingKind.WEIGHT or not r.valid for r in s.data.readings)


@pytest.mark.asyncio
async def test_scale_unplugged_mid_measurement_then_back(cabin, sims):
    s = cabin.session
    sims["scale"].play([{"weight": {"value": 70.0, "stable": False}}] * 20)
    s.send(MeasurementRequested(ReadingKind.WEIGHT))
    await asyncio.sleep(0.3)
    sims["scale"].unplug()
    await until(lambda: s.state is State.FAULT, "the unplugged fault")
    assert s.fault_kind is FaultKind.INSTRUMENT_UNPLUGGED
    assert s.fault_detail == "scale"
    assert (cabin.statuses[-1].state, cabin.statuses[-1].reason) == ("failed", "unplugged")
    sims["scale"].play([{"weight": {"value": 72.5, "stable": True}}])
    sims["scale"].replug()
    await until(lambda: s.state is State.IN_CALL, "the measurement after the replug", timeout=30)
    weights = [r for r in s.data.readings if r.kind is ReadingKind.WEIGHT]
    assert weights and weights[-1].values["weight"] == 72.5


@pytest.mark.asyncio
async def test_call_ended_mid_measurement_stops_the_cuff(cabin, sims):
    s = cabin.session
    sims["bp"].inflate_s = 5.0
    s.send(MeasurementRequested(ReadingKind.BLOOD_PRESSURE))
    await until(lambda: cabin.statuses and cabin.statuses[-1].state == "in_progress", "start")
    await asyncio.sleep(0.3)
    from kiosk.session import CallEnded

    s.send(CallEnded())
    await until(lambda: cabin.statuses[-1].state == "cancelled", "the cancelled measurement")
    assert s.state is State.GOODBYE


def test_prescription_input_takes_the_patient_from_the_card_not_the_page():
    person = beneficiary(0)
    form = {
        "prescriber": {"name": "Dr X"},
        "patient": {"last_name": "Forged", "weight_kg": 70},
        "lines": [{"medicine": "A", "dose": "B", "duration": "C"}],
    }
    merged = prescription_input(form, person, cabin_id="cab-1")
    assert merged["patient"]["last_name"] == LAST_NAME
    assert merged["patient"]["weight_kg"] == 70
    assert merged["patient"]["sex"] == "M"
    assert merged["patient"]["birth_date"] == "19850512"
    assert merged["id"].startswith("RX-cab-1-")
    assert merged["date"]
    assert NIR not in str(merged)


def test_prescription_is_dated_with_the_cabins_day():
    """The doctor's page sends the moment (UTC); the paper carries the day at the cabin."""
    form = {"date": "2026-11-23T23:30:00.000Z", "lines": []}
    assert prescription_input(form, None, cabin_id="c")["date"] == "2026-11-24"  # Paris
    assert prescription_input(form, None, cabin_id="c", zone="America/Cayenne")["date"] == (
        "2026-11-23"
    )
    assert prescription_input({"date": "2026-11-23"}, None, cabin_id="c")["date"] == "2026-11-23"
    # not a moment: left for the document's own check, which names the field
    assert prescription_input({"date": "23/11/2026 10:00"}, None, cabin_id="c")["date"] == (
        "23/11/2026 10:00"
    )
    # none sent: today at the cabin, in the id too (+14 h and -11 h are never the same day)
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        before = datetime.now(ZoneInfo(zone)).date()
        merged = prescription_input({}, None, cabin_id="c", zone=zone)
        after = datetime.now(ZoneInfo(zone)).date()
        assert merged["date"] in {before.isoformat(), after.isoformat()}, zone
        assert merged["id"].split("-")[2] in {f"{before:%Y%m%d}", f"{after:%Y%m%d}"}


def test_a_cabin_id_with_spaces_and_accents_still_makes_valid_prescription_ids():
    from kiosk.documents.inputs import _ID

    merged = prescription_input({}, None, cabin_id="SAS Nord é 01")
    assert _ID.fullmatch(merged["id"]), merged["id"]
    assert merged["id"].startswith("RX-SAS-Nord---01-")


def test_patient_of_keeps_lunar_dates():
    lunar = replace(beneficiary(0), birth_date="19850012")
    assert patient_of(lunar).birth_date == "12/00/1985"
    assert patient_of(beneficiary(0)).birth_date == "12/05/1985"


@pytest.mark.asyncio
async def test_a_network_fault_does_not_restart_the_cuff(cabin, sims):
    s = cabin.session
    sims["bp"].inflate_s = 1.5
    s.send(MeasurementRequested(ReadingKind.BLOOD_PRESSURE))
    await until(lambda: cabin.statuses and cabin.statuses[-1].state == "in_progress", "start")
    s.send(Fault(FaultKind.NETWORK_LOST, "blip"))
    s.send(FaultCleared())
    await until(lambda: s.state is State.IN_CALL, "the measurement", timeout=20)
    assert [st.state for st in cabin.statuses] == ["requested", "in_progress", "done"]


@pytest.mark.asyncio
async def test_ending_from_a_fault_stops_the_cuff(cabin, sims):
    s = cabin.session
    sims["bp"].inflate_s = 5.0
    s.send(MeasurementRequested(ReadingKind.BLOOD_PRESSURE))
    await until(lambda: cabin.statuses and cabin.statuses[-1].state == "in_progress", "start")
    s.send(Fault(FaultKind.NETWORK_LOST, "blip"))
    s.send(EndSession())
    await until(lambda: cabin.statuses[-1].state == "cancelled", "the cuff to stop")
    assert s.state is State.CLEANING


class SlowPrinter:
    """The cabin's document printer with a printer that takes its time over the first paper
    (as a slow or warming-up one does): it prints when the test lets it."""

    def __init__(self, spool: Spool) -> None:
        self.spool = spool
        self.printing = threading.Event()
        self.go_on = threading.Event()
        self.printed: list[str] = []

    def print_document(self, session_id: str, document: Document, timeout: object = None) -> None:
        folder = self.spool.session_dir(session_id)
        folder.mkdir(parents=True, exist_ok=True)
        self.printing.set()
        assert self.go_on.wait(10), "the test never let the printer go on"
        self.printed.append(document.kind.value)


@pytest.mark.asyncio
async def test_papers_left_when_the_session_ends_never_print_for_the_next(shm_spool: Path):
    """The session ends (its printing time ran out) while the first paper prints: the
    prescription after it must not land in the tray for the next patient, and the session's
    spool folder goes."""
    cfg = config_mod.load(config_mod.project_config("demo"))
    spool = Spool(str(shm_spool))
    spool.prepare()
    session = Session(require_cleaning=False)
    printer = SlowPrinter(spool)
    printing = PrintingService(session, cfg, printer)  # type: ignore[arg-type]
    try:
        for event in (
            CardInserted(),
            CardRead((beneficiary(0),)),
            BeneficiaryChosen(0),
            ConsentGiven(),
            DoctorJoined(),
            ReadingReceived(reading()),
            DocumentReceived(Document(kind=DocumentKind.PRESCRIPTION, id="rx-1", pdf=b"%PDF-1")),
            CallEnded(),
        ):
            session.send(event)
        sid = session.session_id
        assert session.state is State.PRINTING
        await until(printer.printing.is_set, "the first paper printing")
        session.send(Fault(FaultKind.PRINTER_PROBLEM, "timeout"))
        session.send(EndSession())
        assert session.state is State.IDLE
        printer.go_on.set()
        await until(lambda: not printing.tasks._tasks, "the printing task done")
        assert printer.printed == ["results"]  # the prescription was not sent after it
        assert not (spool.root / sid).exists()
    finally:
        printer.go_on.set()
        await printing.close()
