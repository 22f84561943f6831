"""Crash, freeze and start-limit behaviour of the real units under a real systemd manager.

The shipped ``cabine-kiosk.service`` and ``cabine-fault.service`` are loaded unmodified;
a drop-in changes only what a per-user manager cannot do (switch user, open a PAM session on
tty1) or what would make the test slow (30 s watchdog), and points ExecStart at the kiosk's
start-up path (``tests/deploy/supervised_kiosk.py``).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy.conftest import REPO, SYSTEMD_DIR
from tests.deploy.usermanager import UserManager

KIOSK = "cabine-kiosk.service"
FAULT = "cabine-fault.service"
WATCHDOG_S = 2
#: The service runs as nobody, who may not reach a virtualenv under /root; the start-up
#: path needs only the standard library and the repository.
SYSTEM_PYTHON = "/usr/bin/python3"

#: What a per-user manager cannot do, reset; everything else comes from the shipped unit.
AS_USER_MANAGER = """\
[Service]
User=
Group=
SupplementaryGroups=
PAMName=
TTYPath=
StandardInput=null
UtmpIdentifier=
# A user manager applies the sandboxing options inside a user namespace.
PrivateUsers=yes
# In this container a per-user manager cannot build the service's mount namespace (exit
# 226/NAMESPACE), so the file-system sandbox is off here; test_units.py checks it offline.
ProtectSystem=no
ProtectHome=no
PrivateTmp=no
PrivateNetwork=no
ProtectKernelTunables=no
ProtectKernelModules=no
ProtectKernelLogs=no
ProtectControlGroups=no
ProtectClock=no
ProtectHostname=no
"""


class Cabin:
    def __init__(self, manager: UserManager) -> None:
        self.manager = manager
        self.spool = manager.runtime / "kiosk-spool"
        self.fail_flag = manager.base / "fail-at-start"
        # How each run ended, as systemd tells ExecStopPost= ($SERVICE_RESULT...).
        self.exits = manager.base / "exits"
        self.exits.touch()
        os.chown(self.exits, manager.pw.pw_uid, manager.pw.pw_gid)
        config = manager.base / "kiosk.toml"
        config.write_text(
            f'[cabin]\nid = "cabin-test"\n\n[session]\nspool_dir = "{self.spool}"\n',
            encoding="utf-8",
        )
        os.chmod(config, 0o644)
        run = f"{SYSTEM_PYTHON} -m tests.deploy.supervised_kiosk"
        env = (
            f"Environment=KIOSK_CONFIG={config} PYTHONPATH={REPO} "
            f"CABINE_TEST_FAIL_FLAG={self.fail_flag}\n"
            'ExecStopPost=/bin/sh -c \'echo "$SERVICE_RESULT $EXIT_CODE $EXIT_STATUS" '
            f">> {self.exits}'\n"
        )
        for unit, args in ((KIOSK, ""), (FAULT, " --fault-screen")):
            (manager.units / unit).symlink_to(SYSTEMD_DIR / unit)
            manager.add_dropin(
                unit,
                "50-test.conf",
                AS_USER_MANAGER
                + f"ExecStart=\nExecStart={run}{args}\nWorkingDirectory={REPO}\n"
                + env,
            )
        manager.add_dropin(KIOSK, "60-watchdog.conf", f"[Service]\nWatchdogSec={WATCHDOG_S}s\n")

    def wait_idle(self, *, restarts: int) -> dict[str, str]:
        props = self.manager.wait_for(
            KIOSK, ActiveState="active", SubState="running", NRestarts=str(restarts)
        )
        props |= self.manager.show(KIOSK, "StatusText")
        assert props["StatusText"].startswith("idle"), props
        return props

    def status_in_session(self) -> str:
        session = (self.runtime_directory() / "current-session").read_text()
        return f"in session {session}"

    def run_ends(self) -> list[str]:
        return self.exits.read_text().splitlines()

    def runtime_directory(self) -> Path:
        return self.manager.runtime / "cabine"

    def spool_files(self) -> list[Path]:
        return [p for p in self.spool.rglob("*") if p.is_file()] if self.spool.exists() else []


@pytest.fixture
def cabin() -> Iterator[Cabin]:
    manager = UserManager()
    try:
        cabin = Cabin(manager)
        manager.start([KIOSK])
        yield cabin
    finally:
        manager.stop()


def _wait_for_file(path: Path) -> None:
    deadline = time.monotonic() + 10
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)  # polling a condition with a deadline


@pytest.mark.slow
def test_killed_kiosk_is_restarted_with_its_spool_wiped(cabin: Cabin) -> None:
    first = cabin.wait_idle(restarts=0)
    assert first["StatusText"] == "idle; wiped 0 leftover session(s) at start-up"
    os.kill(int(first["MainPID"]), signal.SIGUSR1)
    _wait_for_file(cabin.runtime_directory() / "current-session")
    cabin.manager.wait_for(KIOSK, StatusText=cabin.status_in_session())
    assert len(cabin.spool_files()) == 1

    os.kill(int(first["MainPID"]), signal.SIGKILL)  # a crash mid-session

    second = cabin.wait_idle(restarts=1)
    assert second["MainPID"] != first["MainPID"]
    assert cabin.run_ends() == ["signal killed KILL"]
    # The new process found the dead session's spool and wiped it before showing idle...
    assert second["StatusText"] == "idle; wiped 1 leftover session(s) at start-up"
    assert cabin.spool_files() == []
    # ...and systemd had already emptied the unit's RuntimeDirectory on the way.
    assert not (cabin.runtime_directory() / "current-session").exists()


@pytest.mark.slow
def test_a_blocked_event_loop_is_killed_by_the_watchdog_and_restarted(cabin: Cabin) -> None:
    first = cabin.wait_idle(restarts=0)
    os.kill(int(first["MainPID"]), signal.SIGUSR2)  # the loop stops, and so do the pings
    cabin.manager.wait_for(KIOSK, StatusText="event loop blocked")
    second = cabin.wait_idle(restarts=1)
    assert second["MainPID"] != first["MainPID"]
    # systemd's own account of the first run's end: the watchdog, by SIGABRT.
    assert cabin.run_ends()[0] == "watchdog killed ABRT", cabin.run_ends()


@pytest.mark.slow
def test_repeated_start_failures_end_on_the_fault_screen(cabin: Cabin) -> None:
    first = cabin.wait_idle(restarts=0)
    cabin.fail_flag.touch()
    os.kill(int(first["MainPID"]), signal.SIGKILL)
    cabin.manager.wait_for(FAULT, timeout=60, ActiveState="active", SubState="running")
    props = cabin.manager.show(KIOSK, "ActiveState", "NRestarts")
    # StartLimitBurst=5 starts within StartLimitIntervalSec: the first run (killed) and four
    # failed restarts; the sixth start is refused and OnFailure= shows the fault screen.
    assert props["ActiveState"] == "failed", props
    assert cabin.run_ends() == ["signal killed KILL"] + ["exit-code exited 1"] * 4, cabin.run_ends()
    # No boot loop: the kiosk stays down until a technician clears it.
    assert cabin.manager.show(KIOSK, "ActiveState")["ActiveState"] == "failed"
