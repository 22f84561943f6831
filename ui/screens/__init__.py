"""One screen per session state; :mod:`ui.screens.base` holds what every screen shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.states import State

if TYPE_CHECKING:
    from ui.screens.base import Screen


def screen_classes() -> dict[State, type[Screen]]:
    """Every screen class by the state it shows (imported when the session is attached,
    after the idle screen's first paint)."""
    from ui.screens.booking_code import BookingCodeScreen
    from ui.screens.cleaning import CleaningScreen
    from ui.screens.confirm_identity import ConfirmIdentityScreen
    from ui.screens.doctor_choice import AssistedWaitingRoomScreen
    from ui.screens.fault import FaultScreen
    from ui.screens.goodbye import GoodbyeScreen
    from ui.screens.idle import IdleScreen
    from ui.screens.in_call import InCallScreen
    from ui.screens.measuring import MeasuringScreen
    from ui.screens.nurse_consent import AssistedConsentScreen
    from ui.screens.nurse_signin import NurseSignInScreen
    from ui.screens.printing import PrintingScreen
    from ui.screens.reading_card import ReadingCardScreen
    from ui.screens.wiping import WipingScreen

    return {
        State.IDLE: IdleScreen,
        State.READING_CARD: ReadingCardScreen,
        State.BOOKING_CODE: BookingCodeScreen,
        State.CONFIRM_IDENTITY: ConfirmIdentityScreen,
        State.CONSENT: AssistedConsentScreen,  # a cabin's, with the nurse in a mallette
        State.WAITING_ROOM: AssistedWaitingRoomScreen,  # a nurse first chooses a doctor
        State.IN_CALL: InCallScreen,
        State.MEASURING: MeasuringScreen,
        State.PRINTING: PrintingScreen,
        State.GOODBYE: GoodbyeScreen,
        State.WIPING: WipingScreen,
        State.CLEANING: CleaningScreen,
        State.FAULT: FaultScreen,
        State.NURSE: NurseSignInScreen,
    }
