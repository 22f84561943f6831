"""The session's state names, in a module light enough for the first paint to import."""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    IDLE = "idle"
    READING_CARD = "reading_card"
    BOOKING_CODE = "booking_code"
    CONFIRM_IDENTITY = "confirm_identity"
    CONSENT = "consent"
    WAITING_ROOM = "waiting_room"
    IN_CALL = "in_call"
    MEASURING = "measuring"
    PRINTING = "printing"
    GOODBYE = "goodbye"
    WIPING = "wiping"
    CLEANING = "cleaning"
    FAULT = "fault"
    #: A mallette's desk (``[cabin] form = "mallette"``): the nurse signs in for the shift,
    #: then checks each patient in from here.
    NURSE = "nurse"


#: Where the patient's call for the staff stands (``Cabin.staff_call``; "" when none).
STAFF_CALL_STATES = ("calling", "coming", "unreachable")
#: A staff call made outside a session (on the idle screen) ends by itself after this long:
#: no session end takes it away.
STAFF_CALL_MAX_S = 900.0
