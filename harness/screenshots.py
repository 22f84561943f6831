"""``kiosk screenshots``: every screen, in every language and in high contrast, to PNG.

A fictitious patient goes through a whole session on a manual clock (nothing real is read or
sent); each screen is grabbed offscreen. For people reviewing the design, and for the tests.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

DEFAULT_SIZE = (1920, 1080)
PNG_QUALITY = 80

#: The fictitious family card of the screenshots (no real person).
FAMILY = (
    ("MARTIN", "Jeanne", "19440312", "2440375123456", 1),
    ("MARTIN", "Paul", "19411100", "1411175123456", 2),
    ("MARTIN", "Léa", "20150600", "2150675123456", 3),
)


def fictitious_family() -> tuple[Any, ...]:
    from kiosk.domain import Beneficiary

    return tuple(
        Beneficiary(last_name=last, first_name=first, birth_date=born, nir=nir + "12", rank=rank)
        for last, first, born, nir, rank in FAMILY
    )


def _reading(kind: str, **kwargs: Any) -> Any:
    from kiosk.domain import DeviceInfo, Reading, ReadingKind, Unit

    units = {
        "blood_pressure": Unit.MM_HG,
        "cuff_pressure": Unit.MM_HG,
        "temperature": Unit.CELSIUS,
        "weight": Unit.KG,
        "spo2": Unit.PERCENT,
    }
    devices = {
        "blood_pressure": ("tensiometre", "SunTech Advantage"),
        "cuff_pressure": ("tensiometre", "SunTech Advantage"),
        "temperature": ("thermometre", ""),
        "weight": ("balance", "A&D UC-321"),
        "spo2": ("oxymetre", "Nonin 3150"),
    }
    ident, model = devices[kind]
    return Reading(
        kind=ReadingKind(kind),
        unit=units[kind],
        device=DeviceInfo(id=ident, model=model),
        received_at=datetime(2026, 1, 1, 9, 30, tzinfo=UTC),
        **kwargs,
    )


def sample_readings() -> list[Any]:
    from kiosk.domain import Unit

    return [
        _reading(
            "blood_pressure",
            values={"systolic": 132, "diastolic": 84, "pulse": 71},
            units={"pulse": Unit.PER_MINUTE},
        ),
        _reading("temperature", values={"temperature": 37.2}),
        _reading(
            "spo2",
            values={"pulse": 72},
            missing={"spo2": "weak_signal"},
            units={"pulse": Unit.PER_MINUTE},
        ),
    ]


def doctor_frame(width: int = 1280, height: int = 720) -> Any:
    """A drawn stand-in for the doctor's video, as an ``av.VideoFrame`` (the call's type)."""
    import av
    from PyQt6.QtCore import QPointF, QRectF
    from PyQt6.QtGui import QColor, QImage, QPainter

    image = QImage(width, height, QImage.Format.Format_RGB888)
    image.fill(QColor("#7d8a96"))
    p = QPainter(image)
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.fillRect(QRectF(0, 0, width, height * 0.6), QColor("#c9d3dc"))
        p.setPen(QColor("#3a4a5a"))
        p.setBrush(QColor("#e8c4a8"))
        p.drawEllipse(QPointF(width / 2, height * 0.38), height * 0.14, height * 0.18)
        p.setBrush(QColor("#f4f6f8"))
        p.drawRoundedRect(
            QRectF(width / 2 - height * 0.3, height * 0.58, height * 0.6, height * 0.5), 40, 40
        )
    finally:
        p.end()
    frame = av.VideoFrame(width, height, "rgb24")
    plane = frame.planes[0]
    line = plane.line_size
    bits = image.constBits()
    assert bits is not None
    bits.setsize(image.sizeInBytes())
    raw = bytes(bits)
    stride = image.bytesPerLine()
    if line == stride:
        plane.update(raw)
    else:
        plane.update(
            b"".join(
                raw[y * stride : y * stride + width * 3].ljust(line, b"\0") for y in range(height)
            )
        )
    return frame


class Shooter:
    """Drives one kiosk window through the session and saves what it shows."""

    def __init__(self, out: Path, *, size: tuple[int, int], languages: tuple[str, ...]) -> None:
        from kiosk import config as config_mod
        from kiosk.clock import ManualClock

        self.out = out
        self.size = size
        self.languages = languages
        self.saved: list[Path] = []
        self.clock = ManualClock()
        self._spool = Path(tempfile.mkdtemp(prefix="cabine-shots-", dir="/dev/shm"))
        cfg = config_mod.load(config_mod.project_config("demo"))
        self.config = replace(
            cfg,
            session=replace(cfg.session, spool_dir=str(self._spool)),
            ui=replace(cfg.ui, fullscreen=False),
        )

    def run(self) -> list[Path]:
        from PyQt6.QtWidgets import QApplication

        from ui.app import KioskApp

        self.out.mkdir(parents=True, exist_ok=True)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        for high_contrast in (False, True):
            for language in self.languages:
                kiosk = KioskApp(self.config, fullscreen=False, clock=self.clock)
                try:
                    kiosk.start_session()
                    kiosk.window.resize(*self.size)
                    kiosk.window.set_high_contrast(high_contrast)
                    kiosk.window.show()
                    suffix = f"{language}{'-hc' if high_contrast else ''}"
                    for name in self._scenario(kiosk, language):
                        self._save(app, kiosk, f"{name}-{suffix}")
                finally:
                    kiosk.close()
                    kiosk.window.deleteLater()
                    app.processEvents()
        self._out_of_service(app)
        shutil.rmtree(self._spool, ignore_errors=True)
        return self.saved

    def _save(self, app: Any, kiosk: Any, name: str) -> None:
        # Twice: a row of readings built, or a row of buttons stacked, in the first pass
        # asks for a second layout pass (the kiosk's event loop would run it at once).
        app.processEvents()
        app.processEvents()
        self._write(kiosk.window, name)

    def _out_of_service(self, app: Any) -> None:
        """The screen of a cabin that keeps failing to start: every language at once, one
        picture."""
        from harness.screenshot_states import OUT_OF_SERVICE, out_of_service

        window = out_of_service(self.size, cabin=self.config.cabin.id)
        try:
            app.processEvents()
            app.processEvents()
            self._write(window, OUT_OF_SERVICE)
        finally:
            window.close()
            window.deleteLater()
            app.processEvents()

    def _write(self, widget: Any, name: str) -> None:
        path = self.out / f"{name}.png"
        # Light compression: ten times faster to write, files still small (flat colours).
        if not widget.grab().save(str(path), "PNG", PNG_QUALITY):
            raise OSError(f"could not write {path}")
        self.saved.append(path)

    def _scenario(self, kiosk: Any, language: str) -> Iterator[str]:
        """Moves the session and yields a name each time a screen is worth a picture."""
        from harness import screenshot_direct
        from harness import screenshot_states as states
        from harness.screenshot_exam import exam_guide
        from kiosk.domain import ReadingKind
        from kiosk.session import (
            BeneficiaryChosen,
            CallEnded,
            CardInserted,
            CardRead,
            CardRemoved,
            CleaningConfirmed,
            ConsentGiven,
            DoctorJoined,
            EndSession,
            Fault,
            FaultCleared,
            FaultKind,
            MeasurementCancelled,
            MeasurementRequested,
            ReadingReceived,
            State,
        )
        from ui.screens.fault import FaultScreen
        from ui.screens.in_call import InCallScreen
        from ui.screens.technician import TechnicianScreen
        from ui.video import frame_to_image

        window = kiosk.window
        bridge = kiosk.bridge
        runtime = kiosk.runtime
        session = runtime.session
        send: Callable[[Any], Any] = session.send

        bridge.on_language(language)
        # A cabin whose portal takes booking codes (read defensively by the bridge).
        runtime.takes_booking_codes = True
        window.current.refresh()
        yield "01-idle"
        send(CardInserted())
        yield "02-reading_card"
        send(CardRead(fictitious_family()))
        yield "03-confirm_identity"
        send(BeneficiaryChosen(1))
        yield "04-consent"
        send(ConsentGiven())
        # What a runtime with a waiting room offers (read defensively by the bridge).
        runtime.queue_position = 2
        runtime.queue_estimate_s = 420.0
        window.current.refresh()
        yield "05-waiting_room"
        # The patient calls the staff; where the call stands is what the cabin says (read
        # defensively by the bridge, again every second while a call is on).
        runtime.staff_call = "calling"
        bridge.on_call_staff()
        window.update_staff_call()
        yield "05-waiting_room-staff_calling"
        runtime.staff_call = "coming"
        window.update_staff_call()
        yield "05-waiting_room-staff_coming"
        runtime.staff_call = ""
        window.update_staff_call()
        yield from self._nobody_comes(kiosk)
        left = session.time_left() or 0.0
        self.clock.advance(max(0.0, left - session.timeouts.warning + 2))
        session.tick()
        # Past [timeouts] nobody_comes too: the apology shows with the question (read now,
        # not at the screen's next second).
        window.current.refresh()
        yield "06-waiting_room-time_limit"
        # The longest notice with the time-limit banner: both fit, apart.
        runtime.staff_call = "unreachable"
        bridge.on_call_staff()
        window.update_staff_call()
        yield "06-waiting_room-time_limit-staff_unreachable"
        runtime.staff_call = ""
        window.update_staff_call()
        send(DoctorJoined())
        in_call = window.screens[State.IN_CALL]
        assert isinstance(in_call, InCallScreen)
        yield "07-in_call-connecting"  # no picture from the doctor yet
        in_call.doctor_video.set_image(frame_to_image(doctor_frame()))
        in_call.own_video.set_image(frame_to_image(doctor_frame(640, 360)))
        for reading in sample_readings():
            send(ReadingReceived(reading))
        runtime.speaking = "doctor"
        window.current.refresh()
        yield "07-in_call"
        # The patient's controls: one step louder, "I can't hear" told to the doctor, then
        # "End the consultation" asked again on the screen.
        call = _CallStandIn()  # what a cabin's view passes on to its call
        runtime.set_volume, runtime.tell_cannot_hear = call.set_volume, call.tell_cannot_hear
        in_call.change_volume(1)
        in_call.tell_cannot_hear()
        yield "07-in_call-cannot_hear"
        in_call.ask_end()
        yield "07-in_call-confirm_end"
        in_call.cancel_end()
        del runtime.set_volume, runtime.tell_cannot_hear
        yield from exam_guide(kiosk, in_call)  # harness.screenshot_exam
        for kind in ("blood_pressure", "temperature", "weight", "spo2"):
            send(MeasurementRequested(ReadingKind(kind)))
            if kind == "blood_pressure":
                runtime.last_reading = _reading(
                    "cuff_pressure", values={"cuff": 146}, intermediate=True
                )
                window.current.refresh()
            yield f"08-measuring-{kind}"
            runtime.last_reading = None
            send(MeasurementCancelled())
        send(Fault(FaultKind.NETWORK_LOST, ""))
        yield "09-fault-network_lost"
        send(FaultCleared())
        # The scale is unplugged while the patient stands on it.
        send(MeasurementRequested(ReadingKind.WEIGHT))
        send(Fault(FaultKind.INSTRUMENT_UNPLUGGED, "balance"))
        yield "09-fault-instrument_unplugged"
        send(CallEnded())  # the doctor hangs up while the scale is away
        yield "09-fault-doctor_ended"
        send(EndSession())  # "Finish": the papers print
        yield "10-printing"
        runtime.papers_hold_minutes = 30  # the cabin keeps the papers for the staff
        send(Fault(FaultKind.PRINTER_PROBLEM))
        yield "09-fault-printer_problem"
        fault = window.current
        assert isinstance(fault, FaultScreen)
        fault.finish()  # "Finish" asks before the papers are left behind
        yield "09-fault-printer_problem-confirm"
        fault.stay()
        del runtime.papers_hold_minutes
        send(FaultCleared())
        send(EndSession())
        yield "11-goodbye"
        window.screens[State.WIPING].set_language(language)
        window.stack.setCurrentWidget(window.screens[State.WIPING])
        yield "12-wiping"
        send(CardRemoved())
        yield "13-cleaning"
        send(CleaningConfirmed())
        bridge.on_language(language)  # back at idle, the session took the default language
        send(CardInserted())
        send(CardRemoved())
        yield "09-fault-card_pulled"
        send(EndSession())
        send(CleaningConfirmed())
        bridge.on_language(language)
        yield from states.cards(kiosk, language)
        yield from states.call_lost(kiosk, language)
        yield from states.call_aids(kiosk, language, doctor=frame_to_image(doctor_frame()))
        yield from self._booking_code(kiosk, language)
        window.open_pin_pad()
        assert window.pin_screen is not None
        for digit in "13":
            window.pin_screen.on_digit(digit)
        yield "14-technician-pin"
        for _ in range(window.pin_screen.gate.free_tries):
            window.pin_screen.on_ok()  # wrong codes, until the pad locks
        yield "14-technician-pin-locked"
        window.open_technician()
        assert isinstance(window.technician, TechnicianScreen)
        window.technician.show_report(_sample_report())
        # The row under the failed check (what to do): its log lines show, the failed row
        # keeps its own colour.
        window.technician.table.setCurrentCell(4, 0)
        yield "15-technician"
        window.close_technician()
        yield from states.mallette(kiosk, language)
        yield from screenshot_direct.doctor_choice(kiosk)  # the nurse calls one doctor
        yield from states.nurse_devices(kiosk, language)

    def _nobody_comes(self, kiosk: Any) -> Iterator[str]:
        """A booked patient who is next; then nobody comes: no doctor on duty, the cabin
        closed, a long wait (and how to book)."""
        from ui.screens.waiting_room import WaitingRoomScreen

        runtime, screen = kiosk.runtime, kiosk.window.current
        assert isinstance(screen, WaitingRoomScreen)
        runtime.checkin_answer = {"booked": True, "slot_start": "14:30"}
        runtime.queue_position, runtime.queue_estimate_s = 1, 120.0
        screen.refresh()
        yield "05-waiting_room-booked_next"
        runtime.checkin_answer = None
        runtime.queue_position, runtime.queue_estimate_s = 2, 420.0
        # What the portal says with the queue (read defensively by the bridge).
        runtime.waiting_room_news = {"doctors": 0}
        screen.refresh()
        yield "05-waiting_room-no_doctor"
        runtime.waiting_room_news = {"doctors": 1, "open": False}
        screen.refresh()
        yield "05-waiting_room-closed"
        runtime.waiting_room_news = {"doctors": 2, "booking_site": "rdv.cabine.example"}
        self.clock.advance(runtime.session.timeouts.nobody_comes + 1)
        screen.refresh()
        yield "05-waiting_room-nobody_came"
        screen.show_booking()
        yield "05-waiting_room-nobody_came-book"

    def _booking_code(self, kiosk: Any, language: str) -> Iterator[str]:
        """The patient without a card types the SMS's code; the portal's answers."""
        from kiosk.session import BookingCodeRequested, CleaningConfirmed, EndSession, State
        from ui.screens.booking_code import BookingCodeScreen

        runtime = kiosk.runtime
        session = runtime.session
        screen = kiosk.window.screens[State.BOOKING_CODE]
        assert isinstance(screen, BookingCodeScreen)
        # What the cabin offers: the check always starts, its answer is set below.
        runtime.booking_code_status = None
        runtime.submit_booking_code = lambda _code: True
        session.send(BookingCodeRequested())
        yield "16-booking_code-empty"
        for char in "K7M":
            screen.on_key(char)
        yield "16-booking_code-typing"
        for char in "P3X":
            screen.on_key(char)
        runtime.booking_code_status = {"state": "checking"}
        screen.on_check()
        yield "16-booking_code-checking"
        for reason, walk_in in (("bad_code", True), ("rate_limited", False), ("no_answer", None)):
            status: dict[str, Any] = {"state": "refused", "reason": reason}
            if walk_in is not None:
                status.update(walk_in=walk_in, booking_site="rdv.cabine.example")
            runtime.booking_code_status = status
            screen.refresh()
            yield f"16-booking_code-{reason}"
        session.send(EndSession())
        # The portal's answer to a card patient at a cabin that sees booked patients only.
        runtime.checkin_answer = {
            "booked": False,
            "walk_in": False,
            "booking_site": "rdv.cabine.example",
        }
        kiosk.window.current.refresh()
        yield "17-goodbye-no_appointment"
        runtime.checkin_answer = None
        session.send(EndSession())
        session.send(CleaningConfirmed())
        kiosk.bridge.on_language(language)


class _CallStandIn:
    """What the call screen asks of a call: its volume, and telling the doctor."""

    def __init__(self) -> None:
        self.volume = 3

    def set_volume(self, level: int) -> int:
        self.volume = max(1, min(5, level))
        return self.volume

    def tell_cannot_hear(self) -> bool:
        return True


def _sample_report() -> Any:
    from kiosk.selftest import CheckResult, Report, hint_for

    failed = CheckResult("device:balance", False, "/dev/ttyUSB1: no answer in 2 s")
    return Report(
        [
            CheckResult("config", True, "config/demo.toml"),
            CheckResult("system:pcscd", True, "/usr/sbin/pcscd"),
            CheckResult("spool", True, "/dev/shm/cabine-demo in memory"),
            replace(failed, hint=hint_for(failed)),
            CheckResult("device:tensiometre", True, "SunTech Advantage answered"),
        ]
    )


def render(
    out: Path,
    *,
    size: tuple[int, int] = DEFAULT_SIZE,
    languages: tuple[str, ...] | None = None,
) -> list[Path]:
    """Write every screen's PNG into ``out``; returns the files written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import sys

    from PyQt6.QtWidgets import QApplication

    from kiosk.config import LANGUAGES

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert app is not None
    shooter = Shooter(out, size=size, languages=languages or LANGUAGES)
    return shooter.run()
