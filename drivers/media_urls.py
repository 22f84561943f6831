"""Media URLs, parsed without opening anything (and without importing PyAV, so the config
and the idle kiosk stay light): ``v4l2:///dev/video2?size=1920x1080&fps=30``,
``alsa://hw:2,0``, ``lavfi:<graph>``, ``file:<path>``. :mod:`drivers.media.sources` opens them.

Query keys: ``size=WxH``, ``fps=N``, ``input=mjpeg|yuyv422|...`` (video), ``rate=HZ``,
``channels=N`` (audio). On ``v4l2:`` and ``alsa:`` they are asked of the device; on
``lavfi:`` and ``file:`` (whose graph or file decides) they are what the source must give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any, Literal

from drivers.errors import DriverError

Kind = Literal["video", "audio"]
SCHEMES = ("v4l2", "alsa", "lavfi", "file")
#: The stethoscope's rate: WebRTC's Opus runs at 48 kHz, so nothing resamples on the way.
STETHOSCOPE_RATE = 48000
_KEYS: dict[str, tuple[str, ...]] = {
    "v4l2": ("size", "fps", "input"),
    "alsa": ("rate", "channels"),
    "lavfi": ("size", "fps", "rate", "channels"),
    "file": ("size", "fps", "rate", "channels"),
}
_SIZE = re.compile(r"^([1-9][0-9]{0,4})x([1-9][0-9]{0,4})$")
_PIXEL_INPUT = re.compile(r"^[a-z0-9_]{2,20}$")
#: PCM names look like ``hw:2,0``, ``plughw:CARD=Device,DEV=0``, ``default``, ``stethoscope``.
_PCM = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*(:[A-Za-z0-9_=,.-]+)?$")


class MediaErrorReason(StrEnum):
    """Why a media source failed; stable codes for the self-test and the call."""

    BAD_URL = "bad_url"
    MISSING = "missing"  # no such device (unplugged, wrong path or PCM name)
    CANNOT_OPEN = "cannot_open"  # there, but refuses (busy, no permission, bad options)
    NO_STREAM = "no_stream"  # opened, but gives no video (or no audio) stream
    NO_DATA = "no_data"  # opened, but gave nothing before the deadline
    ENDED = "ended"


class MediaSourceError(DriverError):
    """A media source that cannot be parsed, opened or read (``reason``: a
    :class:`MediaErrorReason`)."""

    reason: MediaErrorReason

    def __init__(self, message: str, *, device: str = "", reason: MediaErrorReason) -> None:
        super().__init__(message, device=device, reason=reason)


@dataclass(frozen=True)
class SourceURL:
    """A parsed media URL: ``scheme`` (v4l2, alsa, lavfi, file), ``target`` (device path,
    PCM name, filter graph or file path) and the query's checked ``options``."""

    url: str
    scheme: str
    target: str
    size: tuple[int, int] | None = None
    fps: float | None = None
    input: str = ""
    rate: int | None = None
    channels: int | None = None

    def av_arguments(self) -> tuple[str, str | None, dict[str, str]]:
        """``(file, format, options)`` for :func:`av.open`."""
        options: dict[str, str] = {}
        if self.scheme == "v4l2":
            if self.size:
                options["video_size"] = f"{self.size[0]}x{self.size[1]}"
            if self.fps:
                options["framerate"] = f"{self.fps:g}"
            if self.input:
                options["input_format"] = self.input
            return self.target, "v4l2", options
        if self.scheme == "alsa":
            options["sample_rate"] = str(self.rate or STETHOSCOPE_RATE)
            options["channels"] = str(self.channels or 1)
            return self.target, "alsa", options
        if self.scheme == "lavfi":
            return self.target, "lavfi", options
        return self.target, None, options

    @property
    def asked(self) -> str:
        """What the URL asks, in words ("" when nothing)."""
        parts = []
        if self.size:
            parts.append(f"{self.size[0]}×{self.size[1]}")
        if self.fps:
            parts.append(f"{self.fps:g} fps")
        if self.rate:
            parts.append(f"{self.rate} Hz")
        if self.channels:
            parts.append(f"{self.channels} channel(s)")
        return ", ".join(parts)


def _bad(url: str, why: str) -> MediaSourceError:
    return MediaSourceError(f"media URL {url!r}: {why}", reason=MediaErrorReason.BAD_URL)


