"""One private pcscd with the vpcd reader for the whole card suite, and virtual cards.

libpcsclite reads ``PCSCLITE_CSOCK_NAME`` once per process, at its first context: it is set
here, when the card tests are collected, before any test can open a PC/SC context.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from drivers.card import sim
from drivers.card.errors import CardError
from drivers.card.pcsc import ReaderOptions, VitaleReader
from drivers.card.pcscd import SOCKET_ENV, PrivatePcscd
from tests.helpers.waiting import wait_until

WORKDIR = Path(tempfile.gettempdir()) / f"cabine-test-pcscd-{os.getpid()}"
SOCKET = WORKDIR / "pcscd.comm"
os.environ[SOCKET_ENV] = str(SOCKET)

DATA = Path(__file__).resolve().parent.parent / "data" / "card"


@pytest.fixture(scope="session")
def pcscd() -> Iterator[PrivatePcscd]:
    daemon = PrivatePcscd(workdir=WORKDIR, socket_path=SOCKET)
    try:
        daemon.start()
    except CardError as exc:
        daemon.cleanup()
        pytest.fail(f"the private pcscd (vpcd reader) could not start: {exc}")
    yield daemon
    pid = daemon.pid
    daemon.stop()
    assert pid is None or not Path(f"/proc/{pid}").exists(), f"pcscd {pid} still running"
    daemon.cleanup()


@pytest.fixture
def daemon(pcscd: PrivatePcscd) -> Iterator[PrivatePcscd]:
    """The shared pcscd, put back up with its reader after a test that stopped it."""
    pcscd.start()
    yield pcscd
    if not (pcscd.running and pcscd.reader):
        pcscd.restart(reader=True)


@pytest.fixture
def options(daemon: PrivatePcscd) -> ReaderOptions:
    return ReaderOptions(socket=str(daemon.socket_path), read_timeout=5.0)


@pytest.fixture
def reader(options: ReaderOptions) -> Iterator[VitaleReader]:
    r = VitaleReader(options)
    yield r
    r.close()


def _slot_empty(reader: VitaleReader) -> bool:
    status = reader.status()
    return not status.available or not any(r.present for r in status.readers)


@pytest.fixture
def insert(daemon: PrivatePcscd, reader: VitaleReader) -> Iterator[Callable[..., sim.VirtualCard]]:
    """``insert(profile)`` puts a virtual card in slot 0 and waits until pcscd sees it."""
    cards: list[sim.VirtualCard] = []

    def _insert(profile: sim.CardProfile | str, *, wait: bool = True) -> sim.VirtualCard:
        if isinstance(profile, str):
            profile = sim.load_profile(profile)
        card = sim.VirtualCard(profile, port=daemon.port)
        cards.append(card)
        card.insert()
        if wait:
            wait_until(
                lambda: any(r.present for r in reader.status().readers),
                "pcscd to see the card",
                timeout=5.0,
            )
        return card

    yield _insert
    for card in cards:
        card.remove()
    if daemon.running:
        wait_until(lambda: _slot_empty(reader), "the reader to be empty again", timeout=5.0)
