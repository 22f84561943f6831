"""The exam instruments' simulator: heart and lung sounds and test tones fed to a real ALSA
capture PCM, and a camera as a ``lavfi:`` URL, for tests, the demo and technicians.

The kernel here has no ``snd-aloop``: :func:`alsa_config` writes a private ALSA configuration
(named by ``ALSA_CONFIG_PATH``, read once when libasound loads) declaring a capture PCM of
ALSA's ``file`` plugin whose samples come from a raw file or a FIFO. The kiosk then opens it as
``alsa://<name>``, exactly as it opens ``alsa://hw:2,0`` in a cabin. :class:`FifoFeeder` keeps
a FIFO fed in real time, so the PCM delivers 48,000 samples a second like a stethoscope.
"""

from __future__ import annotations

import cmath
import logging
import math
import os
import random
import stat
import sys
import threading
import time
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path

log = logging.getLogger(__name__)

RATE = 48000
#: The band test's tones (Hz): heart sounds lie in 20-200 Hz, lung sounds up to ~1,000 Hz.
BAND_TONES = (50.0, 120.0, 400.0, 900.0)
#: The default name of the simulated stethoscope's PCM.
PCM_NAME = "stethoscope"
#: The system's ALSA configuration, included first so ``default`` and ``hw:`` still resolve.
SYSTEM_ALSA_CONF = Path("/usr/share/alsa/alsa.conf")
SOUNDS = ("heart", "lungs", "tones")


def _pack(values: Iterable[float]) -> bytes:
    clipped = array("h", (max(-32767, min(32767, round(v))) for v in values))
    if sys.byteorder != "little":  # pragma: no cover - the cabin PCs are little-endian
        clipped.byteswap()
    return clipped.tobytes()


def heart_sound(seconds: float, *, rate: int = RATE, bpm: float = 72.0) -> bytes:
    """A synthetic heartbeat (S1 "lub" 30-60 Hz, S2 "dub" 60-150 Hz, damped bursts), 16-bit
    mono: nearly all its energy lies in 20-200 Hz, as a real one's does."""
    period = 60.0 / bpm
    total = int(seconds * rate)
    out = [0.0] * total
    bursts = (
        (0.0, 0.10, ((45.0, 9000.0), (90.0, 3000.0))),
        (0.30, 0.08, ((75.0, 7000.0), (140.0, 2500.0))),
    )
    beat = 0.0
    while beat < seconds:
        for offset, length, partials in bursts:
            start = int((beat + offset) * rate)
            n = int(length * rate)
            for i in range(n):
                if start + i >= total:
                    break
                t = i / rate
                envelope = math.sin(math.pi * i / n) ** 2
                out[start + i] += envelope * sum(
                    a * math.sin(2 * math.pi * f * t) for f, a in partials
                )
        beat += period
    return _pack(out)


def lung_sound(
    seconds: float, *, rate: int = RATE, seed: int = 7, breaths_per_min: float = 15.0
) -> bytes:
    """Synthetic vesicular breath sounds: noise low-passed near 600 Hz, louder on the way in."""
    rng = random.Random(seed)
    total = int(seconds * rate)
    cycle = 60.0 / breaths_per_min
    alpha = 1 - math.exp(-2 * math.pi * 600 / rate)
    low = high = 0.0
    out = []
    for i in range(total):
        phase = (i / rate) % cycle / cycle
        loudness = (
            0.9 * math.sin(math.pi * phase / 0.4)
            if phase < 0.4
            else 0.3 * math.sin(math.pi * (phase - 0.4) / 0.6)
        )
        low += alpha * (rng.uniform(-1, 1) - low)
        high += 0.02 * (low - high)  # removes what lies below ~100 Hz
        out.append(12000 * loudness * (low - high))
    return _pack(out)


def tones(
    seconds: float, *, rate: int = RATE, freqs: Sequence[float] = BAND_TONES, level: float = 6000.0
) -> bytes:
    """The band test: ``freqs`` at one level each, summed (each stays a clean peak)."""
    total = int(seconds * rate)
    steps = [2 * math.pi * f / rate for f in freqs]
    return _pack(level * sum(math.sin(s * i) for s in steps) for i in range(total))


def sound(name: str, seconds: float, *, rate: int = RATE) -> bytes:
    """One of :data:`SOUNDS` as 16-bit mono samples."""
    if name == "heart":
        return heart_sound(seconds, rate=rate)
    if name == "lungs":
        return lung_sound(seconds, rate=rate)
    if name == "tones":
        return tones(seconds, rate=rate)
    raise ValueError(f"no sound named {name!r} (known: {', '.join(SOUNDS)})")


def alsa_config(
    infile: str | os.PathLike[str], *, name: str = PCM_NAME, include_system: bool = True
) -> str:
    """A private ALSA configuration declaring the capture PCM ``name`` whose samples (16-bit
    mono, at whatever rate is asked: 48 kHz) are read from ``infile`` (raw file or FIFO)."""
    if not name.replace("_", "").replace("-", "").isalnum():
        raise ValueError(f"{name!r} is not a plain PCM name")
    path = str(infile)
    if '"' in path or "\\" in path or "\n" in path:
        raise ValueError("the infile path may not hold quotes, backslashes or newlines")
    lines = [f"<{SYSTEM_ALSA_CONF}>"] if include_system and SYSTEM_ALSA_CONF.is_file() else []
    lines += [
        f"# Cabine's simulated stethoscope: open it as alsa://{name}",
        f"pcm.{name} {{",
        "    type file",
        "    slave.pcm { type null }",
        '    file "/dev/null"',
        f'    infile "{path}"',
        '    format "raw"',
        "}",
        "",
    ]
    return "\n".join(lines)


