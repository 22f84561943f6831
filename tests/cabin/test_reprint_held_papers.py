"""Issue #20 item 5: a printer fault keeps the papers at the cabin; the staff page shows them
waiting and its "Reprint now" reaches the real cabin through the portal (the command only),
which prints them once from its held copy (read back from the cups-pdf queue).

Real parts: the portal with appointments, the kiosk's call on its WebSocket, a private CUPS,
the staff page in a headless Chromium.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from drivers.printer.cups import CupsPrinter, PrinterOptions
from drivers.printer.sim import DEFAULT_QUEUE, PrivateCups
from kiosk.cabin import Cabin
from kiosk.call import CabinCall, CallOptions
from kiosk.documents.inputs import Prescription
from kiosk.documents.prescription import compose_prescription
from kiosk.documents.printing import DocumentPrinter
from kiosk.runtime import Runtime
from kiosk.session import (
    CallEnded,
    DocumentReceived,
    EndSession,
    FaultKind,
    ReadingReceived,
    State,
)
from portal import server
from tests.appointments.conftest import appointments_config
from tests.cabin.conftest import cabin_config, into_the_call
from tests.core.helpers import reading
from tests.documents.conftest import load, pdf_text
from tests.e2e import axe
from tests.helpers.waiting import until
from tests.portal.conftest import CABIN_ID, CABIN_TOKEN, STAFF, chromium

PAPERS = """
const tr = document.querySelector('#cabin-table tbody tr[data-cabin="' + arguments[0] + '"]');
if (!tr) return null;
const td = tr.querySelector('.papers-cell');
return {text: td.textContent, waiting: tr.dataset.papers || '',
  button: Boolean(td.querySelector('button.papers-reprint'))};
"""


@pytest.mark.asyncio
@pytest.mark.slow
async def test_the_staff_reprint_prints_the_held_papers_once(
    sims: dict[str, Any], cups: PrivateCups, shm_spool: Path, tmp_path: Path
) -> None:
    portal = await server.start(
        appointments_config(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}"), host="127.0.0.1", port=0
    )
    base = cabin_config(sims)
    cfg = replace(
        base,
        cabin=replace(base.cabin, id=CABIN_ID),
        session=replace(base.session, spool_dir=str(shm_spool), require_cleaning=False),
        printer=replace(base.printer, hold_minutes=30),
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
    hub = portal.app[server.HUB]
    data = load("prescription.json")
    cups.stop_queue(DEFAULT_QUEUE)  # out of paper, say
    await cabin.start()
    try:
        await until(call.link.connected.is_set, "the portal link")
        session = cabin.session
        into_the_call(session)
        session.send(ReadingReceived(reading()))
        session.send(DocumentReceived(compose_prescription(Prescription.from_json(data))))
        session.send(CallEnded())
        await until(lambda: session.state is State.FAULT, "the printer fault")
        assert session.fault_kind is FaultKind.PRINTER_PROBLEM
        await until(lambda: hub.cabins[CABIN_ID].papers_held == 2, "the papers on the portal")
        # the patient leaves (the screen asked first): the papers stay for the staff
        session.send(EndSession())
        assert session.state is State.IDLE
        assert cups.printed() == []

        async with chromium(portal.url, tmp_path) as page:
            await page.run(page.driver.get, portal.url + "/staff")
            await page.until(
                "the login form",
                lambda: page.js("return !document.getElementById('login-needed').hidden"),
            )
            await page.click('button.lang[data-lang="fr"]')
            await page.js(
                "document.getElementById('staff-username').value = arguments[0];"
                "document.getElementById('staff-password').value = arguments[1];"
                "document.getElementById('staff-login-button').click();",
                *STAFF,
            )
            shown = await page.until("the papers waiting", lambda: page.js(PAPERS, CABIN_ID))
            assert shown["waiting"] == "waiting" and shown["button"], shown
            assert shown["text"].startswith("2 document(s) en attente depuis "), shown
            assert shown["text"].endswith("Réimprimer maintenant"), shown
            found = await axe.violations(page)
            assert not found, f"axe-core with papers waiting:\n{axe.readable(found)}"

            cups.resume_queue(DEFAULT_QUEUE)  # the staff put paper in
            await page.click(f'#cabin-table tr[data-cabin="{CABIN_ID}"] button.papers-reprint')
            done = await page.until(
                "the reprint's answer",
                lambda: page.js(
                    "const p = (function () {" + PAPERS + "})(arguments[0]);"
                    "return p && p.text === 'Papiers imprimés' && p;",
                    CABIN_ID,
                ),
                timeout=30,
            )
            assert not done["button"] and done["waiting"] == ""
        # the cabin answered once CUPS said both jobs completed: read them back
        results, prescription = cups.wait_printed(2, timeout=30)
        assert "Systolique" in pdf_text(results)
        assert data["lines"][0]["medicine"] in pdf_text(prescription)
        assert cabin.printing is not None and cabin.printing.held == {}
        assert runtime.spool.files() == []
        assert len(cups.printed()) == 2  # once
    finally:
        await cabin.stop()
        await portal.stop()
