"""A scripted doctor: a real headless Chromium on the portal's doctor page, driven by selenium.

Used by ``kiosk demo --scripted`` and the end-to-end tests; it clicks what a doctor clicks.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

CHROMIUM_BINARIES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
CHROMEDRIVER = "/usr/bin/chromedriver"
#: The flags of a headless Chromium doctor on one machine: fake camera and microphone,
#: loopback ICE candidates allowed and not hidden behind mDNS, no calls home. Shared with
#: the call tests and benchmarks.
HEADLESS_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
)
FLAGS = (*HEADLESS_FLAGS, "--window-size=1280,900")


class DoctorError(RuntimeError):
    """The doctor's browser could not start, or the page did not do what was asked in time."""


class ScriptedDoctor:
    """The doctor's page in Chromium; every call runs off the event loop."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.driver: Any = None
        self._service: Any = None
        self._profile: tempfile.TemporaryDirectory[str] | None = None

    async def start(self) -> None:
        try:
            from selenium import webdriver
            from selenium.common.exceptions import WebDriverException
            from selenium.webdriver.chrome.service import Service
        except ImportError as exc:
            raise DoctorError("selenium is not installed (pip install -e '.[dev]')") from exc
        binary = next((b for b in CHROMIUM_BINARIES if os.access(b, os.X_OK)), None)
        if binary is None:
            raise DoctorError("Chromium is not installed (apt-get install chromium)")
        if not os.access(CHROMEDRIVER, os.X_OK):
            raise DoctorError("chromedriver is not installed (apt-get install chromium-driver)")
        options = webdriver.ChromeOptions()
        options.binary_location = binary
        for flag in FLAGS:
            options.add_argument(flag)
        self._profile = tempfile.TemporaryDirectory(prefix="cabine-doctor-")
        options.add_argument(f"--user-data-dir={self._profile.name}")
        self._service = Service(CHROMEDRIVER)
        try:
            self.driver = await asyncio.to_thread(
                webdriver.Chrome, options=options, service=self._service
            )
        except WebDriverException as exc:
            self._profile.cleanup()
            raise DoctorError(f"headless Chromium did not start: {exc.msg}") from exc

    async def stop(self) -> None:
        if self.driver is not None:
            await asyncio.to_thread(self.driver.quit)
            self.driver = None
        process = self._service.process if self._service is not None else None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        if self._profile is not None:
            self._profile.cleanup()
            self._profile = None

    async def js(self, script: str, *args: Any) -> Any:
        return await asyncio.to_thread(self.driver.execute_script, script, *args)

    async def until(
        self, what: str, check: Callable[[], Awaitable[Any]], *, timeout: float = 20.0
    ) -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        last: Any = None
        while loop.time() < deadline:
            last = await check()
            if last:
                return last
            await asyncio.sleep(0.05)
        raise DoctorError(f"doctor page: {what} not within {timeout:.0f} s (last: {last!r})")

    async def snapshot(self) -> dict[str, Any]:
        snap: dict[str, Any] = await self.js("return window.cabine.snapshot()")
        return snap

    async def login(self, username: str, password: str) -> None:
        await asyncio.to_thread(self.driver.get, self.url + "/")
        await self.until(
            "the login form",
            lambda: self.js("return !document.getElementById('login-view').hidden"),
        )
        await self.js(
            "document.getElementById('username').value = arguments[0];"
            "document.getElementById('password').value = arguments[1];"
            "document.getElementById('login-button').click();",
            username,
            password,
        )
        await self.until(
            "the waiting room",
            lambda: self.js("return window.cabine.snapshot().view === 'room-view'"),
        )

    async def take_first_patient(self, *, timeout: float = 20.0) -> None:
        await self.until(
            "a patient in the waiting room",
            lambda: self.js("return document.querySelectorAll('#patients button.take').length"),
            timeout=timeout,
        )
        await self.js("document.querySelector('#patients button.take').click()")

    async def wait_call(self, *, timeout: float = 20.0) -> dict[str, Any]:
        async def connected() -> Any:
            snap = await self.snapshot()
            ok = (
                snap["connection"] == "connected"
                and snap["channel"] == "open"
                and snap["video"]["width"] > 0
            )
            return snap if ok else None

        result: dict[str, Any] = await self.until("the call", connected, timeout=timeout)
        return result

    async def readings_shown(self) -> int:
        count: int = await self.js("return document.querySelectorAll('#readings li').length")
        return count

    async def identity_shown(self) -> str:
        text: str = await self.js("return document.getElementById('id-name').textContent")
        return text

    async def request_measure(self, kind: str) -> None:
        await self.js(
            'document.querySelector(`button.measure[data-kind="${arguments[0]}"]`).click()',
            kind,
        )

    async def send_prescription(
        self, lines: list[dict[str, str]], *, identity: dict[str, str] | None = None
    ) -> None:
        """Fill the prescription form and send it; ``identity`` (last_name, first_name, sex,
        birth_date as YYYY-MM-DD) goes in the identity fields a card-less session shows."""
        await self.js(
            """
            const lines = arguments[0];
            const who = arguments[1];
            if (who) {
              document.getElementById('rx-last-name').value = who.last_name;
              document.getElementById('rx-first-name').value = who.first_name;
              document.getElementById('rx-sex').value = who.sex;
              document.getElementById('rx-birth').value = who.birth_date;
            }
            while (document.querySelectorAll('.rx-line').length < lines.length) {
              document.getElementById('rx-add').click();
            }
            const sets = document.querySelectorAll('.rx-line');
            lines.forEach((l, i) => {
              sets[i].querySelector('.rx-medicine').value = l.medicine;
              sets[i].querySelector('.rx-dose').value = l.dose;
              sets[i].querySelector('.rx-duration').value = l.duration;
            });
            document.getElementById('rx-send').click();
            """,
            lines,
            identity,
        )

    async def end_call(self) -> None:
        # "End", then the confirmation the page asks for
        await self.js(
            "document.getElementById('end-call').click();"
            "document.getElementById('end-confirm').click();"
        )

    async def screenshot(self, path: Path) -> None:
        await asyncio.to_thread(self.driver.save_screenshot, str(path))
