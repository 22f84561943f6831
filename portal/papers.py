"""The doctor's papers at the portal: whether the prescription form is offered
(``[prescriptions]``) and the doctor's signature, uploaded once to their account.

The signature is kept as a small PNG per doctor in ``[prescriptions] signatures_dir``
(mode 0700, files 0600), not in the appointments database: it belongs to the doctor's
account (the config's ``[doctors]``), which exists without appointments. Every upload is
re-encoded with Pillow (which drops any metadata: EXIF, GPS, comments), greyed on white and
shrunk to fit the papers, so that it travels in one data-channel message with a form.
"""

from __future__ import annotations

import base64
import io
import logging
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

#: Logs name the doctor by their config id (never user input), and nothing of the image.
log = logging.getLogger(__name__)

#: The most an upload may weigh before re-encoding (the portal's requests are capped lower,
#: at 64 KiB: the page shrinks a photo before sending it).
MAX_UPLOAD_BYTES = 1024 * 1024
#: The most a re-encoded signature may weigh (it rides in a 60 KiB data-channel message).
MAX_SIGNATURE_BYTES = 24 * 1024
#: The box a signature is shrunk into (pixels): 60 x 20 mm at about 250 dpi.
BOX = (600, 200)
#: Pillow's guard against decompression bombs, per upload.
MAX_PIXELS = 20_000_000
_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True, kw_only=True)
class PapersConfig:
    """``[prescriptions]``: what the doctor's page offers for the papers."""

    #: The portal's prescription form, composed into a paper at the cabin. Off unless the site
    #: enables it: since 2025 a prescription is an ordonnance numérique made by the doctor's
    #: referenced software, whose own PDF prints unaltered (the default path).
    form: bool = False
    #: The folder of the doctors' signature images; "" = no signature upload.
    signatures_dir: str = ""


class SignatureRefused(ValueError):
    """An upload that is not a usable signature image; the message is for the doctor."""


def reencode(data: bytes) -> bytes:
    """The upload as a small greyscale PNG without metadata, or :class:`SignatureRefused`."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise SignatureRefused("the file is empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise SignatureRefused(f"the image is larger than {MAX_UPLOAD_BYTES // 1024} KiB")
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")):
        raise SignatureRefused("the image must be a PNG or a JPEG")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise SignatureRefused("the image has too many pixels")
            probe.load()
            image = probe.convert("RGBA")
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise SignatureRefused("the image cannot be read") from exc
    white = Image.new("RGBA", image.size, (255, 255, 255, 255))
    flat = Image.alpha_composite(white, image).convert("L")
    flat.thumbnail(BOX)
    for colours in (None, 16, 4):
        out = io.BytesIO()
        shown = flat if colours is None else flat.quantize(colours)
        shown.save(out, "PNG", optimize=True)  # a new file: nothing of the upload's metadata
        if out.tell() <= MAX_SIGNATURE_BYTES:
            return out.getvalue()
    raise SignatureRefused("the image is too detailed: scan the signature alone, on white")


class SignatureStore:
    """One PNG per doctor in a private folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, doctor_id: str) -> Path:
        if not _SAFE_ID.fullmatch(doctor_id):
            raise ValueError("not a doctor id")
        return self.folder / f"{doctor_id}.png"

    def read(self, doctor_id: str) -> bytes | None:
        try:
            return self._path(doctor_id).read_bytes()
        except FileNotFoundError:
            return None

    def write(self, doctor_id: str, png: bytes) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        final = self._path(doctor_id)
        temp = final.with_name(f".{final.name}.{secrets.token_hex(4)}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(png)
            os.replace(temp, final)
        finally:
            temp.unlink(missing_ok=True)

    def delete(self, doctor_id: str) -> None:
        self._path(doctor_id).unlink(missing_ok=True)


PAPERS: web.AppKey[PapersConfig] = web.AppKey("papers")
STORE: web.AppKey[SignatureStore | None] = web.AppKey("signatures")


def _data_url(png: bytes | None) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode() if png else ""


async def papers(request: web.Request) -> web.Response:
    """What the page offers: the form (on or off), the signature (uploads on, the image)."""
    from portal import http

    doctor_id, _ = http._doctor(request)
    store = request.app[STORE]
    return web.json_response(
        {
            "form": request.app[PAPERS].form,
            "signatures": store is not None,
            "signature": _data_url(store.read(doctor_id)) if store is not None else "",
        }
    )


async def upload_signature(request: web.Request) -> web.Response:
    """POST the image as the body (``image/png`` or ``image/jpeg``): re-encoded and kept."""
    import asyncio

    from portal import http

    doctor_id, _ = http._doctor(request)
    store = request.app[STORE]
    if store is None:
        raise web.HTTPNotFound(text="signature upload is off on this portal")
    # The body was read by the portal's body deadline, within its request cap (64 KiB: the
    # page shrinks a larger image before sending it).
    body = await request.read()
    try:
        png = await asyncio.to_thread(reencode, bytes(body))
    except SignatureRefused as exc:
        raise web.HTTPBadRequest(text=str(exc)) from exc
    except ImportError as exc:  # a portal installed without Pillow
        raise web.HTTPServiceUnavailable(text="signature upload needs Pillow") from exc
    await asyncio.to_thread(store.write, doctor_id, png)
    log.info("doctor %s: signature stored (%d bytes)", doctor_id, len(png))
    return web.json_response({"signature": _data_url(png)})


async def delete_signature(request: web.Request) -> web.Response:
    from portal import http

    doctor_id, _ = http._doctor(request)
    store = request.app[STORE]
    if store is None:
        raise web.HTTPNotFound(text="signature upload is off on this portal")
    store.delete(doctor_id)
    log.info("doctor %s: signature removed", doctor_id)
    return web.json_response({"signature": ""})


def setup(app: web.Application, cfg: PapersConfig) -> None:
    app[PAPERS] = cfg
    app[STORE] = SignatureStore(Path(cfg.signatures_dir)) if cfg.signatures_dir else None
    app.router.add_get("/api/papers", papers)
    app.router.add_post("/api/signature", upload_signature)
    app.router.add_delete("/api/signature", delete_signature)
