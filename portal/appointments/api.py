"""HTTP: the booking site's API, the staff page's calls, Kannel's delivery reports.

``POST /api/appointments`` books (201, or 200 with the same appointment when the booking
site's id comes again), ``GET /api/appointments/{id}`` reads one, ``GET
/api/appointments?cabin_id=&day=`` lists a cabin's day, ``PATCH`` moves, ``DELETE`` cancels.
The booking site authenticates with ``Authorization: Bearer <token>`` (its hash in
``[appointments] api_token``; a malformed header is 400, a source with too many wrong tokens
429) and may use every cabin; the staff page with a logged-in portal
account: a doctor (every cabin) or a staff account (``[staff.<login>]``, its own cabins only:
any other cabin, or another cabin's appointment, is 403 ``forbidden_cabin``). ``GET
/api/staff/cabins`` gives the page its cabins with their state (online, printer, a patient's
call for the staff); ``POST /api/staff/cabins/{cabin_id}/coming`` answers that call.
Errors are JSON ``{"error": code, "message": text}`` (and ``"field"``, the body's field at
fault, when there is one) and never echo the request: ``error`` is a stable word the staff page
says in French or English, ``message`` the English detail for logs and API clients.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from portal import credentials, security
from portal.appointments.repository import Repository
from portal.appointments.rules import BookingError
from portal.appointments.service import Appointments
from portal.config import PortalConfig
from portal.hours import where_today
from portal.limits import GUARD

log = security.escaped_logger(__name__)


class Holder:
    """The app's appointments, set once the database is open (the app is frozen by then)."""

    service: Appointments | None = None

    def get(self) -> Appointments:
        if self.service is None:
            raise _http_error(web.HTTPServiceUnavailable, "unavailable", "appointments not ready")
        return self.service


@dataclass(frozen=True)
class StaffAccess:
    """Who calls the API and which cabins they may manage (``cabins`` None: every cabin)."""

    login: str
    role: str  # "doctor", "staff" or "booking_site"
    cabins: frozenset[str] | None
    name: str = ""

    def manages(self, cabin_id: str) -> bool:
        return self.cabins is None or cabin_id in self.cabins


BOOKING_SITE = StaffAccess("booking-site", "booking_site", None)

APPOINTMENTS: web.AppKey[Holder] = web.AppKey("appointments")
_STAFF: web.AppKey[Callable[[web.Request], StaffAccess | None]] = web.AppKey("staff_access")
_STATUS: web.AppKey[Callable[[str], dict[str, Any]]] = web.AppKey("cabin_status")
_COMING: web.AppKey[Callable[[str, str], Awaitable[bool]]] = web.AppKey("staff_coming")
STATIC = Path(__file__).resolve().parent.parent / "static"


def _error(status: int, code: str, message: str, *, field: str = "") -> web.Response:
    body = {"error": code, "message": message}
    if field:
        body["field"] = field
    return web.json_response(body, status=status)


async def _authorised(request: web.Request) -> StaffAccess | None:
    """A logged-in portal account (doctor or staff), else the booking site's token, else None.

    A header that is not a bearer token of visible ASCII is a 400 (``malformed``); a source
    locked out for failures, or no place left to check an old scrypt hash, a 429.
    """
    staff = request.app[_STAFF](request)
    if staff is not None:
        return staff
    try:
        token = security.bearer_token(request.headers.get("Authorization", ""))
    except security.BadInput as exc:
        raise _http_error(web.HTTPBadRequest, "malformed", "a bearer token expected") from exc
    if token is None:
        return None
    source = request.app[GUARD].source(request)
    try:
        ok = await request.app[credentials.CREDENTIALS].booking_site(token, source=source)
    except credentials.Refused as exc:
        if request.app[GUARD].pace.allow(f"bearer {source}"):
            log.warning("appointments API: token from %s not checked (%s; said once a minute)",
                        source, exc.reason)  # fmt: skip
        raise _http_error(
            web.HTTPTooManyRequests, "rate_limited", "too many attempts, try again later"
        ) from exc
    return BOOKING_SITE if ok else None


def _http_error(cls: type[web.HTTPException], code: str, message: str) -> web.HTTPException:
    body = json.dumps({"error": code, "message": message})
    return cls(text=body, content_type="application/json")


CONFIG_KEY: web.AppKey[PortalConfig] = web.AppKey("appointments_config")


async def _guard(request: web.Request) -> tuple[Appointments, StaffAccess]:
    access = await _authorised(request)
    if access is None:
        log.warning("appointments API: request refused (no valid token or login)")
        raise web.HTTPUnauthorized(
            text='{"error":"unauthorized","message":"token or login needed"}',
            content_type="application/json",
        )
    return request.app[APPOINTMENTS].get(), access


