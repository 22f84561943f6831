"""Media sources opened by URL through PyAV, as serial ports open by pyserial URL: the exam
camera (``v4l2:///dev/video2?size=1920x1080&fps=30``), the stethoscope (``alsa://hw:2,0``),
and the simulator's and the demo's ``lavfi:<graph>`` and ``file:<path>``.

:func:`drivers.media_urls.parse_url` checks a URL without touching a device; :func:`open_source`
opens it and says what the device really gives (:class:`SourceFormat`) beside what the URL
asked: a camera that offers only 640×480 is opened at 640×480 and :attr:`OpenedSource.notice`
says so. A stethoscope (``alsa:``) opens at 48 kHz mono unless the URL says otherwise, and
nothing on the way processes its samples: no echo cancellation, noise suppression or gain.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import av

from drivers.media.speaker import CARD_PCMS, alsa_environment, sound_cards
from drivers.media_urls import (
    SCHEMES,
    STETHOSCOPE_RATE,
    Kind,
    MediaErrorReason,
    MediaSourceError,
    SourceFormat,
    SourceURL,
    differences,
    parse_url,
)

__all__ = [
    "SCHEMES",
    "STETHOSCOPE_RATE",
    "Kind",
    "MediaErrorReason",
    "MediaSourceError",
    "OpenedSource",
    "SourceFormat",
    "SourceURL",
    "differences",
    "open_source",
    "parse_url",
]


class OpenedSource:
    """One opened media source: its PyAV ``container``, the ``stream`` of the asked kind,
    what it gives (:attr:`format`) and what differs from the URL (:attr:`notice`)."""

    def __init__(self, url: SourceURL, container: Any, stream: Any, kind: Kind) -> None:
        self.url, self.container, self.stream, self.kind = url, container, stream, kind
        ctx = stream.codec_context
        if kind == "video":
            rate = stream.average_rate or stream.guessed_rate or stream.base_rate
            self.format = SourceFormat(
                "video", width=ctx.width, height=ctx.height, fps=float(rate) if rate else 0.0
            )
        else:
            self.format = SourceFormat("audio", rate=ctx.sample_rate, channels=ctx.channels)
        #: What differs from the URL, in one line ("" when all is as asked).
        self.notice = "; ".join(differences(url, self.format))

    def frames(self) -> Any:
        """The decoded frames of the stream (an iterator; blocks on a live device)."""
        return self.container.decode(self.stream)

    def close(self) -> None:
        self.container.close()

    def __enter__(self) -> OpenedSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_present(url: SourceURL, device: str) -> None:
    if url.scheme in ("v4l2", "file") and not Path(url.target).exists():
        what = "camera" if url.scheme == "v4l2" else "file"
        raise MediaSourceError(
            f"{device or url.url}: no {what} at {url.target}",
            device=device,
            reason=MediaErrorReason.MISSING,
        )
    if (
        url.scheme == "alsa"
        and url.target.split(":", 1)[0] in CARD_PCMS
        and "ALSA_CONFIG_PATH" not in os.environ
        and not sound_cards()
    ):
        raise MediaSourceError(
            f"{device or url.url}: no sound card, so no ALSA PCM {url.target!r}",
            device=device,
            reason=MediaErrorReason.MISSING,
        )


def open_source(url: str | SourceURL, *, kind: Kind, device: str = "") -> OpenedSource:
    """Open ``url`` and pick its first ``kind`` stream; raises :class:`MediaSourceError`
    (``bad_url``, ``missing``, ``cannot_open``, ``no_stream``). A live source's first
    frame may still block: read it with a deadline (:mod:`drivers.media.capture`)."""
    parsed = url if isinstance(url, SourceURL) else parse_url(url)
    _check_present(parsed, device)
    if parsed.scheme == "alsa":
        alsa_environment()
    file, fmt, options = parsed.av_arguments()
    try:
        container = av.open(file, format=fmt, options=options, timeout=5.0)
    except (FileNotFoundError, av.error.FileNotFoundError) as exc:
        raise MediaSourceError(
            f"{device or parsed.url}: not found ({exc.strerror or type(exc).__name__})",
            device=device,
            reason=MediaErrorReason.MISSING,
        ) from exc
    except (av.FFmpegError, OSError, ValueError) as exc:
        what = "ALSA PCM" if parsed.scheme == "alsa" else parsed.scheme
        raise MediaSourceError(
            f"{device or parsed.url}: cannot open {what} {parsed.target!r} "
            f"({getattr(exc, 'strerror', None) or type(exc).__name__})",
            device=device,
            reason=MediaErrorReason.CANNOT_OPEN,
        ) from exc
    streams = container.streams.video if kind == "video" else container.streams.audio
    if not streams:
        container.close()
        raise MediaSourceError(
            f"{device or parsed.url}: gives no {kind} stream",
            device=device,
            reason=MediaErrorReason.NO_STREAM,
        )
    return OpenedSource(parsed, container, streams[0], kind)
