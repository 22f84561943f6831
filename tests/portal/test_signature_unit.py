"""The doctor's signature at the portal: re-encoded (metadata gone, shrunk, greyscale), bad
files refused in words, kept one file per doctor in a private folder."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from portal.papers import MAX_SIGNATURE_BYTES, SignatureRefused, SignatureStore, reencode


def jpeg_with_exif(size: tuple[int, int] = (2400, 800)) -> bytes:
    image = Image.new("RGB", size, "white")
    for x in range(100, size[0] - 100):
        image.putpixel((x, size[1] // 2 + (x % 40) - 20), (0, 0, 0))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"taken at home")
    return out.getvalue()


def test_reencoded_small_grey_png_without_metadata():
    png = reencode(jpeg_with_exif())
    assert png.startswith(b"\x89PNG") and len(png) <= MAX_SIGNATURE_BYTES
    assert b"SecretCam" not in png and b"taken at home" not in png
    with Image.open(io.BytesIO(png)) as image:
        assert image.size[0] <= 600 and image.size[1] <= 200
        assert not image.getexif() and "comment" not in image.info


def test_a_transparent_png_lands_on_white():
    image = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    with Image.open(io.BytesIO(reencode(out.getvalue()))) as kept:
        assert kept.convert("L").getextrema() == (255, 255)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "empty"),
        (b"%PDF-1.4", "PNG or a JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "cannot be read"),
        (b"\xff\xd8\xff" + b"x" * (1024 * 1024 + 1), "larger than"),
    ],
)
def test_bad_files_refused_in_words(data: bytes, why: str):
    with pytest.raises(SignatureRefused, match=why):
        reencode(data)


def test_store_one_private_file_per_doctor(tmp_path: Path):
    store = SignatureStore(tmp_path / "sig")
    assert store.read("dr-a") is None
    store.write("dr-a", b"png")
    assert store.read("dr-a") == b"png"
    assert oct((tmp_path / "sig").stat().st_mode & 0o777) == "0o700"
    assert oct((tmp_path / "sig" / "dr-a.png").stat().st_mode & 0o777) == "0o600"
    store.write("dr-a", b"png2")  # replaced, no temporary file left
    assert [p.name for p in (tmp_path / "sig").iterdir()] == ["dr-a.png"]
    store.delete("dr-a")
    assert store.read("dr-a") is None
    with pytest.raises(ValueError):
        store.read("../etc/passwd")
