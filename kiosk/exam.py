"""The examination instruments (exam camera, stethoscope) seen from the cabin: their
self-test, and where a session's stills and clips may live (its tmpfs spool, nowhere else).

PyAV is imported only when an instrument is opened: the idle kiosk never loads it.
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config import Config
from kiosk.errors import PrivacyError

if TYPE_CHECKING:
    from kiosk.privacy import Spool
    from kiosk.selftest import CheckResult

log = logging.getLogger(__name__)

#: The stream each media instrument gives.
KINDS = {"exam_camera": "video", "stethoscope": "audio"}
#: Seconds a self-test waits for an instrument's first frame.
PROBE_TIMEOUT_S = 8.0
#: Caps on what a session may keep: a 4K JPEG is well under 8 MB; 30 s of 48 kHz stereo
#: 16-bit WAV is 5.8 MB.
MAX_STILL_BYTES = 8 * 1024 * 1024
MAX_CLIP_BYTES = 6 * 1024 * 1024
#: Stills and clips a session may keep (beyond, the oldest goes).
MAX_FILES = 40


def check_media(cfg: Config) -> Iterable[CheckResult]:
    """One check per configured media instrument: present, gives a frame, in the format its
    URL asks for."""
    from drivers.media.capture import probe
    from drivers.media_urls import MediaSourceError
    from kiosk.selftest import CheckResult

    for name, media in cfg.media.items():
        check = f"media:{name}"
        try:
            got = probe(media.url, kind=KINDS[name], device=name, timeout=PROBE_TIMEOUT_S)
        except MediaSourceError as exc:
            yield CheckResult(check, False, f"{exc} [{exc.reason}]")
            continue
        if got.notice:
            yield CheckResult(check, False, f"present, but {got.notice} ({media.url})")
        else:
            yield CheckResult(check, True, f"gives {got.format} ({media.url})")


@dataclass(frozen=True)
class ExamGuide:
    """What the patient's screen shows of the exam the doctor leads: where to place the
    instrument (``exam``: a ``protocol.exam.GUIDE_POINTS`` key, "" for none; ``point``: 1..,
    0 for none), the doctor's last quick phrase (``said`` counts them: a phrase repeated is
    said again), whether the doctor listens (the stethoscope on: the loudspeaker is off), and
    the instruments that failed (``trouble``: ``KINDS`` keys; absent, unplugged, or gave no
    picture or sound: the doctor is told by ``exam_state``, the patient by this)."""

    exam: str = ""
    point: int = 0
    phrase: str = ""
    said: int = 0
    listening: bool = False
    trouble: tuple[str, ...] = ()


class ExamFiles:
    """One session's stills (JPEG) and clips (WAV), in a folder of its tmpfs spool: wiped
    with the session (:meth:`kiosk.privacy.Spool.wipe`), never written anywhere else."""

    def __init__(self, spool: Spool, session_id: str) -> None:
        self.folder = spool.session_dir(session_id) / "exam"
        self._numbers = itertools.count(1)

    def save_still(self, jpeg: bytes) -> Path:
        """Keep a still; refuses what is not a JPEG or is too big."""
        if not jpeg.startswith(b"\xff\xd8") or len(jpeg) > MAX_STILL_BYTES:
            raise PrivacyError("a still is a JPEG of at most 8 MB")
        return self._save("still", ".jpg", jpeg)

    def save_clip(self, wav: bytes) -> Path:
        """Keep a clip; refuses what is not a WAV or is too big."""
        if wav[:4] != b"RIFF" or wav[8:12] != b"WAVE" or len(wav) > MAX_CLIP_BYTES:
            raise PrivacyError("a clip is a WAV of at most 30 s")
        return self._save("clip", ".wav", wav)

    def files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.iterdir() if p.is_file())

    def _save(self, stem: str, suffix: str, data: bytes) -> Path:
        self.folder.mkdir(mode=0o700, exist_ok=True)
        kept = self.files()
        for old in kept[: max(0, len(kept) - MAX_FILES + 1)]:
            old.unlink(missing_ok=True)
        path = self.folder / f"{next(self._numbers):03d}-{stem}{suffix}"  # sorts by age
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        log.info("exam: %s kept in the session spool (%d bytes)", stem, len(data))
        return path
