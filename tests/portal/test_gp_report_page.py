"""The doctor's page, honest papers: the signature uploaded once (re-encoded, metadata gone),
the prescription form hidden where the site has not enabled it, the sick-note notice beside
the documents, and the report for the GP sent over the data channel and answered.

A real call: the kiosk's aiortc offers, a real headless Chromium answers; axe-core checks the
new parts of the page.
"""

from __future__ import annotations

import base64
import io
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio
from PIL import Image, ImageDraw

from kiosk.call import CabinCall
from kiosk.documents.gp_report import GpReportInput, compose_gp_report, report_fields
from kiosk.documents.inputs import CabinOnPaper, PatientOnPaper
from kiosk.prescriptions import GpReportReceived
from portal import server
from portal.config import PortalConfig
from portal.config import parse as parse_portal_config
from portal.papers import PapersConfig
from tests.documents.conftest import pdf_text
from tests.e2e import axe
from tests.helpers.call import Recorder, connected_call
from tests.helpers.waiting import until
from tests.portal.conftest import DOCTORS, DoctorPage, portal_toml
from tests.portal.test_cardless_page import CARD_PATIENT, take

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

CONSENT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
SHOWN = """
return Object.fromEntries(arguments[0].map((id) => {
  const e = document.getElementById(id);
  return [id, !!e && !e.hidden && !!e.offsetParent];
}));
"""


def status_is(page: DoctorPage, element: str, start: str) -> object:
    script = f"return document.getElementById({element!r}).textContent.startsWith(arguments[0])"
    return lambda: page.js(script, start)


@pytest.fixture
def portal_config(tmp_path: Path) -> PortalConfig:
    """The site has not enabled the prescription form; signatures kept in a folder."""
    cfg = parse_portal_config(
        portal_toml(form=False, signatures_dir=str(tmp_path / "signatures")), source="test"
    )
    return replace(cfg, prescriptions=replace(cfg.prescriptions, form=False))


@pytest_asyncio.fixture
async def cabin_call(netns_portal: server.Running) -> AsyncIterator[CabinCall]:
    async with connected_call(netns_portal.url, devices=lambda: {"scale": "ok"}) as call:
        yield call


def signature_with_metadata(path: Path) -> None:
    """A JPEG signature carrying EXIF (a camera and a GPS-like comment) to be stripped."""
    image = Image.new("RGB", (1600, 500), "white")
    stroke = [(50, 400), (500, 80), (900, 420), (1500, 100)]
    ImageDraw.Draw(image).line(stroke, fill="black", width=14)
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x9286] = "GPS 48.85N 2.35E"  # UserComment
    image.save(path, "JPEG", exif=exif.tobytes())


