"""A CPS and a Carte Vitale in a mallette's reader, on the real card path: a private pcscd
with the vpcd reader, virtual cards, the cabin's card service and its CPS wiring."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
import pytest_asyncio

from drivers.card import pcsc
from kiosk.cabin import Cabin
from kiosk.nurse import Profession, sign_in
from kiosk.session import DeskNotice, NurseDeskOpened, NurseSignedIn, State
from tests.card.conftest import daemon, insert, options, pcscd, reader  # noqa: F401
from tests.helpers.waiting import until
from tests.nurse.test_rpps import RPPS


@pytest_asyncio.fixture
async def cabin(mallette_config, options: pcsc.ReaderOptions) -> AsyncIterator[Cabin]:  # noqa: F811
    cfg = replace(
        mallette_config,
        card=replace(mallette_config.card, pcsc_socket=options.socket, reader=""),
        portal=replace(mallette_config.portal, url=""),
        devices={},
    )
    cabin = Cabin(cfg, tick=False)
    await cabin.start()
    assert cabin.card is not None
    await until(lambda: cabin.card.readers, "the readers", timeout=5)
    cabin.session.send(NurseDeskOpened())  # what the screens' bridge does in a mallette
    yield cabin
    await cabin.stop()


@pytest.mark.asyncio
async def test_a_cps_at_the_sign_in_is_recognised_unread(cabin: Cabin, insert) -> None:  # noqa: F811
    session = cabin.session
    card = insert("cps")
    await until(lambda: session.desk_notice == DeskNotice.CPS, "the CPS notice", timeout=5)
    card.remove()
    assert session.state is State.NURSE and session.nurse is None and session.data is None


@pytest.mark.asyncio
async def test_a_vitale_at_the_sign_in_is_told_apart(cabin: Cabin, insert) -> None:  # noqa: F811
    session = cabin.session
    insert("one")
    await until(
        lambda: session.desk_notice == DeskNotice.VITALE_AT_SIGN_IN, "the Vitale notice", timeout=5
    )
    assert session.state is State.NURSE and session.data is None


@pytest.mark.asyncio
async def test_a_cps_where_the_patients_vitale_is_expected(cabin: Cabin, insert) -> None:  # noqa: F811
    session = cabin.session
    now = datetime(2026, 1, 1, 9, tzinfo=UTC)
    session.send(
        NurseSignedIn(sign_in(RPPS, "Claire Dubois", Profession.NURSE, now=now, timezone="UTC"))
    )
    insert("cps")
    await until(
        lambda: session.desk_notice == DeskNotice.CPS_FOR_PATIENT, "the CPS notice", timeout=5
    )
    await until(lambda: session.state is State.IDLE, "the wipe", timeout=5)
    assert session.data is None and session.nurse is not None


def test_the_cabin_hands_the_nurse_to_the_call_at_the_waiting_room(mallette_config) -> None:
    """The ``assistance`` message's fields go to the call when the patient consents; a
    patient nobody assists (or a cabin) clears them."""
    from types import SimpleNamespace

    from kiosk.session import BeneficiaryChosen, CardInserted, CardRead, ConsentGiven, EndSession
    from tests.nurse.test_desk_session import PATIENT

    cabin = Cabin(mallette_config, card=False, tick=False)
    call = SimpleNamespace(assistance={"stale": True})
    cabin.call = call  # type: ignore[assignment]  # what the cabin reads of its call here
    session = cabin.session
    now = datetime(2026, 1, 1, 9, tzinfo=UTC)
    session.send(NurseDeskOpened())
    session.send(
        NurseSignedIn(sign_in(RPPS, "Claire Dubois", Profession.NURSE, now=now, timezone="UTC"))
    )
    for event in (CardInserted(), CardRead((PATIENT,)), BeneficiaryChosen(1), ConsentGiven()):
        session.send(event)
    assert call.assistance == {
        "name": "Claire Dubois",
        "profession": "infirmier",
        "rpps": RPPS,
        "place": "health_centre",
        "identity_typed": False,
        "consent_witnessed": True,
    }
    session.send(EndSession())
    session.send(EndSession())
    cabin.config = replace(cabin.config, cabin=replace(cabin.config.cabin, form="cabin"))
    session.nurse = None  # a cabin: nobody assists
    for event in (CardInserted(), CardRead((PATIENT,)), BeneficiaryChosen(1), ConsentGiven()):
        session.send(event)
    assert call.assistance is None
