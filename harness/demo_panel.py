"""The demo's control panel: what a person trying Cabine does to the simulated hardware.

Insert or pull a virtual Carte Vitale, unplug the scale, stop the printer, cut the cabin's
network to the portal, and open the doctor's page. A window of its own, beside the kiosk.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import subprocess
import tempfile
from typing import Any

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)

DOCTOR_FLAGS = (
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
    "--autoplay-policy=no-user-gesture-required",
)


class DemoPanel(QWidget):
    """Buttons on a :class:`harness.stack.SimulatedStack`; every action runs off the loop."""

    def __init__(
        self,
        stack: Any,
        *,
        doctor_url: str,
        credentials: tuple[str, str],
        staff: tuple[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.setWindowTitle("Cabine — démo (panneau de contrôle)")
        self.stack = stack
        self.doctor_url = doctor_url
        self._browser: subprocess.Popen[bytes] | None = None
        self._profile: tempfile.TemporaryDirectory[str] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.status = QLabel("")
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        doctor = QGroupBox("Médecin / doctor")
        grid = QGridLayout(doctor)
        grid.addWidget(QLabel(f"Page : {doctor_url}"), 0, 0, 1, 2)
        grid.addWidget(
            QLabel(f"Identifiant : {credentials[0]}   Mot de passe : {credentials[1]}"), 1, 0, 1, 2
        )
        open_doctor = QPushButton("Ouvrir la page du médecin", objectName="openDoctor")
        open_doctor.clicked.connect(self.on_open_doctor)
        grid.addWidget(open_doctor, 2, 0, 1, 2)
        if staff is not None:
            # The site's staff (pharmacy, reception) book and see who came, on their own page.
            grid.addWidget(
                QLabel(
                    f"Personnel sur site : {doctor_url}staff — "
                    f"identifiant : {staff[0]}   mot de passe : {staff[1]}",
                    objectName="staffLogin",
                ),
                3,
                0,
                1,
                2,
            )
        layout.addWidget(doctor)

        card = QGroupBox("Carte Vitale")
        grid = QGridLayout(card)
        self.profile = QComboBox(objectName="profile")
        from drivers.card.sim import profile_names

        self.profile.addItems(profile_names())
        # The usual case first: one person on the card (a bank card is there to try a fault).
        if "one" in profile_names():
            self.profile.setCurrentText("one")
        grid.addWidget(self.profile, 0, 0, 1, 2)
        insert = QPushButton("Insérer la carte", objectName="insertCard")
        insert.clicked.connect(self.on_insert)
        remove = QPushButton("Retirer la carte", objectName="removeCard")
        remove.clicked.connect(self.on_remove)
        grid.addWidget(insert, 1, 0)
        grid.addWidget(remove, 1, 1)
        code = getattr(stack, "booking_code", "")
        if code:
            # The person on the "one" card has the next slot: insert the card, or type this.
            self.booking = QLabel(
                f"Rendez-vous de la carte « one » : code {code} "
                "(à saisir sur la borne, « Pas de carte Vitale ? »)",
                objectName="bookingCode",
            )
            self.booking.setWordWrap(True)
            self.booking.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(self.booking, 2, 0, 1, 2)
        layout.addWidget(card)

        faults = QGroupBox("Pannes / faults")
        grid = QGridLayout(faults)
        for row, (label, name, action) in enumerate(
            (
                ("Débrancher la balance", "unplugScale", self.stack.scale.unplug),
                ("Rebrancher la balance", "replugScale", self.stack.scale.replug),
                ("Arrêter l'imprimante", "stopPrinter", self._stop_printer),
                ("Relancer l'imprimante", "resumePrinter", self._resume_printer),
            )
        ):
            button = QPushButton(label, objectName=name)
            button.clicked.connect(lambda _=False, a=action, n=label: self._blocking(n, a))
            grid.addWidget(button, row // 2, row % 2)
        cut = QPushButton("Couper le réseau (portail)", objectName="cutNetwork")
        cut.clicked.connect(lambda: self._spawn("cut", self.stack.cut_portal_link()))
        restore = QPushButton("Rétablir le réseau", objectName="restoreNetwork")
        restore.clicked.connect(lambda: self._spawn("restore", self.stack.restore_portal_link()))
        grid.addWidget(cut, 2, 0)
        grid.addWidget(restore, 2, 1)
        layout.addWidget(faults)
        layout.addWidget(self.status)

    # -- actions -------------------------------------------------------------------------

    def _stop_printer(self) -> None:
        self.stack.cups.stop_queue(self.stack.cups.queues[0])

    def _resume_printer(self) -> None:
        self.stack.cups.resume_queue(self.stack.cups.queues[0])

    def _spawn(self, name: str, coro: Any) -> None:
        async def run() -> None:
            try:
                await coro
            except Exception as exc:
                self.status.setText(f"{name} : échec ({type(exc).__name__}: {exc})")
            else:
                self.status.setText(f"{name} : fait")

        task = asyncio.get_event_loop().create_task(run(), name=f"demo-{name}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _blocking(self, name: str, action: Any) -> None:
        self._spawn(name, asyncio.to_thread(action))

    def on_insert(self) -> None:
        profile = self.profile.currentText()
        self._blocking(f"carte {profile} insérée", lambda: self.stack.insert_card(profile))

    def on_remove(self) -> None:
        self._blocking("carte retirée", self.stack.remove_card)

    def on_open_doctor(self) -> None:
        """A Chromium window on the doctor's page, in this demo's network (owned, stopped)."""
        if self._browser is not None and self._browser.poll() is None:
            return
        binary = shutil.which("chromium")
        if binary is None or not os.environ.get("DISPLAY"):
            self.status.setText(f"Ouvrez {self.doctor_url} dans un navigateur.")
            return
        self._profile = tempfile.TemporaryDirectory(prefix="cabine-demo-doctor-")
        args = [
            binary,
            *DOCTOR_FLAGS,
            f"--user-data-dir={self._profile.name}",
            f"--app={self.doctor_url}",
        ]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")
        self._browser = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.status.setText("Page du médecin ouverte.")

    def close_all(self) -> None:
        if self._browser is not None and self._browser.poll() is None:
            self._browser.terminate()
            try:
                self._browser.wait(10)
            except subprocess.TimeoutExpired:
                self._browser.kill()
                self._browser.wait(5)
        self._browser = None
        if self._profile is not None:
            self._profile.cleanup()
            self._profile = None
        for task in list(self._tasks):
            task.cancel()
        self.close()
