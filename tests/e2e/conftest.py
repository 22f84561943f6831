"""Fixtures of the end-to-end tests, from the areas they join: the portal in a private network
namespace with the doctor's page in Chromium, and the instrument simulators on ptys; and the
cabin those tests put on that portal."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from drivers.printer.cups import CupsPrinter, PrinterOptions
from drivers.printer.sim import DEFAULT_QUEUE, PrivateCups
from kiosk.cabin import Cabin
from kiosk.call import CabinCall
from kiosk.config import DeviceConfig
from kiosk.documents.printing import DocumentPrinter
from kiosk.domain import Beneficiary
from kiosk.runtime import Runtime
from kiosk.session import (
    BeneficiaryChosen,
    CardInserted,
    CardRead,
    ConsentGiven,
    EndSession,
    State,
)
from portal import server
from portal.config import PortalConfig
from portal.config import parse as parse_portal_config
from tests.cabin.conftest import cabin_config, running, sims  # noqa: F401
from tests.helpers.call import call_options
from tests.helpers.waiting import until
from tests.portal.conftest import (  # noqa: F401
    CABIN_ID,
    CABIN_TOKEN,
    DoctorPage,
    doctor_page,
    loopback_netns,
    netns_portal,
    portal_toml,
)


@pytest.fixture
def portal_config() -> PortalConfig:
    """The test portal, its doctors with every mention a prescription needs."""
    cfg = parse_portal_config(portal_toml(), source="test-portal.toml")
    doctors = {
        name: replace(
            account,
            address="1 rue de la Santé, 75013 Paris",
            phone="01 23 45 67 89",
            email=f"{name}@cabinet.test",
        )
        for name, account in cfg.doctors.items()
    }
    return replace(cfg, doctors=doctors)


@contextlib.asynccontextmanager
async def cabin_on_portal(
    portal: server.Running,
    instruments: dict[str, Any],
    spool: Path,
    *,
    cups: PrivateCups | None = None,
    max_reconnects: int = 3,
    **devices: DeviceConfig,
) -> AsyncIterator[Cabin]:
    """A started cabin on ``portal`` with the simulated instruments (``devices`` replace or
    add some), printing to ``cups`` when given; no patient yet. Stopped and its spool gone
    at the end."""
    base = cabin_config(instruments, **devices)
    cfg = replace(
        base,
        cabin=replace(base.cabin, id=CABIN_ID),
        session=replace(base.session, spool_dir=str(spool), require_cleaning=False),
    )
    runtime = Runtime(cfg)
    printer = None
    if cups is not None:
        options = PrinterOptions(
            queue=DEFAULT_QUEUE, server=cups.server, retries=0, job_timeout=30.0
        )
        printer = DocumentPrinter(runtime.spool, CupsPrinter(options))
    call = CabinCall(call_options(portal.url, max_reconnects=max_reconnects))
    cabin = Cabin(cfg, runtime=runtime, printer=printer, call=call, card=False, tick=False)
    async with running(cabin):
        await until(call.link.connected.is_set, "portal link")
        yield cabin


def check_in(cabin: Cabin, person: Beneficiary) -> str:
    """The patient inserts the card, confirms, consents: in the waiting room."""
    for event in (CardInserted(), CardRead((replace(person, rank=0),)), BeneficiaryChosen(0)):
        cabin.session.send(event)
    cabin.session.send(ConsentGiven())
    assert cabin.session.state is State.WAITING_ROOM
    return cabin.session.session_id


def row(session_id: str) -> str:
    """The waiting room's row of a session, as a CSS selector."""
    return f"tr[data-session={json.dumps(session_id)}]"


async def take(page: DoctorPage, cabin: Cabin, session_id: str, *, video: bool = False) -> None:
    """The doctor takes the patient: the call is up and its data channel open (and, with
    ``video``, the cabin's picture has moved on the page)."""
    button = f"{row(session_id)} button.take:not([disabled])"
    await page.until(
        "patient in the waiting room",
        lambda: page.js(f"return !!document.querySelector({button!r})"),
    )
    await page.click(button)
    await until(lambda: cabin.session.state is State.IN_CALL, "the patient in the call", timeout=20)
    await page.until(
        "the data channel", lambda: page.js("return window.cabine.snapshot().channel === 'open'")
    )
    if video:
        await page.until("the cabin's video", lambda: page.js("return state.lastFrameAt > 0"))


async def finish(cabin: Cabin) -> None:
    """The cabin's session after the call: papers printed, goodbye, wiped."""
    session = cabin.session
    await until(lambda: session.state in (State.GOODBYE, State.IDLE), "the goodbye", timeout=30)
    if session.state is State.GOODBYE:
        session.send(EndSession())
    assert session.state is State.IDLE
