"""Call setup and video: the kiosk's call (portal + doctor page) against bare aiortc <-> Chromium.

Runs in a private network namespace (loopback only, 127.0.0.2 added so aioice has a host
candidate), with Debian's headless Chromium and its fake camera as the doctor.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import os
import resource
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import entry, not_measured, stats

ENTRIES = ("call_setup", "video_640x480", "reading_to_doctor", "soak_calls")
CALLS = 5
SOAK_CALLS = 20
#: The allocator and codec buffers settle after ~6 calls; memory is compared from here.
SOAK_WARMUP = 10
READINGS = 10
VIDEO_SECONDS = 8.0
CLONE_NEWNET = 0x40000000
FLAGS = (
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
SETUP_BUDGET = "<= 1.4x bare aiortc <-> Chromium (~0.25 s)"
VIDEO_BUDGET = "30 fps at the browser, kiosk <= 45 % of a core"
READING_BUDGET = "<= 50 ms on the doctor's page"
SOAK_BUDGET = "20 calls in one process: memory flat (<= 0.1 MB per call), fds flat"

_BARE_ANSWER = """
const done = arguments[arguments.length - 1];
(async () => {
  const pc = new RTCPeerConnection({iceServers: []});
  window.benchPc = pc;
  const s = await navigator.mediaDevices.getUserMedia(
    {video: {width: 640, height: 480}, audio: true});
  s.getTracks().forEach((t) => pc.addTrack(t, s));
  window.benchSeen = {};
  pc.ondatachannel = (e) => {
    e.channel.onmessage = (m) => { window.benchSeen[m.data] = Date.now(); };
  };
  pc.ontrack = (e) => {
    const v = document.getElementById('v');
    if (!v.srcObject) v.srcObject = new MediaStream();
    v.srcObject.addTrack(e.track);
  };
  await pc.setRemoteDescription({type: 'offer', sdp: arguments[0]});
  await pc.setLocalDescription(await pc.createAnswer());
  await new Promise((r) => {
    if (pc.iceGatheringState === 'complete') r();
    pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r();
    setTimeout(r, 3000);
  });
  done(pc.localDescription.sdp);
})().catch((e) => done('ERROR ' + e));
"""

_FPS_JS = """
const pc = arguments[0] === 'bare' ? window.benchPc : state.pc;
if (!pc) return 0;
let fps = 0;
(await pc.getStats()).forEach((r) => {
  if (r.type === 'inbound-rtp' && r.kind === 'video') fps = r.framesPerSecond || 0;
});
return fps;
"""


@contextlib.contextmanager
def _netns() -> Any:
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


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _until(check: Callable[[], Any], what: str, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = await check()
        if value:
            return value
        await asyncio.sleep(0.02)
    raise TimeoutError(f"{what} not within {timeout} s")


@contextlib.asynccontextmanager
async def _browser() -> AsyncIterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = next(
        p for p in ("/usr/lib/chromium/chromium", "/usr/bin/chromium") if os.access(p, os.X_OK)
    )
    for flag in FLAGS:
        options.add_argument(flag)
    with tempfile.TemporaryDirectory(prefix="bench-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        service = Service("/usr/bin/chromedriver")
        driver = await asyncio.to_thread(webdriver.Chrome, options=options, service=service)
        try:
            yield driver
        finally:
            await asyncio.to_thread(driver.quit)
            if service.process is not None and service.process.poll() is None:
                service.process.kill()


async def _fps_and_cpu(driver: Any, which: str) -> tuple[list[float], float]:
    """Browser-side fps samples over VIDEO_SECONDS, and this process's CPU in % of a core."""
    samples: list[float] = []
    cpu0, wall0 = _cpu(), time.monotonic()
    while time.monotonic() - wall0 < VIDEO_SECONDS:
        await asyncio.sleep(1.0)
        fps = await asyncio.to_thread(
            driver.execute_script, f"return (async () => {{{_FPS_JS}}})()", which
        )
        if fps:
            samples.append(float(fps))
    return samples, 100.0 * (_cpu() - cpu0) / (time.monotonic() - wall0)


@dataclass
class Side:
    setups: list[float] = field(default_factory=list)
    fps: list[float] = field(default_factory=list)
    cpu: float = 0.0
    reading_ms: list[float] = field(default_factory=list)
    #: (calls done, USS in MB, open fds) after warm-up and at the end (kiosk only)
    soak: list[tuple[int, float, int]] = field(default_factory=list)


