"""CUPS keeps no copy of a printed document: the self-test reads the scheduler's config, and
a real cupsd shows that what the config says is what happens to the files."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.printer import retention
from drivers.printer.cups import CupsPrinter, PrinterOptions
from drivers.printer.errors import PrinterError
from drivers.printer.sim import DEFAULT_QUEUE, PrivateCups
from kiosk.config import CabinConfig, Config
from kiosk.documents.printing import check_cups_retention
from kiosk.documents.testpage import compose_test_page
from kiosk.selftest import hint_for, run_without_config

CONFIG = Config(cabin=CabinConfig(id="c"))

MOUNTS = """\
sysfs /sys sysfs rw 0 0
/dev/sda1 / ext4 rw,relatime 0 0
tmpfs /run tmpfs rw,nosuid 0 0
tmpfs /dev/shm tmpfs rw 0 0
/dev/sdb1 /var/spool ext4 rw 0 0
"""


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (None, 86400),  # not set: CUPS keeps each job's files a day
        ("No", 0),
        ("off", 0),
        ("false", 0),
        ("Yes", retention.FOREVER),
        ("on", retention.FOREVER),
        ("3600", 3600),
        ("2h", 7200),
        ("1d", 86400),
        ("0", 0),
        ("whenever", 86400),  # not a value cupsd takes: never read as "not kept"
    ],
)
def test_preserve_job_files_as_cupsd_reads_it(value: str | None, seconds: int) -> None:
    assert retention.preserve_seconds(value) == seconds


def test_only_top_level_directives_count_and_the_last_wins() -> None:
    conf = (
        "# PreserveJobFiles No\n"
        "PreserveJobFiles Yes\n"
        "<Location />\n  PreserveJobFiles No\n</Location>\n"
        "preservejobfiles 600\n"
    )
    assert retention.directive(conf, "PreserveJobFiles") == "600"
    assert retention.directive("LogLevel info\n", "PreserveJobFiles") is None


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (Path("/run/cups/spool"), "tmpfs"),
        (Path("/var/spool/cups"), "ext4"),
        (Path("/var/spoolish"), "ext4"),  # /var/spool is no prefix of it: the root's
        (Path("/dev/shm/x"), "tmpfs"),
    ],
)
def test_the_filesystem_of_the_request_root(path: Path, kind: str) -> None:
    assert retention.filesystem_of(path, MOUNTS) == kind


def test_an_installed_cups_left_as_debian_ships_it_fails(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "cupsd.conf").write_text("LogLevel warn\nListen localhost:631\n")
    (tmp_path / "cups-files.conf").write_text("SystemGroup lpadmin\n")  # RequestRoot unset
    mounts = tmp_path / "mounts"
    mounts.write_text(MOUNTS)
    kept = retention.read(tmp_path, mounts=mounts)
    assert kept.request_root == Path("/var/spool/cups") and kept.filesystem == "ext4"
    assert kept.problems() == [
        "CUPS keeps printed documents for 86400 s after printing "
        "(PreserveJobFiles not set, CUPS's default)",
        "its spool /var/spool/cups is on ext4, not in memory (tmpfs)",
    ]


def test_an_unreadable_config_fails_and_says_what_to_do(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CUPS_SERVERROOT", str(tmp_path / "absent"))
    (result,) = check_cups_retention(CONFIG)
    assert not result.ok and result.name == "printer:retention"
    assert "cannot read CUPS's config" in result.detail
    assert "run the kiosk selftest as root" in hint_for(result)


def _print_one(cups: PrivateCups, tmp_path: Path) -> None:
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(compose_test_page("CAB-RETENTION").pdf)
    printer = CupsPrinter(PrinterOptions(queue=DEFAULT_QUEUE, server=cups.server))
    printer.print_file(pdf, title="cabine-results")
    cups.wait_printed(1)


def _documents_in_spool(cups: PrivateCups) -> list[Path]:
    """CUPS names a job's document copies d<job>-<n> in its RequestRoot."""
    return sorted(cups.request_root.glob("d*"))


@pytest.mark.slow
@pytest.mark.parametrize("keep", [False, True])
def test_the_check_says_what_a_real_cupsd_does_with_the_files(
    keep: bool, tmp_path: Path, monkeypatch
) -> None:
    cups = PrivateCups(keep_job_files=keep)
    try:
        try:
            cups.start()
        except PrinterError as exc:
            pytest.fail(f"the private CUPS (cupsd + cups-pdf) could not start: {exc}")
        _print_one(cups, tmp_path)
        kept_files = _documents_in_spool(cups)
        monkeypatch.setenv("CUPS_SERVERROOT", str(cups.server_root))
        (result,) = check_cups_retention(CONFIG)
    finally:
        cups.cleanup()
    if keep:
        assert kept_files, "CUPS kept no copy: the test no longer shows the danger"
        assert not result.ok
        assert "keeps printed documents for 86400 s" in result.detail
        assert "cupsctl PreserveJobFiles=No" in hint_for(result)
    else:
        assert kept_files == []
        assert result.ok, result.detail
        assert "in memory" in result.detail


def test_selftest_without_config_checks_the_systems_cups(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "cupsd.conf").write_text("PreserveJobFiles Yes\n")
    monkeypatch.setenv("CUPS_SERVERROOT", str(tmp_path))
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "no-cups.sock"))
    report = run_without_config()
    (result,) = [c for c in report.checks if c.name == "printer:retention"]
    assert not result.ok and "keeps every printed document" in result.detail
    assert result.hint.startswith("cupsctl PreserveJobFiles=No")
