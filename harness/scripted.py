"""``kiosk demo --scripted``: one whole consultation on simulated hardware, timed step by step.

A scripted patient (virtual Carte Vitale, on-screen choices sent as session events) and a
real headless Chromium as the doctor go through: card -> identity -> consent -> waiting room
-> the doctor takes the patient -> call -> blood pressure, temperature, weight, SpO2 shown on
the doctor's page -> prescription -> results and prescription printed -> goodbye -> wipe.
With ``faults``, the same run also pulls the card during the call, unplugs the scale mid-
measurement, cuts the portal link and stops the printer, and checks each ends as promised.
With ``without_card``, the patient has no card: the booking code of the demo appointment is
typed (a wrong one first), the doctor is told no identity was read and types the identity
checked on camera in the prescription, which heads both printed papers.

Runs in a private network namespace (root needed) so the call can use loopback.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from harness.fhir_download import check_download
from kiosk import logs
from kiosk.config import Config
from kiosk.session import (
    BeneficiaryChosen,
    BookingCodeRequested,
    CleaningConfirmed,
    ConsentGiven,
    EndSession,
    FaultCleared,
    FaultKind,
    State,
)

log = logging.getLogger(__name__)

#: What the doctor types after checking the patient's ID document on camera (no card).
TYPED_IDENTITY = {
    "last_name": "Benali",
    "first_name": "Yasmine",
    "sex": "F",
    "birth_date": "1962-09-30",
}

KINDS = ("blood_pressure", "temperature", "weight", "spo2")
PRESCRIPTION = [
    {
        "medicine": "Paracétamol 1 g comprimé",
        "dose": "1 comprimé 3 fois par jour",
        "duration": "5 jours",
    },
    {
        "medicine": "Ibuprofène 400 mg",
        "dose": "1 comprimé si douleur, au repas",
        "duration": "3 jours",
    },
]


class StepFailed(RuntimeError):
    """A step of the scenario did not happen as it should; the message says what."""


@dataclass
class Step:
    name: str
    ok: bool
    seconds: float
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ok": self.ok,
            "seconds": round(self.seconds, 4),
            "detail": self.detail,
        }


async def wait_for(
    what: str, check: Callable[[], Any], *, timeout: float = 20.0, poll: float = 0.02
) -> Any:
    """Poll ``check`` (sync or async) until it returns something true, within ``timeout``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = check()
        if isinstance(value, Awaitable):
            value = await value
        if value:
            return value
        if loop.time() >= deadline:
            raise StepFailed(f"{what}: not within {timeout:.0f} s")
        await asyncio.sleep(poll)


