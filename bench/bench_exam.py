"""The exam instruments (issue 22): ``still_delivery``, a 1920×1080 still of the exam camera
from the doctor's click to shown on the page (the cabin grabs the JPEG, sends it in pieces on
the data channel, the page puts it together): goal ≤ 1.5 s; ``stethoscope_band``, tones of
50, 120, 400 and 900 Hz at one level in the stethoscope source, measured in the doctor's
Chromium by a WebAudio AnalyserNode: each within 3 dB of the others; ``exam_video``
(:mod:`bench.exam_video`), the exam camera at 1280×720, the face camera and the stethoscope at
once: fps at the doctor and the kiosk's CPU beside a bare aiortc sender, goal ≤ 80 % of a core.

A real cabin call (aiortc, the exam camera a ``lavfi:`` 1920×1080 test card, switched on as a
doctor would) to the demo portal and the doctor's page in headless Chromium, in a private
network namespace (root), as ``bench_call``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bench.call_stack import chromium, private_network
from bench.common import entry, stats, until

ENTRIES = ("still_delivery", "stethoscope_band", "exam_video")
STILLS = 10
BUDGET = "≤ 1.5 s from the doctor's click to the still on the page (1920×1080)"
CAMERA = "lavfi:testsrc2=size=1920x1080:rate=30?size=1920x1080&fps=30"
TONES_HZ = (50, 120, 400, 900)
TONES = (
    "lavfi:aevalsrc=exprs="
    + "+".join(f"0.2*sin(2*PI*{f}*t)" for f in TONES_HZ)
    + ":s=48000?rate=48000&channels=1"
)
#: Each tone's level (dB) in the page's analyser, averaged over 4 s of the stethoscope.
BAND_JS = """
const done = arguments[arguments.length - 1];
const a = exam.audio, an = a.ctx.createAnalyser();
an.fftSize = 32768; an.smoothingTimeConstant = 0;
a.source.connect(an);
const bins = new Float32Array(an.frequencyBinCount), freqs = arguments[0];
const sums = freqs.map(() => 0);
let n = 0;
const tick = () => {
  an.getFloatFrequencyData(bins);
  freqs.forEach((f, i) => {
    const b = Math.round(f * an.fftSize / a.ctx.sampleRate);
    let m = -Infinity;
    for (let k = b - 3; k <= b + 3; k++) m = Math.max(m, bins[k]);
    sums[i] += m;
  });
  if (++n < 20) { setTimeout(tick, 200); return; }
  a.source.disconnect(an);
  done(sums.map((s) => s / n));
};
setTimeout(tick, 1500);
"""


async def _measure() -> dict[str, Any]:
    from harness.doctor import ScriptedDoctor
    from kiosk.call import CabinCall, CallOptions
    from kiosk.call.exam import ExamInstruments
    from portal import config as portal_config
    from portal import server

    running = await server.start(
        portal_config.load(portal_config.demo_path()), host="127.0.0.1", port=0
    )
    try:
        async with chromium() as driver:
            page = ScriptedDoctor(running.url)
            page.driver = driver
            js = page.js
            options = CallOptions(
                portal_url=page.url,
                cabin_id="demo-cabin-01",
                token="demo-cabin-token",
                synthetic_media=True,
            )
            instruments = {"exam_camera": CAMERA, "stethoscope": TONES}
            call = CabinCall(options, exam=ExamInstruments(instruments))
            await call.start()
            try:
                await until(call.link.connected.is_set, "portal link")
                await page.login("dr-demo", "demo")
                await call.check_in("bench-exam")
                row = "tr[data-session='bench-exam'] button.take"
                await until(lambda: js(f'return !!document.querySelector("{row}")'), "patient")
                await js(f'document.querySelector("{row}").click()')
                await until(lambda: js("return window.cabine.snapshot().channel === 'open'"),
                            "data channel", timeout=30)  # fmt: skip
                await until(lambda: js("return !document.getElementById('exam-camera-switch')"
                                       ".disabled"), "the exam switch")  # fmt: skip
                await js("document.getElementById('exam-camera-switch').click()")
                camera_on = "const s = window.cabine.exam().states.exam_camera; return !!s && s.on"
                await until(lambda: js(camera_on), "exam camera on", timeout=30)
                await until(lambda: js("return document.getElementById('exam-video')"
                                       ".videoWidth > 0"), "exam picture", timeout=30)  # fmt: skip
                times: list[float] = []
                for n in range(1, STILLS + 1):
                    await until(lambda: js("return !document.getElementById('exam-still')"
                                           ".disabled"), "still button")  # fmt: skip
                    await js("document.getElementById('exam-still').click()")
                    arrived = f"return window.cabine.exam().stills.length >= {n}"
                    await until(lambda: js(arrived), "still", timeout=20)  # noqa: B023 (awaited here)
                    still = (await js("return window.cabine.exam().stills"))[-1]
                    if (still["w"], still["h"]) != (1920, 1080):
                        raise RuntimeError(f"a still of {still['w']}x{still['h']}")
                    times.append(still["ms"] / 1000)
                    await asyncio.sleep(0.2)
                await js("document.getElementById('exam-steth-switch').click()")
                steth_on = "const s = window.cabine.exam().states.stethoscope; return !!s && s.on"
                await until(lambda: js(steth_on), "stethoscope on", timeout=30)
                await until(lambda: js("return window.cabine.exam().audio === 'running'"), "audio")
                driver.set_script_timeout(30)
                levels = await asyncio.to_thread(driver.execute_async_script, BAND_JS, TONES_HZ)
            finally:
                await call.close()
    finally:
        await running.stop()
    got = stats(times, "s")
    spread = round(max(levels) - min(levels), 2)
    band = {"median": spread, "p95": spread, "unit": "dB", "n": len(levels)}
    shown = ", ".join(f"{f} Hz {v:.1f} dB" for f, v in zip(TONES_HZ, levels, strict=True))
    return {
        "stethoscope_band": entry(
            band,
            None,
            budget="each tone within 3 dB of the others",
            met=spread <= 3.0,
            why=f"largest minus smallest level in the doctor's AnalyserNode: {shown}",
        ),
        "still_delivery": entry(
            got,
            None,
            budget=BUDGET,
            met=got["median"] <= 1.5,
            why=(
                "page-side: the click on 'take a still' to the JPEG's <img> in the page; "
                "the exam camera on (the frame being sent is encoded at full size)"
            ),
        ),
    }


def run() -> dict[str, Any]:
    from bench import exam_video

    with private_network():
        out = asyncio.run(_measure())
    with private_network():
        out.update(asyncio.run(exam_video.measure()))
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
