"""The states ``kiosk screenshots`` reaches off the main path: each card a patient may insert,
a call that cannot come back, the generic error, the patient's aids in a call (mute, the
doctor's written messages, the staff the doctor called, a weak network), and the
out-of-service screen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

#: The cards of the screenshots, as the virtual card profiles a demo inserts: the picture's
#: name, the profile, and whether its people are taken away (a card that holds nobody).
CARDS = (
    ("09-fault-card-vitale1", "vitale1", False),
    ("09-fault-card-cps", "cps", False),
    ("09-fault-card-bank", "bank", False),
    ("09-fault-card-empty", "one", True),
    ("09-fault-card_unreadable", "mute", False),
)

OUT_OF_SERVICE = "18-out_of_service"


def card_event(profile: Any) -> Any:
    """The session event the cabin's card service sends for ``profile``: the driver's own
    classification and read, on the virtual card's answers (no reader, no thread)."""
    from drivers.card import protocol
    from drivers.card.errors import CardError, CardMuteError
    from drivers.card.sim import CardLogic
    from kiosk.session import CardRead, CardReadFailed

    if profile.mute or len(profile.atr) < 2:
        return CardReadFailed(CardMuteError.failure.value)  # as the reader says it
    logic = CardLogic(profile)

    def transmit(apdu: bytes) -> protocol.Response:
        return protocol.Response.from_bytes(logic.answer(apdu))

    try:
        return CardRead(protocol.read_vitale(transmit, protocol.classify_atr(profile.atr)))
    except CardError as exc:
        return CardReadFailed(str(exc.reason))


def back_to_idle(kiosk: Any, language: str) -> None:
    """End whatever the session shows, as the patient and the staff would, back to idle."""
    from kiosk.session import CleaningConfirmed, EndSession, State

    session = kiosk.runtime.session
    for _ in range(6):
        if session.state is State.IDLE:
            kiosk.bridge.on_language(language)
            return
        session.send(CleaningConfirmed() if session.state is State.CLEANING else EndSession())
    raise RuntimeError(f"the screenshots' session is stuck in {session.state}")


def cards(kiosk: Any, language: str) -> Iterator[str]:
    """Each card a patient may insert that is not a Carte Vitale the cabin reads."""
    from drivers.card.sim import load_profile
    from kiosk.session import CardInserted

    session = kiosk.runtime.session
    for name, profile_name, emptied in CARDS:
        profile = load_profile(profile_name)
        if emptied:
            profile = profile.but(beneficiaries=())
        session.send(CardInserted())
        session.send(card_event(profile))
        yield name
        back_to_idle(kiosk, language)


def call_lost(kiosk: Any, language: str) -> Iterator[str]:
    """The call drops and does not come back before any paper came; then an error the
    fault screen has no words of its own for."""
    from harness.screenshots import fictitious_family
    from kiosk.session import (
        BeneficiaryChosen,
        CardInserted,
        CardRead,
        ConsentGiven,
        DoctorJoined,
        Fault,
        FaultKind,
    )

    send = kiosk.runtime.session.send
    send(CardInserted())
    send(CardRead(fictitious_family()))
    send(BeneficiaryChosen(1))
    send(ConsentGiven())
    send(DoctorJoined())
    send(Fault(FaultKind.NETWORK_LOST, "call_lost", resumable=False))
    yield "09-fault-call_lost"
    # A kind of fault without a text of its own (a new one): the generic words.
    screen = kiosk.window.current
    screen.kind = screen.detail = ""
    screen.picture.set_name("fault")
    screen.retranslate_screen()
    yield "09-fault-generic"
    back_to_idle(kiosk, language)


#: The doctor's written messages of the screenshots (fictitious, as the family is).
CHAT_WORDS = {
    "fr": ("Bonjour, je vais vous demander de prendre votre tension.",
           "Pouvez-vous retirer votre manteau et vous asseoir bien au fond du siège ?"),
    "en": ("Hello, I am going to ask you to take your blood pressure.",
           "Could you take off your coat and sit well back in the chair?"),
    "ar": ("مرحبا، سأطلب منك قياس ضغط الدم.",
           "هل يمكنك خلع معطفك والجلوس جيدا في المقعد؟"),
    "es": ("Hola, le voy a pedir que se tome la tensión.",
           "¿Puede quitarse el abrigo y sentarse bien al fondo de la silla?"),
}  # fmt: skip


def call_aids(kiosk: Any, language: str, *, doctor: Any) -> Iterator[str]:
    """In a call: the patient's microphone muted, the doctor's written messages (then the
    patient's answer), the staff the doctor called coming, the voice alone and the call
    reconnecting on a weak network, and a message while measuring.
    ``doctor``: the doctor's picture (a QImage)."""
    from harness.screenshots import fictitious_family
    from kiosk.domain import ReadingKind
    from kiosk.session import (
        BeneficiaryChosen,
        CardInserted,
        CardRead,
        ChatReceived,
        ConsentGiven,
        DoctorJoined,
        MeasurementRequested,
    )

    runtime, window = kiosk.runtime, kiosk.window
    send = runtime.session.send
    for event in (CardInserted(), CardRead(fictitious_family()), BeneficiaryChosen(1)):
        send(event)
    send(ConsentGiven())
    send(DoctorJoined())
    screen = window.current
    screen.doctor_video.set_image(doctor)
    screen.toggle_microphone()
    yield "07-in_call-muted"
    screen.toggle_microphone()
    first, second = CHAT_WORDS.get(language, CHAT_WORDS["en"])
    send(ChatReceived("k1", first))
    send(ChatReceived("k2", second))
    yield "07-in_call-chat"
    screen.chat.answered.emit("cannot_hear")
    yield "07-in_call-chat-answered"
    # the doctor called the site's staff: the patient's own staff notice says they come
    runtime.staff_call = "coming"
    kiosk.bridge.on_call_staff()
    window.update_staff_call()
    yield "07-in_call-staff_coming"
    runtime.staff_call = ""
    window.update_staff_call()
    # the bus's weak network: the voice alone, then the call reconnecting (said calmly)
    speaking = getattr(runtime, "speaking", "")
    for state in ("voice_only", "reconnecting"):
        runtime.call_network = state
        # (a call reconnecting hears nobody: kiosk.call.peer.CabinCall.speaking)
        runtime.speaking = speaking if state == "voice_only" else ""
        screen.refresh_speaking()
        yield f"07-in_call-{state}"
    runtime.call_network, runtime.speaking = "", speaking
    screen.refresh_speaking()
    send(MeasurementRequested(ReadingKind.BLOOD_PRESSURE))
    yield "08-measuring-chat"
    back_to_idle(kiosk, language)


