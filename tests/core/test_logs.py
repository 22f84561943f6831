"""No name, NIR or reading in any log line; a session id on every line."""

from __future__ import annotations

import io
import logging

import pytest

from kiosk import logs
from kiosk.clock import ManualClock
from kiosk.config import CabinConfig, Config, SessionConfig
from kiosk.domain import ReadingKind
from kiosk.runtime import Runtime
from kiosk.session import (
    BeneficiaryChosen,
    CallEnded,
    CardInserted,
    CardRead,
    ConsentGiven,
    DoctorJoined,
    EndSession,
    MeasurementRequested,
    PrintingDone,
    ReadingReceived,
)
from tests.core.helpers import FIRST_NAME, LAST_NAME, NIR, NIR13, beneficiary, reading


@pytest.fixture
def stream(tmp_path):
    buffer = io.StringIO()
    cfg = Config(
        cabin=CabinConfig(id="c1"),
        session=SessionConfig(spool_dir=str(tmp_path / "spool")),
    )
    runtime = Runtime(cfg, clock=ManualClock())
    runtime.spool.require_memory = False
    runtime.start()
    handler = logs.setup(
        level="DEBUG",
        session_id=runtime.log_session_id,
        sensitive=runtime.sensitive,
        stream=buffer,
    )
    yield runtime, buffer
    logging.getLogger().removeHandler(handler)


def test_a_whole_session_logs_no_patient_data(stream):
    runtime, buffer = stream
    session = runtime.session
    session.send(CardInserted())
    sid = session.session_id
    session.send(CardRead((beneficiary(0),)))
    session.send(BeneficiaryChosen(0))
    session.send(ConsentGiven())
    session.send(DoctorJoined())
    session.send(MeasurementRequested(ReadingKind.BLOOD_PRESSURE))
    session.send(ReadingReceived(reading()))
    # Careless code elsewhere, on purpose: every way a patient field could reach a log.
    chosen = session.data.chosen
    log = logging.getLogger("kiosk.careless")
    log.info("patient is %s %s", chosen.first_name, chosen.last_name)
    log.info("nir %s", chosen.nir)
    log.info("nir spaced 1 85 05 78 006 084 %s", "x")
    log.info("object %s and %r", chosen, session.data.readings[0])
    log.warning("systolic was %s", session.data.readings[0])
    try:
        raise ValueError(f"bad card for {LAST_NAME}")
    except ValueError:
        log.exception("read failed")
    session.send(CallEnded())
    session.send(PrintingDone())
    session.send(EndSession())
    text = buffer.getvalue()
    # Values as a reading would print them (timestamps and hex session ids may hold "138").
    for secret in (LAST_NAME, FIRST_NAME, NIR, NIR13, "138.0", "88.0", "1 85 05 78"):
        assert secret not in text, f"{secret!r} leaked into the logs"
    assert logs.WITHHELD in text
    lines = text.strip().splitlines()
    transition_lines = [line for line in lines if " -> " in line]
    assert transition_lines
    assert all(f"session {sid}: " in line for line in transition_lines[:8])
    assert all("[session " in line for line in lines if " INFO " in line or " WARNING " in line)
    assert f"[session {sid}]" in text


def test_session_id_filter_survives_a_broken_provider():
    def broken() -> str:
        raise RuntimeError

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", (), None)
    assert logs.SessionIdFilter(broken).filter(record)
    assert record.session_id == "?"


def test_patient_filter_fails_closed():
    def broken():
        raise RuntimeError

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello %s", ("you",), None)
    logs.PatientDataFilter(broken).filter(record)
    assert record.getMessage() == logs.WITHHELD
    bad_format = logging.LogRecord("x", logging.INFO, __file__, 1, "%d", ("x",), None)
    logs.PatientDataFilter().filter(bad_format)
    assert bad_format.getMessage() == logs.WITHHELD


def test_harmless_lines_pass_untouched():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "session %s: %s -> %s", ("ab12cd34", "idle", "x"), None
    )
    logs.PatientDataFilter(lambda: ["Quérémadec"]).filter(record)
    assert record.getMessage() == "session ab12cd34: idle -> x"


def test_beneficiary_and_reading_reprs_hide_content():
    b = beneficiary()
    assert LAST_NAME not in repr(b) and NIR not in repr(b) and NIR not in str(b)
    assert "138" not in repr(reading())
    assert b.masked_nir.startswith("1 ") and "8" not in b.masked_nir[1:]


def test_a_patient_object_as_a_log_argument_is_withheld():
    for arg in (beneficiary(), reading()):
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "got %s", (arg,), None)
        logs.PatientDataFilter().filter(record)
        assert record.getMessage() == logs.WITHHELD
