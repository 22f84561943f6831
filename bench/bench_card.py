"""Carte Vitale: the kiosk's read and insertion -> identity, against raw pyscard APDUs.

Both sides run in the same process, on the same virtual card (Vitale 2, T=0 quirks: 8 APDUs),
through the same private pcscd with the vpcd reader; reads are interleaved so noise is shared.
The bare read is connect + the same 8 APDUs sent blindly + disconnect, on an open context.

pcscd polls vpcd every 0.4 s, so an insertion is seen at the next tick. A loop that inserts
right after seeing the last removal is phase-locked to that tick (every sample ~400 ms); a
patient is not, so each insertion waits a seeded random fraction of the poll period first.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from typing import Any

from bench.common import entry, stats, wait_until

ENTRIES = ("card_read", "card_insert_to_identity")
RUNS = 50
READ_BUDGET = "<= 1.5x raw pyscard APDUs on the same virtual card"
INSERT_BUDGET = "insertion -> identity <= 300 ms"
INSERT_LIMIT_MS = 300.0
session_log = logging.getLogger("kiosk.session")
POLL_PERIOD = 0.4  # pcsc-lite's PCSCLITE_STATUS_POLL_RATE for readers without events


def _raw_apdus() -> list[bytes]:
    """The exact 8 APDUs the kiosk ends up sending to the 'one' card with T=0 quirks, found
    once by recording them; the bare side sends them blindly, knowing the answers' sizes."""
    from drivers.card import protocol, sim

    logic = sim.CardLogic(sim.load_profile("one").but(t0_quirks=True))
    sent: list[bytes] = []

    def transmit(apdu: bytes) -> protocol.Response:
        sent.append(apdu)
        return protocol.Response.from_bytes(logic.answer(apdu))

    protocol.read_vitale(transmit, protocol.CardKind.VITALE2)
    return sent


def run() -> dict[str, Any]:
    from smartcard import scard

    from drivers.card import pcsc, sim
    from drivers.card.pcscd import PrivatePcscd

    apdus = _raw_apdus()
    profile = sim.load_profile("one").but(t0_quirks=True)
    with PrivatePcscd() as daemon:
        pcsc.use_socket(str(daemon.socket_path))
        options = pcsc.ReaderOptions(socket=str(daemon.socket_path))
        reader = pcsc.VitaleReader(options)
        hr, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hr != scard.SCARD_S_SUCCESS:
            raise RuntimeError(f"no PC/SC context: {pcsc.describe(hr)}")
        _, names = scard.SCardListReaders(ctx, [])
        slot = names[0]

        def bare_read() -> None:
            hr, card, active = scard.SCardConnect(
                ctx, slot, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T0
            )
            assert hr == scard.SCARD_S_SUCCESS, pcsc.describe(hr)
            for apdu in apdus:
                hr, _ = scard.SCardTransmit(card, active, list(apdu))
                assert hr == scard.SCARD_S_SUCCESS, pcsc.describe(hr)
            scard.SCardDisconnect(card, scard.SCARD_LEAVE_CARD)

        def present() -> bool:
            query = [(slot, scard.SCARD_STATE_UNAWARE)]
            hr, found = scard.SCardGetStatusChange(ctx, 0, query)
            return hr == scard.SCARD_S_SUCCESS and bool(found[0][1] & scard.SCARD_STATE_PRESENT)

        card = sim.VirtualCard(profile, port=daemon.port)
        try:
            read_kiosk, read_bare = _reads(card, reader, slot, bare_read, present)
            # Each pulled card is a (calm) session fault: keep those lines out of the table.
            quiet = session_log.level
            session_log.setLevel(logging.ERROR)
            try:
                insert_kiosk, insert_bare = asyncio.run(
                    _insertions(card, options, ctx, slot, apdus, present)
                )
            finally:
                session_log.setLevel(quiet)
        finally:
            card.remove()
            reader.close()
            scard.SCardReleaseContext(ctx)

    kiosk_read, bare = stats(read_kiosk, "ms"), stats(read_bare, "ms")
    read_row = entry(kiosk_read, bare, budget=READ_BUDGET, met=None)
    read_row["met"] = read_row["ratio"] is not None and read_row["ratio"] <= 1.5
    kiosk_insert = stats(insert_kiosk, "ms")
    insert_row = entry(
        kiosk_insert,
        stats(insert_bare, "ms"),
        budget=INSERT_BUDGET,
        met=kiosk_insert["median"] <= INSERT_LIMIT_MS,
    )
    return {"card_read": read_row, "card_insert_to_identity": insert_row}


