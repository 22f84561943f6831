"""The booking site's steps with JavaScript off (an HTTP client posting its forms), in the
four languages, and each bad input of issue 17: dates, names in any script, a slot taken
between pick and confirm, two tabs, the SMS gateway down, five wrong codes, ten codes asked
in a minute, a foreign or fixed-line number."""

from __future__ import annotations

import re
import time
from pathlib import Path

import aiohttp
import pytest

from portal import server
from tests.appointments.helpers import AUTH, booking, next_slot
from tests.appointments.helpers import post as api_post
from tests.booking.conftest import SmsSink, flows_of, get, post, service_of, site_config
from tests.booking.helpers import E164, MOBILE, ZOE, book, flow_id, pick, up_to_code

pytestmark = pytest.mark.asyncio

DONE = {"fr": "Rendez-vous confirmé", "en": "Appointment confirmed", "ar": "تم تأكيد الموعد",
        "es": "Cita confirmada"}  # fmt: skip
CODE_SMS = {
    "fr": "votre code de confirmation",
    "en": "your confirmation code",
    "ar": "رمز التأكيد",
    "es": "su codigo de confirmacion",
}  # GSM-7: accents it lacks dropped


async def appointments(running: server.Running) -> list[object]:
    service = service_of(running)
    now = int(time.time())
    rows = await service.repo.day("cabin-test-01", now - 86400, now + 30 * 86400)
    return [a for a, _ in rows if a.status in ("booked", "checked_in")]


async def until_sms(sink: SmsSink, needle: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for text in sink.texts():
            if needle in text:
                return text
        await asyncio_sleep(0.05)
    raise AssertionError(f"no SMS with {needle!r}: {sink.texts()}")


async def asyncio_sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


@pytest.mark.parametrize("lang", ["fr", "en", "ar", "es"])
async def test_a_booking_from_search_to_confirmation_sms(
    site_portal: server.Running, sms_sink: SmsSink, lang: str
) -> None:
    url = site_portal.url
    async with aiohttp.ClientSession() as http:
        start = await get(http, f"{url}/book")
        assert start.url.endswith("/book/fr/")  # no Accept-Language from aiohttp: French
        found = await get(http, f"{url}/book/{lang}/?q=saint cyr")
        assert found.status == 200 and "cabin-test-01" not in found.html
        found = await get(http, f"{url}/book/{lang}/?q=78000")
        assert f"/book/{lang}/cabin/cabin-test-01" in found.links
        assert found.attrs_html == {"lang": lang, "dir": "rtl" if lang == "ar" else "ltr"}
        done = await book(http, url, sms_sink, lang)
        assert DONE[lang] in done.text
        assert CODE_SMS[lang] in sms_sink.texts()[0]
        code = re.search(r'class="code" dir="ltr">([A-Z0-9]{6})<', done.html)
        assert code is not None
        # the confirmation SMS through the outbox, with the booking code and the manage link
        confirmation = await until_sms(sms_sink, code.group(1))
        link = re.search(r"(http://\S+/b/\S+)", confirmation)
        assert link is not None, confirmation
        manage = await get(http, link.group(1))
        assert manage.status == 200 and f"/book/{lang}/manage/" in manage.url
        assert code.group(1) in manage.text
    assert [a.phone for a in await appointments(site_portal)] == [E164]  # type: ignore[attr-defined]


async def test_the_browser_language_is_offered_first(site_portal: server.Running) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.get(
            f"{site_portal.url}/book", headers={"Accept-Language": "ar-MA,ar;q=0.9,fr;q=0.5"}
        ) as response,
    ):
        assert str(response.url).endswith("/book/ar/")


async def test_an_empty_or_unknown_search_says_what_to_do(site_portal: server.Running) -> None:
    async with aiohttp.ClientSession() as http:
        empty = await get(http, f"{site_portal.url}/book/fr/?q=+")
        assert empty.status == 400 and empty.errors == ["Tapez une commune ou un code postal."]
        assert 'aria-invalid="true"' in empty.html
        none = await get(http, f"{site_portal.url}/book/fr/?q=Brest")
        assert "Aucune cabine ne correspond à « Brest »" in none.text


