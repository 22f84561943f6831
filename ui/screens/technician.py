"""Technician mode: each self-test (run, result), a test print, and the way out to the desktop."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QColor
from PyQt6.QtWidgets import (
    QBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk import __version__
from kiosk.config import Config
from kiosk.selftest import CheckResult, Report
from ui import scaling, theme
from ui.i18n import translate
from ui.readings import ltr
from ui.theme import big_font
from ui.widgets import big_button, set_direction, wrap_text

log = logging.getLogger(__name__)

JOIN_TIMEOUT_S = 2.0

#: Runs the self-tests (default: :func:`kiosk.selftest.run_all`).
SelfTestRunner = Callable[[Config], Report]
#: Prints a test page; returns what to tell the technician.
TestPrint = Callable[[], str]
#: The newest log lines holding a text (a device id).
LogLines = Callable[[str], list[str]]


def _run_all(config: Config) -> Report:
    from kiosk.selftest import run_all

    return run_all(config)


class TechnicianScreen(QWidget):
    """Checks in a table; the work runs in named threads, results come back as signals."""

    #: Self-tests finished (a Report).
    checks_done = pyqtSignal(object)
    #: The test print finished (message).
    print_done = pyqtSignal(str)
    #: Back to the patient screens.
    closed = pyqtSignal()
    #: Leave the kiosk for the desktop.
    exit_requested = pyqtSignal()

    def __init__(
        self,
        config: Config,
        *,
        runner: SelfTestRunner = _run_all,
        test_print: TestPrint | None = None,
        logs: LogLines | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.config = config
        self.runner = runner
        self.test_print = test_print
        self.logs = logs
        self.report: Report | None = None
        #: The check shown on each row of the table (a hint's row: its check's).
        self._row_checks: list[int] = []
        self.high_contrast = False
        self.print_message = ""
        self._running = False
        self._threads: list[threading.Thread] = []
        self.title = QLabel(objectName="title")
        self.title.setFont(big_font(theme.TITLE_PT, bold=True))
        self.status = QLabel(objectName="status")
        self.status.setFont(big_font(theme.SMALL_PT))
        wrap_text(self.status)
        self.table = QTableWidget(0, 3)
        self.table.setFont(big_font(theme.SMALL_PT))
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setFont(big_font(theme.SMALL_PT, bold=True))
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.currentCellChanged.connect(lambda row, *_: self.show_logs(row))
        self.log_view = QLabel(objectName="logs")
        self.log_view.setFont(big_font(theme.SMALL_PT))
        wrap_text(self.log_view)
        self.log_view.setTextFormat(Qt.TextFormat.PlainText)
        self.run_button = big_button("runChecks", primary=True)
        self.print_button = big_button("testPrint")
        self.back_button = big_button("back")
        self.exit_button = big_button("exitDesktop")
        self.run_button.clicked.connect(self.on_run)
        self.print_button.clicked.connect(self.on_test_print)
        self.back_button.clicked.connect(self.closed)
        self.exit_button.clicked.connect(self.exit_requested)
        self.checks_done.connect(self._on_checks_done)
        self.print_done.connect(self._on_print_done)
        # The tools, then the ways out; on two rows when one is too narrow.
        self._tools = tools = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        tools.setSpacing(20)
        for button in (self.run_button, self.print_button):
            tools.addWidget(button)
        tools.addStretch(1)
        self._exits = exits = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        exits.setSpacing(20)
        exits.addStretch(1)
        for button in (self.back_button, self.exit_button):
            exits.addWidget(button)
        self._buttons = buttons = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        buttons.setSpacing(20)
        buttons.addLayout(tools, 0)
        buttons.addLayout(exits, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(56, 40, 56, 40)
        layout.setSpacing(20)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.log_view)
        layout.addLayout(buttons)
        self._layout = layout
        self._width = 0
        self.retranslate()

    def fit(self, width: int, height: int) -> None:
        """Scale the screen to a ``width``×``height`` window (see :mod:`ui.scaling`)."""
        scaling.apply_scale(self, scaling.scale_for(width, height))
        self._width = width
        self._reflow()
        self.table.resizeRowsToContents()

    def _reflow(self) -> None:
        if self._width <= 0:
            return
        margins = self._layout.contentsMargins()
        room = self._width - margins.left() - margins.right()
        gap = self._buttons.spacing()

        def width(*buttons: QPushButton) -> int:
            return sum(max(b.sizeHint().width(), b.minimumWidth()) for b in buttons) + gap * (
                len(buttons) - 1
            )

        tools = width(self.run_button, self.print_button)
        exits = width(self.back_button, self.exit_button)
        set_direction(self._buttons, horizontal=tools + gap + exits <= room)
        set_direction(self._tools, horizontal=tools <= room)
        set_direction(self._exits, horizontal=exits <= room)

    # -- self-tests ----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    def on_run(self) -> None:
        if self._running:
            return
        self._running = True
        self.run_button.setEnabled(False)
        self.retranslate()
        self._start("technician-selftest", self._checks_worker)

    def _checks_worker(self) -> None:
        try:
            report = self.runner(self.config)
        except Exception as exc:  # the technician sees it; the kiosk keeps running
            log.warning("technician self-test failed: %s", type(exc).__name__)
            report = Report([CheckResult("selftest", False, f"{type(exc).__name__}: {exc}")])
        self.checks_done.emit(report)

    def _on_checks_done(self, report: Report) -> None:
        self._running = False
        self.run_button.setEnabled(True)
        self.show_report(report)

    def show_report(self, report: Report) -> None:
        self.report = report
        self._fill(report.checks)
        self.retranslate()

    def _fill(self, checks: Sequence[CheckResult]) -> None:
        # A failed check is marked by a word, a mark, bold and a colour; what to do about it
        # (the self-test's hint) is the row under it, in the details' column (a cell across
        # the table would widen the first column to its whole text).
        rows: list[tuple[int, bool]] = []
        for index, check in enumerate(checks):
            rows.append((index, False))
            if not check.ok and check.hint:
                rows.append((index, True))
        self._row_checks = [index for index, _hint in rows]
        self.table.setRowCount(len(rows))
        for row, (index, is_hint) in enumerate(rows):
            check = checks[index]
            if is_hint:
                text = translate("Technician", "What to do: {hint}").format(hint=ltr(check.hint))
                for col, cell in enumerate(("", "", text)):
                    self.table.setItem(row, col, self._item(cell, failed=True, hint=True))
                continue
            # The result is a word and a mark, not a colour.
            result = (
                "✓ " + translate("Technician", "OK")
                if check.ok
                else "✗ " + translate("Technician", "FAILED")
            )
            # Names and details are technical text (paths, ids): kept left to right.
            for col, text in enumerate((ltr(check.name), result, ltr(check.detail))):
                self.table.setItem(row, col, self._item(text, failed=not check.ok))
        self.table.resizeRowsToContents()

    def _item(self, text: str, *, failed: bool, hint: bool = False) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        if failed:
            if self.high_contrast:
                background, foreground = ("#000000", "#ffff00") if hint else ("#ffff00", "#000000")
            else:
                background, foreground = ("#fff4f4", "#5c1010") if hint else ("#fbdcdc", "#7a0e0e")
            item.setBackground(QColor(background))
            item.setForeground(QColor(foreground))
            font = self.table.font()
            font.setBold(not hint)
            item.setFont(font)
        return item

    def is_failed_row(self, row: int) -> bool:
        """Whether table row ``row`` is a failed check or what to do about one."""
        if self.report is None or not 0 <= row < len(self._row_checks):
            return False
        return not self.report.checks[self._row_checks[row]].ok

    def set_high_contrast(self, on: bool) -> None:
        self.high_contrast = on
        if self.report is not None:
            self._fill(self.report.checks)

    def show_logs(self, row: int) -> None:
        """The log lines of the check in ``row`` (its device, printer...)."""
        if self.report is None or not 0 <= row < len(self._row_checks) or self.logs is None:
            self.log_view.setText("")
            return
        name = self.report.checks[self._row_checks[row]].name
        subject = name.split(":", 1)[-1]
        lines = self.logs(subject)
        heading = translate("Technician", "Logs of {name}:").format(name=ltr(name))
        none = translate("Technician", "(no log line)")
        # Log lines hold paths and ids: each kept left to right, in Arabic too.
        self.log_view.setText("\n".join([heading, *([ltr(line) for line in lines] or [none])]))

    # -- test print ----------------------------------------------------------------------

    def on_test_print(self) -> None:
        if self.test_print is None:
            self._on_print_done(translate("Technician", "No printer is set up in this kiosk."))
            return
        hook = self.test_print
        self.print_button.setEnabled(False)

        def work() -> None:
            try:
                message = hook()
            except Exception as exc:
                message = f"{type(exc).__name__}: {exc}"
            self.print_done.emit(message)

        self._start("technician-print", work)

    def _on_print_done(self, message: str) -> None:
        self.print_button.setEnabled(True)
        self.print_message = message
        self.retranslate()

    # -- misc ----------------------------------------------------------------------------

    def _start(self, name: str, target: Callable[[], None]) -> None:
        self._threads = [t for t in self._threads if t.is_alive()]
        thread = threading.Thread(target=target, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def retranslate(self) -> None:
        self.title.setText(translate("Technician", "Technician mode"))
        self.table.setHorizontalHeaderLabels(
            [
                translate("Technician", "Check"),
                translate("Technician", "Result"),
                translate("Technician", "Detail"),
            ]
        )
        lines = [
            translate("Technician", "Cabin {cabin} · version {version}").format(
                cabin=ltr(self.config.cabin.id), version=ltr(__version__)
            )
        ]
        if self._running:
            lines.append(translate("Technician", "Running the self-tests…"))
        elif self.report is not None:
            failed = sum(1 for c in self.report.checks if not c.ok)
            lines.append(
                translate("Technician", "%n of {total} checks failed.", None, failed).format(
                    total=len(self.report.checks)
                )
            )
        if self.print_message:
            lines.append(
                # An English path or a translated sentence: each in its own direction.
                translate("Technician", "Test print: {message}").format(
                    message=f"\u2068{self.print_message}\u2069"
                )
            )
        self.status.setText("\n".join(lines))
        self.run_button.setText(translate("Technician", "Run the self-tests"))
        self.print_button.setText(translate("Technician", "Print a test page"))
        self.back_button.setText(translate("Technician", "Back to the patient screen"))
        self.exit_button.setText(translate("Technician", "Exit to the desktop"))
        self._reflow()

    def close_workers(self) -> None:
        for thread in self._threads:
            thread.join(JOIN_TIMEOUT_S)
        self._threads = []
