"""The kiosk paints its idle screen without touching an enum of PyQt's ``Qt`` namespace: the
first use of one builds all ~90 of them (Python enums are slow to create), ~14 ms of a cold
start that must stay within twice a bare PyQt window's (bench/bench_startup.py). So the idle
screen's code goes around them (ui/pictures.py, ui/screens/base.py, ui/scaling.py), and these
tests check both that it does and that it still does what the enums did.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import QByteArray, QDataStream, QIODevice, QPointF, QRectF, Qt
from PyQt6.QtGui import QBrush, QColor, QImage, QPainter, QPen
from PyQt6.QtWidgets import QWidget

from harness.screenshots import Shooter
from ui import canvas as drawing
from ui import pictures, scaling, theme
from ui.i18n import RIGHT_TO_LEFT
from ui.screens.base import Screen

ROOT = Path(__file__).resolve().parents[2]

# Runs the kiosk's console script; when it prints "first-paint <time>" (the idle screen is
# painted), prints first the ``Qt`` enums created by then. Looking for them must not build
# them: only the enum classes that exist are walked (Qt.AlignmentFlag is Qt.Flag's...).
WRAPPER = """
import enum, os, runpy, sys


def qt_enums():
    found, seen, todo = [], set(), [enum.Enum]
    while todo:
        for sub in type.__subclasses__(todo.pop()):
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
                if sub.__qualname__.startswith("Qt.") and sub.__module__.startswith("PyQt6."):
                    found.append(sub.__qualname__)
    return sorted(found)


class Watch:
    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        if text.startswith("first-paint"):
            self.stream.write("qt-enums " + " ".join(qt_enums() or ["none"]) + "\\n")
        return self.stream.write(text)

    def __getattr__(self, name):
        return getattr(self.stream, name)


sys.stdout = Watch(sys.stdout)
if os.environ.get("FIRST_PAINT_TOUCH_QT"):  # the test's check that this sees them
    from PyQt6.QtCore import Qt

    Qt.AlignmentFlag.AlignCenter
