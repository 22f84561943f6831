"""The simulated cabin's hardware and services, started and stopped together.

A private pcscd with the vpcd reader (virtual Carte Vitale), the serial instruments on
pseudo-terminals (SunTech tensiometer, A&D scale, Nonin oximeter), a BLE thermometer behind a
simulated BlueZ on a private D-Bus, a private CUPS with a PDF queue, and the doctor portal.
:meth:`SimulatedStack.kiosk_config` points a cabin's config at all of them.

Everything is started by this process and stopped by PID in :meth:`SimulatedStack.stop`,
in reverse order, whatever failed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.config import Config, DeviceConfig, PortalLinkConfig, project_config
from kiosk.errors import CabineError

log = logging.getLogger(__name__)

DEMO_CABIN_TOKEN = "demo-cabin-token"
DEMO_DOCTOR = ("dr-demo", "demo")
#: The demo's staff login (config/portal-demo.toml): the staff page /staff only.
DEMO_STAFF = ("staff-demo", "demo")
THERMOMETER_ADDRESS = "C0:FF:EE:00:00:09"
#: The demo's portal config, named explicitly: ``kiosk portal`` has no default config,
#: since this file's session key is public.
DEMO_PORTAL_CONFIG = project_config("portal-demo")


class StackError(CabineError):
    """A simulated component could not start; the message says which and why."""


def next_demo_slot(now: datetime, slot_min: int) -> datetime:
    """The first slot of a cabin open all day (slots of ``slot_min`` from midnight) that
    begins a minute or more after ``now``: past midnight, on the next day."""
    minute_of_day = now.hour * 60 + now.minute
    start = now.replace(second=0, microsecond=0) + timedelta(
        minutes=slot_min - minute_of_day % slot_min
    )
    if (start - now).total_seconds() < 60:  # it would begin before the booking is made
        start += timedelta(minutes=slot_min)
    return start


@dataclass
class SimulatedStack:
    """The simulated components; ``ble`` and ``portal`` may be left out."""

    workdir: Path | None = None
    ble: bool = True
    portal: bool = True
    #: The demo portal's config; another one (a test's) gets no demo appointment.
    portal_config_path: Path = DEMO_PORTAL_CONFIG
    portal_port: int | None = None  # None: the portal config's port; 0: any free port
    pcscd: Any = None
    tensiometer: Any = None
    scale: Any = None
    oximeter: Any = None
    bluez: Any = None
    cups: Any = None
    running_portal: Any = None
    link: Any = None
    #: The booking code of the demo patient's appointment (the "one" card), when booked.
    booking_code: str = ""
    _cards: list[Any] = field(default_factory=list)
    _stops: list[tuple[str, Callable[[], Any]]] = field(default_factory=list)
    _own_workdir: bool = False

    # -- start ---------------------------------------------------------------------------

    def _start(self, name: str, start: Callable[[], Any], stop: Callable[[], Any]) -> None:
        try:
            start()
        except Exception as exc:
            with contextlib.suppress(Exception):
                stop()
            raise StackError(f"simulated {name} could not start: {exc}") from exc
        self._stops.append((name, stop))
        log.info("demo: simulated %s started", name)

    def start_hardware(self) -> None:
        """Start everything but the portal (blocking; seconds at most)."""
        from drivers.and_scale.sim import AndScaleSimulator
        from drivers.card.pcscd import SOCKET_ENV, PrivatePcscd
        from drivers.nonin.sim import NoninSimulator
        from drivers.printer.sim import PrivateCups
        from drivers.suntech.sim import SunTechSimulator

        if self.workdir is None:
            self.workdir = Path(tempfile.mkdtemp(prefix="cabine-demo-"))
            self._own_workdir = True
        self.workdir.mkdir(parents=True, exist_ok=True)
        socket_path = self.workdir / "pcscd.comm"
        # libpcsclite reads this once, at the process's first PC/SC context.
        os.environ[SOCKET_ENV] = str(socket_path)
        self.pcscd = PrivatePcscd(workdir=self.workdir / "pcscd", socket_path=socket_path)
        self._start("card reader (pcscd + vpcd)", self.pcscd.start, self._stop_pcscd)

        # Stable names, as udev gives real instruments: a replugged device keeps its path.
        self.tensiometer = SunTechSimulator(name="tensiometer", link=self.workdir / "tensiometer")
        self._start("tensiometer", self.tensiometer.start, self.tensiometer.stop)
        self.scale = AndScaleSimulator(name="scale", link=self.workdir / "scale")
        self._start("scale", self.scale.start, self.scale.stop)
        self.oximeter = NoninSimulator(name="oximeter", link=self.workdir / "oximeter")
        self._start("oximeter", self.oximeter.start, self.oximeter.stop)

        if self.ble:
            from drivers.ble.sim import BlueZSimulator, DeviceSpec, Profile

            self.bluez = BlueZSimulator(directory=self.workdir / "ble")
            (self.workdir / "ble").mkdir(exist_ok=True)

            def start_ble() -> None:
                self.bluez.start()
                os.environ.update(self.bluez.env)
                self.bluez.add_device(
                    DeviceSpec(
                        profile=Profile.THERMOMETER,
                        address=THERMOMETER_ADDRESS,
                        name="Thermomètre démo",
                    )
                )

            self._start("BLE thermometer (BlueZ on a private bus)", start_ble, self.bluez.stop)

        self.cups = PrivateCups()

        def start_cups() -> None:
            self.cups.start()
            os.environ["CUPS_SERVER"] = self.cups.server
            os.environ["CUPS_SERVERROOT"] = str(self.cups.server_root)  # the self-test reads it

        self._start("printer (CUPS + PDF queue)", start_cups, self._stop_cups)

    async def start_portal(self) -> None:
        """Start the doctor portal in this process's event loop."""
        if not self.portal:
            return
        from portal import config as portal_config
        from portal import server

        cfg = portal_config.load(self.portal_config_path)
        demo_appointments = (
            not cfg.appointments.database and self.portal_config_path == DEMO_PORTAL_CONFIG
        )
        if demo_appointments:
            cfg = self._with_demo_appointments(cfg)
        try:
            self.running_portal = await server.start(cfg, host="127.0.0.1", port=self.portal_port)
        except OSError as exc:
            raise StackError(f"the doctor portal could not start: {exc}") from exc
        log.info("demo: doctor portal at %s", self.running_portal.url)
        if demo_appointments:
            await self._book_demo_patient(server.HUB)
        from harness.linkcut import CuttableLink

        host, port = self.running_portal.url.rsplit("//", 1)[1].rsplit(":", 1)
        self.link = CuttableLink(host, int(port))
        await self.link.start()

    def _with_demo_appointments(self, cfg: Any) -> Any:
        """The demo portal with appointments: a SQLite file in the work folder, and the demo
        cabin open every day, all day, so that the demo books a slot whenever it runs."""
        from portal.config import HoursConfig

        if self.workdir is None:
            self.workdir = Path(tempfile.mkdtemp(prefix="cabine-demo-"))
            self._own_workdir = True
        database = f"sqlite+aiosqlite:///{self.workdir / 'appointments.db'}"
        hours = {
            cabin: replace(
                cfg.hours.get(cabin, HoursConfig()),
                days=("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
                opens="00:00",
                closes="24:00",  # the 23:45 slot too: the demo may run at any hour
            )
            for cabin in cfg.cabins
        }
        return replace(cfg, appointments=replace(cfg.appointments, database=database), hours=hours)

    async def _book_demo_patient(self, hub_key: Any) -> None:
        """Book the next slot for the person on the "one" card; keep its booking code."""
        import json

        from drivers.card.sim import PROFILES_DIR
        from portal.appointments.rules import BookingError

        hub = self.running_portal.app[hub_key]
        # The database opened with the portal's start (its cleanup context), or not at all.
        if hub.appointments is None:
            log.warning("demo: the appointments database did not open; no demo booking")
            return
        one = (PROFILES_DIR / "one.json").read_text(encoding="utf-8")
        person = json.loads(one)["beneficiaries"][0]
        cabin = next(iter(hub.appointments.cfg.hours))
        now = hub.appointments.local(cabin, int(datetime.now().timestamp()))
        slot = next_demo_slot(now, hub.appointments.cfg.hours[cabin].slot_min)
        birth = person["birth_date"]
        try:
            appointment, _ = await hub.appointments.book(
                {
                    "id": "demo-1",
                    "cabin_id": cabin,
                    "slot_start": slot.isoformat(),
                    "lang": "fr",
                    "phone": "+33612345678",
                    "last_name": person["last_name"],
                    "first_name": person["first_name"],
                    "birth_date": f"{birth[:4]}-{birth[4:6]}-{birth[6:]}",
                }
            )
        except BookingError as exc:
            log.warning("demo: no demo appointment: %s", exc.code)
            return
        self.booking_code = str(appointment["code"])
        log.info("demo: the demo patient's appointment is booked at %s", slot.strftime("%H:%M"))

    async def cut_portal_link(self) -> None:
        """The cabin loses its network to the portal (the doctor keeps theirs)."""
        if self.link is not None:
            await self.link.cut()

    async def restore_portal_link(self) -> None:
        if self.link is not None:
            await self.link.restore()

    # -- what the cabin uses ---------------------------------------------------------------

    @property
    def portal_url(self) -> str:
        return self.running_portal.url if self.running_portal is not None else ""

    def kiosk_config(self, base: Config) -> Config:
        """``base`` pointed at the simulated components."""
        devices = {
            "tensiometer": DeviceConfig(
                driver="suntech-advantage",
                kind="blood_pressure",
                port=self.tensiometer.path,
                model="SunTech Advantage (simulated)",
                serial="SIM-BP-01",
                measure_timeout=60.0,
            ),
            "scale": DeviceConfig(
                driver="and-weight",
                kind="weight",
                port=self.scale.path,
                model="A&D (simulated)",
                serial="SIM-W-01",
                measure_timeout=30.0,
            ),
            "oximeter": DeviceConfig(
                driver="nonin-oem3",
                kind="spo2",
                port=self.oximeter.path,
                model="Nonin OEM III (simulated)",
                serial="SIM-OX-01",
                measure_timeout=30.0,
            ),
        }
        if self.bluez is not None:
            devices["thermometer"] = DeviceConfig(
                driver="ble-thermometer",
                kind="temperature",
                address=THERMOMETER_ADDRESS,
                model="BLE thermometer (simulated)",
                serial="SIM-T-01",
                measure_timeout=30.0,
            )
        portal = base.portal
        if self.running_portal is not None:
            # The cabin reaches the portal through the link the demo can cut.
            url = self.portal_url if self.link is None else f"http://127.0.0.1:{self.link.port}"
            ws = url.replace("http://", "ws://").replace("https://", "wss://")
            portal = PortalLinkConfig(url=ws, token=DEMO_CABIN_TOKEN)
        return replace(
            base,
            card=replace(base.card, pcsc_socket=str(self.pcscd.socket_path)),
            devices=devices,
            portal=portal,
        )

    def insert_card(self, profile: str = "one") -> Any:
        """Put a virtual Carte Vitale (a shipped profile name or a JSON path) in the reader."""
        from drivers.card import sim

        self.remove_card()
        card = sim.VirtualCard(sim.load_profile(profile), port=self.pcscd.port)
        card.insert()
        self._cards.append(card)
        return card

    def remove_card(self) -> None:
        while self._cards:
            self._cards.pop().remove()

    # -- stop ----------------------------------------------------------------------------

    def _stop_pcscd(self) -> None:
        self.remove_card()
        self.pcscd.stop()
        self.pcscd.cleanup()

    def _stop_cups(self) -> None:
        self.cups.stop()
        self.cups.cleanup()

    async def stop(self) -> None:
        if self.link is not None:
            with contextlib.suppress(Exception):
                await self.link.close()
            self.link = None
        if self.running_portal is not None:
            with contextlib.suppress(Exception):
                await self.running_portal.stop()
            self.running_portal = None
        self.stop_hardware()

    def stop_hardware(self) -> None:
        while self._stops:
            name, stop = self._stops.pop()
            try:
                stop()
            except Exception as exc:
                log.error("demo: simulated %s did not stop cleanly: %s", name, exc)
        if self._own_workdir and self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
