"""Text on its way to reportlab: the embedded font, right-to-left shaping, markup escaping.

Every string from outside (names, medicines, notes) goes through :func:`para`, which shapes
Arabic, orders bidirectional runs for display, then escapes it for reportlab's markup.
"""

from __future__ import annotations

import html
import threading
import unicodedata
from pathlib import Path

import arabic_reshaper
from bidi import get_display
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from kiosk.documents.errors import FontMissingError

FONT = "CabineSans"
FONT_BOLD = "CabineSans-Bold"
#: DejaVu Sans covers Latin with accents, Cyrillic, Greek and Arabic presentation forms.
FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
}
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
)
_RTL_CLASSES = frozenset({"R", "AL"})
_lock = threading.Lock()
_registered: set[str] = set()


def find_font(filename: str) -> Path:
    for folder in FONT_DIRS:
        candidate = folder / filename
        if candidate.is_file():
            return candidate
    raise FontMissingError(
        f"font {filename} not found in {', '.join(str(d) for d in FONT_DIRS)}: "
        "install fonts-dejavu-core (make setup)"
    )


def register_fonts() -> None:
    """Register the embedded fonts once per process (reportlab's registry is global)."""
    with _lock:
        if _registered:
            return
        for name, filename in FONT_FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(find_font(filename))))
        addMapping(FONT, 0, 0, FONT)
        addMapping(FONT, 1, 0, FONT_BOLD)
        addMapping(FONT, 0, 1, FONT)
        addMapping(FONT, 1, 1, FONT_BOLD)
        _registered.add(FONT)


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in _RTL_CLASSES for ch in text)


def visual(text: str) -> str:
    """``text`` in display order: Arabic letters joined, right-to-left runs reversed."""
    if not has_rtl(text):
        return text
    return str(get_display(arabic_reshaper.reshape(text)))


def clean(text: str) -> str:
    """Drop control characters (a NUL or an escape in a name prints as nothing useful)."""
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")


def para(text: str, *, newlines: bool = False) -> str:
    """Outside text made safe for a reportlab Paragraph: shaped, ordered, then escaped."""
    lines = clean(text).split("\n") if newlines else [clean(text).replace("\n", " ")]
    return "<br/>".join(html.escape(visual(line), quote=False) for line in lines)


def plain(text: str) -> str:
    """Outside text for canvas.drawString (no markup): shaped and ordered, not escaped."""
    return visual(clean(text).replace("\n", " "))