def pdf_text(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if done.returncode != 0:
        raise StepFailed(f"pdftotext could not read {path.name}: {done.stderr.strip()}")
    return done.stdout


class Scenario:
    """Owns the stack, the cabin and the doctor's browser for one scripted run."""

    def __init__(
        self,
        base: Config,
        *,
        faults: bool = False,
        without_card: bool = False,
        echo: bool = True,
    ) -> None:
        self.base = base
        self.faults = faults
        self.without_card = without_card
        self.echo = echo
        self.steps: list[Step] = []
        self.stack: Any = None
        self.cabin: Any = None
        self.doctor: Any = None
        self.config: Config | None = None

    @contextlib.asynccontextmanager
    async def step(self, name: str) -> AsyncIterator[None]:
        start = time.monotonic()
        try:
            yield
        except Exception as exc:
            self.steps.append(Step(name, False, time.monotonic() - start, f"{exc}"))
            if self.echo:
                print(f"  FAIL {name}: {exc}", flush=True)
            raise
        took = time.monotonic() - start
        self.steps.append(Step(name, True, took))
        if self.echo:
            print(f"  ok   {name} ({took:.3f} s)", flush=True)

    # -- set-up --------------------------------------------------------------------------

    async def set_up(self) -> None:
        from drivers.printer.cups import CupsPrinter
        from harness.doctor import ScriptedDoctor
        from harness.exam_demo import exam_instruments
        from harness.stack import SimulatedStack
        from kiosk.cabin import Cabin
        from kiosk.call import CabinCall, CallOptions
        from kiosk.documents.printing import DocumentPrinter, printer_options
        from kiosk.runtime import Runtime

        async with self.step("simulated hardware started"):
            self.stack = SimulatedStack(portal_port=0)
            await asyncio.to_thread(self.stack.start_hardware)
        async with self.step("doctor portal started"):
            await self.stack.start_portal()
        spool = f"/dev/shm/cabine-scripted-{os.getpid()}"
        base = replace(self.base, session=replace(self.base.session, spool_dir=spool))
        config = self.stack.kiosk_config(base)
        queue = self.stack.cups.queues[0]
        config = replace(config, printer=replace(config.printer, name=queue))
        self.config = config
        async with self.step("cabin started"):
            runtime = Runtime(config)
            printer = DocumentPrinter(
                runtime.spool,
                CupsPrinter(printer_options(config.printer, server=self.stack.cups.server)),
            )
            call = CabinCall(CallOptions.from_config(config), exam=exam_instruments(config))
            self.cabin = Cabin(config, runtime=runtime, printer=printer, call=call)
            logs.setup(
                level=config.logging.level,
                session_id=runtime.log_session_id,
                sensitive=runtime.sensitive,
            )
            await self.cabin.start()
        async with self.step("doctor logged in (headless Chromium)"):
            self.doctor = ScriptedDoctor(self.stack.portal_url)
            await self.doctor.start()
            await self.doctor.login("dr-demo", "demo")

    async def tear_down(self) -> None:
        if self.doctor is not None:
            with contextlib.suppress(Exception):
                await self.doctor.stop()
        if self.cabin is not None:
            with contextlib.suppress(Exception):
                await self.cabin.stop()
        if self.stack is not None:
            with contextlib.suppress(Exception):
                await self.stack.stop()
        if self.config is not None:
            shutil.rmtree(self.config.session.spool_dir, ignore_errors=True)

    # -- the consultation ------------------------------------------------------------------

    @property
    def session(self) -> Any:
        return self.cabin.session

    async def state(self, state: State, *, timeout: float = 20.0) -> None:
        await wait_for(
            f"session state {state}", lambda: self.session.state is state, timeout=timeout
        )

    async def consultation(self) -> None:
        session = self.session
        async with self.step("card inserted -> identity read"):
            await asyncio.to_thread(self.stack.insert_card, "one")
            await self.state(State.CONFIRM_IDENTITY, timeout=10)
        async with self.step("identity confirmed, consent given -> waiting room"):
            assert session.data is not None
            session.send(BeneficiaryChosen(session.data.beneficiaries[0].rank))
            session.send(ConsentGiven())
            await self.state(State.WAITING_ROOM)
        async with self.step("the portal matched the card to the demo appointment"):
            await wait_for(
                "the appointment found at check-in",
                lambda: bool((self.cabin.checkin_answer or {}).get("booked")),
            )
        async with self.step("the patient is told their place in the queue"):
            await wait_for("the place in the queue", lambda: self.cabin.queue_position == 1)
        async with self.step("doctor takes the patient -> call connected"):
            await self.doctor.take_first_patient()
            await self.state(State.IN_CALL)
            await self.doctor.wait_call()
            await wait_for(
                "doctor's video at the cabin",
                lambda: self.cabin.call.stats.remote_video_frames > 0,
            )
        async with self.step("identity shown to the doctor"):
            person = session.data.chosen
            await wait_for(
                "the patient's name on the doctor's page",
                lambda: self._name_shown(person.last_name),
            )
        async with self.step("the doctor's voice is heard at the cabin"):
            await wait_for(
                "the doctor's voice (Chromium's fake microphone beeps)",
                lambda: self.cabin.speaking == "doctor",
                timeout=10,
                poll=0.01,
            )
        if self.faults:
            await self.card_pulled_during_call()
        for kind in KINDS:
            await self.measure(kind)
        async with self.step("readings downloaded as FHIR from the doctor's page -> valid"):
            who = {"session_id": session.data.session_id, "last_name": person.last_name}
            await check_download(self.doctor, **who, kinds=KINDS)
        if self.faults:
            await self.scale_unplugged_mid_measurement()
            await self.portal_cut()
        async with self.step("prescription sent -> composed at the cabin"):
            await self.doctor.send_prescription(PRESCRIPTION)
            await wait_for("the prescription document", lambda: len(session.data.documents) == 1)
        if self.faults:
            await self.printer_stopped()
        else:
            async with self.step("doctor ends the call -> results and prescription printed"):
                await self.doctor.end_call()
                await self.state(State.GOODBYE, timeout=60)
        async with self.step("results and prescription read back from the printer"):
            await self.check_printed()
        async with self.step("card taken -> session wiped"):
            spool = self.cabin.runtime.spool
            if self.faults:
                session.send(EndSession())  # the card is already out: the patient taps "done"
            else:
                await asyncio.to_thread(self.stack.remove_card)
            await self.wiped(spool)

    async def wiped(self, spool: Any) -> None:
        """The session ended: nothing of it left in memory or in the spool; cleaning done."""
        session = self.session
        await self.state(State.CLEANING)
        if session.data is not None:
            raise StepFailed("session data still present after the wipe")
        if spool.files():
            raise StepFailed(f"spool not empty after the wipe: {len(spool.files())} file(s)")
        session.send(CleaningConfirmed())
        await self.state(State.IDLE)

    async def consultation_without_card(self) -> None:
        """No card: the booking code of the demo appointment, a doctor-typed identity."""
        session = self.session
        async with self.step("no card: a wrong booking code -> told, typed again"):
            if not self.stack.booking_code or not self.cabin.takes_booking_codes:
                raise StepFailed("the demo portal took no booking code (no demo appointment)")
            session.send(BookingCodeRequested())
            await self.state(State.BOOKING_CODE)
            self.cabin.submit_booking_code("AAAAAA")
            await wait_for(
                "the wrong code refused",
                lambda: (self.cabin.booking_code_status or {}).get("reason") == "bad_code",
            )
        async with self.step("the SMS's booking code -> consent -> booked, in the room"):
            self.cabin.submit_booking_code(self.stack.booking_code)
            await self.state(State.CONSENT)
            session.send(ConsentGiven())
            await self.state(State.WAITING_ROOM)
            await wait_for(
                "the appointment found at check-in",
                lambda: bool((self.cabin.checkin_answer or {}).get("booked")),
            )
        async with self.step("doctor takes the patient -> told no card was read"):
            await self.doctor.take_first_patient()
            await self.state(State.IN_CALL)
            await self.doctor.wait_call()
            await self.doctor.until(
                "the no-card note",
                lambda: self.doctor.js("return window.cabine.snapshot().identitySource"),
            )
            source = await self.doctor.js("return window.cabine.snapshot().identitySource")
            if source != "booking_code":
                raise StepFailed(f"the doctor's page says the identity came from {source!r}")
        await self.measure("blood_pressure")
        async with self.step("prescription with the identity checked on camera -> composed"):
            await self.doctor.send_prescription(PRESCRIPTION, identity=TYPED_IDENTITY)
            await wait_for("the prescription document", lambda: len(session.data.documents) == 1)
        async with self.step("doctor ends the call -> results and prescription printed"):
            await self.doctor.end_call()
            await self.state(State.GOODBYE, timeout=60)
        async with self.step("both papers carry the typed identity"):
            await self.check_printed(TYPED_IDENTITY["last_name"])
        async with self.step("the patient taps done -> session wiped"):
            spool = self.cabin.runtime.spool
            session.send(EndSession())
            await self.wiped(spool)

    async def measure(self, kind: str, *, label: str = "") -> None:
        session = self.session
        async with self.step(label or f"{kind}: requested -> reading on the doctor's page"):
            before = await self.doctor.readings_shown()
            stored = len(session.data.readings)
            await self.doctor.request_measure(kind)
            await wait_for(
                f"{kind} reading at the cabin", self._reading_stored_after(stored), timeout=60
            )
            await wait_for(f"{kind} reading on the doctor's page", self._more_readings_than(before))

    async def check_printed(self, last_name: str = "") -> None:
        printed = await asyncio.to_thread(self.stack.cups.wait_printed, 2, timeout=30)
        texts = [await asyncio.to_thread(pdf_text, path) for path in printed]
        name = last_name or self.session.data.chosen.last_name
        for text in texts:
            if name.casefold() not in text.casefold():
                raise StepFailed(f"{name!r} is not on every printed paper")
        joined = "\n".join(texts).casefold()
        for needle in ("Paracétamol 1 g", "Ibuprofène 400 mg"):
            if needle.casefold() not in joined:
                raise StepFailed(f"{needle!r} is not on the printed documents")

    # -- faults ----------------------------------------------------------------------------

    async def card_pulled_during_call(self) -> None:
        async with self.step("fault: card pulled during the call -> the call goes on"):
            await asyncio.to_thread(self.stack.remove_card)
            await asyncio.sleep(1.0)  # pcscd sees a removal within its 0.4 s poll
            if self.session.state is not State.IN_CALL:
                raise StepFailed(f"the session left the call: {self.session.state}")
            await self.doctor.wait_call(timeout=5)

    async def scale_unplugged_mid_measurement(self) -> None:
        session = self.session
        async with self.step("fault: scale unplugged mid-measurement -> fault screen, resumed"):
            stored = len(session.data.readings)
            # Unstable weights keep the measurement running while the cable is pulled.
            self.stack.scale.play([{"weight": {"value": 71.0, "stable": False}}] * 40)
            await self.doctor.request_measure("weight")
            await self.state(State.MEASURING)
            await asyncio.sleep(0.3)
            await asyncio.to_thread(self.stack.scale.unplug)
            await self.state(State.FAULT, timeout=15)
            if session.fault_kind is not FaultKind.INSTRUMENT_UNPLUGGED:
                raise StepFailed(f"fault screen shows {session.fault_kind}")
            await asyncio.sleep(0.5)
            self.stack.scale.play([{"weight": {"value": 72.5, "stable": True}}])
            await asyncio.to_thread(self.stack.scale.replug)
            await wait_for(
                "the weight after the scale came back",
                self._reading_stored_after(stored),
                timeout=30,
            )

    async def portal_cut(self) -> None:
        async with self.step("fault: portal unreachable for 10 s -> the call goes on"):
            frames = self.cabin.call.stats.remote_video_frames
            await self.stack.cut_portal_link()
            await asyncio.sleep(10.0)
            await self.stack.restore_portal_link()
            if self.session.state is not State.IN_CALL:
                raise StepFailed(f"the session left the call: {self.session.state}")
            await wait_for(
                "video still flowing",
                lambda: self.cabin.call.stats.remote_video_frames > frames + 30,
            )
        await self.measure("temperature", label="after the cut: temperature -> doctor's page")

    async def printer_stopped(self) -> None:
        session = self.session
        queue = self.stack.cups.queues[0]
        async with self.step("fault: printer stopped -> printer fault screen, then printed"):
            await asyncio.to_thread(self.stack.cups.stop_queue, queue)
            await self.doctor.end_call()
            await self.state(State.FAULT, timeout=60)
            if session.fault_kind is not FaultKind.PRINTER_PROBLEM:
                raise StepFailed(f"fault screen shows {session.fault_kind}")
            await asyncio.to_thread(self.stack.cups.resume_queue, queue)
            session.send(FaultCleared())  # staff fixed the printer and pressed "try again"
            await self.state(State.GOODBYE, timeout=60)

    async def _name_shown(self, last_name: str) -> bool:
        text = await self.doctor.identity_shown()
        return last_name.casefold() in text.casefold()

    def _reading_stored_after(self, stored: int) -> Callable[[], bool]:
        def check() -> bool:
            data = self.session.data
            return (
                data is not None
                and len(data.readings) > stored
                and self.session.state is State.IN_CALL
            )

        return check

    def _more_readings_than(self, before: int) -> Callable[[], Awaitable[bool]]:
        async def check() -> bool:
            return bool(await self.doctor.readings_shown() > before)

        return check

    async def run(self) -> bool:
        try:
            await self.set_up()
            if self.without_card:
                await self.consultation_without_card()
            else:
                await self.consultation()
        except Exception as exc:
            if not self.steps or self.steps[-1].ok:
                self.steps.append(Step("scenario", False, 0.0, f"{type(exc).__name__}: {exc}"))
            return False
        finally:
            await self.tear_down()
        return all(step.ok for step in self.steps)


def run(
    base: Config, *, as_json: bool = False, faults: bool = False, without_card: bool = False
) -> int:
    """Run the scenario in a private network namespace; exit status 0 when every step passed."""
    from harness.netns import NamespaceError, enter_private_network

    try:
        enter_private_network()
    except NamespaceError as exc:
        print(f"kiosk: demo: {exc}", file=sys.stderr)
        return 1
    scenario = Scenario(base, faults=faults, without_card=without_card, echo=not as_json)
    started = time.monotonic()
    ok = asyncio.run(scenario.run())
    total = time.monotonic() - started
    if as_json:
        print(
            json.dumps(
                {
                    "ok": ok,
                    "seconds": round(total, 3),
                    "steps": [s.to_json() for s in scenario.steps],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        print(f"verdict: {'PASS' if ok else 'FAIL'} ({total:.1f} s)")
    return 0 if ok else 1
