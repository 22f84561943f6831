"""SMS: texts and their encoding, then a real Kannel (bearerbox, smsbox, fakesmsc)."""

from __future__ import annotations

import aiohttp
import pytest

from portal import server
from portal.appointments import sms
from tests.appointments.conftest import OTHER_CABIN, Kannel, appointments_config
from tests.appointments.helpers import AUTH, booking, next_slot, post
from tests.helpers.waiting import until

LONG_ADDRESS = "Maison de santé pluriprofessionnelle, 12 bis avenue de la République, " * 2


@pytest.mark.parametrize("kind", sms.KINDS)
@pytest.mark.parametrize("lang", sms.LANGUAGES)
@pytest.mark.parametrize("address", ["", "12 rue de la Paix, 78000 Versailles", LONG_ADDRESS])
def test_every_text_fits_two_parts(kind: str, lang: str, address: str) -> None:
    text = sms.compose(kind, lang, date="24/11/2026", time="14:30", code="K7M2QX", address=address)
    assert 1 <= text.parts <= sms.MAX_PARTS
    assert "K7M2QX" in text.body and "14:30" in text.body and "24/11/2026" in text.body
    assert text.coding == (sms.UCS2 if lang == "ar" else sms.GSM7)
    if kind != "cancellation":
        assert "Vitale" in text.body


def test_confirmation_keeps_a_short_address_and_drops_a_huge_one() -> None:
    short = sms.compose("confirmation", "fr", date="d", time="t", code="C", address="1 rue X")
    assert "1 rue X" in short.body
    huge = sms.compose("confirmation", "fr", date="d", time="t", code="C", address="x" * 400)
    assert "xxxx" not in huge.body and huge.parts == 1


def test_gsm7_accents_and_extension_characters() -> None:
    assert sms.encode("Rappel : à 14h, vous êtes attendu").body == (
        "Rappel : à 14h, vous etes attendu"  # ê is not GSM-7; à is
    )
    assert sms.encode("Código").coding == sms.GSM7
    assert sms.encode("€" * 80).parts == 1 and sms.encode("€" * 81).parts == 2  # two septets each
    assert sms.encode("a" * 160).parts == 1 and sms.encode("a" * 161).parts == 2
    assert sms.encode("ب" * 70).parts == 1 and sms.encode("ب" * 71).parts == 2
    assert sms.encode("😀").coding == sms.UCS2


async def _appointment(http: aiohttp.ClientSession, url: str, ext: str) -> dict:
    async with http.get(f"{url}/api/appointments/{ext}", headers=AUTH) as r:
        assert r.status == 200
        return await r.json()


@pytest.mark.asyncio
async def test_confirmation_reaches_the_smsc_and_its_report_is_recorded(
    sms_portal: server.Running, kannel: Kannel
) -> None:
    url = sms_portal.url
    async with aiohttp.ClientSession() as http:
        status, booked = await post(http, url, booking("sms-1", next_slot(after_min=90)))
        assert status == 201
        got = await kannel.until("the confirmation")
        assert got[0].to == "+33612345678" and got[0].sender == "Cabine"
        assert booked["code"] in got[0].text and "Apportez votre carte Vitale" in got[0].text
        assert "12 rue de la Paix" in got[0].text

        async def delivered() -> bool:
            texts = (await _appointment(http, url, "sms-1"))["sms"]
            return any(t["kind"] == "confirmation" and t["delivered"] for t in texts)

        await until(delivered, "the delivery report", timeout=20, every=0.1)


@pytest.mark.asyncio
async def test_arabic_goes_as_ucs2_and_cancellation_follows(
    sms_portal: server.Running, kannel: Kannel
) -> None:
    url = sms_portal.url
    async with aiohttp.ClientSession() as http:
        status, booked = await post(http, url, booking("sms-ar", next_slot(), lang="ar"))
        assert status == 201
        got = await kannel.until("the Arabic confirmation")
        assert got[0].coding in ("ucs-2", "udh-2") and "الرمز" in got[0].text
        assert booked["code"] in got[0].text
        async with http.delete(f"{url}/api/appointments/sms-ar", headers=AUTH) as r:
            assert r.status == 200
        got = await kannel.until("the cancellation", count=2)
        assert "إلغاء" in got[1].text