async def test_the_bus_sante_offers_only_its_dated_locations(site_portal: server.Running) -> None:
    async with aiohttp.ClientSession() as http:
        found = await get(http, f"{site_portal.url}/book/fr/?q=saint arnoult")
        assert "Parking du marché" in found.text and "jeudi de 14:00 à 17:00" in found.text
        page = await get(http, f"{site_portal.url}/book/fr/cabin/bus-sante-01")
    times = re.findall(r'name="slot" value="([^"]+)"', page.html)
    assert times, page.text[:300]
    for iso in times:
        hhmm, day = iso[11:16], iso[:10]
        assert ("09:00" <= hhmm <= "11:40") or ("14:00" <= hhmm <= "16:40"), iso
        assert day  # Tuesdays morning in Rambouillet, Thursdays afternoon in Saint-Arnoult
    assert "Place de la Mairie" in page.text or "Parking du marché" in page.text


@pytest.mark.parametrize(
    ("day", "month", "year", "error"),
    [
        ("31", "2", "1990", "La date de naissance doit être une vraie date"),
        ("ab", "3", "1985", "La date de naissance doit être une vraie date"),
        ("1", "1", "2999", "La date de naissance ne peut pas être dans le futur."),
        ("", "", "", "Tapez la date de naissance."),
    ],
)
async def test_a_birth_date_in_the_future_or_not_a_date_is_refused_and_kept(
    site_portal: server.Running, day: str, month: str, year: str, error: str
) -> None:
    async with aiohttp.ClientSession() as http:
        who = await pick(http, site_portal.url)
        birth = {"birth_day": day, "birth_month": month, "birth_year": year}
        again = await post(http, site_portal.url, who.form("/who"), **{**ZOE, **birth})
    assert again.status == 400 and "/who" in again.url
    assert len(again.errors) == 1 and again.errors[0].startswith(error)
    assert again.form("/who")["fields"]["birth_year"] == year  # what was typed is kept
    assert again.form("/who")["fields"]["last_name"] == "Lefèvre"
    assert again.html.count('href="#birth_day"') == 1  # the summary links to the field


@pytest.mark.parametrize(
    ("last", "first", "accepted"),
    [
        ("O'Brien-Smith", "Anne-Marie", True),
        ("D’Arc", "Jeanne", True),
        ("Nguyễn", "Thị Ánh", True),
        ("محمد", "أحمد", False),
        ("Иванов", "Пётр", False),
        ("Dupont", "Ελένη", False),
    ],
)
async def test_names_in_any_script(
    site_portal: server.Running, last: str, first: str, accepted: bool
) -> None:
    async with aiohttp.ClientSession() as http:
        who = await pick(http, site_portal.url, "ar")
        after = await post(
            http,
            site_portal.url,
            who.form("/who"),
            **{**ZOE, "last_name": last, "first_name": first},
        )
    if accepted:
        assert "/phone" in after.url, after.errors
    else:
        assert after.status == 400
        assert "اكتب الاسم بالحروف اللاتينية كما هو مكتوب على بطاقة Vitale." in after.errors
        assert after.form("/who")["fields"]["last_name"] == last  # kept, in its script


async def test_a_slot_taken_between_pick_and_confirm(
    site_portal: server.Running, sms_sink: SmsSink
) -> None:
    url = site_portal.url
    async with aiohttp.ClientSession() as http:
        code_page = await up_to_code(http, url)
        flow = flows_of(site_portal).get(flow_id(code_page))
        taken = service_of(site_portal).local("cabin-test-01", flow.slot_start)
        # the staff page (or another site) books that slot meanwhile
        status, _ = await api_post(http, url, booking("staff-1", taken, phone="+33698765432"))
        assert status == 201
        back = await post(http, url, code_page.form("/code"), code=sms_sink.last_code())
        assert back.status == 200 and "/cabin/cabin-test-01" in back.url
        assert back.errors == [
            "Ce créneau vient d'être pris. Choisissez-en un autre : ce que vous avez déjà tapé "
            "est gardé."
        ]
        assert taken.isoformat() not in back.form("/cabin/")["radios"]
        # nothing lost: the phone is confirmed, the next slot picked books at once
        done = await post(http, url, back.form("/cabin/"), slot=back.form("/cabin/")["radios"][0])
        assert "/done" in done.url
    assert len(await appointments(site_portal)) == 2


