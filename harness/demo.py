"""``kiosk demo``: the kiosk on simulated hardware, with a control panel and the doctor's page.

The simulated stack starts after the idle screen is painted; the kiosk's config is then
pointed at it. Run as root, the demo lives in a private network namespace so the video call
between the cabin and the doctor's browser works on one machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import AsyncIterator

from kiosk.config import Config
from ui.app import KioskApp, run

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def simulated_cabin(kiosk: KioskApp) -> AsyncIterator[None]:
    from harness.demo_panel import DemoPanel
    from harness.stack import DEMO_DOCTOR, DEMO_STAFF, SimulatedStack

    stack = SimulatedStack()
    panel: DemoPanel | None = None
    try:
        await asyncio.to_thread(stack.start_hardware)
        await stack.start_portal()
        kiosk.config = stack.kiosk_config(kiosk.config)
        print(
            f"Cabine demo: doctor's page {stack.portal_url}/  "
            f"(user {DEMO_DOCTOR[0]!r}, password {DEMO_DOCTOR[1]!r})\n"
            f"Staff page {stack.portal_url}/staff  "
            f"(user {DEMO_STAFF[0]!r}, password {DEMO_STAFF[1]!r})\n"
            "Insert a virtual Carte Vitale and open the doctor's page from the control panel.\n"
            "Ctrl-C stops everything.",
            flush=True,
        )
        panel = DemoPanel(
            stack,
            doctor_url=stack.portal_url + "/",
            credentials=DEMO_DOCTOR,
            staff=DEMO_STAFF,
        )
        panel.show()
        yield
    finally:
        if panel is not None:
            panel.close_all()
        await stack.stop()


def run_demo(config: Config, *, fullscreen: bool) -> int:
    from harness.netns import NamespaceError, enter_private_network

    if os.geteuid() == 0:
        try:
            enter_private_network()
        except NamespaceError as exc:
            print(f"kiosk: demo: {exc}; the video call will not connect", file=sys.stderr)
    else:
        print(
            "kiosk: demo: not root, so no private network: the cabin and a browser on this "
            "machine cannot hold a video call over loopback (everything else works)",
            file=sys.stderr,
        )
    return run(config, fullscreen=fullscreen, around=simulated_cabin)
