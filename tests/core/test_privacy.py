"""The spool lives in memory and is wiped at the end of each session and at start-up."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from kiosk.config import CabinConfig, Config, SessionConfig
from kiosk.errors import PrivacyError
from kiosk.privacy import Spool, filesystem_of
from kiosk.runtime import Runtime
from kiosk.session import CallEnded, EndSession, ReadingReceived, State
from tests.core.helpers import reading
from tests.core.test_session import to

SHM = Path("/dev/shm")


@pytest.fixture
def shm_root(tmp_path_factory):
    if filesystem_of(SHM) != "tmpfs":
        pytest.fail("/dev/shm is not tmpfs on this machine: the spool tests need a tmpfs")
    root = SHM / f"cabine-test-{os.getpid()}-{tmp_path_factory.getbasetemp().name}"
    yield root
    import shutil

    shutil.rmtree(root, ignore_errors=True)


def test_spool_on_disk_is_refused(tmp_path: Path):
    disk = tmp_path / "spool"
    if filesystem_of(tmp_path) in ("tmpfs", "ramfs"):
        pytest.fail(f"{tmp_path} is on tmpfs; this test needs a disk-backed folder")
    with pytest.raises(PrivacyError, match="not tmpfs"):
        Spool(disk).prepare()


def test_session_spool_wiped_at_end(shm_root: Path):
    cfg = Config(cabin=CabinConfig(id="c"), session=SessionConfig(spool_dir=str(shm_root)))
    runtime = Runtime(cfg, clock=ManualClock())
    runtime.start()
    assert (shm_root.stat().st_mode & 0o777) == 0o700
    session = to(runtime.session, State.IN_CALL)
    folder = runtime.spool.session_dir(session.session_id)
    (folder / "results.pdf").write_bytes(b"%PDF-1.4 patient")
    assert runtime.spool.files()
    session.send(ReadingReceived(reading()))
    session.send(CallEnded())
    assert session.state is State.PRINTING
    session.send(EndSession())  # printing abandoned: goodbye, then wiping
    assert session.state is State.GOODBYE
    session.send(EndSession())
    assert session.state is State.CLEANING
    assert runtime.spool.files() == []
    assert not folder.exists()


def test_start_up_wipes_what_a_crash_left(shm_root: Path):
    leftover = shm_root / "deadbeef"
    leftover.mkdir(parents=True)
    (leftover / "rx.pdf").write_bytes(b"%PDF")
    (shm_root / "stray.tmp").write_bytes(b"x")
    cfg = Config(cabin=CabinConfig(id="c"), session=SessionConfig(spool_dir=str(shm_root)))
    runtime = Runtime(cfg)
    assert runtime.start() == 2
    assert list(shm_root.iterdir()) == []
    # Started again (the cabin around the runtime): a live session's spool is left alone.
    live = runtime.spool.session_dir("cafe0001")
    assert runtime.start() == 0
    assert live.exists()


def test_session_dir_names_are_plain(shm_root: Path):
    spool = Spool(shm_root)
    spool.prepare()
    for bad in ("", "..", "a/b"):
        with pytest.raises(PrivacyError):
            spool.session_dir(bad)
    spool.wipe("")  # nothing to do, no error
    assert Spool(shm_root / "absent").wipe_all() == 0
    assert Spool(shm_root / "absent").files() == []


def test_a_session_writes_nothing_to_disk(
    shm_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # Every place a careless library would write to: working directory, home, temp.
    for name in ("cwd", "home", "tmp"):
        (tmp_path / name).mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    cfg = Config(cabin=CabinConfig(id="c"), session=SessionConfig(spool_dir=str(shm_root)))
    runtime = Runtime(cfg, clock=ManualClock())
    runtime.start()
    session = to(runtime.session, State.IN_CALL)
    session.send(ReadingReceived(reading()))
    session.send(CallEnded())
    session.send(EndSession())
    session.send(EndSession())
    assert session.state is State.CLEANING
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    assert runtime.spool.files() == []
