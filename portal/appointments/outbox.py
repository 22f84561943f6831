"""The appointments' SMS outbox: each SMS that falls due is written in the patient's
language, sent through Kannel, retried with a growing wait, or given up; delivery reports.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import aiohttp

from portal import auth
from portal.appointments import directory, links, rules
from portal.appointments import sms as smsmod
from portal.appointments.repository import Repository
from portal.appointments.rules import BookingError
from portal.config import PortalConfig

log = logging.getLogger(__name__)

_MAX_BACKOFF_S = 3600.0


class Outbox:
    """The SMS of the appointments in a :class:`Repository`, sent as they fall due."""

    def __init__(self, cfg: PortalConfig, repo: Repository, *, now: Callable[[], int]) -> None:
        self.cfg = cfg
        self.repo = repo
        self.now = now
        #: SMS given up on since the portal started.
        self.given_up = 0

    async def send_due(self, http: aiohttp.ClientSession) -> int:
        """One pass over the SMS that are due; returns how many Kannel took."""
        cfg = self.cfg.sms
        if not cfg.sendsms_url:
            return 0
        sent = 0
        # The lease covers the whole batch, each SMS up to its timeout: another portal on the
        # same database must not take (and send again) one this pass has not reached yet.
        batch = 20
        lease = int(cfg.timeout_s) * batch + 30
        claimed = await self.repo.claim_sms(now=self.now(), lease_s=lease, limit=batch)
        for message, appointment in claimed:
            try:
                hours = rules.cabin_hours(self.cfg, appointment.cabin_id)
            except BookingError:
                # Its cabin left the config (closed, renamed): nothing true to say; given up
                # at once, or it would come back after every lease.
                self.given_up += 1
                log.warning(
                    "appointment %d: %s SMS given up: its cabin is no longer configured",
                    appointment.id,
                    message.kind,
                )
                await self.repo.sms_failed(message.id, error="unknown_cabin", retry_at=None)
                continue
            local = rules.local_time(hours, appointment.slot_start)
            cabin = directory.cabin(self.cfg, appointment.cabin_id)
            site = self.cfg.booking
            text = smsmod.compose(
                message.kind,
                appointment.lang,
                date=local.strftime("%d/%m/%Y"),
                time=local.strftime("%H:%M"),
                code=appointment.code,
                address=cabin.address_at(appointment.slot_start) if cabin else hours.address,
                link=""
                if message.kind == "cancellation"
                else links.url(
                    site.base_url, site.link_secret, appointment.external_id, appointment.slot_end
                ),
            )
            try:
                await smsmod.send(
                    http,
                    cfg,
                    sms_id=message.id,
                    to=appointment.phone,
                    text=text,
                    dlr_secret=self.cfg.appointments.match_secret,
                )
            except smsmod.SmsGatewayError as exc:
                attempts = message.attempts + 1
                if attempts >= cfg.max_attempts:
                    self.given_up += 1
                    log.warning(
                        "appointment %d: %s SMS given up after %d attempts",
                        appointment.id,
                        message.kind,
                        attempts,
                    )
                    await self.repo.sms_failed(message.id, error=str(exc), retry_at=None)
                else:
                    delay = min(_MAX_BACKOFF_S, cfg.backoff_s * 2 ** (attempts - 1))
                    log.info(
                        "appointment %d: %s SMS not sent (%s), retry in %.0f s",
                        appointment.id,
                        message.kind,
                        type(exc).__name__,
                        delay,
                    )
                    await self.repo.sms_failed(
                        message.id, error=str(exc), retry_at=self.now() + max(1, round(delay))
                    )
                continue
            await self.repo.sms_sent(
                message.id, now=self.now(), coding=text.coding, parts=text.parts
            )
            sent += 1
            log.info("appointment %d: %s SMS sent", appointment.id, message.kind)
        return sent

    async def delivery_report(self, sms_id: int, token: str, report: int) -> bool:
        """Kannel's report on one SMS, if its token is the one this SMS was sent with."""
        expected = smsmod.dlr_token(self.cfg.appointments.match_secret, sms_id)
        if not auth.same_secret(token, expected):
            return False
        return await self.repo.sms_report(sms_id, report=report, now=self.now())
