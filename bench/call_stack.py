"""What the call benchmark's three calls share: a private network namespace, a headless
Chromium, the CPU of this process or of a browser tree, and the page-side figures of a call.

Runs in a private network namespace (loopback only, 127.0.0.2 added so aioice has a host
candidate), with Debian's headless Chromium and its fake camera as the doctor.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import resource
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.call_pages import FPS_JS, G2G_JS
from bench.common import stats, until
from harness import doctor

VIDEO_SECONDS = 8.0
CLONE_NEWNET = 0x40000000
FLAGS = doctor.HEADLESS_FLAGS


@contextlib.contextmanager
def private_network() -> Any:
    """This thread in a network namespace of its own while the block runs (root needed); its
    loopback carries 127.0.0.2 too, the host candidate aioice offers."""
    libc = ctypes.CDLL(None, use_errno=True)
    original = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    if libc.unshare(CLONE_NEWNET) != 0:
        os.close(original)
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNET): root needed")
    try:
        for cmd in (
            ["ip", "link", "set", "lo", "up"],
            ["ip", "addr", "add", "127.0.0.2/8", "dev", "lo"],
        ):
            subprocess.run(cmd, check=True, capture_output=True, timeout=10)
        yield
    finally:
        libc.setns(original, CLONE_NEWNET)
        os.close(original)


def process_cpu() -> float:
    """CPU seconds of this whole process (the kiosk's call, the portal, the bench's driver)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@contextlib.asynccontextmanager
async def chromium(*, camera_fps: int = 0) -> AsyncIterator[Any]:
    """Headless Chromium; ``camera_fps``: its fake camera's rate (Chromium's default is 20)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = next(p for p in doctor.CHROMIUM_BINARIES if os.access(p, os.X_OK))
    for flag in FLAGS:
        if camera_fps and flag == "--use-fake-device-for-media-stream":
            options.add_argument(f"{flag}=fps={camera_fps}")
        else:
            options.add_argument(flag)
    with tempfile.TemporaryDirectory(prefix="bench-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        service = Service(doctor.CHROMEDRIVER)
        driver = await asyncio.to_thread(webdriver.Chrome, options=options, service=service)
        try:
            yield driver
        finally:
            await asyncio.to_thread(driver.quit)
            if service.process is not None and service.process.poll() is None:
                service.process.kill()


def tree_cpu(pid: int) -> float:
    """CPU seconds of ``pid`` and all its descendants (a Chromium and its helpers)."""
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry_ in os.listdir("/proc"):
        if not entry_.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry_}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        child = int(entry_)
        children.setdefault(int(fields[1]), []).append(child)
        times[child] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += times.get(current, 0.0)
        todo.extend(children.get(current, []))
    return total


@dataclass
class Video:
    """What the receiving page saw over VIDEO_SECONDS, and the sender's CPU."""

    fps: list[float] = field(default_factory=list)
    sizes: list[str] = field(default_factory=list)
    cpu: float = 0.0
    g2g: list[float] = field(default_factory=list)
    g2g_bad: int = 0
    #: a Chromium sender: what it sent at the end and why it sent less (WebRTC adapts)
    sender: dict[str, Any] | None = None

    def figures(self, why_cpu: str) -> dict[str, Any]:
        out = stats(self.fps, "fps")
        out["cpu_percent_core"] = round(self.cpu, 1)
        out["cpu_is"] = why_cpu
        out["frame"] = max(set(self.sizes), key=self.sizes.count) if self.sizes else None
        if self.g2g:
            out["glass_to_glass"] = stats(self.g2g, "ms") | {"unreadable": self.g2g_bad}
        if self.sender is not None:
            out["sender"] = self.sender
        return out


async def sample_video(
    driver: Any, which: str, cpu: Callable[[], float], *, stamped: str = ""
) -> Video:
    """Browser-side fps samples over VIDEO_SECONDS and the sender's CPU in % of a core;
    glass-to-glass too when the <video> ``stamped`` receives stamped frames."""
    video = Video()
    if stamped:
        await asyncio.to_thread(driver.execute_script, G2G_JS, stamped)
    cpu0, wall0 = cpu(), time.monotonic()
    while time.monotonic() - wall0 < VIDEO_SECONDS:
        await asyncio.sleep(1.0)
        got = await asyncio.to_thread(
            driver.execute_script, f"return (async () => {{{FPS_JS}}})()", which
        )
        if got and got["fps"]:
            video.fps.append(float(got["fps"]))
            video.sizes.append(str(got["size"]))
    video.cpu = 100.0 * (cpu() - cpu0) / (time.monotonic() - wall0)
    if stamped:
        g2g = await asyncio.to_thread(
            driver.execute_script, "window.benchG2g.stop = true; return window.benchG2g"
        )
        video.g2g = [float(x) for x in g2g["samples"]]
        video.g2g_bad = int(g2g["bad"]) + int(g2g["early"])
    return video


@dataclass
class Side:
    setups: list[float] = field(default_factory=list)
    video: dict[tuple[int, int], Video] = field(default_factory=dict)
    reading_ms: list[float] = field(default_factory=list)
    #: (calls done, USS in MB, open fds) after warm-up and at the end (kiosk only)
    soak: list[tuple[int, float, int]] = field(default_factory=list)


async def poll_seen(driver: Any, key: str, timeout: float = 5.0) -> float:
    """The page's ``Date.now()`` when it showed ``key`` (``call_pages.OBSERVE_READINGS`` and
    the bare page's data channel write it in ``window.benchSeen``)."""
    seen = await until(
        lambda: asyncio.to_thread(
            driver.execute_script, "return window.benchSeen[arguments[0]]", key
        ),
        f"the page showing {key}",
        timeout=timeout,
        every=0.005,
    )
    return float(seen)
