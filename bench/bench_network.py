"""The bus santé's network: the kiosk's call to the real Chromium doctor across a veth shaped
in the kernel (``harness.shaping``: tc's token bucket, nftables' random drops and cut).

``call_weak_network``: at 300 kbit/s with a 200 ms queue and 5 % random loss, the audio
packets delivered, the video's frame rate and size at the doctor; at 64 kbit/s the voice
alone, delivered >= 95 %; then the bandwidth back, the time until the video is. One call.
``call_recovery``: the network cut 10 s then back: the time until the doctor's page decodes
the cabin's video again (goal <= 5 s), the readings lost and duplicated (goal 0 and 0).
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Any

from bench.common import entry, until
from harness.doctor import ScriptedDoctor
from harness.shaping import Shape, ShapedLink, SideLoop

ENTRIES = ("call_weak_network", "call_recovery")
UPLINK = ("cabin",)
WEAK_BUDGET = "300 kbit/s: video on, audio >= 90 %; 64 kbit/s: voice alone, audio >= 95 %"
RECOVERY_BUDGET = "cut 10 s: video again <= 5 s after the return; readings lost 0, twice 0"

#: The page's inbound audio packets and video frames (W3C getStats of the call's connection).
INBOUND_JS = """
const pc = state.pc; if (!pc) return null;
const report = await pc.getStats();
const out = {ar: 0, al: 0, vf: 0, w: 0, h: 0};
report.forEach((s) => {
  if (s.type !== "inbound-rtp") return;
  if (s.kind === "audio") { out.ar += s.packetsReceived || 0; out.al += s.packetsLost || 0; }
  if (s.kind === "video" && s.frameWidth) {
    out.vf += s.framesDecoded || 0; out.w = s.frameWidth; out.h = s.frameHeight;
  }
});
return out;
"""


async def inbound(page: ScriptedDoctor) -> dict[str, int]:
    value: dict[str, int] = await page.js(f"return (async () => {{{INBOUND_JS}}})()")
    return value


async def window(page: ScriptedDoctor, seconds: float) -> dict[str, float]:
    """Audio delivered (%), video fps and the last size over ``seconds``."""
    a = await inbound(page)
    await asyncio.sleep(seconds)
    b = await inbound(page)
    received, lost = b["ar"] - a["ar"], max(0, b["al"] - a["al"])
    return {
        "audio_pct": round(100 * received / max(1, received + lost), 2),
        "fps": round((b["vf"] - a["vf"]) / seconds, 1),
        "width": b["w"],
        "height": b["h"],
    }


def reading(value: float) -> Any:
    from kiosk.domain import DeviceInfo, Reading, ReadingKind, Unit

    return Reading(
        kind=ReadingKind.SPO2,
        unit=Unit.PERCENT,
        values={"spo2": value},
        device=DeviceInfo(id="bench-oximeter"),
        received_at=datetime.now(UTC),
    )


async def _call(page: ScriptedDoctor, cabin: SideLoop, url: str) -> Any:
    from kiosk.call import CabinCall, CallOptions, CallStatus

    options = CallOptions(
        portal_url=url, cabin_id="demo-cabin-01", token="demo-cabin-token", synthetic_media=True
    )

    async def opened() -> Any:
        call = CabinCall(options)
        await call.start()
        await until(call.link.connected.is_set, "portal link")
        await call.check_in("bench-bus")
        return call

    call = await cabin.run(opened())
    row = "tr[data-session='bench-bus'] button.take"
    await until(lambda: page.js(f'return !!document.querySelector("{row}")'), "patient")
    await page.js(f'document.querySelector("{row}").click()')
    await until(lambda: call.status is CallStatus.CONNECTED, "up", timeout=30)
    await until(lambda: page.js("return window.cabine.snapshot().stats.framesDecoded > 30"), "v")
    return call


async def _weak(page: ScriptedDoctor, link: ShapedLink) -> dict[str, Any]:
    link.set_shape(Shape(rate_kbit=300, queue_ms=200, loss_percent=5), sides=UPLINK)
    await asyncio.sleep(12)  # it settles
    at_300 = await window(page, 20)
    link.set_shape(Shape(rate_kbit=64, queue_ms=200), sides=UPLINK)
    await until(lambda: page.js("return !window.cabineNetwork().video"), "voice", timeout=60)
    await asyncio.sleep(4)
    at_64 = await window(page, 30)
    link.set_shape(Shape())
    back = time.monotonic()
    await until(
        lambda: page.js("const n = window.cabineNetwork(); return n.video && n.width > 0"),
        "video back",
        timeout=90,
    )
    return {"at_300": at_300, "at_64": at_64, "video_back_s": round(time.monotonic() - back, 1)}


async def _recovery(page: ScriptedDoctor, cabin: SideLoop, link: ShapedLink, call: Any) -> Any:
    seq = 0

    async def send(n: int) -> None:
        nonlocal seq
        for _ in range(n):
            seq += 1
            call.send_reading(reading(90 + seq / 10), seq=seq)

    await cabin.run(send(3))
    link.cut()
    await asyncio.sleep(4)
    await cabin.run(send(3))  # taken during the cut
    await asyncio.sleep(6)
    frames = (await inbound(page))["vf"]
    link.restore()
    back = time.monotonic()
    await until(lambda: inbound(page), "stats")
    while (await inbound(page))["vf"] <= frames + 5:
        if time.monotonic() - back > 60:
            raise TimeoutError("no video 60 s after the network's return")
        await asyncio.sleep(0.05)
    video_s = time.monotonic() - back
    await cabin.run(send(2))
    await asyncio.sleep(3)
    seqs = await page.js("return state.readings.map((r) => r.seq)")
    shown = await page.js("return document.querySelectorAll('#readings li').length")
    return video_s, seq - len(set(seqs)), max(len(seqs), shown) - len(set(seqs))


async def _measure() -> dict[str, Any]:
    from portal import config as portal_config
    from portal import server

    with ShapedLink() as link, link.inside("doctor"):
        running = await server.start(
            portal_config.load(portal_config.demo_path()), host="0.0.0.0", port=0
        )
        port = int(running.url.rsplit(":", 1)[1])
        page = ScriptedDoctor(f"http://127.0.0.1:{port}")
        cabin = SideLoop(link, "cabin")
        call = None
        try:
            await page.start()
            await page.login("dr-demo", "demo")
            cabin.start()
            call = await _call(page, cabin, f"http://{link.doctor_address}:{port}")
            weak = await _weak(page, link)
            video_s, lost, twice = await _recovery(page, cabin, link, call)
        finally:
            if call is not None:
                await cabin.run(call.close())
            cabin.stop()
            await page.stop()
            await running.stop()
    a300, a64 = weak["at_300"], weak["at_64"]
    return {
        "call_weak_network": {
            **entry(
                {"median": a64["audio_pct"], "p95": a64["audio_pct"], "unit": "%", "n": 1},
                None,
                budget=WEAK_BUDGET,
                met=a300["fps"] > 0 and a300["audio_pct"] >= 90 and a64["audio_pct"] >= 95,
                why="audio packets delivered at the doctor at 64 kbit/s (the voice alone)",
            ),
            "at_300_kbit": a300,
            "at_64_kbit": a64,
            "video_back_after_s": weak["video_back_s"],
        },
        "call_recovery": entry(
            {"median": round(video_s, 2), "p95": round(video_s, 2), "unit": "s", "n": 1},
            None,
            budget=RECOVERY_BUDGET,
            met=video_s <= 5.0 and lost == 0 and twice == 0,
            why=f"time to video after the return; readings lost {lost}, duplicated {twice}",
        ),
    }


def run() -> dict[str, Any]:
    return asyncio.run(_measure())
