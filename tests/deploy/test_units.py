"""The shipped unit, udev, sysusers and tmpfiles files, checked by systemd's own tools.

No systemd is running here: ``systemd-analyze verify`` and ``security --offline`` read the
files, ``udevadm test`` parses the rules in a private mount namespace, ``systemd-sysusers`` and
``systemd-tmpfiles`` apply theirs to a scratch root.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk import config as config_mod
from tests.deploy.conftest import REPO, SYSTEMD_DIR

UNITS = sorted(SYSTEMD_DIR.glob("*.service"))
INSTALL_PREFIX = "/opt/cabine/current"


def _tool(name: str) -> str:
    found = shutil.which(name) or next(
        (p for p in (f"/usr/bin/{name}", f"/bin/{name}") if Path(p).exists()), None
    )
    assert found, f"{name} is not installed (Debian package: systemd or udev; see make setup)"
    return found


def _installed_copy(tmp_path: Path) -> list[Path]:
    """The units as docs/install.md installs them, with the release link aimed at this tree."""
    release = tmp_path / "current"
    release.symlink_to(REPO)
    out = tmp_path / "units"
    out.mkdir()
    for unit in UNITS:
        text = unit.read_text(encoding="utf-8").replace(INSTALL_PREFIX, str(release))
        (out / unit.name).write_text(text, encoding="utf-8")
    return sorted(out.iterdir())


def _verify(paths: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_tool("systemd-analyze"), "verify", "--man=no", "--generators=no", *map(str, paths)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        # Quiet by default; any warning (unknown key, bad value, missing binary) is printed.
        env={**os.environ, "SYSTEMD_LOG_LEVEL": "notice", "SYSTEMD_LOG_COLOR": "0"},
    )


def _directives(path: Path) -> dict[str, list[str]]:
    """``Section.Key`` -> every value, in order (systemd allows a key more than once)."""
    found: dict[str, list[str]] = {}
    section = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        found.setdefault(f"{section}.{key.strip()}", []).append(value.strip())
    return found


def test_there_are_units_to_check() -> None:
    names = {u.name for u in UNITS}
    assert {"cabine-kiosk.service", "cabine-portal.service", "cabine-fault.service"} <= names


def test_systemd_analyze_verify_passes_on_every_unit(tmp_path: Path) -> None:
    assert Path("/usr/bin/cage").exists(), "cage is not installed: apt install cage (make setup)"
    result = _verify(_installed_copy(tmp_path))
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_verify_would_catch_a_broken_unit(tmp_path: Path) -> None:
    # The check above can fail: a typo and a missing binary are both reported.
    broken = tmp_path / "broken.service"
    broken.write_text("[Service]\nExecStart=/nonexistent/kiosk\nWatchdogSecs=5\n")
    result = _verify([broken])
    assert "WatchdogSecs" in result.stderr
    assert "/nonexistent/kiosk" in result.stderr


@pytest.mark.parametrize(
    ("unit", "threshold"),
    [("cabine-kiosk.service", 3.0), ("cabine-fault.service", 2.0), ("cabine-portal.service", 2.0)],
)
def test_exposure_stays_low(unit: str, threshold: float) -> None:
    result = subprocess.run(
        [
            _tool("systemd-analyze"),
            "security",
            "--offline=yes",
            "--no-pager",
            f"--threshold={int(threshold * 10)}",
            str(SYSTEMD_DIR / unit),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SYSTEMD_COLORS": "0"},
    )
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d)", result.stdout)
    assert match, result.stdout[-2000:] + result.stderr
    assert float(match.group(1)) <= threshold, result.stdout[-3000:]
    assert result.returncode == 0, result.stdout[-2000:]


def test_kiosk_unit_supervises_as_the_design_says() -> None:
    d = _directives(SYSTEMD_DIR / "cabine-kiosk.service")
    assert d["Service.Type"] == ["notify"]
    assert d["Service.NotifyAccess"] == ["all"]  # the kiosk is cage's child
    assert d["Service.Restart"] == ["always"]
    assert d["Service.WatchdogSec"] and d["Service.WatchdogSec"][0] != "0"
    assert d["Service.LimitCORE"] == ["0"]  # no core file with patient data in it
    assert d["Unit.OnFailure"] == ["cabine-fault.service"]
    assert int(d["Unit.StartLimitBurst"][0]) >= 3
    after = " ".join(d["Unit.After"])
    for dependency in ("pcscd.socket", "cups.service", "network-online.target"):
        assert dependency in after
    assert d["Service.ExecStart"][0].endswith("kiosk run")
    assert d["Service.User"] == ["cabine"]
    for key, value in {
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "NoNewPrivileges": "yes",
    }.items():
        assert d[f"Service.{key}"] == [value], key
    groups = d["Service.SupplementaryGroups"][0].split()
    assert "dialout" in groups and "root" not in groups and "sudo" not in groups


def test_the_spool_lives_in_the_units_runtime_directory() -> None:
    d = _directives(SYSTEMD_DIR / "cabine-kiosk.service")
    runtime = Path("/run") / d["Service.RuntimeDirectory"][0]
    spool = Path(config_mod.parse('[cabin]\nid = "x"\n').session.spool_dir)
    assert runtime in spool.parents, (runtime, spool)


def test_portal_unit_is_hardened_the_same_way() -> None:
    d = _directives(SYSTEMD_DIR / "cabine-portal.service")
    assert d["Service.User"] == ["cabine-portal"]
    for key, value in {
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "NoNewPrivileges": "yes",
        "Restart": "always",
    }.items():
        assert d[f"Service.{key}"] == [value], key


def test_udev_rules_parse_cleanly(tmp_path: Path) -> None:
    rules = sorted((SYSTEMD_DIR / "udev").glob("*.rules"))
    assert rules
    tty = next(Path("/sys/class/tty").glob("tty[0-9]*"), None)
    assert tty is not None, "no tty device in /sys/class/tty to run the rules against"
    # A deliberately bad file proves the parser's complaints reach us.
    control = tmp_path / "79-control.rules"
    control.write_text('SUBSYSTEM=="tty", NOSUCHKEY=="x", SYMLINK+="y"\n')
    script = (
        "set -e; mount -t tmpfs tmpfs /etc/udev/rules.d; "
        f"cp {' '.join(map(str, rules))} {control} /etc/udev/rules.d/; "
        f"exec {_tool('udevadm')} test --action=add {tty}"
    )
    result = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = result.stdout + result.stderr
    for rule in rules:
        assert f"Reading rules file: /etc/udev/rules.d/{rule.name}" in output, output[-3000:]
    complaints = [line for line in output.splitlines() if re.search(r"\.rules:\d+ ", line)]
    assert any("79-control.rules" in c and "NOSUCHKEY" in c for c in complaints), output[-3000:]
    ours = [c for c in complaints if "79-control" not in c and "cabine" in c]
    assert ours == [], ours


def test_udev_rules_name_each_instrument_by_vendor_product_and_serial() -> None:
    text = (SYSTEMD_DIR / "udev" / "70-cabine-instruments.rules").read_text()
    for name in ("scale", "oximeter", "tensiometer"):
        line = next(ln for ln in text.splitlines() if f'SYMLINK+="cabine/{name}"' in ln)
        for key in ("ATTRS{idVendor}==", "ATTRS{idProduct}==", "ATTRS{serial}=="):
            assert key in line, (name, key)


@pytest.fixture
def scratch_root(tmp_path: Path) -> Path:
    etc = tmp_path / "etc"
    etc.mkdir()
    for name in ("passwd", "group", "shadow", "gshadow"):
        source = Path("/etc") / name
        if source.exists():
            shutil.copy(source, etc / name)
    return tmp_path


def test_sysusers_creates_the_service_users(scratch_root: Path) -> None:
    subprocess.run(
        [
            _tool("systemd-sysusers"),
            f"--root={scratch_root}",
            str(SYSTEMD_DIR / "sysusers.d" / "cabine.conf"),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    passwd = (scratch_root / "etc" / "passwd").read_text()
    group = (scratch_root / "etc" / "group").read_text()
    assert re.search(r"^cabine:x:\d+:\d+:.*:/usr/sbin/nologin$", passwd, re.M)
    assert re.search(r"^cabine-portal:x:", passwd, re.M)
    dialout = re.search(r"^dialout:x:\d+:(.*)$", group, re.M)
    assert dialout and "cabine" in dialout.group(1).split(",")


def test_tmpfiles_protects_the_configuration(scratch_root: Path) -> None:
    subprocess.run(
        [
            _tool("systemd-sysusers"),
            f"--root={scratch_root}",
            str(SYSTEMD_DIR / "sysusers.d" / "cabine.conf"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    subprocess.run(
        [
            _tool("systemd-tmpfiles"),
            "--create",
            f"--root={scratch_root}",
            str(SYSTEMD_DIR / "tmpfiles.d" / "cabine.conf"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    folder = scratch_root / "etc" / "cabine"
    assert folder.is_dir()
    assert folder.stat().st_mode & 0o777 == 0o750