def _uss_mb() -> float:
    """Unique set size of this process (its own pages, counted once)."""
    rollup = Path("/proc/self/smaps_rollup").read_text()
    kb = 0
    for line in rollup.splitlines():
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            kb += int(line.split()[1])
    return kb / 1024


def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


async def _poll_seen(driver: Any, key: str, timeout: float = 5.0) -> float:
    """The page's ``Date.now()`` when it showed ``key`` (see the observers below)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen = await asyncio.to_thread(
            driver.execute_script, "return window.benchSeen[arguments[0]]", key
        )
        if seen:
            return float(seen)
        await asyncio.sleep(0.005)
    raise TimeoutError(f"page never showed {key}")


async def _bare(driver: Any, url: str) -> Side:
    from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
    from aiortc.mediastreams import AudioStreamTrack, MediaStreamError, VideoStreamTrack

    side = Side()
    for i in range(CALLS):
        await asyncio.to_thread(driver.get, f"{url}/bare")
        pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        pc.addTrack(VideoStreamTrack())
        pc.addTrack(AudioStreamTrack())
        channel = pc.createDataChannel("bench")
        first = asyncio.get_running_loop().create_future()

        async def consume(track: Any, first: asyncio.Future[float] = first) -> None:
            while True:
                try:
                    await track.recv()
                except MediaStreamError:
                    return
                if track.kind == "video" and not first.done():
                    first.set_result(time.monotonic())

        tasks: list[asyncio.Task[None]] = []
        pc.on("track", lambda t, tasks=tasks: tasks.append(asyncio.ensure_future(consume(t))))
        await pc.setLocalDescription(await pc.createOffer())
        start = time.monotonic()
        answer = await asyncio.to_thread(
            driver.execute_async_script, _BARE_ANSWER, pc.localDescription.sdp
        )
        if answer.startswith("ERROR"):
            raise RuntimeError(f"bare page: {answer}")
        await pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
        side.setups.append(await asyncio.wait_for(first, 20) - start)
        if i == CALLS - 1:
            await _until(
                lambda channel=channel: asyncio.sleep(0, channel.readyState == "open"), "channel"
            )
            for n in range(READINGS):
                key = f"r{n}"
                sent = time.time() * 1000
                channel.send(key)
                side.reading_ms.append(await _poll_seen(driver, key) - sent)
            side.fps, side.cpu = await _fps_and_cpu(driver, "bare")
        await pc.close()
        for task in tasks:
            task.cancel()
    return side


_OBSERVE_READINGS = """
window.benchSeen = {};
new MutationObserver(() => {
  const now = Date.now();
  for (const li of document.querySelectorAll('#readings li .value')) {
    const m = li.textContent.match(/spo2 ([0-9.]+)/);
    if (m && !(m[1] in window.benchSeen)) window.benchSeen[m[1]] = now;
  }
}).observe(document.getElementById('readings'), {childList: true});
"""


async def _kiosk(driver: Any, portal_url: str) -> Side:
    from datetime import UTC, datetime

    from kiosk.call import CabinCall, CallOptions, CallStatus
    from kiosk.domain import DeviceInfo, Reading, ReadingKind, Unit

    options = CallOptions(
        portal_url=portal_url,
        cabin_id="demo-cabin-01",
        token="demo-cabin-token",
        synthetic_media=True,
    )
    call = CabinCall(options)
    await call.start()
    side = Side()
    js = lambda script: asyncio.to_thread(driver.execute_script, script)  # noqa: E731
    try:
        await _until(lambda: asyncio.sleep(0, call.link.connected.is_set()), "portal link")
        await asyncio.to_thread(driver.get, portal_url + "/")
        await _until(
            lambda: js("return !document.getElementById('login-view').hidden"), "login form"
        )
        await js(
            "document.getElementById('username').value = 'dr-demo';"
            "document.getElementById('password').value = 'demo';"
            "document.getElementById('login-button').click();"
        )
        await _until(lambda: js("return window.cabine.snapshot().view === 'room-view'"), "room")
        await js(_OBSERVE_READINGS)
        for i in range(SOAK_CALLS):
            session = f"bench-{i}"
            await call.check_in(session)
            row = f"tr[data-session='{session}'] button.take"
            await _until(lambda row=row: js(f'return !!document.querySelector("{row}")'), "patient")
            await js(f'document.querySelector("{row}").click()')
            await _until(lambda: asyncio.sleep(0, call.stats.first_remote_video_at), "first frame")
            if i < CALLS:
                side.setups.append(call.stats.first_remote_video_at - call.stats.offer_sent_at)
            if i == CALLS - 1:
                await _until(lambda: asyncio.sleep(0, call.status is CallStatus.CONNECTED), "up")
                await _until(lambda: js("return window.cabine.snapshot().channel === 'open'"), "dc")
                for n in range(READINGS):
                    value = round(90 + n / 10, 1)
                    reading = Reading(
                        kind=ReadingKind.SPO2,
                        unit=Unit.PERCENT,
                        values={"spo2": value},
                        device=DeviceInfo(id="bench-oximeter"),
                        received_at=datetime.now(UTC),
                    )
                    sent = time.time() * 1000
                    call.send_reading(reading)
                    shown = await _poll_seen(driver, format(value, "g"))  # as JS prints it
                    side.reading_ms.append(shown - sent)
                side.fps, side.cpu = await _fps_and_cpu(driver, "kiosk")
            await js("document.getElementById('end-call').click()")
            await _until(lambda: asyncio.sleep(0, call.status is CallStatus.ENDED), "end")
            await call.check_out()
            await _until(lambda: js("return window.cabine.snapshot().view === 'room-view'"), "room")
            if i + 1 in (SOAK_WARMUP, SOAK_CALLS):
                gc.collect()
                side.soak.append((i + 1, _uss_mb(), _fds()))
    finally:
        await call.close()
    return side


async def _measure() -> dict[str, Any]:
    from aiohttp import web

    from portal import config as portal_config
    from portal import server

    bare_app = web.Application()

    async def bare_page(request: web.Request) -> web.Response:
        return web.Response(
            text="<!doctype html><video id=v autoplay muted></video>", content_type="text/html"
        )

    bare_app.router.add_get("/bare", bare_page)
    bare_runner = web.AppRunner(bare_app, access_log=None)
    await bare_runner.setup()
    bare_site = web.TCPSite(bare_runner, "127.0.0.1", 0)
    await bare_site.start()
    bare_port = bare_site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    bare_url = f"http://127.0.0.1:{bare_port}"
    running = await server.start(
        portal_config.load(portal_config.demo_path()), host="127.0.0.1", port=0
    )
    try:
        async with _browser() as driver:
            bare = await _bare(driver, bare_url)
            kiosk = await _kiosk(driver, running.url)
    finally:
        await running.stop()
        await bare_runner.cleanup()
    k_setup, b_setup = stats(kiosk.setups, "s"), stats(bare.setups, "s")
    out: dict[str, Any] = {
        "call_setup": entry(
            k_setup,
            b_setup,
            budget=SETUP_BUDGET,
            met=k_setup["median"] <= 1.4 * b_setup["median"],
        )
    }
    if kiosk.fps and bare.fps:
        k_fps, b_fps = stats(kiosk.fps, "fps"), stats(bare.fps, "fps")
        k_fps["cpu_percent_core"] = round(kiosk.cpu, 1)
        b_fps["cpu_percent_core"] = round(bare.cpu, 1)
        out["video_640x480"] = entry(
            k_fps,
            b_fps,
            budget=VIDEO_BUDGET,
            met=k_fps["median"] >= 29 and kiosk.cpu <= 45.0,
            why="CPU is this whole process (kiosk call + portal + test driver)",
        )
    else:
        out["video_640x480"] = not_measured(VIDEO_BUDGET, "the browser reported no frame rate")
    k_read, b_read = stats(kiosk.reading_ms, "ms"), stats(bare.reading_ms, "ms")
    out["reading_to_doctor"] = entry(
        k_read,
        b_read,
        budget=READING_BUDGET,
        met=k_read["median"] <= 50.0,
        why="from send_reading() to the reading in the page's DOM; bare: a raw data-channel text",
    )
    (warm_calls, warm_mb, warm_fds), (end_calls, end_mb, end_fds) = kiosk.soak
    per_call = (end_mb - warm_mb) / (end_calls - warm_calls)
    out["soak_calls"] = entry(
        {"median": round(per_call, 4), "p95": round(per_call, 4), "unit": "MB", "n": end_calls},
        None,
        budget=SOAK_BUDGET,
        met=per_call <= 0.1 and end_fds <= warm_fds + 2,
        why=(
            f"USS {warm_mb:.1f} MB after {warm_calls} calls, {end_mb:.1f} MB after {end_calls}; "
            f"fds {warm_fds} -> {end_fds}"
        ),
    )
    return out


def run() -> dict[str, Any]:
    with _netns():
        return asyncio.run(_measure())


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