@pytest.mark.asyncio
async def test_gateway_down_booking_kept_sms_retried_then_sent(
    database_url: str, kannel_stopped: Kannel
) -> None:
    cfg = appointments_config(database_url, sendsms_url=kannel_stopped.sendsms_url, backoff_s=0.3)
    running = await server.start(cfg, host="127.0.0.1", port=0)
    try:
        async with aiohttp.ClientSession() as http:
            status, _ = await post(http, running.url, booking("down-1", next_slot(after_min=90)))
            assert status == 201  # the booking is kept

            async def retried() -> bool:
                texts = (await _appointment(http, running.url, "down-1"))["sms"]
                return texts[0]["attempts"] >= 2 and texts[0]["status"] == "pending"

            await until(retried, "two failed attempts", timeout=20, every=0.1)
            kannel_stopped.start()
            got = await kannel_stopped.until("the confirmation once Kannel is up", timeout=30)
            assert len(got) == 1

            async def sent() -> bool:
                texts = (await _appointment(http, running.url, "down-1"))["sms"]
                return texts[0]["status"] == "sent"

            await until(sent, "the SMS marked sent", timeout=20, every=0.1)
    finally:
        await running.stop()


@pytest.mark.asyncio
async def test_gateway_down_for_good_warns_the_staff(
    database_url: str, kannel_stopped: Kannel
) -> None:
    cfg = appointments_config(
        database_url, sendsms_url=kannel_stopped.sendsms_url, backoff_s=0.1, max_attempts=3
    )
    running = await server.start(cfg, host="127.0.0.1", port=0)
    slot = next_slot(after_min=90)
    try:
        async with aiohttp.ClientSession() as http:
            status, _ = await post(http, running.url, booking("down-2", slot))
            assert status == 201

            async def given_up() -> dict | None:
                async with http.get(
                    f"{running.url}/api/appointments",
                    params={"cabin_id": "cabin-test-01", "day": slot.date().isoformat()},
                    headers=AUTH,
                ) as r:
                    day = await r.json()
                return day if day["sms_failed"] >= 1 else None

            day = await until(given_up, "the SMS given up", timeout=20, every=0.1)
            texts = day["appointments"][0]["sms"]
            assert texts[0]["status"] == "failed" and texts[0]["attempts"] == 3
            assert day["appointments"][0]["status"] == "booked"
            # the other cabin's staff are not warned about it: they can do nothing
            async with http.get(
                f"{running.url}/api/appointments",
                params={"cabin_id": OTHER_CABIN, "day": slot.date().isoformat()},
                headers=AUTH,
            ) as r:
                assert (await r.json())["sms_failed"] == 0
    finally:
        await running.stop()


@pytest.mark.asyncio
async def test_forged_delivery_report_is_refused(sms_portal: server.Running) -> None:
    async with aiohttp.ClientSession() as http:
        # a token that is not ASCII is a wrong token, not a server error
        for query in ("m=1&t=deadbeef&s=1", "m=x&s=1", "", "m=99999&t=&s=1", "m=1&t=%C3%A9&s=1"):
            async with http.get(f"{sms_portal.url}/api/sms/dlr?{query}") as r:
                assert r.status in (400, 403)


@pytest.mark.asyncio
async def test_reminder_reaches_the_smsc_when_due(database_url: str, kannel: Kannel) -> None:
    """On the portal's clock: booked two days ahead, the confirmation goes now, the reminder
    only once its time (``reminder_h`` before the slot) has come, in the patient's language."""
    from datetime import datetime, timedelta

    from portal.appointments.repository import Repository
    from portal.appointments.service import Appointments
    from tests.appointments.helpers import PARIS

    cfg = appointments_config(database_url, sendsms_url=kannel.sendsms_url)
    assert cfg.appointments.reminder_h == 24.0
    slot = (datetime.now(PARIS) + timedelta(days=2)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    now = [slot.timestamp() - 2 * 86400]
    repo = await Repository.open(database_url)
    try:
        appts = Appointments(cfg, repo, clock=lambda: now[0])
        booked, _ = await appts.book(booking("rem-1", slot, lang="es"))
        async with aiohttp.ClientSession() as http:
            assert await appts.send_due(http) == 1  # the confirmation alone
            got = await kannel.until("the confirmation")
            assert len(got) == 1
            now[0] = slot.timestamp() - 23.5 * 3600  # past the reminder's time
            assert await appts.send_due(http) == 1
            got = await kannel.until("the reminder", count=2)
        assert booked["code"] in got[1].text and "10:00" in got[1].text
        assert got[1].text.startswith("Recordatorio") and got[0].text.startswith("Cita")
        assert got[1].to == "+33612345678"
    finally:
        await repo.close()
