"""The watcher thread and the session adapter, through the real private pcscd."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Callable

import pytest
import pytest_asyncio

from drivers.card import pcsc, sim
from drivers.card.pcscd import PrivatePcscd
from kiosk.services.card import CardService
from kiosk.session import FaultKind, Session, State
from tests.helpers.waiting import until

Insert = Callable[..., sim.VirtualCard]


class Recorder:
    def __init__(self) -> None:
        self.events: list[pcsc.CardEvent] = []
        self.threads: set[str] = set()

    def __call__(self, event: pcsc.CardEvent) -> None:
        self.threads.add(threading.current_thread().name)
        self.events.append(event)

    def kinds(self) -> list[str]:
        return [type(e).__name__ for e in self.events]


@pytest.mark.asyncio
async def test_watcher_hands_insertion_and_removal_to_asyncio(
    options: pcsc.ReaderOptions, insert: Insert
) -> None:
    record = Recorder()
    watcher = pcsc.CardWatcher(
        record, loop=asyncio.get_running_loop(), options=options, poll_timeout=0.2
    )
    watcher.start()
    try:
        await until(lambda: record.events, "the readers", timeout=5)
        assert "pcsc-watch" in {t.name for t in threading.enumerate()}
        card = insert("one")
        await until(lambda: "CardPresent" in record.kinds(), "CardPresent", timeout=5)
        inserted = next(e for e in record.events if isinstance(e, pcsc.CardPresent))
        assert inserted.atr == card.profile.atr
        assert inserted.reader.endswith("00 00")
        card.remove()
        await until(lambda: "CardRemoved" in record.kinds(), "CardRemoved", timeout=5)
        assert record.threads == {threading.current_thread().name}  # delivered in the loop
        assert record.kinds() == ["ReadersChanged", "CardPresent", "CardRemoved"]
    finally:
        await asyncio.to_thread(watcher.stop)
    assert "pcsc-watch" not in {t.name for t in threading.enumerate()}


@pytest_asyncio.fixture
async def service(options: pcsc.ReaderOptions) -> AsyncIterator[CardService]:
    session = Session(require_cleaning=False)
    svc = CardService(session, options=options, poll_timeout=0.2)
    svc.start()
    await until(lambda: svc.readers, "the readers", timeout=5)
    yield svc
    await svc.stop()


@pytest.mark.asyncio
async def test_insertion_reads_the_card_into_the_session(
    service: CardService, insert: Insert, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    session = service.session
    card = insert("family")
    await until(lambda: session.state is State.CONFIRM_IDENTITY, "the identity", timeout=5)
    assert session.data is not None
    assert len(session.data.beneficiaries) == 4
    card.remove()
    await until(lambda: session.state is State.FAULT, "the card-pulled fault", timeout=5)
    assert session.fault_kind is FaultKind.CARD_PULLED
    # The next insertion resumes with a new connection and a new read.
    insert("one")
    await until(lambda: session.state is State.CONFIRM_IDENTITY, "the second identity", timeout=5)
    assert len(session.data.beneficiaries) == 1
    assert "reading_card -> confirm_identity" in caplog.text
    text = caplog.text.casefold()
    for p in (*card.profile.beneficiaries, *session.data.beneficiaries):
        for secret in (p.last_name, p.first_name, p.nir, p.nir[:13]):
            assert secret.casefold() not in text


@pytest.mark.asyncio
async def test_card_pulled_mid_read_is_a_pulled_card(service: CardService, insert: Insert) -> None:
    insert(sim.load_profile("family").but(remove_after=3), wait=False)
    session = service.session
    await until(lambda: session.state is State.FAULT, "the fault", timeout=5)
    assert session.fault_kind is FaultKind.CARD_PULLED


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("profile", "reason"),
    [("vitale1", "vitale1"), ("cps", "not_vitale"), ("mute", "mute"), ("broken_tlv", "unreadable")],
)
async def test_bad_card_fails_the_read_with_its_reason(
    service: CardService, insert: Insert, profile: str, reason: str
) -> None:
    insert(profile)
    session = service.session
    await until(lambda: session.state is State.FAULT, "the fault", timeout=5)
    assert session.fault_kind is FaultKind.CARD_UNREADABLE
    assert session.fault_detail == reason


@pytest.mark.asyncio
async def test_a_french_bank_card_is_not_a_carte_vitale(
    service: CardService, insert: Insert
) -> None:
    insert(sim.load_profile("bank").but(atr=bytes.fromhex("3F 65 25 08 43 04 6C 90 00")))
    session = service.session
    await until(lambda: session.state is State.FAULT, "the fault", timeout=5)
    assert session.fault_kind is FaultKind.CARD_UNREADABLE
    assert session.fault_detail == "not_vitale"  # the fault screen: "... not a Carte Vitale."


@pytest.mark.slow
@pytest.mark.asyncio
async def test_service_gone_then_back(
    service: CardService, daemon: PrivatePcscd, insert: Insert
) -> None:
    seen: list[pcsc.CardEvent] = []
    service.listeners.append(seen.append)
    await asyncio.to_thread(daemon.stop)
    await until(lambda: not service.available, "the service to be seen gone", timeout=5)
    await asyncio.to_thread(daemon.start)
    await until(lambda: service.available and service.readers, "the service back", timeout=5)
    insert("one")
    await until(lambda: service.session.state is State.CONFIRM_IDENTITY, "the identity", timeout=5)
    assert [type(e).__name__ for e in seen] == [
        "ReadersChanged",
        "ReadersChanged",
        "CardPresent",
    ]


@pytest.mark.slow
@pytest.mark.asyncio
async def test_reader_unplugged_and_plugged_back(
    service: CardService, daemon: PrivatePcscd, insert: Insert
) -> None:
    await asyncio.to_thread(daemon.restart, reader=False)
    await until(lambda: service.available and not service.readers, "no reader", timeout=5)
    await asyncio.to_thread(daemon.restart, reader=True)
    await until(lambda: service.readers, "the reader back", timeout=5)
    insert("one")
    await until(lambda: service.session.state is State.CONFIRM_IDENTITY, "the identity", timeout=5)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_card_in_reader_when_the_service_goes_is_removed(
    service: CardService, daemon: PrivatePcscd, insert: Insert
) -> None:
    insert("one")
    await until(lambda: service.session.state is State.CONFIRM_IDENTITY, "the identity", timeout=5)
    await asyncio.to_thread(daemon.stop)
    await until(lambda: service.session.state is State.FAULT, "the card-pulled fault", timeout=5)
    assert service.session.fault_kind is FaultKind.CARD_PULLED