async def test_two_tabs_booking_the_same_slot(
    site_portal: server.Running, sms_sink: SmsSink
) -> None:
    url = site_portal.url
    flows = flows_of(site_portal)
    async with aiohttp.ClientSession() as http:
        first = await up_to_code(http, url)
        # the second tab: the slot is held by the first
        second = await pick(http, url)
        assert second.status == 200  # another slot is offered first now
        page = await get(http, f"{url}/book/fr/cabin/cabin-test-01")
        held = flows.get(flow_id(first)).slot_start
        iso = service_of(site_portal).local("cabin-test-01", held).isoformat()
        assert iso not in page.form("/cabin/")["radios"]
        refused = await post(http, url, page.form("/cabin/"), slot=iso)
        assert refused.status == 409 and refused.errors[0].startswith("Ce créneau vient")
        # the first tab's hold runs out (5 minutes): the second gets the slot and confirms first
        clock = flows.clock
        flows.clock = lambda: clock() + 301
        try:
            who = await post(http, url, page.form("/cabin/"), slot=iso)
            phone = await post(http, url, who.form("/who"), **ZOE)
            code = await post(http, url, phone.form("/phone"), phone="07 81 23 45 67")
            assert "/code" in code.url, (code.url, code.errors)
            done = await post(
                http, url, code.form("/code"), code=sms_sink.last_code("+33781234567")
            )
            assert "/done" in done.url
            late = await post(http, url, first.form("/code"), code=sms_sink.last_code(E164))
        finally:
            flows.clock = clock
        assert "/cabin/cabin-test-01" in late.url and late.errors[0].startswith("Ce créneau vient")
    booked = await appointments(site_portal)
    assert [a.slot_start for a in booked] == [held]  # type: ignore[attr-defined]


async def test_the_sms_gateway_down_books_nothing(
    site_portal: server.Running, sms_sink: SmsSink
) -> None:
    sms_sink.up = False
    async with aiohttp.ClientSession() as http:
        who = await pick(http, site_portal.url, "es")
        phone = await post(http, site_portal.url, who.form("/who"), **ZOE)
        down = await post(http, site_portal.url, phone.form("/phone"), phone=MOBILE)
        assert down.status == 503 and "/phone" in down.url
        assert down.errors == [
            "No podemos enviar SMS en este momento. No se ha reservado nada. Inténtelo de "
            "nuevo en unos minutos."
        ]
        assert down.form("/phone")["fields"]["phone"] == MOBILE  # kept for the next try
        sms_sink.up = True
        code = await post(http, site_portal.url, down.form("/phone"))
        assert "/code" in code.url
    assert await appointments(site_portal) == []


async def test_five_wrong_codes(site_portal: server.Running, sms_sink: SmsSink) -> None:
    url = site_portal.url
    async with aiohttp.ClientSession() as http:
        page = await up_to_code(http, url)
        right = sms_sink.last_code()
        wrong = "000000" if right != "000000" else "111111"
        for left in (4, 3, 2, 1):
            page = await post(http, url, page.form("/code"), code=wrong)
            assert page.status == 400 and page.errors == [
                f"Ce code n'est pas le bon. Essais restants : {left}."
            ]
        page = await post(http, url, page.form("/code"), code=wrong)
        assert page.errors == ["Trop d'essais avec ce code. Demandez un nouveau code."]
        page = await post(http, url, page.form("/code"), code=right)  # too late, even right
        assert page.errors == ["Trop d'essais avec ce code. Demandez un nouveau code."]
        assert await appointments(site_portal) == []
        resent = await post(http, url, page.forms[1])  # "Send a new code"
        assert "Un nouveau code a été envoyé." in resent.text
        done = await post(http, url, resent.form("/code"), code=sms_sink.last_code())
        assert "/done" in done.url


