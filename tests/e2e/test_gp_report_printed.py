"""The report for the GP, from the doctor's page to the paper: written in the real Chromium,
sent over the call's data channel, composed by the cabin in the patient's language, sent again
(replaced), printed once with the results sheet at the end and read back from the cups-pdf
queue; the results sheet names the doctor.

Real parts: the cabin (session, call, printing service) with instrument simulators, the
portal, a private CUPS with a cups-pdf queue, the doctor's page in headless Chromium, in a
private network namespace.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from drivers.printer.sim import PrivateCups
from kiosk.cabin import Cabin
from kiosk.domain import DocumentKind
from kiosk.session import LanguageChosen, ReadingReceived, State
from portal import server
from tests.core.helpers import beneficiary, reading
from tests.documents.conftest import cups, pdf_text  # noqa: F401 (the cups-pdf fixture)
from tests.e2e.conftest import cabin_on_portal, check_in, finish, take
from tests.helpers.waiting import until
from tests.portal.conftest import DOCTORS, DoctorPage

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]


@pytest_asyncio.fixture
async def cabin(
    netns_portal: server.Running,
    sims: dict[str, Any],
    shm_spool: Path,
    cups: PrivateCups,  # noqa: F811
) -> AsyncIterator[Cabin]:
    async with cabin_on_portal(netns_portal, sims, shm_spool, cups=cups) as started:
        yield started


def status(page: DoctorPage, start: str) -> Any:
    script = "return document.getElementById('gp-status').textContent.startsWith(arguments[0])"
    return lambda: page.js(script, start)


async def test_report_written_on_the_page_printed_once_in_the_patients_language(
    doctor_page: DoctorPage,
    cabin: Cabin,
    cups: PrivateCups,  # noqa: F811
) -> None:
    page, session = doctor_page, cabin.session
    sid = check_in(cabin, beneficiary(0))
    session.send(LanguageChosen("ar"))
    await page.login("dr-a", DOCTORS["dr-a"])
    await page.click("button.lang[data-lang='fr']")
    await take(page, cabin, sid)
    session.send(ReadingReceived(reading()))

    async def send(advice: str) -> None:
        await page.js(
            "document.getElementById('gp-reason').value = arguments[0];"
            "document.getElementById('gp-advice').value = arguments[1];",
            "Douleur lombaire depuis 2 jours.",
            advice,
        )
        await page.click("#gp-send")

    await send("Première version.")
    await page.until("first report received", status(page, "Compte rendu reçu par la cabine ✓"))
    # every text the status takes from now on (the cabin's answer may replace the "sent
    # again" line before a poll would see it)
    await page.js(
        "window.gpSaid = [];"
        "new MutationObserver(() => window.gpSaid.push("
        "document.getElementById('gp-status').textContent))"
        ".observe(document.getElementById('gp-status'),"
        "{childList: true, characterData: true, subtree: true});"
    )
    await send("Chaleur locale, marche.")
    said = "return window.gpSaid.some((s) => s.startsWith(arguments[0]))"
    await page.until("second report sent", lambda: page.js(said, "Un nouvel envoi remplace"))
    await page.until(
        "second report received", lambda: page.js(said, "Compte rendu reçu par la cabine ✓")
    )
    assert session.data is not None
    kept = [d for d in session.data.documents if d.kind is DocumentKind.GP_REPORT]
    assert len(kept) == 1  # the second replaced the first

    await page.click("#end-call")
    await page.click("#end-confirm")
    results, report = await asyncio.to_thread(cups.wait_printed, 2, timeout=30)
    await finish(cabin)
    assert session.state is State.IDLE
    text = pdf_text(report)
    assert "Compte rendu pour votre médecin traitant" in text
    assert "تقرير لطبيبك المعالج" in text  # the patient chose Arabic
    assert "Chaleur locale, marche." in text and "Première version." not in text
    assert "Dr DR-A" in text and "N° RPPS : 10000000001" in text
    sheet = pdf_text(results)
    assert "Relevé de mesures" in sheet and "Médecin : Dr DR-A" in sheet
    assert "نتائج القياسات" in sheet
    await until(lambda: len(cups.printed()) == 2, "nothing printed twice", timeout=2)
