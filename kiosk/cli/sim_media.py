"""``kiosk sim camera`` and ``kiosk sim stethoscope``: the examination instruments simulated.

The camera is a ``lavfi:`` URL (a moving test card) to put in ``[devices.exam_camera]``; the
stethoscope is a real ALSA capture PCM fed heart sounds, lung sounds or the band test's tones
in real time, through a private ``ALSA_CONFIG_PATH`` (see :mod:`drivers.media.sim`).
"""

from __future__ import annotations

import argparse
import re
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"([1-9][0-9]{1,4})x([1-9][0-9]{1,4})", text)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT (1920x1080)")
    return int(match[1]), int(match[2])


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cam = subparsers.add_parser(
        "camera",
        help="print the URL of a simulated exam camera (a lavfi test card)",
        description="Print a [devices.exam_camera] table whose url is a moving test card. "
        "--offer 640x480 with --size 1920x1080 plays a camera that lacks the size asked.",
    )
    cam.add_argument("--size", type=_size, default=(1920, 1080), help="size the url asks")
    cam.add_argument("--offer", type=_size, help="size the camera gives (default: --size)")
    cam.add_argument("--fps", type=int, default=30, choices=range(1, 61), metavar="1-60")
    cam.set_defaults(func=run_camera)

    st = subparsers.add_parser(
        "stethoscope",
        help="feed an ALSA capture PCM with heart or lung sounds, in the foreground",
        description="Write a private ALSA config declaring the capture PCM NAME fed in real "
        "time from a FIFO, print the ALSA_CONFIG_PATH and url to use, and feed it until "
        "Ctrl-C (or --seconds). Sounds: heart, lungs, or tones (50, 120, 400, 900 Hz at one "
        "level, for the band test).",
    )
    st.add_argument("--sound", choices=("heart", "lungs", "tones"), default="heart")
    st.add_argument("--dir", help="folder for the config and FIFO (default: a new temp folder)")
    st.add_argument("--name", default="stethoscope", help="the PCM's name (default %(default)s)")
    st.add_argument("--seconds", type=float, help="stop after this long (default: Ctrl-C)")
    st.set_defaults(func=run_stethoscope)


def run_camera(args: argparse.Namespace) -> int:
    from drivers.media.sim import camera_url

    url = camera_url(offer=args.offer or args.size, ask=args.size, fps=args.fps)
    print("[devices.exam_camera]")
    print(f'url = "{url}"')
    return 0


#: Seconds of each sound made once and looped (whole heartbeats, breaths, tone periods).
_LOOPS = {"heart": 10.0, "lungs": 8.0, "tones": 1.0}


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_stethoscope(args: argparse.Namespace) -> int:
    from drivers.media.sim import FifoFeeder, sound, write_alsa_config

    if args.seconds is not None and args.seconds <= 0:
        print("kiosk: sim stethoscope: --seconds must be more than 0", file=sys.stderr)
        return 2
    folder = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="cabine-steth-"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        config = write_alsa_config(
            folder / "asound.conf", folder / "stethoscope.fifo", name=args.name
        )
        feeder = FifoFeeder(folder / "stethoscope.fifo", sound(args.sound, _LOOPS[args.sound]))
        feeder.start()
    except (OSError, ValueError) as exc:
        print(f"kiosk: sim stethoscope: {exc}", file=sys.stderr)
        return 1
    print(f"simulated stethoscope: {args.sound} on ALSA PCM {args.name!r}", flush=True)
    print(f"export ALSA_CONFIG_PATH={config}", flush=True)
    print(f'[devices.stethoscope]\nurl = "alsa://{args.name}"', flush=True)
    deadline = time.monotonic() + args.seconds if args.seconds else None
    signal.signal(signal.SIGTERM, _interrupt)  # stopped by its owner: clean up as on Ctrl-C
    try:
        while deadline is None or time.monotonic() < deadline:
            time.sleep(0.2 if deadline is None else min(0.2, max(0.0, deadline - time.monotonic())))
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        feeder.stop()
        if not args.dir:  # a folder of our own: nothing left behind
            shutil.rmtree(folder, ignore_errors=True)
