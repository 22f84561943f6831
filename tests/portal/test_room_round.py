"""Issue #18: a waiting-room round at a region's size. The rows are built once a round: the
doctors with nothing of their own share one encoded message, a doctor's call and a nurse's
direct call stay that doctor's; the round runs beside the message that caused it, so a cabin's
next message (its call's offer) is read at once, not after 200 doctors' rooms."""

from __future__ import annotations

import asyncio
import json

import pytest

from portal.config import PortalConfig
from portal.hub import Hub
from portal.presence import CabinPresence, Patient, Peer


class _Socket:
    """A doctor's socket as the hub sees it (the hub's only use of it: send a text)."""

    def __init__(self, gate: asyncio.Event | None = None) -> None:
        self.closed = False
        self.texts: list[str] = []
        self.gate = gate

    async def send_str(self, text: str) -> None:
        if self.gate is not None:
            await self.gate.wait()
        self.texts.append(text)


def _hub(cfg: PortalConfig) -> Hub:
    now = [1000.0]
    hub = Hub(cfg, clock=lambda: now[0], wall=lambda: 1_790_000_000.0 + now[0])
    for n, (taken_by, call_id, asked) in enumerate(
        [("", "", ""), ("dr-a", "call-of-a", ""), ("", "", "dr-b"), ("", "", "")]
    ):
        cabin_id = f"cabin-{n}"
        peer = Peer(_Socket(), kind="cabin", ident=cabin_id, cfg=cfg)  # type: ignore[arg-type]
        hub.cabins[cabin_id] = CabinPresence(cabin_id, peer=peer, last_heartbeat=now[0])
        hub.patients[cabin_id] = Patient(
            cabin_id, f"s-{n}", since=now[0] - 100 + n, taken_by=taken_by, call_id=call_id,
            doctor_id=asked, nurse_name="Inès Martin" if asked else "",
            nurse_profession="infirmière" if asked else "",
        )  # fmt: skip
    return hub


def _doctor(hub: Hub, ident: str, gate: asyncio.Event | None = None) -> _Socket:
    ws = _Socket(gate)
    hub.doctors.add(Peer(ws, kind="doctor", ident=ident, cfg=hub.cfg))  # type: ignore[arg-type]
    return ws


def _rows(text: str) -> list[dict[str, object]]:
    message = json.loads(text)
    assert message["type"] == "waiting_room"
    return message["patients"]


@pytest.mark.asyncio
async def test_each_doctor_sees_the_same_line_with_their_own_rows(
    portal_config: PortalConfig,
) -> None:
    hub = _hub(portal_config)
    sockets = {d: _doctor(hub, d) for d in ("dr-a", "dr-b", "dr-c", "dr-d")}
    await hub.broadcast()
    await asyncio.wait_for(hub.settled(), 5)
    texts = {d: ws.texts[-1] for d, ws in sockets.items()}

    # nothing of their own: one message, the same bytes
    assert texts["dr-c"] == texts["dr-d"]
    others = _rows(texts["dr-c"])
    assert [r["session_id"] for r in others] == ["s-0", "s-1", "s-3"]  # not the nurse's call
    assert not any(r["mine"] or r["call_id"] for r in others)
    assert others[1]["state"] == "taken"

    mine = _rows(texts["dr-a"])
    assert [r["session_id"] for r in mine] == ["s-0", "s-1", "s-3"]
    assert (mine[1]["mine"], mine[1]["call_id"]) == (True, "call-of-a")
    assert not any(r["mine"] for r in mine if r["session_id"] != "s-1")

    asked = _rows(texts["dr-b"])
    assert [r["session_id"] for r in asked] == ["s-2", "s-0", "s-1", "s-3"]  # theirs first
    assert asked[0]["asked_for_you"] is True and asked[0]["nurse"] == "Inès Martin"
    assert not any(r["mine"] or r["call_id"] for r in asked)

    # the page's own request reads the same room as the round sent
    for doctor, text in texts.items():
        assert hub.snapshot(doctor) == {k: v for k, v in json.loads(text).items() if k != "type"}


@pytest.mark.asyncio
async def test_the_round_runs_beside_the_message_that_caused_it(
    portal_config: PortalConfig,
) -> None:
    hub = _hub(portal_config)
    gate = asyncio.Event()  # the doctors' sockets are slow: nothing is written until it opens
    slow = [_doctor(hub, f"dr-{n}", gate) for n in range(40)]

    # the handler that changed the room goes on at once, with the round still under way
    await asyncio.wait_for(hub.broadcast(), 1)
    await asyncio.sleep(0.05)
    assert not any(ws.texts for ws in slow)
    # changes made meanwhile: one more round, not one each
    for _ in range(5):
        await hub.broadcast()
    gate.set()
    await asyncio.wait_for(hub.settled(), 5)
    assert [len(ws.texts) for ws in slow] == [2] * 40
    await hub.stop_rounds()