def _check_cabin(access: StaffAccess, cabin_id: str) -> None:
    """403 ``forbidden_cabin`` unless ``access`` may manage ``cabin_id``."""
    if access.manages(cabin_id):
        return
    log.warning("appointments API: %s %s refused another cabin", access.role, access.login)
    raise web.HTTPForbidden(
        text='{"error":"forbidden_cabin","message":"this login does not manage that cabin"}',
        content_type="application/json",
    )


async def _own(service: Appointments, access: StaffAccess, external_id: str) -> bool:
    """Whether the appointment exists; 403 when it is another cabin's."""
    appointment = await service.get(external_id)
    if appointment is None:
        return False
    _check_cabin(access, appointment["cabin_id"])
    return True


async def _body(request: web.Request) -> Any:
    """The request's JSON body; a 400 ``malformed`` (through :func:`_json_errors`) if none."""
    try:
        return await security.read_json(request)
    except security.BadInput as exc:
        raise BookingError(400, "malformed", "the body is not JSON") from exc


def _json_errors(handler: Callable[[web.Request], Any]) -> Callable[[web.Request], Any]:
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            response: web.StreamResponse = await handler(request)
            return response
        except BookingError as exc:
            return _error(exc.status, exc.code, exc.message, field=exc.field)
        except (SQLAlchemyError, OSError) as exc:
            log.error("appointments API: database unavailable: %s", type(exc).__name__)
            return _error(503, "unavailable", "appointments are unavailable, try again")

    return wrapped


@_json_errors
async def book(request: web.Request) -> web.Response:
    service, access = await _guard(request)
    body = await _body(request)
    if isinstance(body, dict) and "cabin_id" in body:
        _check_cabin(access, str(body["cabin_id"])[:64])
    appointment, created = await service.book(body)
    return web.json_response(appointment, status=201 if created else 200)


@_json_errors
async def read(request: web.Request) -> web.Response:
    service, access = await _guard(request)
    appointment = await service.get(request.match_info["id"][:64])
    if appointment is None:
        return _error(404, "not_found", "no such appointment")
    _check_cabin(access, appointment["cabin_id"])
    return web.json_response(appointment)


@_json_errors
async def listing(request: web.Request) -> web.Response:
    service, access = await _guard(request)
    cabin_id = request.query.get("cabin_id", "")[:64]
    _check_cabin(access, cabin_id)
    try:
        day = date.fromisoformat(request.query.get("day", "")[:10])
    except ValueError:
        return _error(400, "bad_day", "'day' must be YYYY-MM-DD")
    service.hours(cabin_id)
    return web.json_response(await service.day(cabin_id, day))


@_json_errors
async def cancel(request: web.Request) -> web.Response:
    service, access = await _guard(request)
    external_id = request.match_info["id"][:64]
    appointment = None
    if await _own(service, access, external_id):
        appointment = await service.cancel(external_id)
    if appointment is None:
        return _error(404, "not_found", "no such appointment")
    return web.json_response(appointment)


@_json_errors
async def move(request: web.Request) -> web.Response:
    service, access = await _guard(request)
    body = await _body(request)
    if not isinstance(body, dict) or set(body) != {"slot_start"}:
        return _error(400, "malformed", 'a move is {"slot_start": ...}')
    external_id = request.match_info["id"][:64]
    appointment = None
    if await _own(service, access, external_id):
        appointment = await service.move(external_id, body["slot_start"])
    if appointment is None:
        return _error(404, "not_found", "no such appointment")
    return web.json_response(appointment)


async def delivery_report(request: web.Request) -> web.Response:
    """Kannel's dlr-url: ``m`` the SMS, ``t`` its token, ``s`` the report type."""
    service = request.app[APPOINTMENTS].get()
    query = request.query
    try:
        sms_id, report = int(query.get("m", "")[:12]), int(query.get("s", "")[:4])
    except ValueError:
        return _error(400, "malformed", "m and s are numbers")
    if not await service.delivery_report(sms_id, query.get("t", "")[:64], report):
        log.warning("SMS delivery report refused (unknown SMS or bad token)")
        return _error(403, "refused", "unknown SMS or bad token")
    return web.json_response({"ok": True})


async def staff_cabins(request: web.Request) -> web.Response:
    """The staff page's cabins (every one the login manages; ``appointments``: it has opening
    hours, so a day of appointments) with their state (online, printer, staff call: see
    ``Hub.cabin_status``), today's date at the first with hours, and who is logged in (a
    staff account's page has no link to the doctor's). The page polls it."""
    access = request.app[_STAFF](request)
    if access is None:
        return _error(401, "unauthorized", "log in first")
    service = request.app[APPOINTMENTS].get()
    cfg = request.app[CONFIG_KEY]
    status = request.app[_STATUS]
    cabins = [
        {
            "cabin_id": cabin_id,
            "name": account.name,
            "address": cfg.hours[cabin_id].address if cabin_id in cfg.hours else "",
            # a walk-in cabin without opening hours: its calls and state, no appointments
            "appointments": cabin_id in cfg.hours,
            "today": where_today(cfg, cabin_id, service.now()),  # a bus santé: where today
            **status(cabin_id),
        }
        for cabin_id, account in sorted(cfg.cabins.items())
        if access.manages(cabin_id)
    ]
    booked = [c["cabin_id"] for c in cabins if c["appointments"]]
    today = service.local(booked[0], service.now()).date() if booked else None
    return web.json_response(
        {
            "cabins": cabins,
            "today": today.isoformat() if today else "",
            "who": {"login": access.login, "name": access.name, "role": access.role},
        }
    )


