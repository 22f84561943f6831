"""Documents: compose the results sheet and a prescription, then spool both to CUPS until it
reports them completed, against raw ``lp`` of the same ready PDFs on the same queue.

Both sides use one private cupsd with a cups-pdf queue and wait for completion the same way
(IPP Get-Job-Attributes every 20 ms); runs are interleaved so the machine's noise is shared.
The kiosk side adds what it really does: the queue check, the tmpfs spool file, its deletion.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import entry, stats

ENTRIES = ("documents_and_spool",)
RUNS = 20
POLL = 0.02
COMPOSE_LIMIT_S = 0.150
RATIO_LIMIT = 1.1
BUDGET = "compose <= 150 ms warm; spool until completed <= 1.1x raw lp"
DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "documents"


def _bare_print(server: str, queue: str, path: Path, request_ids: list[int]) -> None:
    """``lp`` then wait for job-state completed, with nothing of the kiosk around it."""
    from drivers.printer import ipp

    done = subprocess.run(
        ["lp", "-d", queue, "--", str(path)],
        env={**os.environ, "CUPS_SERVER": server},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    job = int(done.stdout.split("request id is ", 1)[1].split()[0].rsplit("-", 1)[1])
    deadline = time.monotonic() + 60
    while True:
        request_ids[0] += 1
        reply = ipp.call(
            server,
            f"/jobs/{job}",
            ipp.encode_request(
                ipp.GET_JOB_ATTRIBUTES,
                request_ids[0],
                printer_uri=f"ipp://localhost/jobs/{job}",
                job_id=job,
                requested=("job-state",),
            ),
        )
        if reply.first("job-state") == 9:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"raw lp job {job} not completed")
        time.sleep(POLL)


def run() -> dict[str, Any]:
    from drivers.printer.cups import CupsPrinter, PrinterOptions
    from drivers.printer.sim import DEFAULT_QUEUE, PrivateCups
    from kiosk.documents.inputs import Prescription, ResultsInput
    from kiosk.documents.prescription import compose_prescription
    from kiosk.documents.printing import DocumentPrinter
    from kiosk.documents.results import compose_results
    from kiosk.privacy import Spool

    session = json.loads((DATA / "session.json").read_text(encoding="utf-8"))
    rx = json.loads((DATA / "prescription.json").read_text(encoding="utf-8"))

    def compose() -> tuple[Any, Any]:
        return (
            compose_results(ResultsInput.from_json(session)),
            compose_prescription(Prescription.from_json(rx)),
        )

    compose()  # warm: fonts registered, modules loaded
    compose_s: list[float] = []
    for _ in range(RUNS):
        start = time.perf_counter()
        documents = compose()
        compose_s.append(time.perf_counter() - start)

    spool_root = Path("/dev/shm") / f"cabine-bench-{os.getpid()}-{secrets.token_hex(3)}"
    ready = Path(tempfile.mkdtemp(prefix="cabine-bench-ready-", dir="/dev/shm"))
    kiosk_s: list[float] = []
    bare_s: list[float] = []
    with PrivateCups() as cups:
        printer = CupsPrinter(
            PrinterOptions(queue=DEFAULT_QUEUE, server=cups.server, poll_interval=POLL)
        )
        spooler = DocumentPrinter(Spool(spool_root), printer)
        paths = []
        for document in documents:
            path = ready / f"{document.kind.value}.pdf"
            path.write_bytes(document.pdf)
            paths.append(path)
        request_ids = [10_000]
        try:
            # One warm-up of each side: CUPS loads filters, Ghostscript its fonts.
            for document in documents:
                spooler.print_document("bench", document)
            for path in paths:
                _bare_print(cups.server, DEFAULT_QUEUE, path, request_ids)
            for i in range(RUNS):
                sides = ("kiosk", "bare") if i % 2 == 0 else ("bare", "kiosk")
                for side in sides:
                    start = time.perf_counter()
                    if side == "kiosk":
                        for document in documents:
                            spooler.print_document("bench", document)
                        kiosk_s.append(time.perf_counter() - start)
                    else:
                        for path in paths:
                            _bare_print(cups.server, DEFAULT_QUEUE, path, request_ids)
                        bare_s.append(time.perf_counter() - start)
                cups.clear_output()
        finally:
            spooler.wipe("bench")
            shutil.rmtree(spool_root, ignore_errors=True)
            shutil.rmtree(ready, ignore_errors=True)

    kiosk = stats(kiosk_s, "s")
    bare = stats(bare_s, "s")
    compose_stats = stats([s * 1000 for s in compose_s], "ms")
    ratio = statistics.median(kiosk_s) / statistics.median(bare_s)
    met = statistics.median(compose_s) <= COMPOSE_LIMIT_S and ratio <= RATIO_LIMIT
    row = entry(kiosk, bare, budget=BUDGET, met=met)
    row["compose"] = compose_stats
    row["what"] = (
        "kiosk: spool results + prescription (queue check, tmpfs file, lp, follow to "
        "completed, delete); bare: lp of the same two ready PDFs, followed the same way; "
        "compose: both documents from JSON, warm"
    )
    return {"documents_and_spool": row}
