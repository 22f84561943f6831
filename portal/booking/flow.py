"""The booking's steps: find a cabin, pick a slot, who comes, the phone, its code, done.

Each form posts back to its own address and, when right, redirects (303) to the next step's
page, carrying the flow's id (``f``); when wrong, the same page comes again with an error
summary linking to each field at fault and what was typed kept.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

import phonenumbers
from aiohttp import web

from portal.appointments import directory
from portal.appointments.rules import BookingError
from portal.appointments.site import Slot, SmsDown
from portal.appointments.verification import Flow, Held, Limited
from portal.booking import i18n
from portal.booking.pages import lang_of, message, render, site, source


def _flow_gone(request: web.Request, lang: str) -> web.Response:
    return message(
        request,
        lang,
        title=i18n.text(lang, "flow_gone_title"),
        body=i18n.text(lang, "flow_gone"),
        status=410,
    )


def _go(lang: str, step: str, flow: Flow, **extra: str) -> web.HTTPSeeOther:
    query = "&".join([f"f={flow.id}", *(f"{k}={v}" for k, v in extra.items())])
    return web.HTTPSeeOther(f"/book/{lang}/{step}?{query}")


async def _form(request: web.Request) -> dict[str, str]:
    data = await request.post()
    return {k: v.strip() for k, v in data.items() if isinstance(v, str)}


def _flow(request: web.Request, lang: str, flow_id: str | None) -> Flow | None:
    flow = site(request).flows.get(flow_id)
    if flow is not None:
        flow.lang = lang  # the SMS go in the language last used
    return flow


# -- find ------------------------------------------------------------------------------------


async def index(request: web.Request) -> web.StreamResponse:
    """``/book``: the language the browser prefers, else French."""
    accept = request.headers.get("Accept-Language", "")
    ranked = [part.split(";")[0].strip()[:2].lower() for part in accept.split(",")]
    lang = next((code for code in ranked if code in i18n.LANGS), "fr")
    raise web.HTTPFound(f"/book/{lang}/")


async def find(request: web.Request) -> web.Response:
    lang = lang_of(request)
    booking = site(request)
    query = request.query.get("q")
    errors: list[tuple[str, str]] = []
    results: list[dict[str, Any]] = []
    if query is not None and not query.strip():
        errors.append(("q", i18n.text(lang, "err_find_empty")))
    elif query is not None:
        for cabin in directory.search(booking.cfg, query[:100]):
            results.append(
                {"cabin": cabin, "next": await booking.next_free(cabin.id), "info": _info(cabin)}
            )
    return render(
        request,
        "find.html",
        lang,
        title=i18n.text(lang, "find_title"),
        errors=errors,
        status=400 if errors else 200,
        query=(query or "")[:100],
        searched=query is not None and not errors,
        results=results,
        days_ahead=booking.cfg.booking.days_ahead,
        when=lambda slot: _when(lang, slot),
    )


def _info(cabin: directory.Cabin) -> dict[str, Any]:
    h = cabin.hours
    return {
        "access": [
            (key, getattr(h, key)) for key in ("step_free", "hearing_loop", "companion_seat")
        ],
        "languages": [i18n.NAMES.get(code, code) for code in h.languages],
    }


def _when(lang: str, slot: Slot) -> str:
    return i18n.text(
        lang, "at_time", date=i18n.long_date(lang, slot.local.date()), time=i18n.hhmm(slot.local)
    )


# -- pick a slot -----------------------------------------------------------------------------


async def slots_page(request: web.Request) -> web.Response:
    lang = lang_of(request)
    flow_id = request.query.get("f", "")
    if flow_id and _flow(request, lang, flow_id) is None:
        return _flow_gone(request, lang)
    error = {"taken": "err_slot_taken", "bad": "err_slot_bad"}.get(request.query.get("e", ""))
    return await _slots(request, lang, flow_id, error=error)


async def _slots(
    request: web.Request, lang: str, flow_id: str, *, error: str | None, status: int = 200
) -> web.Response:
    booking = site(request)
    try:
        cabin = booking.cabin(request.match_info["cabin_id"])
    except BookingError:
        raise web.HTTPNotFound() from None
    free = await booking.free_starts(cabin.id, flow_id=flow_id)
    wanted = request.query.get("day", "")
    day = next((d for d in free if d.isoformat() == wanted), next(iter(free), None))
    errors = [("slot-0", i18n.text(lang, error))] if error else []
    return render(
        request,
        "slots.html",
        lang,
        title=i18n.text(lang, "slot_title"),
        status=status,
        errors=errors,
        step=1,
        cabin=cabin,
        days=[(d, i18n.short_date(lang, d), len(s)) for d, s in free.items()],
        day=day,
        day_label=i18n.long_date(lang, day) if day else "",
        slots=booking.slots(cabin.id, free[day]) if day else [],
        flow_id=flow_id,
        hhmm=i18n.hhmm,
        zone=cabin.hours.timezone,
    )


async def pick(request: web.Request) -> web.Response:
    lang = lang_of(request)
    booking = site(request)
    form = await _form(request)
    flow_id = form.get("f", "")
    flow = _flow(request, lang, flow_id) if flow_id else booking.flows.new(lang)
    if flow is None:
        return _flow_gone(request, lang)
    if not form.get("slot"):
        return await _slots(request, lang, flow.id, error="err_slot_missing", status=400)
    try:
        booking.pick(flow, request.match_info["cabin_id"], form["slot"])
    except Held:
        return await _slots(request, lang, flow.id, error="err_slot_taken", status=409)
    except BookingError as exc:
        if exc.code == "unknown_cabin":
            raise web.HTTPNotFound() from None
        return await _slots(request, lang, flow.id, error="err_slot_bad", status=400)
    if flow.verified:  # a slot picked again after the first was taken: book it now
        return await _book(request, lang, flow)
    raise _go(lang, "who", flow)


# -- who comes -------------------------------------------------------------------------------


def _latin(name: str) -> bool:
    """Letters of the Latin alphabet (accents allowed), spaces, hyphens, apostrophes: what a
    Carte Vitale carries; any other script cannot match the card."""
    for char in name:
        if char in " -'’.":
            continue
        base = unicodedata.normalize("NFKD", char)[0].upper()
        if not ("A" <= base <= "Z" or char in "ßæœøÆŒØ"):
            return False
    return any(c.isalpha() for c in name)


def _birth(form: dict[str, str]) -> tuple[date | None, str]:
    parts = [form.get(k, "") for k in ("birth_day", "birth_month", "birth_year")]
    if not any(parts):
        return None, "err_birth_missing"
    digits = ["".join(str(unicodedata.digit(c)) for c in p if c.isdigit()) for p in parts]
    if any(not d or len(d) != len(p.replace(" ", "")) for d, p in zip(digits, parts, strict=True)):
        return None, "err_birth_bad"
    try:
        born = date(int(digits[2]), int(digits[1]), int(digits[0]))
    except ValueError:
        return None, "err_birth_bad"
    if born.year < 1900:
        return None, "err_birth_bad"
    return born, ""


async def who_page(request: web.Request) -> web.Response:
    lang = lang_of(request)
    flow = _flow(request, lang, request.query.get("f"))
    if flow is None or not flow.cabin_id:
        return _flow_gone(request, lang)
    return _who(request, lang, flow, {}, [])


def _who(
    request: web.Request, lang: str, flow: Flow, form: dict[str, str], errors: list[tuple[str, str]]
) -> web.Response:
    return render(
        request,
        "who.html",
        lang,
        title=i18n.text(lang, "who_title"),
        status=400 if errors else 200,
        errors=errors,
        step=2,
        flow_id=flow.id,
        form=form,
        back=f"/book/{lang}/cabin/{flow.cabin_id}?f={flow.id}",
    )


async def who(request: web.Request) -> web.Response:
    lang = lang_of(request)
    form = await _form(request)
    flow = _flow(request, lang, form.get("f"))
    if flow is None or not flow.cabin_id:
        return _flow_gone(request, lang)
    errors: list[tuple[str, str]] = []
    if form.get("who") not in ("self", "child"):
        errors.append(("who-self", i18n.text(lang, "err_who_missing")))
    for field in ("last_name", "first_name"):
        value = form.get(field, "")[:128]
        if not value:
            errors.append((field, i18n.text(lang, f"err_{field.split('_')[0]}_missing")))
        elif not _latin(value):
            errors.append((field, i18n.text(lang, "err_latin")))
    born, problem = _birth(form)
    if problem:
        errors.append(("birth_day", i18n.text(lang, problem)))
    elif born is not None and born > datetime.now().date():
        errors.append(("birth_day", i18n.text(lang, "err_birth_future")))
    if errors or born is None:
        return _who(request, lang, flow, form, errors)
    try:
        site(request).identify(
            flow, last=form["last_name"], first=form["first_name"], birth=born, who=form["who"]
        )
    except ValueError:
        return _who(request, lang, flow, form, [("birth_day", i18n.text(lang, "err_birth_bad"))])
    raise _go(lang, "phone", flow)


# -- the phone and its code ----------------------------------------------------------------


async def phone_page(request: web.Request) -> web.Response:
    lang = lang_of(request)
    flow = _flow(request, lang, request.query.get("f"))
    if flow is None or not flow.key:
        return _flow_gone(request, lang)
    return _phone(request, lang, flow, "", [])


def _phone(
    request: web.Request,
    lang: str,
    flow: Flow,
    typed: str,
    errors: list[tuple[str, str]],
    *,
    status: int = 400,
) -> web.Response:
    return render(
        request,
        "phone.html",
        lang,
        title=i18n.text(lang, "phone_title"),
        status=status if errors else 200,
        errors=errors,
        step=3,
        flow_id=flow.id,
        typed=typed,
        back=f"/book/{lang}/who?f={flow.id}",
    )


def _limited(lang: str, exc: Limited, bookings_per_phone: int) -> str:
    if exc.reason == "codes_phone":
        return i18n.text(lang, "err_codes_phone")
    if exc.reason == "bookings_phone":
        return i18n.text(lang, "err_bookings_phone", n=bookings_per_phone)
    return i18n.text(lang, "err_limited")


async def phone(request: web.Request) -> web.Response:
    lang = lang_of(request)
    form = await _form(request)
    booking = site(request)
    flow = _flow(request, lang, form.get("f"))
    if flow is None or not flow.key:
        return _flow_gone(request, lang)
    typed = form.get("phone", "")[:32]
    if not typed:
        return _phone(request, lang, flow, typed, [("phone", i18n.text(lang, "err_phone_missing"))])
    try:
        e164 = booking.phone(flow, typed)
        await booking.send_code(flow, e164, source(request))
    except BookingError:
        return _phone(request, lang, flow, typed, [("phone", i18n.text(lang, "err_phone_bad"))])
    except Limited as exc:
        text = _limited(lang, exc, booking.cfg.booking.bookings_per_phone)
        return _phone(request, lang, flow, typed, [("phone", text)], status=429)
    except SmsDown:
        return _phone(request, lang, flow, typed, [("", i18n.text(lang, "sms_down"))], status=503)
    raise _go(lang, "code", flow)


def _code(
    request: web.Request,
    lang: str,
    flow: Flow,
    errors: list[tuple[str, str]],
    *,
    status: int = 400,
    notice: str = "",
) -> web.Response:
    minutes = round(site(request).cfg.booking.code_ttl_s / 60)
    return render(
        request,
        "code.html",
        lang,
        title=i18n.text(lang, "code_title"),
        status=status if errors else 200,
        errors=errors,
        step=4,
        flow_id=flow.id,
        sent_to=i18n.text(lang, "code_sent_to", phone=_shown(flow.phone), minutes=minutes),
        notice=notice,
        back=f"/book/{lang}/phone?f={flow.id}",
    )


def _shown(e164: str) -> str:
    """A number as a patient reads it: +33 6 12 34 56 78."""
    number = phonenumbers.parse(e164)
    return i18n.ltr_unbroken(
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    )


async def code_page(request: web.Request) -> web.Response:
    lang = lang_of(request)
    flow = _flow(request, lang, request.query.get("f"))
    if flow is None or not flow.phone:
        return _flow_gone(request, lang)
    notice = i18n.text(lang, "code_new_sent") if request.query.get("n") else ""
    return _code(request, lang, flow, [], notice=notice)


async def code(request: web.Request) -> web.Response:
    lang = lang_of(request)
    form = await _form(request)
    booking = site(request)
    flow = _flow(request, lang, form.get("f"))
    if flow is None or not flow.phone:
        return _flow_gone(request, lang)
    if form.get("action") == "resend":
        try:
            await booking.send_code(flow, flow.phone, source(request))
        except Limited as exc:
            text = _limited(lang, exc, booking.cfg.booking.bookings_per_phone)
            return _code(request, lang, flow, [("code", text)], status=429)
        except SmsDown:
            return _code(request, lang, flow, [("", i18n.text(lang, "sms_down"))], status=503)
        raise _go(lang, "code", flow, n="1")
    typed = form.get("code", "")[:32]
    if not typed:
        return _code(request, lang, flow, [("code", i18n.text(lang, "err_code_missing"))])
    try:
        verdict = booking.flows.check_code(flow, typed, source(request))
    except Limited as exc:
        text = _limited(lang, exc, booking.cfg.booking.bookings_per_phone)
        return _code(request, lang, flow, [("code", text)], status=429)
    if verdict == "wrong":
        text = i18n.text(lang, "err_code_wrong", n=flow.tries_left)
        return _code(request, lang, flow, [("code", text)])
    if verdict in ("used_up", "expired"):
        key = "err_code_used" if verdict == "used_up" else "err_code_expired"
        return _code(request, lang, flow, [("code", i18n.text(lang, key))])
    return await _book(request, lang, flow)


async def _book(request: web.Request, lang: str, flow: Flow) -> web.Response:
    booking = site(request)
    if not booking.flows.holds(flow):
        try:  # the hold ran out while the code came: hold again if nobody else does
            booking.flows.hold(flow, flow.cabin_id, flow.slot_start, flow.slot_end)
        except Held:
            raise _go(lang, f"cabin/{flow.cabin_id}", flow, e="taken") from None
    try:
        await booking.book(flow, source(request))
    except Limited as exc:
        text = _limited(lang, exc, booking.cfg.booking.bookings_per_phone)
        return _code(request, lang, flow, [("", text)], status=429)
    except BookingError as exc:
        booking.flows.release(flow)
        if exc.code == "slot_taken":
            raise _go(lang, f"cabin/{flow.cabin_id}", flow, e="taken") from exc
        raise _go(lang, f"cabin/{flow.cabin_id}", flow, e="bad") from exc
    raise _go(lang, "done", flow)


async def done(request: web.Request) -> web.Response:
    lang = lang_of(request)
    booking = site(request)
    flow = _flow(request, lang, request.query.get("f"))
    if flow is None or not flow.booked:
        return _flow_gone(request, lang)
    async with booking.database():
        appointment = await booking.service.repo.by_external_id(flow.booked)
    if appointment is None:
        return _flow_gone(request, lang)
    cabin = booking.cabin(appointment.cabin_id)
    local = booking.service.local(appointment.cabin_id, appointment.slot_start)
    return render(
        request,
        "done.html",
        lang,
        title=i18n.text(lang, "done_title"),
        step=5,
        cabin=cabin,
        code=appointment.code,
        when=_when(lang, Slot(appointment.slot_start, local, "")),
        where=cabin.address_at(appointment.slot_start),
        phone=_shown(appointment.phone),
        reminder_h=booking.cfg.appointments.reminder_h,
        # the service sends none for a slot booked inside the reminder's window
        reminder=booking.service._reminder_at(appointment.slot_start) is not None,
        manage=f"/book/{lang}/manage/{booking.token(appointment)}",
    )