async def answer_call(request: web.Request) -> web.Response:
    """Someone on site answers a cabin's staff call: the patient is told who is coming (the
    login's display name). ``told`` is False when the cabin is offline: it learns it when back."""
    access = request.app[_STAFF](request)
    if access is None:
        return _error(401, "unauthorized", "log in first")
    cabin_id = request.match_info["cabin_id"][:64]
    _check_cabin(access, cabin_id)
    if request.app[_STATUS](cabin_id)["staff_call"] is None:
        return _error(409, "no_call", "this cabin is not calling the staff")
    told = await request.app[_COMING](cabin_id, access.name or access.login)
    log.info("staff API: %s %s answers cabin %s's call", access.role, access.login, cabin_id)
    return web.json_response({"ok": True, "told": told})


async def reprint(request: web.Request) -> web.Response:
    """The staff's "Reprint now": the cabin prints the papers a printer fault kept (the
    command only goes through the portal, never the papers). ``sent`` is False when the
    cabin is offline; the cabin's answer comes back in the status's ``papers.reprint``."""
    from portal.hub import HUB

    access = request.app[_STAFF](request)
    if access is None:
        return _error(401, "unauthorized", "log in first")
    cabin_id = request.match_info["cabin_id"][:64]
    _check_cabin(access, cabin_id)
    papers = request.app[_STATUS](cabin_id).get("papers")
    if not papers or not papers.get("count"):
        return _error(409, "no_papers", "no papers are waiting at this cabin")
    hub = request.app.get(HUB)
    # (with [cluster], sent to the instance holding the cabin)
    sent = hub is not None and await (hub.mesh.states if hub.mesh else hub).reprint(cabin_id)
    log.info("staff API: %s %s asks cabin %s to reprint", access.role, access.login, cabin_id)
    return web.json_response({"ok": True, "sent": sent})


def _no_status(cabin_id: str) -> dict[str, Any]:
    return {"online": False, "printer": "", "printer_detail": "", "staff_call": None}


async def _no_coming(cabin_id: str, by: str) -> bool:
    return False


async def staff_page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "staff.html")


def _sender_ended(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        exc = task.exception()
        log.error("appointments: the SMS sender stopped: %s", type(exc).__name__)


def setup(
    app: web.Application,
    cfg: PortalConfig,
    *,
    staff_access: Callable[[web.Request], StaffAccess | None],
    on_ready: Callable[[Appointments], None],
    cabin_status: Callable[[str], dict[str, Any]] | None = None,
    staff_coming: Callable[[str, str], Awaitable[bool]] | None = None,
) -> None:
    """Register the routes, open the database with the app, run the SMS sender with it.

    ``staff_access`` tells who a request's login is and which cabins it manages (None: no
    login); ``cabin_status`` a cabin's state for the staff page and ``staff_coming`` answers
    its staff call (the portal's hub; without them, no cabin is ever online). Without
    ``[appointments] database`` nothing is registered (walk-ins only).
    """
    if not cfg.appointments.database:
        return
    app[CONFIG_KEY] = cfg
    app[_STAFF] = staff_access
    app[_STATUS] = cabin_status or _no_status
    app[_COMING] = staff_coming or _no_coming
    holder = app[APPOINTMENTS] = Holder()
    router = app.router
    router.add_post("/api/appointments", book)
    router.add_get("/api/appointments", listing)
    router.add_get("/api/appointments/{id}", read)
    router.add_patch("/api/appointments/{id}", move)
    router.add_delete("/api/appointments/{id}", cancel)
    router.add_get("/api/sms/dlr", delivery_report)
    router.add_get("/api/staff/cabins", staff_cabins)
    router.add_post("/api/staff/cabins/{cabin_id}/coming", answer_call)
    router.add_post("/api/staff/cabins/{cabin_id}/reprint", reprint)
    router.add_get("/staff", staff_page)

    async def lifetime(app: web.Application) -> AsyncIterator[None]:
        repo = await Repository.open(cfg.appointments.database)
        service = Appointments(cfg, repo)
        holder.service = service
        on_ready(service)
        task = asyncio.create_task(service.run(), name="appointments-sms")
        task.add_done_callback(_sender_ended)
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        holder.service = None
        await repo.close()

    app.cleanup_ctx.append(lifetime)