def out_of_service(size: tuple[int, int], *, cabin: str) -> Any:
    """The out-of-service window at ``size``, shown (not locked): the caller grabs and
    closes it."""
    from ui.fault_screen import OutOfServiceWindow

    window = OutOfServiceWindow(cabin=cabin, locked=False)
    window.resize(*size)
    window.show()
    return window


#: The nurse and the patient without a card of the screenshots (fictitious).
NURSE = ("10003456786", "Claire Dubois", "Amina", "بن علي", "02/03/1950")


def mallette(kiosk: Any, language: str) -> Iterator[str]:
    """A nurse's kit: the sign-in (a CPS in the reader, a mistyped RPPS), the desk, a patient
    typed without a card, their consent with the nurse present. Last of the scenario: a
    mallette's desk has no way back to a cabin's idle screen."""
    from dataclasses import replace

    from kiosk.session import CardInserted, ProfessionalCardInserted

    runtime, rpps, name, first, last, born = kiosk.runtime, *NURSE
    runtime.config = replace(runtime.config, cabin=replace(runtime.config.cabin, form="mallette"))
    back_to_idle(kiosk, language)
    kiosk.bridge.open_desk()
    screen = kiosk.window.current
    yield "19-nurse-sign_in"
    runtime.session.send(CardInserted())
    runtime.session.send(ProfessionalCardInserted())
    yield "19-nurse-sign_in-cps"
    screen.rpps.setText(rpps[:-1] + "1")
    screen.name.setText(name)
    screen.on_sign_in()
    yield "19-nurse-sign_in-bad_rpps"
    screen.rpps.setText(rpps)
    screen.on_sign_in()
    yield "20-nurse-desk"
    screen.on_no_card()
    form = screen.patient
    form.last_name.setText(last)
    form.first_name.setText(first)
    form.birth_date.setText("31/02/1950")
    form.sex.setCurrentIndex(1)
    screen.on_check_in()
    yield "20-nurse-patient_without_card-bad_date"
    form.birth_date.setText(born)
    screen.on_check_in()
    yield "21-nurse-consent"


#: The kit's instruments of the screenshots: (profile, name, battery, bonded to a phone).
KIT = (
    ("blood_pressure", "Tensio BM-54", 80, True),
    ("thermometer", "Thermo FT-95", 72, False),
    ("pulse_oximeter", "Oxy PO-60", 45, False),
)


def nurse_devices(kiosk: Any, language: str) -> Iterator[str]:
    """After :func:`mallette` (the nurse signed in), back at the desk, "Appareils": the
    instruments found by bleak on a simulated BlueZ, one paired (its battery), a cuff bonded
    to a phone refused and explained."""
    import os
    import time

    from PyQt6.QtCore import Qt
    from PyQt6.QtWidgets import QApplication

    from drivers.ble.sim import BlueZSimulator, DeviceSpec, Profile
    from kiosk.services.pairing import PairingService

    back_to_idle(kiosk, language)
    kiosk.bridge.open_desk()
    screen = kiosk.window.current
    sim = BlueZSimulator()
    saved = os.environ.get("DBUS_SYSTEM_BUS_ADDRESS")
    service = PairingService(scan_s=0.8, timeout_s=10.0)
    try:
        os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = sim.start()
        for n, (profile, name, battery, elsewhere) in enumerate(KIT, start=1):
            spec = DeviceSpec(
                profile=Profile(profile),
                address=f"C0:FF:EE:00:10:{n:02X}",
                name=name,
                battery=battery,
                bonded_elsewhere=elsewhere,
            )
            sim.add_device(spec)
        screen.on_devices()
        panel = screen.pairing
        panel.service = service

        def settle() -> None:
            deadline = time.monotonic() + 30
            while panel.busy and time.monotonic() < deadline:
                QApplication.processEvents()
                time.sleep(0.02)
            if panel.busy:
                raise RuntimeError("the screenshots' pairing did not finish")

        def choose(address: str) -> None:
            for i in range(panel.devices.count()):
                item = panel.devices.item(i)
                if item is not None:
                    item.setSelected(item.data(Qt.ItemDataRole.UserRole) == address)

        panel.on_scan()
        settle()
        yield "22-nurse-devices"
        choose("C0:FF:EE:00:10:02")
        panel.on_pair()
        settle()
        yield "22-nurse-devices-paired"
        choose("C0:FF:EE:00:10:01")
        panel.on_pair()
        settle()
        yield "22-nurse-devices-bonded_elsewhere"
    finally:
        service.close()
        sim.stop()
        if saved is None:
            os.environ.pop("DBUS_SYSTEM_BUS_ADDRESS", None)
        else:
            os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = saved
