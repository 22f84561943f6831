"""A nurse calls one doctor directly, through the whole cabin: a mallette's
:class:`~kiosk.cabin.Cabin` (its session, its :class:`CabinCall` on the portal's WebSocket,
:class:`~kiosk.services.doctors.DoctorChoice`) and a real portal with doctors' sockets."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk import config as config_mod
from kiosk.cabin import Cabin
from kiosk.call import CabinCall
from kiosk.nurse import Profession, sign_in
from kiosk.services.doctors import CHOOSING, DIRECTED, GENERAL, NONE
from kiosk.session import ConsentGiven, NurseDeskOpened, NurseSignedIn, PatientTyped, State
from portal import server
from tests.helpers.call import call_options
from tests.helpers.waiting import until
from tests.nurse.test_desk_session import PATIENT
from tests.nurse.test_direct_portal import portal  # noqa: F401 - the in-memory portal
from tests.nurse.test_rpps import RPPS
from tests.portal.conftest import CABIN_ID
from tests.portal.test_portal import doctor

pytestmark = pytest.mark.asyncio


@contextlib.asynccontextmanager
async def kiosk_at(url: str, spool: Path, *, form: str = "mallette") -> AsyncIterator[Cabin]:
    base = config_mod.load(config_mod.project_config("demo"))
    cfg = replace(
        base,
        cabin=replace(base.cabin, id=CABIN_ID, form=form),
        session=replace(base.session, spool_dir=str(spool), require_cleaning=False),
        devices={},
    )
    cabin = Cabin(cfg, card=False, call=CabinCall(call_options(url)), tick=False)
    await cabin.start()
    try:
        assert cabin.call is not None
        await until(cabin.call.link.connected.is_set, "the portal link")
        yield cabin
    finally:
        await cabin.stop()


def assisted_patient_consents(cabin: Cabin) -> None:
    nurse = sign_in(
        RPPS, "Claire Dubois", Profession.NURSE, now=datetime.now(UTC), timezone="Europe/Paris"
    )
    session = cabin.session
    for event in (NurseDeskOpened(), NurseSignedIn(nurse), PatientTyped(PATIENT, "F")):
        session.send(event)
    assert session.state is State.CONSENT
    session.send(ConsentGiven())
    assert session.state is State.WAITING_ROOM


async def test_the_nurse_calls_dr_a_then_switches_to_the_room(
    portal: server.Running,  # noqa: F811
    shm_spool: Path,
) -> None:
    hub = portal.app[server.HUB]
    http_a, doc_a = await doctor(portal.url, "dr-a")
    async with kiosk_at(portal.url, shm_spool) as cabin:
        choice = cabin.doctor_choice
        assert choice is not None
        assisted_patient_consents(cabin)
        # nobody in the room before the nurse chooses
        assert choice.phase == CHOOSING and not hub.patients
        await until(lambda: choice.listing() == "ready", "the list of doctors")
        assert [(d["id"], d["state"]) for d in choice.doctors()] == [
            ("dr-a", "available"),
            ("dr-b", "offline"),
        ]
        assert choice.call_doctor("dr-a")
        await until(lambda: CABIN_ID in hub.patients, "the patient in the room")
        patient = hub.patients[CABIN_ID]
        assert (patient.doctor_id, patient.nurse_name, patient.nurse_profession) == (
            "dr-a",
            "Claire Dubois",
            "infirmier",
        )
        await until(lambda: choice.doctor_state() == "available", "dr-a available")
        assert choice.phase == DIRECTED and choice.doctor and choice.doctor["name"] == "Dr DR-A"
        # dr-a closes their page: the nurse is told; the patient waits on
        await doc_a.close()
        await http_a.close()
        await until(lambda: choice.doctor_state() == "offline", "dr-a offline")
        since = hub.patients[CABIN_ID].since
        # "Join the waiting room instead": the same arrival, seen by every doctor
        assert choice.join_room()
        await until(lambda: not hub.patients[CABIN_ID].doctor_id, "in the general room")
        assert hub.patients[CABIN_ID].since == since
        assert choice.phase == GENERAL and choice.doctor_state() == ""
        assert cabin.session.state is State.WAITING_ROOM
        # a reconnection keeps the general room (the last address is sent again)
        assert cabin.call is not None and cabin.call._direct == {}


async def test_a_doctor_disabled_meanwhile_shows_the_list_again(
    portal: server.Running,  # noqa: F811
    shm_spool: Path,
) -> None:
    hub = portal.app[server.HUB]
    async with kiosk_at(portal.url, shm_spool) as cabin:
        choice = cabin.doctor_choice
        assert choice is not None
        assisted_patient_consents(cabin)
        await until(lambda: choice.listing() == "ready", "the list of doctors")
        del hub.cfg.doctors["dr-b"]  # disabled after the list was read
        assert choice.call_doctor("dr-b")
        await until(lambda: choice.notice == "unknown", "the portal's answer")
        assert choice.phase == CHOOSING and not hub.patients
        await until(lambda: [d["id"] for d in choice.doctors()] == ["dr-a"], "the new list")
        assert not choice.call_doctor("dr-b")  # no longer in the list
        assert choice.call_doctor("dr-a")
        await until(lambda: CABIN_ID in hub.patients, "the patient in the room")
        assert hub.patients[CABIN_ID].doctor_id == "dr-a"


async def test_a_cabin_without_a_nurse_checks_in_at_the_consent(
    portal: server.Running,  # noqa: F811
    shm_spool: Path,
) -> None:
    from kiosk.session import BeneficiaryChosen, CardInserted, CardRead

    hub = portal.app[server.HUB]
    async with kiosk_at(portal.url, shm_spool, form="cabin") as cabin:
        session = cabin.session
        for event in (CardInserted(), CardRead((PATIENT,)), BeneficiaryChosen(1), ConsentGiven()):
            session.send(event)
        assert session.state is State.WAITING_ROOM
        await until(lambda: CABIN_ID in hub.patients, "the patient in the room")
        assert cabin.doctor_choice is not None and cabin.doctor_choice.phase == NONE
        assert hub.patients[CABIN_ID].doctor_id == ""


async def test_no_list_from_the_portal_is_said_within_its_wait(
    portal: server.Running,  # noqa: F811
    shm_spool: Path,
) -> None:
    async with kiosk_at(portal.url, shm_spool) as cabin:
        choice = cabin.doctor_choice
        assert choice is not None
        now = [0.0]
        choice._clock = lambda: now[0]
        cabin.call.link.commands.pop("doctors")  # type: ignore[union-attr]  # never answered
        assisted_patient_consents(cabin)
        assert choice.listing() == "asking"
        now[0] = 11.0
        assert choice.listing() == "failed"
        # the waiting room stays open to the nurse
        assert choice.join_room() and choice.phase == GENERAL


async def test_a_refused_new_address_leaves_the_patient_where_they_were(
    portal: server.Running,  # noqa: F811
    shm_spool: Path,
) -> None:
    hub = portal.app[server.HUB]
    async with kiosk_at(portal.url, shm_spool) as cabin:
        choice, call = cabin.doctor_choice, cabin.call
        assert choice is not None and call is not None
        assisted_patient_consents(cabin)
        await until(lambda: choice.listing() == "ready", "the list of doctors")
        assert choice.call_doctor("dr-a")
        await until(lambda: CABIN_ID in hub.patients, "the patient in the room")
        del hub.cfg.doctors["dr-b"]
        assert choice.call_doctor("dr-b")  # (from the list read before dr-b was disabled)
        await until(lambda: choice.notice == "unknown", "the portal's answer")
        await until(lambda: call._direct.get("doctor_id") == "dr-a", "the kit's address back")
        assert hub.patients[CABIN_ID].doctor_id == "dr-a"
