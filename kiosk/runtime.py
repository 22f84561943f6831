"""The kiosk core assembled from a config: spool, session, logging providers.

The screens (``ui.app``) and headless runs (scripts, tests) build on one :class:`Runtime`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from kiosk.clock import Clock, SystemClock
from kiosk.config import Config
from kiosk.privacy import Spool
from kiosk.session import Session

log = logging.getLogger(__name__)


class Runtime:
    """Owns the session and the spool of one cabin."""

    def __init__(self, config: Config, *, clock: Clock | None = None) -> None:
        self.config = config
        self.spool = Spool(config.session.spool_dir)
        self.session = Session(
            timeouts=config.timeouts,
            clock=clock or SystemClock(),
            require_cleaning=config.session.require_cleaning,
            default_language=config.cabin.default_language,
            wipe_hooks=(self.spool.wipe,),
        )
        self.started = False

    def start(self) -> int:
        """Check the spool lives in memory and wipe what a crash left; returns that count.

        Only the first call does it: later ones (the cabin starting around an already
        started runtime) must not wipe the spool of a session under way.
        """
        if self.started:
            return 0
        self.started = True
        self.spool.prepare()
        left = self.spool.wipe_all()
        log.info("cabin %s: runtime ready", self.config.cabin.id)
        return left

    def device_kind(self, device_id: str) -> str:
        """What the configured instrument ``device_id`` measures (``""`` when unknown)."""
        device = self.config.devices.get(device_id)
        return device.kind if device is not None else ""

    def log_session_id(self) -> str:
        return self.session.log_id

    def sensitive(self) -> Iterable[str]:
        data = self.session.data
        return data.sensitive_strings() if data else ()
