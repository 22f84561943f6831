"""The mallette's instruments, from the nurse's desk ("Appareils"): search the BLE instruments
around, pair the chosen one, forget it, see its battery and when its last reading came.

The actions run in :class:`~kiosk.services.pairing.PairingService`'s thread; their outcome
comes back here as a Qt signal (queued to the screen's thread). A refusal is said in words,
the cuff bonded to a phone with what to do.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import Any

from PyQt6.QtCore import QObject, Qt, pyqtSignal
from PyQt6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from kiosk.services.pairing import (
    DeviceKind,
    FoundDevice,
    PairingError,
    PairingFailure,
    PairingService,
)
from ui import scaling, theme
from ui.i18n import translate
from ui.readings import ltr
from ui.theme import big_font
from ui.widgets import big_button, text_label

#: The rows the list shows before it scrolls.
VISIBLE_ROWS = 4


def kind_name(kind: DeviceKind) -> str:
    names = {
        DeviceKind.BLOOD_PRESSURE: translate("Pairing", "Blood pressure monitor"),
        DeviceKind.THERMOMETER: translate("Pairing", "Thermometer"),
        DeviceKind.WEIGHT: translate("Pairing", "Scale"),
        DeviceKind.PULSE_OXIMETER: translate("Pairing", "Pulse oximeter"),
    }
    return names.get(kind, translate("Pairing", "Other device"))


def failure_text(reason: str) -> str:
    if reason == PairingFailure.BONDED_ELSEWHERE:
        return translate(
            "Pairing",
            "This cuff is paired with another device (a phone?): erase its pairing (see its "
            "manual), then try again.",
        )
    if reason == PairingFailure.NOT_FOUND:
        return translate(
            "Pairing", "The device is no longer seen: switch it on, bring it closer, search again."
        )
    if reason == PairingFailure.TIMEOUT:
        return translate("Pairing", "The device did not answer in time: try again.")
    return translate("Pairing", "This did not work: try again. If it goes on, call support.")


class _Outcome(QObject):
    """Carries an action's outcome from the pairing thread to the screen's."""

    #: (the action's name, its result or the exception raised)
    done = pyqtSignal(str, object)


class PairingPanel(QWidget):
    """The desk's "Appareils" page: the search, the list, pair and forget."""

    #: A sentence for the screen reader (the desk announces it).
    announce = pyqtSignal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="pairingPanel")
        self.service: PairingService | None = None
        #: The action running ("scan", "pair", "forget"), or "".
        self.busy = ""
        #: The last refusal (a :class:`PairingFailure` value), or "".
        self.error = ""
        self.scanned = False
        self._outcome = _Outcome(self)
        self._outcome.done.connect(self._on_done)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        # One row of actions (search, pair, forget), then what happened, the list, a refusal.
        top = QHBoxLayout()
        self.scan_button = big_button("pairingScan", primary=True)
        self.scan_button.clicked.connect(self.on_scan)
        self.pair_button = big_button("pairingPair", primary=True)
        self.pair_button.clicked.connect(self.on_pair)
        self.forget_button = big_button("pairingForget")
        self.forget_button.clicked.connect(self.on_forget)
        for button in (self.scan_button, self.pair_button, self.forget_button):
            top.addWidget(button)
        layout.addLayout(top)  # the buttons share the row: room for any language's words
        self.status = text_label(theme.SMALL_PT, name="pairingStatus")
        layout.addWidget(self.status)
        self.devices = QListWidget(objectName="pairingDevices")
        scaling.set_font(self.devices, big_font(theme.SMALL_PT))
        self.devices.itemSelectionChanged.connect(self.refresh)
        layout.addWidget(self.devices)
        self.error_label = text_label(theme.BODY_PT, name="pairingError", bold=True)
        layout.addWidget(self.error_label)
        self.set_high_contrast(False)
        self.retranslate()  # every button has its words before the panel is first shown

    # -- the nurse's actions -------------------------------------------------------------

    def selected(self) -> FoundDevice | None:
        items = self.devices.selectedItems()
        if not items or self.service is None:
            return None
        return self.service.found.get(str(items[0].data(Qt.ItemDataRole.UserRole)))

    def on_scan(self) -> None:
        if self.service is not None and not self.busy:
            self._run("scan", self.service.scan)

    def on_pair(self) -> None:
        device = self.selected()
        if self.service is not None and device is not None and not self.busy:
            service, address = self.service, device.address
            self._run("pair", lambda: service.pair(address))

    def on_forget(self) -> None:
        device = self.selected()
        if self.service is not None and device is not None and not self.busy:
            service, address = self.service, device.address
            self._run("forget", lambda: service.forget(address))

    def _run(self, name: str, action: Callable[[], Any]) -> None:
        assert self.service is not None
        self.busy = name
        self.error = ""
        self.refresh()
        future = self.service.submit(action)

        def done(f: concurrent.futures.Future[Any]) -> None:
            error = f.exception()
            self._outcome.done.emit(name, error if error is not None else f.result())

        future.add_done_callback(done)

    def _on_done(self, name: str, outcome: object) -> None:
        self.busy = ""
        if isinstance(outcome, PairingError):
            self.error = outcome.reason.value
        elif isinstance(outcome, BaseException):
            self.error = PairingFailure.FAILED.value
        else:
            self.error = ""
            if name == "scan":
                self.scanned = True
        self.refresh()
        self.announce.emit(self.error_label.text() if self.error else self.status.text())

    # -- what the page shows -------------------------------------------------------------

    def device_text(self, device: FoundDevice) -> str:
        parts = [f"{kind_name(device.kind)} — {device.name}"]
        if device.paired:
            parts.append("✓ " + translate("Pairing", "Paired"))
        service = self.service
        battery = service.battery.get(device.address) if service is not None else None
        if battery is not None:
            parts.append(translate("Pairing", "Battery {level}").format(level=ltr(f"{battery} %")))
        last = service.last_reading.get(device.kind) if service is not None else None
        if last is not None and device.paired:
            parts.append(
                translate("Pairing", "Last reading at {time}").format(time=ltr(f"{last:%H:%M}"))
            )
        return "  ·  ".join(parts)

    def refresh(self) -> None:
        chosen = self.selected()
        chosen_address = chosen.address if chosen is not None else ""
        found = list(self.service.found.values()) if self.service is not None else []
        self.devices.blockSignals(True)
        self.devices.clear()
        for device in found:
            item = QListWidgetItem(self.device_text(device))
            item.setData(Qt.ItemDataRole.UserRole, device.address)
            self.devices.addItem(item)
            if device.address == chosen_address:
                item.setSelected(True)
        self.devices.blockSignals(False)
        # The list as tall as its rows (four at most, then it scrolls): never cut by the page.
        rows = min(self.devices.count(), VISIBLE_ROWS)
        if rows:
            row_px = self.devices.sizeHintForRow(0)
            self.devices.setFixedHeight(rows * row_px + 2 * self.devices.frameWidth() + 4)
        chosen = self.selected()
        idle = not self.busy and self.service is not None
        self.scan_button.setEnabled(idle)
        self.pair_button.setEnabled(idle and chosen is not None and not chosen.paired)
        self.forget_button.setEnabled(idle and chosen is not None and chosen.paired)
        self.devices.setVisible(bool(found))
        self.retranslate()

    def retranslate(self) -> None:
        self.scan_button.setText("⟳  " + translate("Pairing", "Search"))
        self.pair_button.setText(translate("Pairing", "Pair"))
        self.forget_button.setText(translate("Pairing", "Forget"))
        count = self.devices.count()
        if self.busy == "scan":
            status = translate("Pairing", "Searching… switch the device on.")
        elif self.busy:
            status = translate("Pairing", "Please wait…")
        elif count:
            status = translate("Pairing", "Devices found: {count}. Choose one.").format(count=count)
        elif self.scanned:
            status = translate("Pairing", "No device found: switch it on and search again.")
        else:
            status = ""
        self.status.setText(status)
        self.error_label.setText(failure_text(self.error) if self.error else "")
        self.error_label.setVisible(bool(self.error))

    def set_high_contrast(self, on: bool) -> None:
        c = theme.colours(high_contrast=on)
        background = c.background if on else "#ffffff"
        self.devices.setStyleSheet(
            f"QListWidget {{ background: {background}; color: {c.text}; "
            f"border: 3px solid {c.accent}; border-radius: 10px; }}"
            "QListWidget::item { padding: 14px 10px; }"
            f"QListWidget::item:selected {{ background: {c.accent}; color: {c.background}; }}"
        )
        self.error_label.setStyleSheet(f"color: {c.warn_text}; background: {c.warn}; padding: 8px;")
        self.status.setStyleSheet(f"color: {c.text};")
