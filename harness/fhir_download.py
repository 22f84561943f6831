"""The doctor downloads the session's readings as FHIR from the page, in the real Chromium:
Chromium saves the file in a private folder (CDP), which is read back, validated with
``fhir.resources`` and removed (health data is not left on disk)."""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

#: The LOINC code of each kind the scripted doctor measures.
KIND_CODES = {
    "blood_pressure": "85354-9",
    "temperature": "8310-5",
    "weight": "29463-7",
    "spo2": "2708-6",
}


class DownloadError(RuntimeError):
    """The bundle was not downloaded, or is not the session's valid bundle."""


async def _allow_downloads(doctor: Any, folder: str) -> None:
    params = {"behavior": "allow", "downloadPath": folder}
    try:
        await asyncio.to_thread(
            doctor.driver.execute_cdp_cmd, "Browser.setDownloadBehavior", params
        )
    except Exception:  # an older Chromium: the page-level command
        await asyncio.to_thread(doctor.driver.execute_cdp_cmd, "Page.setDownloadBehavior", params)


async def download_bundle(doctor: Any, *, timeout: float = 30.0) -> tuple[str, str]:
    """Click "download the readings (FHIR)"; the saved file's name and text."""
    folder = tempfile.mkdtemp(prefix="cabine-fhir-")
    try:
        await _allow_downloads(doctor, folder)
        await doctor.until(
            "the FHIR download button enabled",
            lambda: doctor.js(
                "const b = document.getElementById('fhir-download'); return b && !b.disabled"
            ),
        )
        await doctor.js("document.getElementById('fhir-download').click()")
        said = await doctor.until(
            "the page's word on the FHIR file",
            lambda: doctor.js(
                "const f = window.cabine.fhir(); return f.state === 'asking' ? null : f"
            ),
            timeout=timeout,
        )
        if said["state"] != "saved":
            raise DownloadError(f"the page did not save the file: {said['why'] or said['state']}")
        path = Path(folder) / said["file"]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not path.exists():  # Chromium writes a .crdownload, then renames it
            if loop.time() > deadline:
                raise DownloadError(f"{said['file']} not in Chromium's download folder")
            await asyncio.sleep(0.05)
        return said["file"], path.read_text(encoding="utf-8")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def check_download(
    doctor: Any, *, session_id: str, last_name: str, kinds: tuple[str, ...]
) -> dict[str, Any]:
    """Download the bundle and check it: a valid FHIR R4 collection of this session (its id
    and today's date in the file name), for this patient, with an Observation per kind."""
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError

    name, text = await download_bundle(doctor)
    if session_id not in name or date.today().isoformat() not in name:
        raise DownloadError(f"file name {name!r} lacks the session id or today's date")
    try:
        Bundle.model_validate_json(text)
    except ValidationError as exc:
        raise DownloadError(f"the bundle does not validate ({exc.error_count()} errors)") from None
    bundle: dict[str, Any] = json.loads(text)
    if bundle.get("type") != "collection":
        raise DownloadError(f"a bundle of type {bundle.get('type')!r}")
    found = [e["resource"] for e in bundle["entry"]]
    patients = [r for r in found if r["resourceType"] == "Patient"]
    if [n.get("family") for p in patients for n in p.get("name", ())] != [last_name]:
        raise DownloadError("the bundle's patient is not the one on the page")
    codes = {
        c["code"] for r in found if r["resourceType"] == "Observation" for c in r["code"]["coding"]
    }
    lacking = [kind for kind in kinds if KIND_CODES[kind] not in codes]
    if lacking:
        raise DownloadError(f"no Observation for {', '.join(lacking)}")
    return bundle
