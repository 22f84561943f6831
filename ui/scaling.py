"""One design for every display: screens are laid out for 1920×1080 (landscape) or
1080×1920 (portrait) and scaled to the window by one factor (fonts, sizes, margins).

A cabin's 1280×800 screen is about as large as a 1920×1080 one, its pixels are larger:
the same factor keeps text and touch targets the same physical size on both.
"""

from __future__ import annotations

from PyQt6.QtCore import QMargins, QPoint, QSize, Qt
from PyQt6.QtGui import QFont
from PyQt6.QtWidgets import QAbstractScrollArea, QGridLayout, QLayout, QWidget

#: The sizes the screens are designed at, per orientation.
REFERENCE_LANDSCAPE = (1920, 1080)
REFERENCE_PORTRAIT = (1080, 1920)
#: Below this, text would be too small to read from a chair whatever the screen.
MIN_SCALE = 0.4
#: The dynamic property holding a scaled widget's factor (read by widgets built later).
SCALE_PROPERTY = "cabineScale"
_BASE_FONT = "cabineBasePt"
_BASE_MIN = "cabineBaseMin"
_BASE_MAX = "cabineBaseMax"
_BASE_MARGINS = "cabineBaseMargins"
_BASE_SPACING = "cabineBaseSpacing"
#: Whether the widget's font was set by :func:`set_font` (see :func:`has_own_font`).
_OWN_FONT = "cabineOwnFont"
#: Qt's "no maximum" (QWIDGETSIZE_MAX).
NO_MAX = 16777215


def is_portrait(width: int, height: int) -> bool:
    return height > width


def scale_for(width: int, height: int) -> float:
    """The factor that fits the design of the window's orientation into ``width``×``height``."""
    ref_w, ref_h = REFERENCE_PORTRAIT if is_portrait(width, height) else REFERENCE_LANDSCAPE
    return max(MIN_SCALE, min(width / ref_w, height / ref_h))


def px(value: int, scale: float) -> int:
    """A design length in pixels at ``scale`` (never rounded down to nothing)."""
    if value <= 0:
        return value
    return max(1, round(value * scale))


def scale_of(widget: QWidget | None) -> float:
    """The factor a widget is shown at (its own, or the nearest scaled ancestor's)."""
    while widget is not None:
        value = widget.property(SCALE_PROPERTY)
        if isinstance(value, float):
            return value
        widget = widget.parentWidget()
    return 1.0


def apply_scale(root: QWidget, scale: float) -> None:
    """Scale ``root`` and everything in it from their design values (recorded the first
    time each is seen, so widgets built later are scaled by calling this again)."""
    root.setProperty(SCALE_PROPERTY, float(scale))
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if widget is not root and widget.property(SCALE_PROPERTY) is not None:
            widget.setProperty(SCALE_PROPERTY, float(scale))  # scaled alone before
        _scale_font(widget, scale)
        if not _inside_scroll_area(widget, root):
            _scale_size(widget, scale)
    for widget in widgets:
        # A table's or a header's viewport draws its text but does not follow its area's
        # font once a style sheet styles them: it is given it.
        if isinstance(widget, QAbstractScrollArea):
            viewport = widget.viewport()
            if viewport is not None and viewport.font() != widget.font():
                viewport.setFont(widget.font())
    layouts = root.findChildren(QLayout)
    own = root.layout()
    if own is not None and own not in layouts:
        layouts.append(own)
    for layout in layouts:
        parent = layout.parentWidget()
        if parent is None or not _inside_scroll_area(parent, root):
            _scale_layout(layout, scale)


def _inside_scroll_area(widget: QWidget, root: QWidget) -> bool:
    # A table's viewport, scroll bars and headers size themselves: only fonts are ours.
    parent = widget.parentWidget() if widget is not root else None
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        if parent is root:
            return False
        parent = parent.parentWidget()
    return False