def _positive(url: str, key: str, value: str, *, number: type = int) -> Any:
    try:
        parsed = number(value)
    except ValueError:
        raise _bad(url, f"{key}={value!r} is not a number") from None
    if not 0 < parsed < 1_000_000:
        raise _bad(url, f"{key}={value!r} is out of range")
    return parsed


def parse_url(url: str) -> SourceURL:
    """Check ``url`` and split it; raises :class:`MediaSourceError` (``bad_url``) naming
    what is wrong. Touches no device."""
    if not isinstance(url, str) or not url.strip():
        raise _bad(str(url), "empty (v4l2:///dev/video2, alsa://hw:2,0, lavfi:..., file:...)")
    scheme, colon, rest = url.partition(":")
    if not colon or scheme not in SCHEMES:
        raise _bad(url, f"the scheme must be one of {', '.join(s + ':' for s in SCHEMES)}")
    if rest.startswith("//"):
        rest = rest[2:]
    target, _, query = rest.partition("?")
    if not target:
        raise _bad(url, "names no device, graph or file")
    values: dict[str, str] = {}
    for item in filter(None, query.split("&")):
        key, eq, value = item.partition("=")
        if not eq or not value:
            raise _bad(url, f"{item!r} is not key=value")
        if key not in _KEYS[scheme]:
            raise _bad(url, f"unknown key {key!r} (known for {scheme}: {', '.join(_KEYS[scheme])})")
        if key in values:
            raise _bad(url, f"{key!r} given twice")
        values[key] = value
    fields: dict[str, Any] = {}
    if "size" in values:
        match = _SIZE.match(values["size"])
        if not match:
            raise _bad(url, f"size={values['size']!r} is not WIDTHxHEIGHT (1920x1080)")
        fields["size"] = (int(match[1]), int(match[2]))
    if "fps" in values:
        fields["fps"] = float(_positive(url, "fps", values["fps"], number=Fraction))
    if "rate" in values:
        fields["rate"] = _positive(url, "rate", values["rate"])
    if "channels" in values:
        fields["channels"] = _positive(url, "channels", values["channels"])
        if fields["channels"] > 8:
            raise _bad(url, "channels must be 1 to 8")
    if "input" in values:
        if not _PIXEL_INPUT.match(values["input"]):
            raise _bad(url, f"input={values['input']!r} is not a format name (mjpeg, yuyv422)")
        fields["input"] = values["input"]
    if scheme == "v4l2" and not target.startswith("/dev/"):
        raise _bad(url, "a V4L2 camera is a device under /dev (v4l2:///dev/video2)")
    if scheme == "alsa" and not _PCM.match(target):
        raise _bad(url, f"{target!r} is not an ALSA PCM name (hw:2,0, default, stethoscope)")
    return SourceURL(url=url, scheme=scheme, target=target, **fields)


@dataclass(frozen=True)
class SourceFormat:
    """What an opened source gives: ``width``×``height`` at ``fps``, or ``rate`` Hz on
    ``channels`` channels."""

    kind: Kind
    width: int = 0
    height: int = 0
    fps: float = 0.0
    rate: int = 0
    channels: int = 0

    def __str__(self) -> str:
        if self.kind == "video":
            fps = f" at {self.fps:g} fps" if self.fps else ""
            return f"{self.width}×{self.height}{fps}"
        return f"{self.rate} Hz, {self.channels} channel(s)"


def differences(asked: SourceURL, got: SourceFormat) -> list[str]:
    """What the source gives that the URL did not ask for ([] when it is all as asked)."""
    found = []
    if got.kind == "video":
        if asked.size and asked.size != (got.width, got.height):
            found.append(f"asked {asked.size[0]}×{asked.size[1]}, got {got.width}×{got.height}")
        if asked.fps and got.fps and abs(asked.fps - got.fps) > 0.5:
            found.append(f"asked {asked.fps:g} fps, got {got.fps:g}")
    else:
        if asked.rate and asked.rate != got.rate:
            found.append(f"asked {asked.rate} Hz, got {got.rate}")
        if asked.channels and asked.channels != got.channels:
            found.append(f"asked {asked.channels} channel(s), got {got.channels}")
    return found
