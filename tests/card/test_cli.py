"""``kiosk card read``, ``kiosk sim card``, ``kiosk sim pcscd`` and the self-test's card check."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from drivers.card import sim
from drivers.card.pcsc import VitaleReader
from drivers.card.pcscd import SOCKET_ENV, PrivatePcscd, free_port_pair
from kiosk.config import CabinConfig, CardConfig, Config
from kiosk.services.card import check_card_reader
from tests.helpers.cli import run_kiosk
from tests.helpers.waiting import wait_until

Insert = Callable[..., sim.VirtualCard]


def kiosk(
    daemon: PrivatePcscd, *args: str, timeout: float = 30.0
) -> subprocess.CompletedProcess[str]:
    """``kiosk ARGS`` on ``daemon``'s pcscd, without a config."""
    env = {**daemon.env(), "KIOSK_CONFIG": "/nonexistent/kiosk.toml"}
    return run_kiosk(*args, env=env, timeout=timeout)


def test_card_read_human_output_masks_the_nir(daemon: PrivatePcscd, insert: Insert) -> None:
    card = insert("family")
    done = kiosk(daemon, "card", "read")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 4
    assert lines[0] == "0. D'ALMEIDA-LEFÈVRE Jean-Noël, born 14/02/1983, NIR 1 •• •• •• ••• ••• ••"
    for p in card.profile.beneficiaries:
        assert p.nir[:13] not in done.stdout


def test_card_read_json_gives_every_field(daemon: PrivatePcscd, insert: Insert) -> None:
    card = insert("family")
    done = kiosk(daemon, "card", "read", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [p.to_json() for p in card.profile.beneficiaries]


@pytest.mark.parametrize(
    ("profile", "args", "message"),
    [
        (None, (), "kiosk: card: no card in the reader"),
        (
            "vitale1",
            (),
            "kiosk: card: card not supported (first-generation Carte Vitale): ask staff",
        ),
        ("cps", (), "kiosk: card: this is a health professional card (CPS), not a Carte Vitale"),
        ("mute", (), "kiosk: card: the card does not answer"),
        (None, ("--reader", "Nope"), "kiosk: card: no card reader named like 'Nope'"),
    ],
)
def test_card_read_errors_are_one_line(
    daemon: PrivatePcscd, insert: Insert, profile: str | None, args: tuple[str, ...], message: str
) -> None:
    if profile:
        insert(profile)
    done = kiosk(daemon, "card", "read", *args)
    assert done.returncode == 1
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith(message)


def test_card_read_waits_for_a_card(daemon: PrivatePcscd, insert: Insert) -> None:
    env = {**daemon.env(), "KIOSK_CONFIG": "/nonexistent/kiosk.toml"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "card", "read", "--json", "--wait", "20"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        insert("one")
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
        proc.wait(5)
    assert proc.returncode == 0, err
    assert [p["last_name"] for p in json.loads(out)] == ["MARTIN"]


@pytest.mark.slow
def test_card_read_without_pcscd(daemon: PrivatePcscd) -> None:
    daemon.stop()
    done = kiosk(daemon, "card", "read")
    assert done.returncode == 1
    assert done.stderr.startswith("kiosk: card: the smart-card service (pcscd) is not available")


def test_sim_card_inserts_until_ctrl_c(daemon: PrivatePcscd, reader: VitaleReader) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sim", "card", "family", "--port", str(daemon.port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until(lambda: reader.status().readers[0].present, "the simulated card", timeout=10.0)
        assert len(reader.read()) == 4
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
        proc.wait(5)
    assert proc.returncode == 0, err
    assert "inserted on port" in out and "card removed" in out
    wait_until(lambda: not reader.status().readers[0].present, "the card removed", timeout=5.0)


def test_sim_card_unknown_profile(daemon: PrivatePcscd) -> None:
    done = kiosk(daemon, "sim", "card", "nosuch", "--port", str(daemon.port))
    assert done.returncode == 1
    assert "no card profile 'nosuch' (known: bank, broken_tlv, cps, family" in done.stderr


@pytest.mark.slow
def test_sim_pcscd_runs_in_the_foreground_and_stops_by_pid(tmp_path: Path) -> None:
    socket_path = tmp_path / "pcscd.comm"
    port = free_port_pair()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk",
            "sim",
            "pcscd",
            "--port",
            str(port),
            "--socket",
            str(socket_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until(socket_path.exists, "the private pcscd socket", timeout=10.0)
        env = {**os.environ, SOCKET_ENV: str(socket_path), "KIOSK_CONFIG": "/nonexistent"}
        done = subprocess.run(
            [sys.executable, "-m", "kiosk", "card", "read"],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert done.stderr.startswith("kiosk: card: no card in the reader"), done.stderr
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
    finally:
        proc.kill()
        proc.wait(5)
    assert proc.returncode == 0, err
    pid = int(out.split()[2])
    assert f"export {SOCKET_ENV}={socket_path}" in out
    assert not Path(f"/proc/{pid}").exists(), "kiosk sim pcscd left its pcscd running"


def test_selftest_card_check(daemon: PrivatePcscd, insert: Insert) -> None:
    cfg = Config(cabin=CabinConfig(id="t"), card=CardConfig(pcsc_socket=str(daemon.socket_path)))
    results = list(check_card_reader(cfg))
    assert [(r.name, r.ok) for r in results] == [
        ("card:service", True),
        ("card:reader", True),
        ("card:state", True),
    ]
    assert results[2].detail == "no card inserted"
    insert("one")
    state = list(check_card_reader(cfg))[2]
    assert state.detail.startswith("card in Cabine Virtual Reader 00 00 (ATR 3b 75 13")
    named = Config(cabin=CabinConfig(id="t"), card=CardConfig(reader="Omnikey"))
    assert [(r.name, r.ok) for r in check_card_reader(named)][-1] == ("card:reader", False)


@pytest.mark.slow
def test_selftest_card_check_without_pcscd(daemon: PrivatePcscd) -> None:
    daemon.stop()
    cfg = Config(cabin=CabinConfig(id="t"))
    (result,) = check_card_reader(cfg)
    assert (result.name, result.ok) == ("card:service", False)
    assert "pcscd" in result.detail
