"""``kiosk measure exam_camera --still out.jpg`` and ``kiosk measure stethoscope --seconds 5
--out clip.wav``: the technician's try of an examination instrument, outside any session.

The files go where the technician says (never over an existing one); a session's stills and
clips go only to its tmpfs spool (:class:`kiosk.exam.ExamFiles`).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.config import Config


def add_options(p: argparse.ArgumentParser) -> None:
    """The media instruments' options of ``kiosk measure``."""
    p.add_argument("--still", metavar="JPEG", help="exam_camera: save one full-resolution still")
    p.add_argument(
        "--seconds", type=float, metavar="S", help="stethoscope: seconds to record (default 5)"
    )
    p.add_argument("--out", metavar="WAV", help="stethoscope: save the recording as a WAV file")


def _write_new(path: Path, data: bytes) -> None:
    """Write ``data`` to a file that must not exist yet (nothing of the technician's lost)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def _fail(message: str) -> int:
    print(f"kiosk measure: {message}", file=sys.stderr)
    return 1


def _level_dbfs(wav: bytes) -> float:
    from drivers.media.sim import samples_of

    samples = samples_of(wav[44:])
    if not samples:
        return -math.inf
    rms = math.sqrt(sum(x * x for x in samples[::4]) / len(samples[::4]))
    return 20 * math.log10(rms / 32768) if rms else -math.inf


def run(args: argparse.Namespace, cfg: Config) -> int:
    """Measure the media instrument ``args.device_id`` of ``cfg``."""
    from drivers.media.capture import MAX_CLIP_S, grab_still, record
    from drivers.media_urls import MediaSourceError

    name = args.device_id
    url = cfg.media[name].url
    target = Path(args.still or args.out) if (args.still or args.out) else None
    if name == "exam_camera" and (args.out or args.seconds is not None):
        return _fail("--seconds and --out are for the stethoscope; the camera takes --still")
    if name == "stethoscope" and args.still:
        return _fail("--still is for the exam camera; the stethoscope takes --seconds, --out")
    seconds = 5.0 if args.seconds is None else args.seconds
    if not 0 < seconds <= MAX_CLIP_S:
        return _fail(f"--seconds must be more than 0 and at most {MAX_CLIP_S:g}")
    if target is not None and target.exists():
        return _fail(f"{target} exists: give a new file name")
    if target is not None and not target.parent.is_dir():
        return _fail(f"{target.parent} is not a folder")
    print(f"opening {name} ({url})...", file=sys.stderr, flush=True)
    report: dict[str, Any] = {"device": name, "url": url}
    try:
        if name == "exam_camera":
            still = grab_still(url, device=name)
            data, fmt, notice = still.jpeg, still.format, still.notice
            report.update(width=fmt.width, height=fmt.height, fps=fmt.fps, bytes=len(data))
            line = f"{name}: still {fmt.width}×{fmt.height}, {len(data)} bytes"
        else:
            clip = record(url, device=name, seconds=seconds)
            data, fmt, notice = clip.wav, None, clip.notice
            level = _level_dbfs(clip.wav)
            report.update(rate=clip.rate, channels=clip.channels, seconds=round(clip.seconds, 3))
            report["level_dbfs"] = round(level, 1) if math.isfinite(level) else None
            line = (
                f"{name}: {clip.seconds:.2f} s at {clip.rate} Hz, {clip.channels} channel(s), "
                f"level {level:.1f} dBFS"
            )
    except MediaSourceError as exc:
        return _fail(f"{exc} [{exc.reason}]")
    report["notice"] = notice
    if target is not None:
        try:
            _write_new(target, data)
        except OSError as exc:
            return _fail(f"cannot write {target}: {exc.strerror or exc}")
        report["file"] = str(target)
        line += f" -> {target}"
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(line)
        if notice:
            print(f"  note: {notice}")
    return 0
