"""The nurse assisting a consultation (a mallette), merged into :data:`protocol.DATA_SCHEMAS`;
imports nothing at all, the field type is handed in."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

#: ``kiosk.nurse.Profession`` and ``kiosk.nurse.CarePlace`` values, as the page reads them.
PROFESSIONS = ("infirmier", "medecin", "sage_femme", "pharmacien", "autre")
CARE_PLACES = ("health_centre", "home", "other")


def nurse_schemas(
    field: Callable[..., Any], *, msg_id: Mapping[str, Any]
) -> dict[str, Mapping[str, Any]]:
    """The schemas, built with the protocol's field type ``field`` (``protocol.F``)."""
    return {
        # cabin -> doctor, when the channel opens: who assists the patient (the assisted
        # act's claim needs the nurse and where it happens), whether the nurse typed the
        # identity (no card: the ``identity`` message then has no NIR) and witnessed the
        # consent
        "assistance": {
            **msg_id,
            "name": field(str, max_len=80),
            "profession": field(str, choices=PROFESSIONS),
            "rpps": field(str, max_len=11),
            "place": field(str, choices=CARE_PLACES),
            "identity_typed": field(bool),
            # with a typed identity only: the sex typed (a card's NIR says it otherwise)
            "sex": field(str, required=False, choices=("F", "M")),
            "consent_witnessed": field(bool),
        },
    }