def write_alsa_config(
    path: str | os.PathLike[str], infile: str | os.PathLike[str], *, name: str = PCM_NAME
) -> Path:
    """Write :func:`alsa_config` to ``path``; export ``ALSA_CONFIG_PATH=path`` for the
    process that opens the PCM (before it loads libasound)."""
    target = Path(path)
    target.write_text(alsa_config(infile, name=name), encoding="ascii")
    return target


class FifoFeeder:
    """Feeds ``pcm`` (16-bit mono samples at ``rate``) into the FIFO ``path`` in real time, in
    a loop, on the thread ``stethoscope-sim``; a reader that goes away is waited for again."""

    def __init__(
        self, path: str | os.PathLike[str], pcm: bytes, *, rate: int = RATE, chunk_s: float = 0.02
    ) -> None:
        if not pcm:
            raise ValueError("nothing to feed")
        self.path, self.pcm, self.rate = Path(path), pcm, rate
        self.chunk = max(2, int(rate * chunk_s) * 2)
        self.readers = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self.path.exists() and not stat.S_ISFIFO(self.path.stat().st_mode):
            raise ValueError(f"{self.path} exists and is not a FIFO")
        if not self.path.exists():
            os.mkfifo(self.path, 0o600)
        self._thread = threading.Thread(target=self._run, name="stethoscope-sim", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        try:  # a writer blocked in open() waits for a reader: be that reader, briefly
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
            os.close(fd)
        except OSError:
            pass
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with open(self.path, "wb", buffering=0) as fifo:
                    if self._stop.is_set():
                        return
                    self.readers += 1
                    self._feed(fifo)
            except (BrokenPipeError, ConnectionResetError):
                log.debug("stethoscope sim: the reader went away")
            except OSError as exc:
                log.warning("stethoscope sim: %s", type(exc).__name__)
                self._stop.wait(0.5)

    def _feed(self, fifo: object) -> None:
        started = time.monotonic()
        sent = 0
        position = 0
        while not self._stop.is_set():
            piece = self.pcm[position : position + self.chunk]
            position = (position + len(piece)) % len(self.pcm)
            fifo.write(piece)  # type: ignore[attr-defined]
            sent += len(piece) // 2
            ahead = started + sent / self.rate - time.monotonic()
            if ahead > 0:
                self._stop.wait(ahead)


def camera_url(
    *, offer: tuple[int, int] = (1920, 1080), ask: tuple[int, int] | None = None, fps: int = 30
) -> str:
    """A ``lavfi:`` exam camera giving ``offer`` at ``fps`` (a moving test card with a clock);
    ``ask``: the size the URL asks for, to play a camera that does not offer it."""
    url = f"lavfi:testsrc2=size={offer[0]}x{offer[1]}:rate={fps}"
    wanted = ask or offer
    return f"{url}?size={wanted[0]}x{wanted[1]}&fps={fps}"


# -- what arrived: small spectral measures, no numpy on a cabin -------------------------------


def samples_of(pcm: bytes) -> list[int]:
    """16-bit little-endian mono samples."""
    values = array("h")
    values.frombytes(pcm[: len(pcm) // 2 * 2])
    return list(values)


def _decimate(samples: Sequence[float], rate: int, target: int) -> tuple[list[float], int]:
    step = max(1, rate // target)
    return [
        sum(samples[i : i + step]) / step for i in range(0, len(samples) - step + 1, step)
    ], rate // step


def _power(samples: Sequence[float], rate: int, freq: float) -> float:
    """|X(f)|² of ``samples`` by Goertzel."""
    w = 2 * math.pi * freq / rate
    coeff = 2 * math.cos(w)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + coeff * s1 - s2, s1
    return abs(s1 - cmath.exp(-1j * w) * s2) ** 2


def band_share(samples: Sequence[int], rate: int, low: float, high: float) -> float:
    """The share of the signal's energy between ``low`` and ``high`` Hz (0..1; Parseval over
    the DFT's bins, after averaging down to 2 kHz: meant for content below ~800 Hz)."""
    small, small_rate = _decimate(samples, rate, 2000)
    n = len(small)
    if n < 2:
        return 0.0
    mean = sum(small) / n
    centred = [x - mean for x in small]
    total = sum(x * x for x in centred)
    if total <= 0:
        return 0.0
    k_low, k_high = math.ceil(low * n / small_rate), math.floor(high * n / small_rate)
    band = sum(
        _power(centred, small_rate, k * small_rate / n) for k in range(max(1, k_low), k_high + 1)
    )
    return min(1.0, 2 * band / (n * total))


def tone_levels(
    samples: Sequence[int], rate: int, freqs: Sequence[float] = BAND_TONES
) -> dict[float, float]:
    """Each tone's level in dB (relative, comparable with each other)."""
    n = len(samples)
    return {
        f: 10 * math.log10(max(_power(samples, rate, f), 1e-12) / max(n, 1) ** 2) for f in freqs
    }
