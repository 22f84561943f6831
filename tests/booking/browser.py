"""The booking site in a real headless Chromium: keys pressed as a person would (Tab, Enter,
Space and typed characters only), pages measured for horizontal scrolling, axe-core run."""

from __future__ import annotations

from typing import Any

from tests.portal.conftest import DoctorPage

FOCUSED = """const e = document.activeElement;
return e ? e.matches(arguments[0]) : false"""


async def press(page: DoctorPage, *keys: str) -> None:
    """Keys sent to whatever has the focus (ActionChains: no element is clicked)."""
    from selenium.webdriver.common.action_chains import ActionChains

    def send() -> None:
        ActionChains(page.driver).send_keys(*keys).perform()

    await page.run(send)


async def tab_to(page: DoctorPage, css: str, *, limit: int = 80) -> None:
    """Tab until the focus is on ``css`` (as a keyboard user would), failing past ``limit``."""
    from selenium.webdriver.common.keys import Keys

    for _ in range(limit):
        if await page.js(FOCUSED, css):
            return
        await press(page, Keys.TAB)
    where = await page.js("return document.activeElement && document.activeElement.outerHTML")
    raise AssertionError(f"{css} not reached by Tab in {limit} presses (at {where})")


async def activate(page: DoctorPage, css: str, key: str = "enter") -> None:
    """Tab to ``css`` and press Enter (links, buttons) or Space (radios, buttons)."""
    from selenium.webdriver.common.keys import Keys

    await tab_to(page, css)
    await press(page, Keys.ENTER if key == "enter" else Keys.SPACE)


async def type_in(page: DoctorPage, css: str, text: str) -> None:
    await tab_to(page, css)
    await press(page, text)


async def wait_path(page: DoctorPage, part: str) -> str:
    url: str = await page.until(
        f"a page at {part}",
        lambda: page.js(
            "return document.readyState === 'complete' && location.href.includes(arguments[0])"
            " ? location.href : ''",
            part,
        ),
    )
    return url


async def viewport(page: DoctorPage, width: int, height: int, scale: float = 1.0) -> None:
    """The page laid out ``width`` CSS pixels wide (scale 2 at 640: a 1280 window at 200 %)."""
    await page.run(
        page.driver.execute_cdp_cmd,
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": False},
    )


async def horizontal_overflow(page: DoctorPage) -> dict[str, Any] | None:
    """None when the page does not scroll sideways; else its widths and the widest element."""
    found: dict[str, Any] | None = await page.js(
        """const s = document.scrollingElement;
        if (s.scrollWidth <= s.clientWidth) return null;
        let widest = null;
        for (const e of document.querySelectorAll('body *')) {
          const r = e.getBoundingClientRect();
          if (r.right > s.clientWidth + 1 || r.left < -1) { widest = e.outerHTML.slice(0, 160); break; }
        }
        return {scroll: s.scrollWidth, client: s.clientWidth, widest};"""
    )
    return found