def set_font(widget: QWidget, font: QFont) -> None:
    """``widget.setFont(font)`` (a font that sets something, as ``big_font``'s), noted as the
    widget's own font (see :func:`has_own_font`)."""
    widget.setFont(font)
    widget.setProperty(_OWN_FONT, True)


def inherits_font(widget: QWidget) -> None:
    """Note that ``widget``, a new widget, has no font of its own (see :func:`has_own_font`);
    a font set on it later goes through :func:`set_font`."""
    widget.setProperty(_OWN_FONT, False)


def has_own_font(widget: QWidget) -> bool:
    """Whether ``widget`` has a font of its own (Qt.WidgetAttribute.WA_SetFont): noted by
    :func:`set_font` or :func:`inherits_font`, else asked of Qt. The idle screen is scaled
    before its first paint, where a first use of any ``Qt`` enum would cost ~14 ms."""
    own = widget.property(_OWN_FONT)
    if isinstance(own, bool):
        return own
    return widget.testAttribute(Qt.WidgetAttribute.WA_SetFont)


def _scale_font(widget: QWidget, scale: float) -> None:
    base = widget.property(_BASE_FONT)
    if not isinstance(base, float):
        parent = widget.parentWidget()
        if isinstance(parent, QAbstractScrollArea) and parent.viewport() is widget:
            return  # given its area's font (see apply_scale)
        if not has_own_font(widget):
            return  # inherits its parent's
        base = widget.font().pointSizeF()
        if base <= 0:
            return
        widget.setProperty(_BASE_FONT, base)
    points = round(base * scale, 2)
    font = widget.font()
    if abs(font.pointSizeF() - points) > 0.01:
        font.setPointSizeF(points)
        widget.setFont(font)


def _scale_size(widget: QWidget, scale: float) -> None:
    base_min = widget.property(_BASE_MIN)
    base_max = widget.property(_BASE_MAX)
    if not isinstance(base_min, QSize) or not isinstance(base_max, QSize):
        base_min, base_max = widget.minimumSize(), widget.maximumSize()
        widget.setProperty(_BASE_MIN, base_min)
        widget.setProperty(_BASE_MAX, base_max)
    minimum = QSize(px(base_min.width(), scale), px(base_min.height(), scale))
    maximum = QSize(
        base_max.width() if base_max.width() >= NO_MAX else px(base_max.width(), scale),
        base_max.height() if base_max.height() >= NO_MAX else px(base_max.height(), scale),
    )
    if widget.minimumSize() != minimum:
        widget.setMinimumSize(minimum)
    if widget.maximumSize() != maximum:
        widget.setMaximumSize(maximum)


def _scale_layout(layout: QLayout, scale: float) -> None:
    # Qt value types only: a Python object kept by a QObject outlives the interpreter at exit.
    margins = layout.property(_BASE_MARGINS)
    spacing = layout.property(_BASE_SPACING)
    if not isinstance(margins, QMargins) or not isinstance(spacing, QPoint):
        margins = layout.contentsMargins()
        if isinstance(layout, QGridLayout):
            spacing = QPoint(layout.horizontalSpacing(), layout.verticalSpacing())
        else:
            spacing = QPoint(layout.spacing(), layout.spacing())
        layout.setProperty(_BASE_MARGINS, margins)
        layout.setProperty(_BASE_SPACING, spacing)
    scaled = QMargins(
        px(margins.left(), scale),
        px(margins.top(), scale),
        px(margins.right(), scale),
        px(margins.bottom(), scale),
    )
    if layout.contentsMargins() != scaled:
        layout.setContentsMargins(scaled)
    if isinstance(layout, QGridLayout):
        if spacing.x() >= 0:
            layout.setHorizontalSpacing(px(spacing.x(), scale))
        if spacing.y() >= 0:
            layout.setVerticalSpacing(px(spacing.y(), scale))
    elif spacing.x() >= 0:
        layout.setSpacing(px(spacing.x(), scale))