def _reads(
    card: Any, reader: Any, slot: str, bare_read: Callable[[], None], present: Callable[[], bool]
) -> tuple[list[float], list[float]]:
    """The read as the kiosk does it after an insertion (reader and ATR from the watcher)."""
    profile = card.profile
    card.insert()
    wait_until(present, "the card", timeout=5.0)
    for _ in range(5):  # warm-up both paths
        reader.read(reader=slot, atr=profile.atr)
        bare_read()
    kiosk: list[float] = []
    bare: list[float] = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        people = reader.read(reader=slot, atr=profile.atr)
        kiosk.append((time.perf_counter() - t0) * 1000)
        assert len(people) == 1
        t0 = time.perf_counter()
        bare_read()
        bare.append((time.perf_counter() - t0) * 1000)
    card.remove()
    wait_until(lambda: not present(), "the card to leave", timeout=5.0)
    return kiosk, bare


async def _insertions(  # noqa: PLR0917
    card: Any, options: Any, ctx: int, slot: str, apdus: list[bytes], present: Callable[[], bool]
) -> tuple[list[float], list[float]]:
    from smartcard import scard

    from kiosk.services.card import CardService
    from kiosk.session import Session, State

    session = Session(require_cleaning=False)
    identity = asyncio.Event()
    session.subscribe(lambda u: identity.set() if u.state is State.CONFIRM_IDENTITY else None)
    service = CardService(session, options=options)
    service.start()
    kiosk: list[float] = []
    bare: list[float] = []
    phase = random.Random(20261123)

    async def wait_empty() -> None:
        deadline = time.monotonic() + 5.0
        while present():
            if time.monotonic() > deadline:
                raise TimeoutError("the card did not leave")
            await asyncio.sleep(0.005)

    def bare_insert() -> float:
        # The bare stack: wait for the card with SCardGetStatusChange, then the raw APDUs.
        query = [(slot, scard.SCARD_STATE_UNAWARE)]
        hr, found = scard.SCardGetStatusChange(ctx, 0, query)
        state = found[0][1] & ~scard.SCARD_STATE_CHANGED
        t0 = time.perf_counter()
        card.insert()
        deadline = time.monotonic() + 5.0
        while not state & scard.SCARD_STATE_PRESENT:
            if time.monotonic() > deadline:
                raise TimeoutError("the card was not seen")
            hr, found = scard.SCardGetStatusChange(ctx, 1000, [(slot, state)])
            if hr == scard.SCARD_S_SUCCESS:
                state = found[0][1] & ~scard.SCARD_STATE_CHANGED
        hr, handle, active = scard.SCardConnect(
            ctx, slot, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T0
        )
        for apdu in apdus:
            scard.SCardTransmit(handle, active, list(apdu))
        scard.SCardDisconnect(handle, scard.SCARD_LEAVE_CARD)
        return (time.perf_counter() - t0) * 1000

    try:
        await asyncio.sleep(0.5)  # the watcher is up and has seen the empty reader
        for _ in range(RUNS):
            identity.clear()
            await asyncio.sleep(phase.uniform(0, POLL_PERIOD))
            t0 = time.perf_counter()
            card.insert()
            await asyncio.wait_for(identity.wait(), 5.0)
            kiosk.append((time.perf_counter() - t0) * 1000)
            card.remove()
            await wait_empty()
            _reset(session)
    finally:
        await service.stop()
    # The bare side runs once the kiosk's watcher is gone, so nothing else reads the card.
    for _ in range(RUNS):
        await asyncio.sleep(phase.uniform(0, POLL_PERIOD))
        bare.append(await asyncio.to_thread(bare_insert))
        card.remove()
        await wait_empty()
    return kiosk, bare


def _reset(session: Any) -> None:
    """Bring the session back to idle between insertions, as a finished session would."""
    from kiosk.session import EndSession, State

    for _ in range(5):
        if session.state is State.IDLE:
            return
        session.send(EndSession())
    raise RuntimeError(f"the session did not return to idle ({session.state})")
