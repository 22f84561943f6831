"""A real systemd service manager for tests, on a machine whose PID 1 is not systemd.

``/lib/systemd/systemd --user`` runs as an unprivileged user (nobody) in a private mount
namespace (where ``/run/systemd/system`` exists, so it agrees to start) and inside a cgroup
subtree delegated to it, so it can neither see nor move any other process on the machine.
Units come only from the test's own directory (``$SYSTEMD_UNIT_PATH``); ``systemctl --user``
talks to it over its private socket.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO

SYSTEMD = Path("/lib/systemd/systemd")
CGROUP_ROOT = Path("/sys/fs/cgroup")
#: The stock user-manager targets a service's default dependencies need.
SKELETON = (
    "basic.target",
    "sockets.target",
    "timers.target",
    "paths.target",
    "shutdown.target",
    "exit.target",
    "systemd-exit.service",
)
STOCK_USER_UNITS = Path("/usr/lib/systemd/user")
DEFAULT_TARGET = "cabine-test.target"


class ManagerError(AssertionError):
    """The real service manager could not be started; the message says which step and why."""


def _cgroup_hierarchies() -> list[Path]:
    """Where the manager tracks its processes: the named systemd hierarchy and/or cgroup2."""
    found = []
    for name in ("systemd", "unified"):
        path = CGROUP_ROOT / name
        if (path / "cgroup.procs").exists():
            found.append(path)
    if not found and (CGROUP_ROOT / "cgroup.subtree_control").exists():
        found.append(CGROUP_ROOT)  # pure cgroup2 machine
    return found


class UserManager:
    """One private ``systemd --user`` instance; :meth:`stop` removes every trace of it."""

    def __init__(self, *, user: str = "nobody") -> None:
        self.pw = pwd.getpwnam(user)
        if os.geteuid() != 0:
            raise ManagerError("the real-supervisor tests need root (to delegate a cgroup)")
        for tool in ("unshare", "setpriv", "mount", "systemctl"):
            if shutil.which(tool) is None:
                raise ManagerError(f"{tool} is not installed")
        if not SYSTEMD.exists():
            raise ManagerError(f"{SYSTEMD} is missing: install the systemd package")
        # /dev/shm is tmpfs: the runtime directory (and the spool in it) never reaches a disk.
        self.base = Path(tempfile.mkdtemp(prefix="cabine-sd-", dir="/dev/shm"))
        os.chmod(self.base, 0o755)
        self.units = self.base / "units"
        self.runtime = self.base / "run"
        self.home = self.base / "home"
        self.console = self.base / "console.log"
        for path in (self.units, self.runtime, self.home):
            path.mkdir()
        self.console.touch()
        for path in (self.runtime, self.home, self.console):
            os.chown(path, self.pw.pw_uid, self.pw.pw_gid)
        os.chmod(self.runtime, 0o700)
        for name in SKELETON:
            (self.units / name).symlink_to(STOCK_USER_UNITS / name)
        self.cgroup_name = self.base.name
        self.cgroups: list[Path] = []
        self.process: subprocess.Popen[bytes] | None = None
        self._launcher_log: IO[bytes] | None = None

    # -- units ---------------------------------------------------------------------------
    def add_unit(self, name: str, text: str) -> Path:
        path = self.units / name
        path.write_text(text, encoding="utf-8")
        return path

    def add_dropin(self, unit: str, name: str, text: str) -> Path:
        folder = self.units / f"{unit}.d"
        folder.mkdir(exist_ok=True)
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    # -- life cycle ----------------------------------------------------------------------
    def start(self, wants: Iterable[str], *, timeout: float = 15.0) -> None:
        """Start the manager with a default target pulling in ``wants``."""
        self.add_unit(
            DEFAULT_TARGET,
            "[Unit]\nDescription=Cabine test session\nAllowIsolate=yes\n"
            + "".join(f"Wants={w}\n" for w in wants),
        )
        for hierarchy in _cgroup_hierarchies():
            group = hierarchy / self.cgroup_name
            group.mkdir()
            self.cgroups.append(group)
            for entry in [group, *group.iterdir()]:
                os.chown(entry, self.pw.pw_uid, self.pw.pw_gid)
        if not self.cgroups:
            raise ManagerError("no cgroup hierarchy to delegate under /sys/fs/cgroup")
        env = {
            "HOME": str(self.home),
            "XDG_RUNTIME_DIR": str(self.runtime),
            "SYSTEMD_UNIT_PATH": str(self.units),
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
        }
        # Runs as root inside the new mount namespace, then becomes the unprivileged user.
        script = "\n".join(
            [
                "set -e",
                "mount -t tmpfs -o mode=0755 tmpfs /run/systemd",
                "mkdir /run/systemd/system",
                # The user manager logs to /dev/console: give it a file it may write.
                f"mount --bind {self.console} /dev/console",
                *(f"echo $$ > {g}/cgroup.procs" for g in self.cgroups),
                "exec setpriv --reuid={uid} --regid={gid} --clear-groups env -i {env} "
                "{systemd} --user --unit={target} --log-target=console --log-level=debug".format(
                    uid=self.pw.pw_uid,
                    gid=self.pw.pw_gid,
                    env=" ".join(f"{k}={v}" for k, v in env.items()),
                    systemd=SYSTEMD,
                    target=DEFAULT_TARGET,
                ),
            ]
        )
        self._launcher_log = open(self.base / "launcher.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._launcher_log,
        )
        deadline = time.monotonic() + timeout
        while not (self.runtime / "systemd" / "private").exists():
            if self.process.poll() is not None:
                raise ManagerError(
                    f"systemd --user exited with {self.process.returncode}: "
                    f"{(self.base / 'launcher.log').read_text(errors='replace')[-2000:]}"
                    f"{self.log()[-2000:]}"
                )
            if time.monotonic() > deadline:
                raise ManagerError(f"systemd --user did not open its socket in {timeout}s")
            time.sleep(0.02)  # polling a condition with a deadline

    def systemctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                "setpriv",
                f"--reuid={self.pw.pw_uid}",
                f"--regid={self.pw.pw_gid}",
                "--clear-groups",
                "env",
                "-i",
                f"XDG_RUNTIME_DIR={self.runtime}",
                "PATH=/usr/bin:/bin",
                "systemctl",
                "--user",
                "--no-pager",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=30,
            check=check,
        )

    def show(self, unit: str, *props: str) -> dict[str, str]:
        out = self.systemctl("show", unit, *(f"--property={p}" for p in props)).stdout
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def wait_for(self, unit: str, *, timeout: float = 20.0, **expected: str) -> dict[str, str]:
        """Poll ``systemctl show`` until every property has its expected value."""
        deadline = time.monotonic() + timeout
        props: dict[str, str] = {}
        while time.monotonic() < deadline:
            props = self.show(unit, *expected, "MainPID", "ActiveState", "SubState")
            if all(props.get(k) == v for k, v in expected.items()):
                return props
            time.sleep(0.05)  # polling a condition with a deadline
        raise AssertionError(
            f"{unit}: {expected} not reached in {timeout}s; now {props}\n"
            f"manager log tail:\n{self.log()[-3000:]}"
        )

    def log(self) -> str:
        return self.console.read_text(errors="replace")

    def stop(self) -> None:
        """Stop the manager (and its units) by PID, then remove its cgroups and files."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # exit.target: units stop, manager exits
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        for group in self.cgroups:
            # Anything the manager left behind is ours: end it by PID, then drop the groups.
            for sub in sorted(group.rglob("cgroup.procs"), key=lambda p: -len(p.parts)):
                for pid in sub.read_text().split():
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(int(pid), signal.SIGKILL)
            for folder in sorted(
                (p for p in group.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)
            ):
                self._rmdir(folder)
            self._rmdir(group)
        if self._launcher_log is not None:
            self._launcher_log.close()
        shutil.rmtree(self.base, ignore_errors=True)

    @staticmethod
    def _rmdir(folder: Path) -> None:
        deadline = time.monotonic() + 5
        while True:
            try:
                folder.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)  # killed processes leave the group asynchronously
