"""The stethoscope's real capture path: PyAV's libasound opening an ALSA capture PCM, declared
in a private ``ALSA_CONFIG_PATH`` and fed a synthesized heart sound by ALSA's ``file`` plugin,
opened as ``alsa://<name>`` exactly as a cabin opens ``alsa://hw:2,0``.

libasound reads its configuration once per process: each capture runs in a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest

from drivers.media import sim
from tests.helpers.cli import ROOT, kiosk_beside, run_kiosk

#: Records ``seconds`` from ``url`` in this fresh process and prints what arrived.
RECORDER = """
import json, sys
from drivers.media import capture, sim
from drivers.media_urls import MediaSourceError
url, seconds = sys.argv[1], float(sys.argv[2])
try:
    clip = capture.record(url, seconds=seconds, device="stethoscope", timeout=20)
except MediaSourceError as exc:
    print(json.dumps({"error": str(exc), "reason": str(exc.reason)}))
    raise SystemExit(0)
samples = sim.samples_of(clip.wav[44:])
print(json.dumps({
    "rate": clip.rate, "channels": clip.channels, "samples": clip.samples,
    "heart_band": sim.band_share(samples, clip.rate, 20, 200),
    "peak": max(abs(s) for s in samples),
    "tones": {str(k): v for k, v in sim.tone_levels(samples, clip.rate).items()},
}))
"""


def capture_in_fresh_process(config: Path, url: str, seconds: float) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", RECORDER, url, str(seconds)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "ALSA_CONFIG_PATH": str(config)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.fixture
def heart_pcm(tmp_path: Path) -> Path:
    raw = tmp_path / "heart.raw"
    raw.write_bytes(sim.heart_sound(3.0))
    return sim.write_alsa_config(tmp_path / "asound.conf", raw)


def test_two_seconds_of_heart_sound_arrive_through_alsa(heart_pcm: Path):
    got = capture_in_fresh_process(heart_pcm, "alsa://stethoscope", 2.0)
    assert (got["rate"], got["channels"], got["samples"]) == (48000, 1, 96000)
    assert got["peak"] > 5000  # the sound, not the null slave's silence
    assert got["heart_band"] > 0.9  # a heartbeat's energy lies in 20-200 Hz


def test_the_band_tones_arrive_within_3_db_of_each_other(tmp_path: Path):
    raw = tmp_path / "tones.raw"
    raw.write_bytes(sim.tones(2.0))
    config = sim.write_alsa_config(tmp_path / "asound.conf", raw, name="bandtest")
    got = capture_in_fresh_process(config, "alsa://bandtest", 1.0)
    levels = list(got["tones"].values())  # type: ignore[union-attr]
    assert max(levels) - min(levels) < 3.0, got["tones"]


def test_an_unknown_pcm_is_a_clear_error(heart_pcm: Path):
    got = capture_in_fresh_process(heart_pcm, "alsa://otoscope", 1.0)
    assert got["reason"] == "cannot_open"
    assert "cannot open ALSA PCM 'otoscope'" in str(got["error"])


def test_the_simulated_stethoscope_feeds_a_technicians_recording(tmp_path: Path, shm_spool):
    """``kiosk sim stethoscope`` beside, ``kiosk measure stethoscope`` as a technician runs
    them: the FIFO is fed in real time, so two seconds take about two seconds."""
    folder = tmp_path / "steth"
    with kiosk_beside("sim", "stethoscope", "--dir", str(folder), stop_timeout=5) as (proc, line):
        assert line == "simulated stethoscope: heart on ALSA PCM 'stethoscope'"
        export = proc.stdout.readline().strip()  # type: ignore[union-attr]
        assert export == f"export ALSA_CONFIG_PATH={folder / 'asound.conf'}"
        config = tmp_path / "kiosk.toml"
        config.write_text(
            f'[cabin]\nid = "c"\n[session]\nspool_dir = "{shm_spool}"\n'
            '[devices.stethoscope]\nurl = "alsa://stethoscope"\n',
            encoding="utf-8",
        )
        clip = tmp_path / "clip.wav"
        started = time.monotonic()
        done = run_kiosk(
            "measure", "stethoscope", "--seconds", "2", "--out", str(clip), "--json",
            "--config", str(config),
            env={"ALSA_CONFIG_PATH": str(folder / "asound.conf")},
        )  # fmt: skip
        took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["rate"] == 48000 and report["seconds"] == 2.0 and report["notice"] == ""
    assert took > 1.5  # paced like a device, not read as fast as a file
    with wave.open(str(clip)) as back:
        assert (back.getframerate(), back.getnchannels(), back.getnframes()) == (48000, 1, 96000)
        samples = sim.samples_of(back.readframes(96000))
    assert sim.band_share(samples, 48000, 20, 200) > 0.9
