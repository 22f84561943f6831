"""The patient ends the consultation from the cabin: the session prints the papers it holds
and the call hangs up cleanly (the page hears "end", the portal "hangup"); "I can't hear"
reaches the page as a valid data-channel message."""

from __future__ import annotations

import pytest

import protocol
from kiosk.call import CallStatus
from kiosk.domain import ReadingKind
from kiosk.session import (
    DoctorJoined,
    MeasurementRequested,
    PatientEndedCall,
    ReadingReceived,
    State,
)
from tests.core.helpers import reading
from tests.portal.test_call_unit import make_call
from tests.portal.test_page_binding_unit import portal_spy, settle, waiting_patient


@pytest.mark.asyncio
@pytest.mark.parametrize("measuring", [False, True])
async def test_the_patient_ending_the_call_hangs_up_and_prints(measuring: bool) -> None:
    call, channel = make_call()
    sent = portal_spy(call)
    session, binding = waiting_patient(call)
    await settle()
    call.call_id = "c1"
    session.send(DoctorJoined())
    session.send(ReadingReceived(reading()))
    if measuring:
        session.send(MeasurementRequested(ReadingKind.WEIGHT))
    session.send(PatientEndedCall())
    assert session.state is State.PRINTING  # the results print, as when the doctor ends
    assert session.requested is None
    await settle()
    assert channel.of_type("end") == [
        {"type": "end", "reason": "cabin", "id": channel.of_type("end")[0]["id"]}
    ]
    assert ("hangup", {"call_id": "c1", "reason": "ended"}) in sent
    assert call.status is CallStatus.ENDED
    binding.close()


@pytest.mark.asyncio
async def test_the_patient_ending_without_papers_says_goodbye() -> None:
    call, _ = make_call()
    portal_spy(call)
    session, binding = waiting_patient(call)
    await settle()
    session.send(DoctorJoined())
    session.send(PatientEndedCall())
    assert session.state is State.GOODBYE
    await settle()
    assert call.status is CallStatus.ENDED
    binding.close()


def test_cannot_hear_is_a_valid_data_message() -> None:
    call, channel = make_call()
    assert call.tell_cannot_hear()
    (msg,) = channel.of_type("cannot_hear")
    assert protocol.decode_data(protocol.data("cannot_hear", id=msg["id"]))["type"] == "cannot_hear"
    with pytest.raises(protocol.ProtocolError):
        protocol.decode_data('{"type": "cannot_hear", "extra": 1}')
