"""``kiosk document``, ``kiosk print``, ``kiosk print-test`` and the printer self-test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drivers.printer.sim import DEFAULT_QUEUE, PrivateCups
from kiosk.cli import main
from kiosk.cli.printing import FALLBACK_SPOOL
from kiosk.config import CabinConfig, Config, PrinterConfig
from kiosk.documents.printing import check_printer
from tests.documents.conftest import DATA, pdf_text
from tests.documents.test_upload import make_pdf


@pytest.mark.parametrize(
    ("kind", "source", "expected"),
    [
        ("results", "session.json", "Systolique : 138 mmHg"),
        ("prescription", "prescription.json", "Ordonnance n° RX-2026-11-23-0001"),
    ],
)
def test_document_composes_without_printing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, source: str, expected: str
):
    out = tmp_path / "out.pdf"
    assert main(["document", kind, "--input", str(DATA / source), "--output", str(out)]) == 0
    assert expected in pdf_text(out)
    assert str(out) in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "x"', "not valid JSON (line 1"),
        ("[1, 2]", "input: must be a JSON object"),
        ('{"id": "A1", "date": "2026-01-01", "lines": []}', "lines: missing"),
        (b"\xff\xfe".decode("latin-1"), "not valid JSON"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
):
    source = tmp_path / "rx.json"
    source.write_text(content, encoding="utf-8")
    out = tmp_path / "out.pdf"
    code = main(["document", "prescription", "--input", str(source), "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_missing_mandatory_field_and_missing_file_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    data = json.loads((DATA / "prescription.json").read_text(encoding="utf-8"))
    del data["prescriber"]["rpps"]
    source = tmp_path / "rx.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    args = ["document", "prescription", "--input", str(source), "--output", str(tmp_path / "o")]
    assert main(args) == 2
    assert capsys.readouterr().err.strip() == (
        "kiosk: document prescription: prescriber.rpps: missing"
    )
    args[3] = str(tmp_path / "absent.json")
    assert main(args) == 2
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.slow
def test_print_and_print_test_through_cups(
    cups: PrivateCups,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    monkeypatch.setenv("CUPS_SERVER", cups.server)
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    pdf = tmp_path / "ready.pdf"
    pdf.write_bytes(make_pdf(1))
    assert main(["print", str(pdf), "--printer", DEFAULT_QUEUE, "--config", ""]) == 0
    assert f"printed on {DEFAULT_QUEUE}" in capsys.readouterr().out
    assert main(["print-test", "--printer", DEFAULT_QUEUE, "--cabin", "CAB-<9>"]) == 0
    assert not Path(FALLBACK_SPOOL).exists()  # no config: its own spool folder went too
    printed = cups.wait_printed(2)
    text = pdf_text(printed[-1])
    assert "Page de test" in text and "Cabine CAB-<9>" in text and "Русский" in text
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("hello", encoding="utf-8")
    assert main(["print", str(not_pdf), "--printer", DEFAULT_QUEUE]) == 2
    assert "not a readable PDF" in capsys.readouterr().err
    cups.stop_queue(DEFAULT_QUEUE)
    assert main(["print", str(pdf), "--printer", DEFAULT_QUEUE]) == 1
    assert "[stopped]" in capsys.readouterr().err


@pytest.mark.slow
def test_printer_selftest_check(cups: PrivateCups, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CUPS_SERVER", cups.server)
    cfg = Config(cabin=CabinConfig(id="c"), printer=PrinterConfig(name=DEFAULT_QUEUE))
    (ok,) = check_printer(cfg)
    assert ok.ok and ok.name == "printer" and DEFAULT_QUEUE in ok.detail
    cups.set_fault(DEFAULT_QUEUE, "paper-out")
    cups.stop_queue(DEFAULT_QUEUE, reason="no paper")
    (stopped,) = check_printer(cfg)
    assert not stopped.ok and "[stopped]" in stopped.detail
    (missing,) = check_printer(
        Config(cabin=CabinConfig(id="c"), printer=PrinterConfig(name="nope"))
    )
    assert not missing.ok and "no_such_queue" in missing.detail