async def test_ten_codes_asked_for_one_number_in_a_minute(
    site_portal: server.Running, sms_sink: SmsSink
) -> None:
    url = site_portal.url
    async with aiohttp.ClientSession() as http:
        statuses = []
        for index in range(10):
            who = await pick(http, url, index=index)
            phone = await post(http, url, who.form("/who"), **ZOE)
            answer = await post(http, url, phone.form("/phone"), phone=MOBILE)
            statuses.append(answer.status)
            if answer.status == 429:
                assert answer.errors == [
                    "Trop de codes demandés pour ce numéro. Réessayez dans une heure."
                ]
    assert statuses == [200] * 3 + [429] * 7  # [booking] codes_per_phone = 3 an hour
    assert len(sms_sink.got) == 3


@pytest.mark.parametrize(
    "number", ["+44 7700 900123", "01 39 00 00 00", "06 12", "+1 202 555 0143", "téléphone"]
)
async def test_only_mobiles_of_the_served_territories(
    site_portal: server.Running, sms_sink: SmsSink, number: str
) -> None:
    async with aiohttp.ClientSession() as http:
        who = await pick(http, site_portal.url, "en")
        phone = await post(http, site_portal.url, who.form("/who"), **ZOE)
        refused = await post(http, site_portal.url, phone.form("/phone"), phone=number)
    assert refused.status == 400 and refused.errors == [
        "Type a French mobile number (mainland or overseas), for example 06 12 34 56 78."
    ]
    assert sms_sink.got == []


async def test_a_lost_flow_says_to_start_again(site_portal: server.Running) -> None:
    async with aiohttp.ClientSession() as http:
        for path in ("who?f=nope", "phone?f=", "code?f=x", "done?f=x"):
            page = await get(http, f"{site_portal.url}/book/fr/{path}")
            assert page.status == 410 and "Votre demande a expiré" in page.text


async def test_the_api_still_books_with_its_token(site_portal: server.Running) -> None:
    async with aiohttp.ClientSession() as http:
        status, body = await api_post(
            http, site_portal.url, booking("api-1", next_slot(after_min=60))
        )
        assert status == 201 and body["id"] == "api-1"
        async with http.get(f"{site_portal.url}/api/appointments/api-1", headers=AUTH) as r:
            assert r.status == 200


async def test_codes_per_source_and_active_bookings_per_phone(
    tmp_path: Path, sms_sink: SmsSink
) -> None:
    cfg = site_config(
        f"sqlite+aiosqlite:///{tmp_path / 'a.db'}",
        sendsms_url=sms_sink.url,
        codes_per_source=3,
        bookings_per_phone=1,
    )
    running = await server.start(cfg, host="127.0.0.1", port=0)
    url = running.url
    try:
        async with aiohttp.ClientSession() as http:
            # one booking for this phone: a second is refused before any code is sent
            await book(http, url, sms_sink)
            who = await pick(http, url)
            phone = await post(http, url, who.form("/who"), **ZOE)
            refused = await post(http, url, phone.form("/phone"), phone=MOBILE)
            assert refused.status == 429 and refused.errors == [
                "Ce numéro a déjà 1 rendez-vous à venir. Annulez-en un (lien dans le SMS) "
                "pour en prendre un autre."
            ]
            # two more codes from this source to other phones, then the source is refused
            for n, number in enumerate(("06 98 76 54 32", "06 11 22 33 44", "06 55 66 77 88")):
                answer = await post(http, url, refused.form("/phone"), phone=number)
                assert answer.status == (200 if n < 2 else 429), answer.errors
            assert answer.errors == ["Trop de demandes. Réessayez dans une heure."]
    finally:
        await running.stop()
    assert len(sms_sink.got) == 4  # 3 codes and the confirmation; the refused ones sent nothing


async def test_the_database_away_gives_a_calm_page(site_portal: server.Running) -> None:
    from sqlalchemy.exc import OperationalError

    repo = service_of(site_portal).repo

    async def away(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("SELECT", {}, ConnectionRefusedError())

    original, repo.day = repo.day, away
    try:
        async with aiohttp.ClientSession() as http:
            page = await get(http, f"{site_portal.url}/book/es/cabin/cabin-test-01")
    finally:
        repo.day = original
    assert page.status == 503 and "No se ha reservado nada." in page.text
    assert page.attrs_html["lang"] == "es"
