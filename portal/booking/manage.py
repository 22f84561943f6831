"""After booking: the SMS's short link (``/b/<token>``), the manage page (see, move,
cancel), the privacy, legal and accessibility pages, and ``GET /api/cabins``."""

from __future__ import annotations

from aiohttp import web

from portal.appointments import directory
from portal.appointments.models import Appointment
from portal.appointments.rules import BookingError
from portal.appointments.site import Slot
from portal.booking import i18n
from portal.booking.flow import _when
from portal.booking.pages import SITE_CFG, lang_of, message, render, site


def _bad_link(request: web.Request, lang: str) -> web.Response:
    return message(
        request,
        lang,
        title=i18n.text(lang, "link_bad_title"),
        body=i18n.text(lang, "link_bad"),
        status=404,
    )


async def short_link(request: web.Request) -> web.StreamResponse:
    """``/b/<token>``: the manage page in the booking's language."""
    found = await site(request).by_token(request.match_info["token"])
    lang = found.lang if found is not None and found.lang in i18n.LANGS else "fr"
    raise web.HTTPFound(f"/book/{lang}/manage/{request.match_info['token']}")


async def _booking(request: web.Request, lang: str) -> Appointment | None:
    return await site(request).by_token(request.match_info["token"])


async def manage(request: web.Request) -> web.Response:
    lang = lang_of(request)
    appointment = await _booking(request, lang)
    if appointment is None:
        return _bad_link(request, lang)
    return await _manage(request, lang, appointment, [])


async def _manage(
    request: web.Request,
    lang: str,
    appointment: Appointment,
    errors: list[tuple[str, str]],
    *,
    status: int = 200,
) -> web.Response:
    booking = site(request)
    cabin = booking.cabin(appointment.cabin_id)
    local = booking.service.local(appointment.cabin_id, appointment.slot_start)
    free = await booking.free_starts(cabin.id) if appointment.status == "booked" else {}
    wanted = request.query.get("day", "")
    day = next((d for d in free if d.isoformat() == wanted), next(iter(free), None))
    notice = i18n.text(lang, "moved") if request.query.get("moved") else ""
    return render(
        request,
        "manage.html",
        lang,
        title=i18n.text(lang, "manage_title"),
        status=status,
        errors=errors,
        notice=notice,
        appointment=appointment,
        status_text=i18n.text(lang, f"status_{appointment.status}"),
        cabin=cabin,
        when=_when(lang, Slot(appointment.slot_start, local, "")),
        where=cabin.address_at(appointment.slot_start),
        token=request.match_info["token"],
        days=[(d, i18n.short_date(lang, d), len(s)) for d, s in free.items()],
        day=day,
        day_label=i18n.long_date(lang, day) if day else "",
        slots=booking.slots(cabin.id, free[day]) if day else [],
        hhmm=i18n.hhmm,
    )


async def move(request: web.Request) -> web.Response:
    lang = lang_of(request)
    appointment = await _booking(request, lang)
    if appointment is None:
        return _bad_link(request, lang)
    data = await request.post()
    slot = data.get("slot")
    booking = site(request)
    if not isinstance(slot, str) or not slot:
        error = [("slot-0", i18n.text(lang, "err_slot_missing"))]
        return await _manage(request, lang, appointment, error, status=400)
    try:
        async with booking.database():
            moved = await booking.service.move(appointment.external_id, slot)
    except BookingError as exc:
        key = "err_slot_taken" if exc.code == "slot_taken" else "err_slot_bad"
        status = 409 if exc.code == "slot_taken" else 400
        return await _manage(request, lang, appointment, [("slot-0", i18n.text(lang, key))],
                             status=status)  # fmt: skip
    async with booking.database():
        fresh = await booking.service.repo.by_external_id(appointment.external_id)
    if moved is None or fresh is None:
        return _bad_link(request, lang)
    raise web.HTTPSeeOther(f"/book/{lang}/manage/{booking.token(fresh)}?moved=1")


async def cancel_page(request: web.Request) -> web.Response:
    lang = lang_of(request)
    appointment = await _booking(request, lang)
    if appointment is None or appointment.status != "booked":
        return _bad_link(request, lang)
    local = site(request).service.local(appointment.cabin_id, appointment.slot_start)
    return render(
        request,
        "cancel.html",
        lang,
        title=i18n.text(lang, "cancel"),
        question=i18n.text(
            lang, "cancel_question", when=_when(lang, Slot(appointment.slot_start, local, ""))
        ),
        token=request.match_info["token"],
    )


async def cancel(request: web.Request) -> web.Response:
    lang = lang_of(request)
    appointment = await _booking(request, lang)
    if appointment is None:
        return _bad_link(request, lang)
    booking = site(request)
    async with booking.database():
        await booking.service.cancel(appointment.external_id)
    return message(
        request,
        lang,
        title=i18n.text(lang, "cancelled_title"),
        body=i18n.text(lang, "cancelled"),
        status=200,
    )


# -- the pages about the site ----------------------------------------------------------------


async def about(request: web.Request) -> web.Response:
    """The privacy, legal and accessibility pages."""
    lang = lang_of(request)
    page = request.match_info["page"]
    titles = {"privacy": "privacy", "legal": "legal", "accessibility": "a11y_page"}
    cfg = site(request).cfg
    return render(
        request,
        f"{page}.html",
        lang,
        title=i18n.text(lang, titles[page]),
        site_cfg=request.app[SITE_CFG],
        appointments=cfg.appointments,
        cabin_count=len(directory.cabins(cfg)),
    )


async def api_cabins(request: web.Request) -> web.Response:
    """The public directory (docs/booking-api-cabins.schema.json)."""
    booking = site(request)
    now = booking.service.now()
    body = {"cabins": [directory.public(c, now=now) for c in directory.cabins(booking.cfg)]}
    return web.json_response(
        body, headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "max-age=60"}
    )


async def not_found(request: web.Request) -> web.Response:
    lang = lang_of(request)
    return message(
        request,
        lang,
        title=i18n.text(lang, "not_found"),
        body=i18n.text(lang, "link_bad"),
        status=404,
    )
