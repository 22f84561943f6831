"""The doctor's report for the patient's GP, composed into a paper of the session: the latest
version sent replaces the earlier one, and it prints once with the session's other papers.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from kiosk.config import CabinConfig
from kiosk.domain import DocumentKind
from kiosk.session import DocumentReceived, Session, State, send_quietly

if TYPE_CHECKING:
    from kiosk.call import CabinCall
    from kiosk.prescriptions import GpReportReceived

log = logging.getLogger(__name__)


async def take_gp_report(
    session: Session,
    received: GpReportReceived,
    *,
    cabin: CabinConfig,
    call: CabinCall | None,
) -> None:
    """Compose the report with the session's readings so far and the patient's language;
    kept only while it is the latest version. The page is told either way."""
    from kiosk.documents.errors import DocumentInputError
    from kiosk.documents.gp_report import GpReportInput, compose_gp_report, report_fields
    from kiosk.documents.inputs import CabinOnPaper
    from kiosk.services.printing import nurse_on_paper, patient_of
    from protocol import ErrorCode, ProtocolError

    def settle(error: ProtocolError | None = None) -> None:
        if call is not None:
            call.gp_report_settled(received, error)

    data = session.data
    if data is None or received.version.session_id != data.session_id:
        settle(ProtocolError(ErrorCode.WRONG_SESSION, "not the cabin's current session"))
        return
    try:
        fields, name, rpps, signature = report_fields(received.report)
        report = GpReportInput(
            cabin=CabinOnPaper(
                id=cabin.id, name=cabin.name, site=cabin.site, timezone=cabin.timezone
            ),
            patient=patient_of(data.chosen),
            doctor_name=name,
            doctor_rpps=rpps,
            fields=fields,
            readings=tuple(data.readings),
            language=session.language,
            signature=signature,
            written_at=datetime.now(UTC),
            nurse=nurse_on_paper(data.assistance),
        )
        document = await asyncio.to_thread(compose_gp_report, report)
    except DocumentInputError as exc:
        field_name = str(exc).split(":", 1)[0]  # the field, never its text
        log.warning("session %s: GP report refused: %s", session.log_id, field_name)
        settle(ProtocolError(ErrorCode.BAD_FIELD, f"{field_name}"[:120]))
        return
    if call is not None and not call.gp_reports.is_latest(received.version):
        return  # a later version came meanwhile: its answer is the one that counts
    if session.data is not data or session.state not in (State.IN_CALL, State.MEASURING):
        settle(ProtocolError(ErrorCode.WRONG_SESSION, "the consultation is over"))
        return
    replaced = [d for d in data.documents if d.kind is DocumentKind.GP_REPORT]
    for earlier in replaced:
        data.documents.remove(earlier)
    if send_quietly(session, DocumentReceived(document)):
        log.info("session %s: GP report %s", session.log_id, "replaced" if replaced else "kept")
        settle()
    else:
        data.documents.extend(replaced)
        settle(ProtocolError(ErrorCode.WRONG_SESSION, "the consultation is over"))
