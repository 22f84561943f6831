"""A calm fault screen per kind of problem, each saying what happens next."""

from __future__ import annotations

from PyQt6.QtWidgets import QWidget

from kiosk.domain import ReadingKind
from kiosk.session import BookingCodeRequested, EndSession, FaultKind, MeasurementGivenUp
from ui.i18n import translate
from ui.screens.base import Screen

#: Card read failures where putting the same card back cannot help: another card can.
WRONG_CARD = frozenset({"not_vitale", "vitale1", "no_beneficiary"})


def card_reason(detail: str) -> str:
    """What the card read failure ``detail`` (a driver reason code) means for the patient."""
    if detail == "not_vitale":  # a bank card, a CPS...
        return translate("Fault", "This card is not a Carte Vitale.")
    if detail == "vitale1":
        return translate(
            "Fault",
            "This Carte Vitale is an old model that this cabin cannot read.\n"
            "Your health insurance fund (ameli.fr) can give you a new one.",
        )
    if detail == "no_beneficiary":
        return translate("Fault", "No one is registered on this card.")
    if detail == "unreadable":  # read, but its data is missing, denied or damaged
        return translate(
            "Fault",
            "The information on this card could not be read.\n"
            "If it happens again, your health insurance fund (ameli.fr) can replace the card.",
        )
    return translate("Fault", "Check that the chip is facing down and clean.")


def card_next_step(detail: str) -> str:
    if detail in WRONG_CARD:
        return translate(
            "Fault",
            "Take this card out, then put in a Carte Vitale to try again.\n"
            "Or press \u201cFinish\u201d to leave.",
        )
    return translate(
        "Fault",
        "Take the card out and put it back in to try again.\nOr press \u201cFinish\u201d to leave.",
    )


def not_responding(device_kind: str) -> str:
    """The title of an instrument's fault, naming it by its kind."""
    if device_kind in (ReadingKind.BLOOD_PRESSURE, ReadingKind.CUFF_PRESSURE):
        return translate("Fault", "The blood pressure monitor is not responding")
    if device_kind == ReadingKind.TEMPERATURE:
        return translate("Fault", "The thermometer is not responding")
    if device_kind in (ReadingKind.WEIGHT, ReadingKind.BODY_COMPOSITION):
        return translate("Fault", "The scale is not responding")
    if device_kind == ReadingKind.SPO2:
        return translate("Fault", "The pulse oximeter is not responding")
    return translate("Fault", "A measuring device is not responding")


def fault_texts(
    kind: str,
    detail: str,
    *,
    papers: bool = False,
    resumable: bool = True,
    device_kind: str = "",
    hold_minutes: int = 0,
) -> tuple[str, str]:
    """The title and "what happens next" for a fault; ``papers``: the session holds papers
    that "Finish" prints; ``resumable``: what was interrupted can come back; ``device_kind``:
    what the instrument that stopped answering measures; ``hold_minutes``: how long the
    papers a printer fault kept wait for the staff (0: not kept)."""
    ended = translate(
        "Fault",
        "The consultation has ended.\n"
        "Press \u201cFinish\u201d: your papers will be printed, "
        "then everything about you is erased.",
    )
    if kind == FaultKind.INSTRUMENT_UNPLUGGED and not resumable:
        # the doctor hung up while the device was away: no call to go back to
        return translate("Fault", "The doctor has ended the consultation"), (
            ended if papers else translate("Fault", "Press \u201cFinish\u201d to leave.")
        )
    if kind == FaultKind.CARD_PULLED:
        return translate("Fault", "Your card was taken out"), translate(
            "Fault",
            "To go on, put your Carte Vitale back into the slot.\n"
            "Or press \u201cFinish\u201d: the session ends and your data is erased.",
        )
    if kind == FaultKind.CARD_UNREADABLE:
        return translate("Fault", "We could not read your card"), "\n".join(
            (card_reason(detail), card_next_step(detail))
        )
    if kind == FaultKind.NETWORK_LOST and detail == "call_lost" and papers:
        # the call was given up after papers came: "Finish" prints them
        return translate("Fault", "The connection with the doctor could not be restored"), ended
    if kind == FaultKind.NETWORK_LOST and detail == "call_lost":
        # the call was given up: nothing resumes, so say what was not kept and what to do
        return translate("Fault", "The connection with the doctor could not be restored"), (
            translate(
                "Fault",
                "The consultation has ended. Nothing was kept: your data is erased.\n"
                "To book a new consultation, use the booking website "
                "or ask the staff at the desk.\n"
                "Press \u201cFinish\u201d to leave.",
            )
        )
    if kind == FaultKind.NETWORK_LOST:
        return translate("Fault", "The connection to the doctor was lost"), translate(
            "Fault",
            "We are reconnecting. Please stay here: your consultation is kept.\n"
            "If it does not come back, the session ends and your data is erased.",
        )
    if kind == FaultKind.INSTRUMENT_UNPLUGGED:
        return not_responding(device_kind), translate(
            "Fault",
            "Check that its cable is plugged in.\n"
            "The consultation goes on when the device answers again.",
        )
    if kind == FaultKind.PRINTER_PROBLEM and hold_minutes > 0:
        return translate("Fault", "The printer has a problem"), translate(
            "Fault",
            "Your papers could not be printed. They are kept for %n minutes: "
            "the staff will print them for you.\n"
            "Press \u201cCall staff\u201d, or if you leave now, ask at the desk.",
            None,
            hold_minutes,
        )
    if kind == FaultKind.PRINTER_PROBLEM:
        return translate("Fault", "The printer has a problem"), translate(
            "Fault",
            "Your papers could not be printed.\n"
            "Press \u201cCall staff\u201d: someone will give them to you.",
        )
    return translate("Fault", "Something went wrong"), translate(
        "Fault", "We are dealing with it. Please call staff if you need help."
    )


