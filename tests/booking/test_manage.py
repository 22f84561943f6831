"""After booking: the SMS's link (signed, dead once altered, once the slot has ended or the
booking moved), moving and cancelling by it (the slot freed at once), the site's pages."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

import aiohttp
import pytest

from portal import server
from portal.appointments import links
from tests.booking.conftest import LINK_SECRET, SmsSink, get, post, service_of
from tests.booking.helpers import book

pytestmark = pytest.mark.asyncio


async def manage_url(running: server.Running, sink: SmsSink, lang: str = "fr") -> str:
    async with aiohttp.ClientSession() as http:
        done = await book(http, running.url, sink, lang)
    found = re.search(r'href="(/book/\w\w/manage/[^"]+)"', done.html)
    assert found
    return running.url + found.group(1)


async def test_cancel_by_the_link_frees_the_slot_at_once(
    site_portal: server.Running, sms_sink: SmsSink
) -> None:
    url = await manage_url(site_portal, sms_sink)
    async with aiohttp.ClientSession() as http:
        page = await get(http, url)
        slots_before = await get(http, f"{site_portal.url}/book/fr/cabin/cabin-test-01")
        ask = await get(http, url + "/cancel")
        assert "Voulez-vous vraiment annuler le rendez-vous du" in ask.text
        done = await post(http, site_portal.url, ask.form("/cancel"))
        assert done.status == 200 and "Le rendez-vous est annulé et le créneau libéré" in done.text
        slots_after = await get(http, f"{site_portal.url}/book/fr/cabin/cabin-test-01")
        freed = set(slots_after.form("/cabin/")["radios"]) - set(
            slots_before.form("/cabin/")["radios"]
        )
        assert len(freed) == 1
        again = await get(http, url)
        assert "annulé" in again.text and "/cancel" not in again.html
        assert "Déplacer" in page.text


async def test_move_by_the_link(site_portal: server.Running, sms_sink: SmsSink) -> None:
    url = await manage_url(site_portal, sms_sink, "es")
    async with aiohttp.ClientSession() as http:
        page = await get(http, url)
        form = page.form("/move")
        # the first day offered with three free slots (late in the evening today's last
        # ones are fewer: this test failed at 22:25)
        days = [
            html.unescape(h) for h in re.findall(r'href="([^"]*day=[0-9-]{10}[^"]*)"', page.html)
        ]
        for link in days[1:]:
            if len(form["radios"]) > 2:
                break
            page = await get(http, urljoin(url, link))
            form = page.form("/move")
        target = form["radios"][2]
        moved = await post(http, site_portal.url, form, slot=target)
        assert moved.status == 200 and "moved=1" in moved.url and moved.url != url
        assert "Cita cambiada." in moved.text
        old = await get(http, url)  # the old link named the old slot
        assert old.status == 404 and "Este enlace ya no funciona" in old.text
        none = await post(http, site_portal.url, moved.form("/move"))
        assert none.status == 400 and none.errors == ["Elija una hora."]


async def test_an_altered_or_expired_link(site_portal: server.Running, sms_sink: SmsSink) -> None:
    url = await manage_url(site_portal, sms_sink)
    token = url.rsplit("/", 1)[1]
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    async with aiohttp.ClientSession() as http:
        for bad in (altered, token[:-2], token + "x", "b:" + token, "x/y"):
            page = await get(http, f"{site_portal.url}/book/fr/manage/{bad}")
            assert page.status == 404 and "Le lien est incomplet, a été modifié" in page.text
            short = await get(http, f"{site_portal.url}/b/{bad}")
            assert short.status == 404
        service = service_of(site_portal)
        appointment = await service.repo.by_external_id(links.booking_id(token))
        # past the slot's end the link is dead
        clock = service.clock
        service.clock = lambda: appointment.slot_end + 1
        try:
            page = await get(http, url)
        finally:
            service.clock = clock
        assert page.status == 404
        assert links.valid(LINK_SECRET, token, slot_end=appointment.slot_end, now=0)
        assert not links.valid(
            "another-secret-0123456", token, slot_end=appointment.slot_end, now=0
        )


@pytest.mark.parametrize("lang", ["fr", "en", "ar", "es"])
async def test_privacy_legal_and_accessibility_pages(
    site_portal: server.Running, lang: str
) -> None:
    async with aiohttp.ClientSession() as http:
        privacy = await get(http, f"{site_portal.url}/book/{lang}/privacy")
        legal = await get(http, f"{site_portal.url}/book/{lang}/legal")
        a11y = await get(http, f"{site_portal.url}/book/{lang}/accessibility")
        async with http.get(f"{site_portal.url}/book/{lang}/") as response:
            assert "Set-Cookie" not in response.headers  # no cookie at all
    assert "Département des Yvelines" in privacy.text and "rdv-cabine@example.org" in privacy.text
    assert "24" in privacy.text and "10" in privacy.text  # purge hours, code minutes
    assert "Département des Yvelines" in legal.text
    assert "RGAA 4.1" in a11y.text and "Défenseur des droits" in a11y.text
    assert all(p.status == 200 for p in (privacy, legal, a11y))
