"""What a patient session knows (identity, consent, readings, papers), kept apart from the flow:
one :class:`SessionData` per session, which the ``wiping`` state clears."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kiosk.domain import Beneficiary, Document, Reading
from kiosk.nurse import Assistance

#: The lines of the written exchange a session keeps (the screen shows the last few).
CHAT_KEPT = 20


@dataclass(frozen=True)
class ChatLine:
    """One line of the written exchange: the doctor's words (``sender`` "doctor"), or the
    patient's preset answer's code ("patient")."""

    sender: str
    text: str = field(repr=False)
    msg_id: str = ""


class SessionData:
    """Everything patient-related of one session; :meth:`wipe` drops it all."""

    __slots__ = (
        "__weakref__",
        "assistance",
        "beneficiaries",
        "booking_code",
        "chat",
        "chosen",
        "consent_time",
        "consulted",
        "documents",
        "muted",
        "readings",
        "session_id",
        "started_at",
        "without_card",
    )

    def __init__(self, session_id: str, started_at: datetime) -> None:
        self.session_id = session_id
        self.started_at = started_at
        self.beneficiaries: list[Beneficiary] = []
        #: The patient checked in without a card: with this booking code, or as a walk-in.
        self.without_card = False
        self.booking_code = ""
        self.chosen: Beneficiary | None = None
        self.consent_time: datetime | None = None
        self.readings: list[Reading] = []
        self.documents: list[Document] = []
        #: A doctor saw the patient (the goodbye says "the consultation is over" then only).
        self.consulted = False
        #: The written exchange of the call (the last :data:`CHAT_KEPT` lines).
        self.chat: list[ChatLine] = []
        #: The patient muted their microphone in the call.
        self.muted = False
        #: In a mallette: the nurse who assists, where, and how the identity came.
        self.assistance: Assistance | None = None

    def __repr__(self) -> str:
        return f"SessionData({self.session_id}, <hidden>)"

    def sensitive_strings(self) -> set[str]:
        found: set[str] = set()
        for b in self.beneficiaries:
            found.update(b.sensitive_strings)
        if self.booking_code:
            found.add(self.booking_code)
        found.update(line.text for line in self.chat if line.sender == "doctor")
        return found

    def wipe(self) -> None:
        self.beneficiaries.clear()
        self.booking_code = ""
        self.without_card = False
        self.chosen = None
        self.consent_time = None
        self.readings.clear()
        self.documents.clear()
        self.consulted = False
        self.chat.clear()
        self.muted = False
        self.assistance = None

    @property
    def empty(self) -> bool:
        return not (
            self.beneficiaries
            or self.booking_code
            or self.without_card
            or self.chosen
            or self.consent_time
            or self.readings
            or self.documents
            or self.consulted
            or self.chat
            or self.muted
            or self.assistance
        )
