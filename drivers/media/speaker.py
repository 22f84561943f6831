"""The cabin's loudspeaker: the doctor's audio frames played on an ALSA PCM through PyAV's
libavdevice muxer, from a worker thread that never holds the call up."""

from __future__ import annotations

import collections
import logging
import os
import threading
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

log = logging.getLogger(__name__)

#: Frames waiting to be played (20 ms each): beyond, the oldest are dropped, so a stuck
#: device costs at most this much memory and delay.
QUEUE_FRAMES = 25
#: Where Debian keeps libasound's configuration. PyAV's wheels bundle a libasound built to
#: read it from a build directory that does not exist on a cabin: without this, no PCM
#: opens, not even ``default``.
ALSA_CONFIG_DIR = Path("/usr/share/alsa")
#: PCM names that need a sound card (the others, ``null`` or a PCM of a custom
#: ``ALSA_CONFIG_PATH``, do not).
CARD_PCMS = ("default", "sysdefault", "hw", "plughw", "front", "dmix")
_END, _CLOSE = "end", "close"


def alsa_environment() -> None:
    """Point PyAV's libasound at the system's ALSA configuration, unless the environment
    already says where it is. libasound reads it once per process: call before any ALSA
    device opens."""
    if "ALSA_CONFIG_DIR" not in os.environ and (ALSA_CONFIG_DIR / "alsa.conf").is_file():
        os.environ["ALSA_CONFIG_DIR"] = str(ALSA_CONFIG_DIR)


def sound_cards(cards: Path = Path("/proc/asound/cards")) -> bool:
    """Whether the kernel has any sound card (no ``/proc/asound``: none)."""
    try:
        text = cards.read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return bool(text.strip()) and "no soundcards" not in text


class Speaker:
    """Plays audio frames on the ALSA PCM ``device`` (``default``, ``plughw:CARD=PCH``...).

    :meth:`play` never blocks: frames go through a bounded queue to the thread ``speaker``,
    which opens the device on the first frame after each :meth:`end` and writes in 16-bit
    samples at the first frame's rate and layout (later frames resampled to it). A device
    that cannot open or write is logged once, its frames are dropped and the caller goes on;
    the next run (after :meth:`end`) tries again. :attr:`problem` says what went wrong last.
    """

    def __init__(self, device: str = "default", *, queue_frames: int = QUEUE_FRAMES) -> None:
        if not device:
            raise ValueError("a speaker needs an ALSA device name")
        alsa_environment()
        self.device = device
        self.played = 0
        self.dropped = 0
        #: Why the device does not play ("" while it does, or has not been tried).
        self.problem = ""
        #: While set (:meth:`mute`), frames are not played: the stethoscope is on, and no
        #: sound may reach its chest piece.
        self.muted = False
        self._queue: collections.deque[Any] = collections.deque()
        self._max = max(1, queue_frames)
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._warned = False
        self._busy = False

    # -- the caller's side (the event loop) ----------------------------------------------

    def play(self, frame: av.AudioFrame) -> None:
        """Queue ``frame`` to be played; drops the oldest queued frame when full, and any
        frame while :attr:`muted`."""
        with self._ready:
            if self._closed or self.muted:
                return
            frames = sum(1 for item in self._queue if not isinstance(item, str))
            if frames >= self._max:
                for item in self._queue:
                    if not isinstance(item, str):
                        self._queue.remove(item)
                        self.dropped += 1
                        break
            self._queue.append(frame)
            self._ready.notify()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="speaker", daemon=True)
                self._thread.start()

    def mute(self, muted: bool) -> None:
        """Stop playing (the frames queued are dropped at once), or play again."""
        with self._ready:
            self.muted = muted
            if muted:
                kept = [item for item in self._queue if isinstance(item, str)]
                self.dropped += len(self._queue) - len(kept)
                self._queue.clear()
                self._queue.extend(kept)

    def end(self) -> None:
        """The call (or this peer connection) ended: play what is queued, then release the
        device; the next frame opens it again."""
        with self._ready:
            if self._thread is not None and not self._closed:
                self._queue.append(_END)
                self._ready.notify()

    def close(self, timeout: float = 2.0) -> None:
        """Release the device and stop the thread (waits at most ``timeout`` seconds)."""
        with self._ready:
            self._closed = True
            self._queue.append(_CLOSE)
            self._ready.notify()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def idle(self) -> bool:
        """Whether everything queued has been handled (for tests and the bench)."""
        with self._ready:
            return not self._queue and not self._busy

    # -- the thread ``speaker`` ------------------------------------------------------------

    def _run(self) -> None:
        output: _Output | None = None
        failed = False
        while True:
            with self._ready:
                while not self._queue:
                    self._busy = False
                    self._ready.wait()
                item = self._queue.popleft()
                self._busy = True
            if isinstance(item, str):
                if output is not None:
                    self._safely(output.close)
                output, failed = None, False
                if item == _CLOSE:
                    with self._ready:
                        self._queue.clear()
                        self._busy = False
                    return
                continue
            if failed:
                self.dropped += 1
                continue
            try:
                if output is None:
                    output = self._open(item)
                output.write(item)
                self.played += 1
                self.problem = ""
            except (OSError, av.FFmpegError, ValueError) as exc:
                self._failed(exc)
                if output is not None:
                    self._safely(output.close)
                output, failed = None, True
                self.dropped += 1

    def _open(self, frame: av.AudioFrame) -> _Output:
        if self.device.split(":", 1)[0] in CARD_PCMS and not sound_cards():
            raise OSError("no sound card")
        return _Output(self.device, frame)

    def _failed(self, exc: BaseException) -> None:
        # content-free: the device and the error's kind, never a sample
        self.problem = str(exc) if str(exc) == "no sound card" else type(exc).__name__
        if not self._warned:
            self._warned = True
            log.warning(
                "speaker %s: cannot play (%s); the call goes on without sound",
                self.device,
                self.problem,
            )
        else:
            log.debug("speaker %s: cannot play (%s)", self.device, self.problem)

    def _safely(self, close: Any) -> None:
        try:
            close()
        except (OSError, av.FFmpegError) as exc:
            log.debug("speaker %s: close failed (%s)", self.device, type(exc).__name__)


class _Output:
    """One opened ALSA PCM: a 16-bit stream at the first frame's rate and layout."""

    def __init__(self, device: str, first: av.AudioFrame) -> None:
        self.rate = first.sample_rate or 48000
        layout = first.layout.name
        self.container: Any = av.open(device, "w", format="alsa")
        try:
            self.stream: Any = self.container.add_stream("pcm_s16le", rate=self.rate)
            self.stream.layout = layout
            self.stream.format = "s16"
            self.resampler = av.AudioResampler(format="s16", layout=layout, rate=self.rate)
            self.container.start_encoding()  # opens the PCM: a missing device fails here
        except BaseException:
            self.container.close()
            raise
        self.samples = 0

    def write(self, frame: av.AudioFrame) -> None:
        for out in self.resampler.resample(frame):
            out.pts = self.samples
            out.time_base = Fraction(1, self.rate)
            self.samples += out.samples
            for packet in self.stream.encode(out):
                self.container.mux(packet)

    def close(self) -> None:
        try:
            for packet in self.stream.encode(None):
                self.container.mux(packet)
        finally:
            self.container.close()