def leave_question(hold_minutes: int) -> str:
    """What "Finish" asks while the printer kept the papers, before anything is lost."""
    if hold_minutes > 0:
        return translate(
            "Fault",
            "Leave without your papers?\n"
            "Ask at the desk: the staff can print them for you for %n minutes. "
            "After that, they are erased.",
            None,
            hold_minutes,
        )
    return translate(
        "Fault", "Leave without your papers?\nThey could not be printed and will be erased."
    )


class FaultScreen(Screen):
    picture_name = "fault"

    def __init__(self, languages: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(languages, parent)
        self.kind = ""
        self.detail = ""
        self.papers = False
        self.resumable = True
        #: What the instrument that stopped answering measures ("" when unknown).
        self.device_kind = ""
        self.finish_button = self.add_action("finish")
        self.finish_button.clicked.connect(self.finish)
        # "Finish" while the printer kept the papers is asked again: the safe answer first.
        self.stay_button = self.add_action("stay", primary=True)
        self.stay_button.clicked.connect(self.stay)
        self.leave_button = self.add_action("confirmLeave")
        self.leave_button.clicked.connect(self.leave)
        self.hold_minutes = 0
        #: The session whose patient was asked "Leave without your papers?" ("": none).
        self._asked = ""
        # An instrument that stays away is no dead end: back to the doctor without it.
        self.skip_button = self.add_action("skipMeasurement")
        self.skip_button.clicked.connect(lambda: self.send(MeasurementGivenUp()))
        self.skip_button.hide()
        self._waits_for_instrument = False
        self.code_button = self.add_action("bookingCode")
        self.code_button.clicked.connect(lambda: self.send(BookingCodeRequested()))
        self.code_button.hide()
        self._takes_codes = False

    def refresh(self) -> None:
        if self.bridge is None:
            return
        session = self.bridge.session
        self.kind = session.fault_kind.value if session.fault_kind else ""
        self.detail = session.fault_detail
        data = session.data
        self.papers = data is not None and bool(data.readings or data.documents)
        self.resumable = session.resumable
        self._waits_for_instrument = session.waits_for_instrument
        self.device_kind = self.bridge.device_kind(self.detail) if self.detail else ""
        if not self.device_kind and session.requested is not None:
            self.device_kind = session.requested.kind.value
        self._takes_codes = self.bridge.takes_booking_codes()
        self.hold_minutes = self.bridge.papers_hold_minutes()
        if self._asked != session.session_id or self.kind != FaultKind.PRINTER_PROBLEM:
            self._asked = ""
        # The doctor hung up while an instrument was away: the consultation is over, the
        # unplugged device no longer the news.
        doctor_ended = self.kind == FaultKind.INSTRUMENT_UNPLUGGED and not self.resumable
        self.picture.set_name("goodbye" if doctor_ended else self.kind or "fault")
        self.retranslate_screen()

    @property
    def asking(self) -> bool:
        """Whether "Leave without your papers?" is on the screen."""
        return bool(self._asked)

    def finish(self) -> None:
        """End the session; first ask, when the printer kept the papers."""
        session = self.bridge.session if self.bridge is not None else None
        if session is not None and self.kind == FaultKind.PRINTER_PROBLEM and self.papers:
            self._asked = session.session_id or "-"
            self.retranslate_screen()
            self.stay_button.setFocus()
            self.announce.emit(self.body.text())
            return
        self.send(EndSession())

    def stay(self) -> None:
        self._asked = ""
        self.retranslate_screen()
        self.finish_button.setFocus()

    def leave(self) -> None:
        self._asked = ""
        self.send(EndSession())

    def retranslate_screen(self) -> None:
        title, body = fault_texts(
            self.kind,
            self.detail,
            papers=self.papers,
            resumable=self.resumable,
            device_kind=self.device_kind,
            hold_minutes=self.hold_minutes,
        )
        if self.asking:
            body = leave_question(self.hold_minutes)
        self.title.setText(title)
        self.body.setText(body)
        self.body.setVisible(bool(body))
        self.finish_button.setText(translate("Fault", "Finish"))
        # Faults the session resumes from are not the patient's to end.
        self.finish_button.setVisible(
            not self.asking
            and (
                self.kind
                in ("", FaultKind.CARD_PULLED, FaultKind.CARD_UNREADABLE, FaultKind.PRINTER_PROBLEM)
                or self.detail == "call_lost"  # a call given up: finishing is all that is left
                or (self.kind == FaultKind.INSTRUMENT_UNPLUGGED and not self.resumable)
            )
        )
        self.stay_button.setText(translate("Fault", "Stay"))
        self.stay_button.setVisible(self.asking)
        self.leave_button.setText(translate("Fault", "Yes, leave"))
        self.leave_button.setVisible(self.asking)
        self.skip_button.setText(translate("Fault", "Continue without this measurement"))
        self.skip_button.setVisible(self._waits_for_instrument)
        # The card let the patient down: the SMS's booking code is another way in.
        self.code_button.setText(translate("Fault", "Enter my booking code instead"))
        self.code_button.setVisible(
            self._takes_codes and self.kind in (FaultKind.CARD_PULLED, FaultKind.CARD_UNREADABLE)
        )
        # Which buttons show changed: the bottom rows may have to stack (or unstack) now,
        # before the screen is painted with the old arrangement.
        self._reflow()