async def test_signature_form_off_sick_note_and_gp_report(
    doctor_page: DoctorPage, cabin_call: CabinCall, tmp_path: Path, portal_config: PortalConfig
) -> None:
    from selenium.webdriver.common.by import By

    page, call = doctor_page, cabin_call
    recorder = Recorder(call)
    await page.login("dr-a", DOCTORS["dr-a"])
    await page.click("button.lang[data-lang='fr']")

    # the signature: a section of the doctor's room; a bad file refused with words
    await page.until(
        "signature section", lambda: page.js("return !document.getElementById('signature').hidden")
    )
    await page.js("document.getElementById('signature').open = true")
    bad = tmp_path / "not-an-image.png"
    bad.write_bytes(b"%PDF-1.4 not an image")
    await page.run(lambda: page.driver.find_element(By.ID, "sig-file").send_keys(str(bad)))
    await page.click("#sig-upload")
    await page.until("refusal said", status_is(page, "sig-status", "Image refusée"))
    assert "PNG" in await page.js("return document.getElementById('sig-status').textContent")
    good = tmp_path / "signature.jpg"
    signature_with_metadata(good)
    await page.run(lambda: page.driver.find_element(By.ID, "sig-file").send_keys(str(good)))
    await page.click("#sig-upload")
    await page.until("signature saved", status_is(page, "sig-status", "Signature enregistrée ✓"))
    stored = Path(portal_config.prescriptions.signatures_dir) / "dr-a.png"
    png = stored.read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) <= 24 * 1024
    assert b"SecretCam" not in png and b"GPS" not in png
    assert oct(stored.stat().st_mode & 0o777) == "0o600"
    with Image.open(io.BytesIO(png)) as kept:
        assert kept.width <= 600 and kept.height <= 200 and not kept.getexif()
    assert await page.js(
        "const i = document.getElementById('sig-image'); return !i.hidden && i.naturalWidth > 0"
    )
    found = await axe.violations(page)
    assert not found, f"axe-core, signature section:\n{axe.readable(found)}"
    await page.js("document.getElementById('signature').scrollIntoView({block: 'start'})")
    await page.screenshot(tmp_path / "signature-fr.png")

    # a call: no prescription form (not enabled), the PDF path, the sick-note notice
    await call.check_in("sess-gp", identity=CARD_PATIENT, consent_time=CONSENT)
    await take(page, recorder, "sess-gp", "card")
    # the page told the cabin who the doctor is: the results sheet names them
    await until(lambda: call.doctor[1], "doctor named at the cabin", timeout=10)
    assert call.doctor == ("sess-gp", "Dr DR-A")
    ids = ["prescription-form", "rx-form-off", "upload-form", "sick-note", "gp-form"]
    shown = await page.js(SHOWN, ids)
    assert shown == {
        "prescription-form": False,
        "rx-form-off": True,
        "upload-form": True,
        "sick-note": True,
        "gp-form": True,
    }, shown
    notice = await page.js("return document.getElementById('sick-note').textContent")
    assert notice == (
        "Arrêt de travail : non imprimable en cabine — depuis juillet 2025, formulaire sécurisé "
        "Cerfa obligatoire ; faites-le en ligne (amelipro)."
    )
    # the notice sits with the documents: right after the PDF upload
    after_upload = "return document.getElementById('upload-form').nextElementSibling.id"
    assert await page.js(after_upload) == "sick-note"

    # the report: empty refused in the page, nothing sent
    await page.click("#gp-send")
    await page.until("empty said", status_is(page, "gp-status", "Écrivez"))
    texts = {
        "reason": "Toux depuis 5 jours.",
        "findings": "SpO2 97 %.\nPas de signe de gravité.",
        "advice": "Repos, hydratation.",
        "follow_up": "Revoir sous 48 h si fièvre.",
    }
    await page.js(
        "for (const [k, v] of Object.entries(arguments[0]))"
        " document.getElementById('gp-' + k).value = v;",
        texts,
    )
    await page.click("#gp-send")
    received = await recorder.wait("GP report", lambda u: isinstance(u, GpReportReceived))
    assert received.version.session_id == "sess-gp" and received.version.version == 1
    report = received.report
    assert {k: report[k] for k in texts} == texts
    assert report["doctor"]["name"] == "Dr DR-A" and report["doctor"]["rpps"] == "10000000001"
    assert report["doctor"]["signature"].startswith("data:image/png;base64,")
    assert call.gp_reports.is_latest(received.version)
    call.gp_report_settled(received, None)
    await page.until(
        "report acknowledged", status_is(page, "gp-status", "Compte rendu reçu par la cabine ✓")
    )
    # sent again (edited): version 2 replaces
    await page.js("document.getElementById('gp-advice').value = 'Repos, hydratation, paracétamol.'")
    await page.click("#gp-send")
    again = await recorder.wait("GP report again", lambda u: isinstance(u, GpReportReceived))
    assert again.version.version == 2 and not call.gp_reports.is_latest(received.version)
    call.gp_report_settled(again, None)
    await page.until("second ack", status_is(page, "gp-status", "Compte rendu reçu"))
    sent = (await page.snapshot())["sent"]
    reports = [d for d in sent if d["kind"] == "gp_report"]
    assert reports == [{"kind": "gp_report", "version": 2, "status": "received"}]
    found = await axe.violations(page)
    assert not found, f"axe-core, report form:\n{axe.readable(found)}"
    await page.js("document.getElementById('sick-note').scrollIntoView({block: 'start'})")
    await page.screenshot(tmp_path / "report-form-fr.png")
    await page.js("document.getElementById('rx-form-off').scrollIntoView({block: 'start'})")
    await page.screenshot(tmp_path / "papers-fr.png")
    await page.click("button.lang[data-lang='en']")
    await page.screenshot(tmp_path / "papers-en.png")

    # what the cabin makes of it: the page's signature on the paper, the text as written
    fields, name, rpps, signature = report_fields(again.report)
    assert signature is not None and signature == base64.b64decode(png_b64(report))
    pdf = compose_gp_report(
        GpReportInput(
            cabin=CabinOnPaper(id="CAB-1"),
            patient=PatientOnPaper(
                last_name="Lefèvre", first_name="Jeanne", birth_date="12/03/1947"
            ),
            doctor_name=name,
            doctor_rpps=rpps,
            fields=fields,
        )
    ).pdf
    text = pdf_text(pdf)
    assert "Repos, hydratation, paracétamol." in text and "N° RPPS : 10000000001" in text


def png_b64(report: dict[str, object]) -> str:
    doctor = report["doctor"]
    assert isinstance(doctor, dict)
    return str(doctor["signature"]).split(",", 1)[1]


@pytest.mark.asyncio
async def test_prescription_form_is_off_unless_the_site_enables_it() -> None:
    """The portal's config: off by default, on with ``[prescriptions] form = true``; an
    unknown key is refused with its table named."""
    assert PapersConfig().form is False
    default = parse_portal_config(portal_toml(form=False), source="t")
    assert default.prescriptions.form is False
    assert parse_portal_config(portal_toml(), source="t").prescriptions.form is True
    with pytest.raises(Exception, match=r"\[prescriptions\]: unknown key 'forms'"):
        parse_portal_config(portal_toml() + "forms = true\n", source="t")
