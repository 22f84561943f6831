"""Fixtures of the bus santé's network tests: a shaped veth between two namespaces, the
portal and the doctor's real Chromium on one side, the cabin's call on a thread of its own on
the other, so every packet of the call (media, data channel, portal link) crosses the veth."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from harness.shaping import ShapedLink, SideLoop
from kiosk.call import CabinCall, CallUpdate
from portal import server
from portal.config import PortalConfig
from portal.config import parse as parse_portal_config
from tests.helpers.call import Recorder, call_options
from tests.helpers.waiting import until
from tests.portal.conftest import (  # noqa: F401  (fixtures of the page test's loopback call)
    DoctorPage,
    chromium,
    doctor_page,
    loopback_netns,
    netns_portal,
    portal_toml,
)


@pytest.fixture
def shaped() -> Iterator[ShapedLink]:
    """The link, this thread (the test's loop, the portal, Chromium) in the doctor's
    namespace; both namespaces deleted at the end."""
    with ShapedLink() as link, link.inside("doctor"):
        yield link
    assert not link.exists()


@pytest.fixture
def portal_config() -> PortalConfig:
    return parse_portal_config(portal_toml(), source="test-portal.toml")


@pytest_asyncio.fixture
async def network_portal(
    shaped: ShapedLink, portal_config: PortalConfig
) -> AsyncIterator[server.Running]:
    """The portal on every address of the doctor's namespace: Chromium reaches it on
    127.0.0.1 (a secure origin), the cabin on the veth."""
    running = await server.start(portal_config, host="0.0.0.0", port=0)
    try:
        yield running
    finally:
        await running.stop()


def port_of(running: server.Running) -> int:
    return int(running.url.rsplit(":", 1)[1])


@pytest_asyncio.fixture
async def doctor(network_portal: server.Running, tmp_path: Path) -> AsyncIterator[DoctorPage]:
    async with chromium(f"http://127.0.0.1:{port_of(network_portal)}", tmp_path) as page:
        yield page


class CabinSide(SideLoop):
    """The cabin's side of the link: its own thread and loop (``harness.shaping.SideLoop``)."""

    def __init__(self, link: ShapedLink) -> None:
        super().__init__(link, "cabin")


@pytest_asyncio.fixture
async def cabin_side(shaped: ShapedLink) -> AsyncIterator[CabinSide]:
    side = CabinSide(shaped)
    side.start()
    try:
        yield side
    finally:
        side.stop()


@pytest_asyncio.fixture
async def bus_call(
    cabin_side: CabinSide, network_portal: server.Running, shaped: ShapedLink
) -> AsyncIterator[CabinCall]:
    """The cabin's call on the portal, across the veth (the bus's defaults: a dropped call
    waits for the network as long as the options say)."""
    url = f"http://{shaped.doctor_address}:{port_of(network_portal)}"

    async def opened() -> CabinCall:
        # the cabin's own grace and connect time (its defaults), not the call tests' short ones
        options = dataclasses.replace(
            call_options(url, max_reconnects=3), grace_s=3.0, connect_timeout_s=15.0
        )
        call = CabinCall(options, devices=lambda: {"oximeter": "ok"})
        await call.start()
        await until(call.link.connected.is_set, "portal link across the veth")
        return call

    call = await cabin_side.run(opened())
    try:
        yield call
    finally:
        await cabin_side.run(call.close())


class ThreadRecorder(Recorder):
    """A :class:`Recorder` of a call living on the cabin's thread: each update is handed to
    the test's loop."""

    def __init__(self, call: CabinCall) -> None:
        self._loop = asyncio.get_running_loop()
        super().__init__(call)

    def _on_update(self, update: CallUpdate) -> None:
        self._loop.call_soon_threadsafe(super()._on_update, update)


async def connect(
    doctor: DoctorPage, call: CabinCall, cabin_side: CabinSide, session_id: str = "sess-bus"
) -> ThreadRecorder:
    """The patient checked in, the doctor takes them: the call is up, 640x480 decoded."""
    from tests.portal.test_call import PATIENT, connected, take_patient

    recorder = ThreadRecorder(call)
    await cabin_side.run(call.check_in(session_id, identity=PATIENT))
    await take_patient(doctor, session_id)
    await connected(doctor, call, recorder)
    return recorder


def veth_bytes(link: ShapedLink, side: str = "cabin") -> int:
    """Bytes sent by ``side``'s end of the veth so far."""
    path = f"/sys/class/net/{link.devices[side]}/statistics/tx_bytes"
    return int(link.run(side, "cat", path))