script = sys.argv[1]
sys.argv = [script, *sys.argv[2:]]
runpy.run_path(script, run_name="__main__")
"""


def _qt_enums_at_first_paint(tmp_path: Path, *, touch_qt: bool = False) -> list[str]:
    # The demo config, with a spool of its own (the kiosk wipes its spool when it starts).
    spool = Path("/dev/shm") / f"cabine-first-paint-{os.getpid()}"
    text = (ROOT / "config" / "demo.toml").read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^spool_dir = .*$", f'spool_dir = "{spool}"', text)
    assert count == 1
    config = tmp_path / "demo.toml"
    config.write_text(text, encoding="utf-8")
    wrapper = tmp_path / "first_paint.py"
    wrapper.write_text(WRAPPER, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CABINE_FIRST_PAINT_EXIT="1")
    # This checkout's code, whichever the environment installed.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("FIRST_PAINT_TOUCH_QT", None)
    if touch_qt:
        env["FIRST_PAINT_TOUCH_QT"] = "1"
    kiosk = Path(sys.executable).parent / "kiosk"
    try:
        done = subprocess.run(
            [sys.executable, str(wrapper), str(kiosk), "run", "--window", "--config", str(config)],
            check=False,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        shutil.rmtree(spool, ignore_errors=True)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    reports = [line.split()[1:] for line in lines if line.startswith("qt-enums ")]
    assert len(reports) == 1 and any(line.startswith("first-paint ") for line in lines), (
        done.stdout + done.stderr
    )
    return [] if reports[0] == ["none"] else reports[0]


def test_the_idle_screen_is_painted_before_any_qt_enum_is_built(tmp_path):
    built = _qt_enums_at_first_paint(tmp_path)
    assert not built, f"{len(built)} Qt enums built before the first paint: {built[:5]}..."


def test_the_first_paint_check_sees_qt_enums(tmp_path):
    built = _qt_enums_at_first_paint(tmp_path, touch_qt=True)
    assert "Qt.AlignmentFlag" in built
    assert len(built) > 50  # the first one builds them all


# -- the pens and brushes the pictures read from a QDataStream ------------------------------


def _written(value: QPen | QBrush) -> bytes:
    data = QByteArray()
    stream = QDataStream(data, QIODevice.OpenModeFlag.WriteOnly)
    stream.setVersion(drawing.STREAM_VERSION)
    stream << value
    return bytes(data)


def _enum_pen(name: str, width: float) -> QPen:
    pen = QPen(QColor(name))
    pen.setWidthF(width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def test_the_pictures_streams_are_what_qt_writes_for_the_enums_pen_and_brushes():
    template = QPen(QColor("#000000"))
    template.setCapStyle(Qt.PenCapStyle.RoundCap)
    template.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    template.setWidthF(1)
    assert _written(template) == drawing.ROUND_PEN_STREAM
    solid = QBrush(QColor("#000000"), Qt.BrushStyle.SolidPattern)
    assert _written(solid) == drawing.SOLID_BRUSH_STREAM
    hatch = QBrush(QColor("#000000"), Qt.BrushStyle.BDiagPattern)
    assert _written(hatch) == drawing.HATCH_BRUSH_STREAM


@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high-contrast"])
def test_the_pictures_pens_and_brushes_are_the_enums_ones(high_contrast):
    colours = theme.colours(high_contrast=high_contrast)
    for name in {colours.accent, colours.soft, colours.background}:
        for width in (3, 5, 7.5, 12):
            pen = drawing.round_pen(name, width)
            assert pen.capStyle() is Qt.PenCapStyle.RoundCap
            assert pen.joinStyle() is Qt.PenJoinStyle.RoundJoin
            assert pen.style() is Qt.PenStyle.SolidLine
            assert pen == _enum_pen(name, width)
            assert _written(pen) == _written(_enum_pen(name, width))
        solid = drawing.solid_brush(name)
        assert solid.style() is Qt.BrushStyle.SolidPattern
        assert solid == QBrush(QColor(name))
        hatch = drawing.hatch_brush(name)
        assert hatch.style() is Qt.BrushStyle.BDiagPattern
        assert hatch == QBrush(QColor(name), Qt.BrushStyle.BDiagPattern)


# -- the Canvas draws what QPainter draws ----------------------------------------------------


class _Painter:
    """QPainter itself, as the drawings call it (``setBrush(None)``: Qt.BrushStyle.NoBrush)."""

    def __init__(self, painter: QPainter) -> None:
        self.painter = painter

    def setBrush(self, brush: QBrush | None) -> None:
        self.painter.setBrush(Qt.BrushStyle.NoBrush if brush is None else brush)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.painter, name)


def _render(draw: pictures.Draw, colours: theme.Colours, size: int, *, canvas: bool) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(colours.background))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.scale(size / 200, size / 200)
        draw(drawing.Canvas(painter) if canvas else _Painter(painter), colours)  # type: ignore[arg-type]
    finally:
        painter.end()
    return image


@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high-contrast"])
def test_every_picture_is_drawn_pixel_for_pixel_as_with_qpainter(high_contrast):
    colours = theme.colours(high_contrast=high_contrast)
    different = []
    for name, draw in pictures.DRAWINGS.items():
        for size in (200, 260, 400, 531):
            expected = _render(draw, colours, size, canvas=False)
            if _render(draw, colours, size, canvas=True) != expected:
                different.append(f"{name} at {size} px")
    assert not different


def test_a_canvas_without_a_pen_draws_no_outline():
    # Every drawing sets its pen first; a QPainter would have drawn a thin one.
    image = QImage(40, 40, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    canvas = drawing.Canvas(painter)
    canvas.drawLine(QPointF(0, 20), QPointF(40, 20))
    canvas.setBrush(drawing.solid_brush("#000000"))
    canvas.drawRect(QRectF(10, 10, 10, 10))
    painter.end()
    assert image.pixelColor(5, 20) == QColor("#ffffff")
    assert image.pixelColor(15, 15) == QColor("#000000")


# -- what the screens keep instead of asking Qt, all along a session -------------------------


class _Watcher(Shooter):
    """The screenshots' whole session (in French and Arabic, normal and high contrast),
    checking at each step that what the screens know matches what Qt says."""

    def __init__(self, out: Path) -> None:
        super().__init__(out, size=(1280, 800), languages=("fr", "ar"))
        self.problems: list[str] = []
        self.steps = 0

    def _save(self, app: Any, kiosk: Any, name: str) -> None:
        app.processEvents()
        window = kiosk.window
        self.steps += 1
        for state, screen in window.screens.items():
            self.problems += [f"{name}, {state}: {p}" for p in _screen_problems(screen)]
        for widget in window.findChildren(QWidget):
            if scaling.has_own_font(widget) != widget.testAttribute(Qt.WidgetAttribute.WA_SetFont):
                self.problems.append(f"{name}: {widget.objectName()}: own font?")


def _screen_problems(screen: Screen) -> list[str]:
    problems = [
        f"{widget.objectName()} polished, but noted unpolished"
        for widget in screen._unpolished
        if isinstance(widget, QWidget)
        and widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished)
    ]
    if screen.isVisible() and screen._unpolished:
        problems.append("shown with widgets noted unpolished")
    if not screen.testAttribute(Qt.WidgetAttribute.WA_StyledBackground):
        problems.append("no styled background")
    if screen.emergency.alignment() != Qt.AlignmentFlag.AlignCenter:
        problems.append("emergency line not centred")
    if (
        screen.staff_notice.alignment()
        != Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    ):
        problems.append("staff notice not from the reading side")
    if screen.isRightToLeft() != (screen.language in RIGHT_TO_LEFT):
        problems.append(f"{screen.layoutDirection()} in {screen.language}")
    # Once the session is there, a screen has its own direction (turned after the window's
    # style sheet, not with the window), as when each set_language set it.
    if screen.bridge is not None and not screen.testAttribute(
        Qt.WidgetAttribute.WA_SetLayoutDirection
    ):
        problems.append("direction inherited")
    return problems


def test_what_the_screens_keep_is_what_qt_says_all_along_a_session(qapp, tmp_path):
    watcher = _Watcher(tmp_path)
    watcher.run()
    assert watcher.steps >= 30 * 2 * 2
    assert not watcher.problems, "\n".join(watcher.problems[:40])


def test_a_new_screen_has_nothing_polished_and_no_font_set_unnoted(qtbot):
    from ui.screens import screen_classes

    for cls in screen_classes().values():
        screen = cls(("fr", "en", "ar", "es"))
        qtbot.addWidget(screen)
        assert screen._unpolished
        for widget in screen._unpolished:
            assert isinstance(widget, QWidget)
            assert not widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished), widget
        for widget in [screen, *screen.findChildren(QWidget)]:
            own = widget.testAttribute(Qt.WidgetAttribute.WA_SetFont)
            assert scaling.has_own_font(widget) == own, (cls.__name__, widget.objectName())
        assert screen.emergency.alignment() == Qt.AlignmentFlag.AlignCenter
