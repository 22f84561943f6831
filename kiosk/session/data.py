"""What a patient session knows (identity, consent, readings, papers), kept apart from the flow:
one :class:`SessionData` per session, which the ``wiping`` state clears."""

from __future__ import annotations

from datetime import datetime

from kiosk.domain import Beneficiary, Document, Reading


class SessionData:
    """Everything patient-related of one session; :meth:`wipe` drops it all."""

    __slots__ = (
        "__weakref__",
        "beneficiaries",
        "booking_code",
        "chosen",
        "consent_time",
        "consulted",
        "documents",
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

    def __repr__(self) -> str:
        return f"SessionData({self.session_id}, <hidden>)"

    def sensitive_strings(self) -> set[str]:
        found: set[str] = set()
        for b in self.beneficiaries:
            found.update(b.sensitive_strings)
        if self.booking_code:
            found.add(self.booking_code)
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
        )
