"""The call's pieces without a browser: options, the data-channel rules, media, the session wiring.

The data channel is a stand-in here (a list of sent texts); the real one is exercised with
Chromium in ``test_call.py``.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import json
import time
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import av
import pytest
from pypdf import PdfWriter

import protocol
from drivers.media import STAMP_BITS, STAMP_BLOCK, SyntheticCamera, SyntheticMedia, ToneMicrophone
from kiosk.call import (
    CabinCall,
    CallOptions,
    CallStatus,
    PrescriptionFormReceived,
    SessionBinding,
    StatusChanged,
    spread_candidates,
)
from kiosk.config import parse as parse_kiosk_config
from kiosk.domain import (
    Beneficiary,
    DeviceInfo,
    Document,
    DocumentKind,
    Reading,
    ReadingKind,
    Unit,
)
from kiosk.session import (
    BeneficiaryChosen,
    BookingCodeRequested,
    CallEnded,
    CardInserted,
    CardRead,
    ConsentGiven,
    ContinueWithoutCard,
    DoctorJoined,
    DocumentReceived,
    EndSession,
    Fault,
    FaultKind,
    MeasurementRequested,
    PrintingDone,
    ReadingReceived,
    Session,
    State,
)


def make_pdf(pages: int, *, extra: int = 0) -> bytes:
    """A real PDF of ``pages`` blank pages, grown by ``extra`` bytes of attachment."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if extra:
        writer.add_attachment("filler.bin", bytes(range(256)) * (extra // 256))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = make_pdf(1, extra=48_000)  # two chunks


class StandInChannel:
    readyState = "open"

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.updates: list[Any] = []  # what the call reported, for drained()

    def send(self, text: str) -> None:
        self.sent.append(json.loads(text))

    def of_type(self, msg_type: str) -> list[dict[str, Any]]:
        return [m for m in self.sent if m["type"] == msg_type]


def make_call(**overrides: Any) -> tuple[CabinCall, StandInChannel]:
    options = CallOptions(
        portal_url="ws://127.0.0.1:9/", cabin_id="c1", token="t", synthetic_media=True, **overrides
    )
    call = CabinCall(options, media=SyntheticMedia())
    channel = StandInChannel()
    call._channel = channel  # type: ignore[assignment]
    call.subscribe(channel.updates.append)
    return call, channel


def feed(call: CabinCall, message: dict[str, Any] | str) -> None:
    raw = message if isinstance(message, str) else json.dumps(message)
    call._on_data(call._channel, raw)  # type: ignore[arg-type]


def drained(call: CabinCall) -> list[Any]:
    """The call's updates since the last look, without status notices."""
    seen = call._channel.updates  # type: ignore[union-attr]
    out = [u for u in seen if not isinstance(u, StatusChanged)]
    seen.clear()
    return out


def document_messages(pdf: bytes, *, sha: str | None = None) -> list[dict[str, Any]]:
    size = protocol.DOCUMENT_CHUNK_BYTES
    chunks = [pdf[i : i + size] for i in range(0, len(pdf), size)]
    head = {
        "type": "document",
        "id": "m-doc",
        "doc_id": "d1",
        "kind": "uploaded_prescription",
        "sha256": sha or hashlib.sha256(pdf).hexdigest(),
        "size": len(pdf),
        "chunks": len(chunks),
    }
    return [head] + [
        {"type": "document_chunk", "doc_id": "d1", "index": i, "data": base64.b64encode(c).decode()}
        for i, c in enumerate(chunks)
    ]


def test_options_from_config_and_urls() -> None:
    cfg = parse_kiosk_config(
        '[cabin]\nid = "cab-7"\n[portal]\nurl = "https://portal.example:8443"\ntoken = "tok"\n'
        'turn_servers = ["turn:127.0.0.1:3478"]\nturn_username = "u"\nturn_password = "p"\n'
        "[session]\nsimulated = true\n"
    )
    options = CallOptions.from_config(cfg, grace_s=2.0)
    assert options.cabin_id == "cab-7" and options.synthetic_media and options.grace_s == 2.0
    assert options.socket_url == "wss://portal.example:8443/ws/cabin"
    (turn,) = options.ice_servers()
    assert turn.urls == ["turn:127.0.0.1:3478"] and turn.username == "u"
    bare = CallOptions(portal_url="ws://127.0.0.1:1/custom", cabin_id="c", token="t")
    assert bare.socket_url == "ws://127.0.0.1:1/custom"
    assert bare.ice_servers() == []  # never aiortc's implicit public STUN server


def test_measure_is_acknowledged_and_becomes_an_event() -> None:
    call, channel = make_call()
    feed(call, {"type": "measure", "id": "m1", "kind": "spo2"})
    assert [u.kind for u in drained(call)] == [ReadingKind.SPO2]
    assert channel.of_type("ack") == [{"type": "ack", "id": "m1"}]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("{oops", "malformed"),
        ('{"type": "take", "session_id": "s"}', "unknown_type"),
        ('{"type": "measure", "kind": "mood"}', "bad_field"),
        (
            '{"type": "identity", "id": "x", "last_name": "a", "first_name": "b", "birth_date": "c"}',
            "unknown_type",
        ),
        ('{"type": "prescription", "id": "p1", "form": {"lines": []}}', "bad_field"),
        ('{"type": "document_chunk", "doc_id": "nope", "index": 0, "data": ""}', "bad_document"),
        ("x" * (protocol.MAX_DATA_BYTES + 1), "too_large"),
    ],
)
def test_bad_messages_answered_with_an_error(raw: str, code: str) -> None:
    call, channel = make_call()
    feed(call, raw)
    assert [e["code"] for e in channel.of_type("error")] == [code]
    assert not channel.of_type("ack")
    assert not drained(call)


def test_prescription_form_is_passed_on() -> None:
    call, channel = make_call()
    call.session_id = "s1"
    form = {"lines": [{"medicine": "Amoxicilline", "dose": "1 g", "duration": "6 j"}]}
    message = {"type": "prescription", "id": "p1", "session_id": "s1", "rx_id": "rx1"}
    feed(call, {**message, "version": 1, "form": form})
    (update,) = drained(call)
    assert isinstance(update, PrescriptionFormReceived) and update.form == form
    assert "Amoxicilline" not in repr(update)
    # acknowledged once composed and kept for printing (see tests/portal/test_rx_ledger.py)
    assert channel.of_type("ack") == []
    call.prescription_settled(update)
    assert channel.of_type("ack") == [{"type": "ack", "id": "p1"}]


async def settled_documents(call: CabinCall) -> None:
    """Wait for the uploads being read as PDFs (off the event loop)."""
    tasks = [t for t in call._tasks if t.get_name() == "call-document-check"]
    await asyncio.wait_for(asyncio.gather(*tasks), 10)


@pytest.mark.asyncio
async def test_document_reassembled_checked_and_acknowledged() -> None:
    call, channel = make_call()
    messages = document_messages(PDF)
    assert len(messages) > 2
    for message in messages:
        feed(call, message)
    await settled_documents(call)
    (update,) = drained(call)
    assert isinstance(update, DocumentReceived)
    assert update.document.pdf == PDF
    assert channel.of_type("ack") == [{"type": "ack", "id": "m-doc"}]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("pdf", "why"),
    [
        (make_pdf(11), "11 pages"),  # it would empty the tray
        (b"%PDF-1.4\n" + b"0123456789abcdef" * 3000, "PDF"),  # it would fail in CUPS
    ],
)
async def test_unprintable_uploads_are_refused_with_the_reason(pdf: bytes, why: str) -> None:
    call, channel = make_call()
    for message in document_messages(pdf):
        feed(call, message)
    await settled_documents(call)
    assert not any(isinstance(u, DocumentReceived) for u in drained(call))
    (error,) = channel.of_type("error")
    assert error["code"] == "bad_document" and error["ref"] == "m-doc" and why in error["message"]
    assert not channel.of_type("ack")


@pytest.mark.parametrize("damage", ["hash", "order", "base64", "not_pdf", "size", "count"])
def test_damaged_documents_refused(damage: str) -> None:
    call, channel = make_call()
    pdf = b"GIF89a" + PDF if damage == "not_pdf" else PDF
    messages = document_messages(pdf, sha="0" * 64 if damage == "hash" else None)
    if damage == "order":
        messages[1], messages[2] = messages[2], messages[1]
    elif damage == "base64":
        messages[1]["data"] = "!!!not base64!!!"
    elif damage == "size":
        messages[0]["size"] = protocol.MAX_DOCUMENT_BYTES + 1
    elif damage == "count":
        messages[0]["chunks"] += 1
    for message in messages:
        feed(call, message)
    errors = channel.of_type("error")
    assert errors and errors[0]["code"] == "bad_document"
    assert not any(isinstance(u, DocumentReceived) for u in drained(call))
    assert not call._incoming  # nothing half-kept


@pytest.mark.asyncio
async def test_uploads_cut_with_the_connection_do_not_block_later_ones() -> None:
    """Two uploads cut by reconnections (the page sends them again under new ids) must not
    leave the session refusing every later upload as 'too many in flight'."""
    call, channel = make_call()
    for doc_id in ("cut-1", "cut-2"):
        head, first, *_ = document_messages(PDF)
        feed(call, {**head, "doc_id": doc_id})
        feed(call, {**first, "doc_id": doc_id})
        await call._close_peer()  # the connection drops mid-upload
        call._channel = channel  # type: ignore[assignment]  # and comes back
    for message in document_messages(PDF):
        feed(call, message)
    await settled_documents(call)
    assert any(isinstance(u, DocumentReceived) for u in drained(call))
    assert not channel.of_type("error")


def test_a_flood_is_rate_limited() -> None:
    call, channel = make_call(data_rate=5.0, data_burst=10)
    for i in range(50):
        feed(call, {"type": "quality", "id": f"q{i}", "level": "good"})
    codes = [e["code"] for e in channel.of_type("error")]
    assert codes.count("rate_limited") >= 35
    assert 10 <= len(channel.of_type("ack")) < 15


@pytest.mark.asyncio
async def test_synthetic_media_frames() -> None:
    camera, tone = SyntheticCamera(width=640, height=480), ToneMicrophone()
    first, second = await camera.recv(), await camera.recv()
    assert isinstance(first, av.VideoFrame) and (first.width, first.height) == (640, 480)
    assert bytes(first.planes[0]) != bytes(second.planes[0])  # it moves
    audio = await tone.recv()
    assert isinstance(audio, av.AudioFrame) and audio.samples == 960 and audio.sample_rate == 48000
    assert any(bytes(audio.planes[0]))
    camera.stop()
    tone.stop()


@pytest.mark.asyncio
async def test_session_binding_carries_events_both_ways() -> None:
    call, channel = make_call()
    session = Session(require_cleaning=False)
    binding = SessionBinding(call, session)
    patient = Beneficiary(
        last_name="Martin", first_name="Paul", birth_date="19500101", nir="150017512345603", rank=0
    )
    for event in (CardInserted(), CardRead((patient,)), BeneficiaryChosen(0), ConsentGiven()):
        session.send(event)
    assert session.state is State.WAITING_ROOM
    await asyncio.sleep(0)  # the check-in task
    assert call.session_id == session.session_id and call.status is CallStatus.WAITING
    assert call._identity is not None and call._identity["last_name"] == "Martin"

    call._emit(DoctorJoined())
    assert session.state is State.IN_CALL
    reading = Reading(
        kind=ReadingKind.SPO2,
        unit=Unit.PERCENT,
        values={"spo2": 98.0},
        device=DeviceInfo(id="ox"),
        received_at=datetime.now(UTC),
    )
    feed(call, {"type": "measure", "id": "m1", "kind": "spo2"})
    call._emit(drained(call)[0])
    assert session.state is State.MEASURING
    # where a measurement stands is the cabin's measurement service's to tell, not the
    # binding's (it used to say "started" a second time): see tests/cabin
    assert channel.of_type("measuring") == []
    call._emit(MeasurementRequested(ReadingKind.SPO2))  # a double click: dropped, no crash
    session.send(ReadingReceived(reading))
    assert channel.of_type("reading")[0]["reading"]["values"] == {"spo2": 98.0}
    assert session.state is State.IN_CALL
    # readings in progress (a cuff inflating) do not send the last stored one again
    for pressure in (40.0, 80.0, 120.0):
        session.send(
            ReadingReceived(replace(reading, values={"spo2": pressure}, intermediate=True))
        )
    assert len(channel.of_type("reading")) == 1
    session.send(ReadingReceived(replace(reading, values={"spo2": 97.0})))
    assert [r["reading"]["values"] for r in channel.of_type("reading")] == [
        {"spo2": 98.0},
        {"spo2": 97.0},
    ]

    call._emit(CallEnded())
    assert session.state is State.PRINTING
    session.send(PrintingDone())
    session.send(EndSession())
    assert session.state is State.IDLE
    await asyncio.sleep(0)  # the check-out task
    assert call.session_id == "" and call.status is CallStatus.IDLE and call._identity is None
    binding.close()


@pytest.mark.asyncio
async def test_end_on_a_fault_screen_prints_and_lets_the_doctor_go() -> None:
    """An instrument unplugged mid-call, the patient presses "End": the papers print and
    the call ends now, not at the wipe."""
    call, channel = make_call()
    session = Session(require_cleaning=False)
    binding = SessionBinding(call, session)
    patient = Beneficiary(
        last_name="Martin", first_name="Paul", birth_date="19500101", nir="150017512345603", rank=0
    )
    for event in (CardInserted(), CardRead((patient,)), BeneficiaryChosen(0), ConsentGiven()):
        session.send(event)
    await asyncio.sleep(0)  # the check-in task
    call._emit(DoctorJoined())
    call._set_status(CallStatus.CONNECTED)
    session.send(DocumentReceived(Document(kind=DocumentKind.PRESCRIPTION, id="rx", pdf=b"%PDF")))
    session.send(Fault(FaultKind.INSTRUMENT_UNPLUGGED, "scale"))
    session.send(EndSession())
    assert session.state is State.PRINTING
    for _ in range(10):  # the hang-up task
        await asyncio.sleep(0)
    assert call.status is CallStatus.ENDED
    assert [e["reason"] for e in channel.of_type("end")] == ["cabin"]
    assert session.state is State.PRINTING  # the call's end does not cut the printing short
    binding.close()


def test_bundled_answer_candidates_spread_to_every_section() -> None:
    answer = "\r\n".join(
        [
            "v=0",
            "a=group:BUNDLE 0 1 2",
            "m=video 9 UDP/TLS/RTP/SAVPF 97",
            "a=candidate:1 1 udp 58662911 127.0.0.1 49214 typ relay raddr 0.0.0.0 rport 0",
            "a=mid:0",
            "m=video 9 UDP/TLS/RTP/SAVPF 97",
            "a=mid:1",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
            "a=mid:2",
            "",
        ]
    )
    spread = spread_candidates(answer)
    sections = spread.split("m=")[1:]
    assert all("a=candidate:1 1 udp" in section for section in sections)
    assert spread.endswith(
        "a=mid:2\r\na=candidate:1 1 udp 58662911 127.0.0.1 49214 typ relay raddr 0.0.0.0 rport 0\r\n"
    )
    assert spread_candidates("v=0\r\nm=audio 9 x 0\r\n") == "v=0\r\nm=audio 9 x 0\r\n"


def read_stamp(luma: bytes, width: int) -> int | None:
    """The page's reading of a stamped frame (block centres; None when damaged)."""
    value = 0
    for i in range(STAMP_BITS):
        x = i * STAMP_BLOCK + STAMP_BLOCK // 2
        bit = luma[(STAMP_BLOCK // 2) * width + x] > 128
        complement = luma[(STAMP_BLOCK + STAMP_BLOCK // 2) * width + x] > 128
        if bit == complement:
            return None
        value = value * 2 + bit
    return value


@pytest.mark.asyncio
async def test_stamped_camera_carries_its_time_through_vp8() -> None:
    camera = SyntheticCamera(width=640, height=480, stamp=True)
    before = int(time.time() * 1000)
    frame = await camera.recv()
    after = int(time.time() * 1000)
    camera.stop()
    stamp = read_stamp(bytes(frame.planes[0]), 640)
    assert stamp is not None and (stamp - before) % 2**STAMP_BITS <= after - before
    # what the doctor's browser sees went through the VP8 encoder at a modest bit rate
    encoder = av.CodecContext.create("libvpx", "w")
    encoder.width, encoder.height, encoder.pix_fmt = 640, 480, "yuv420p"
    encoder.bit_rate = 500_000
    decoder = av.CodecContext.create("vp8", "r")
    decoded = [
        out
        for packet in [*encoder.encode(frame), *encoder.encode(None)]
        for out in decoder.decode(packet)
    ]
    assert decoded
    gray = decoded[0].reformat(format="gray")
    plane = gray.planes[0]
    rows = bytes(plane)
    luma = b"".join(
        rows[y * plane.line_size : y * plane.line_size + 640] for y in range(2 * STAMP_BLOCK)
    )
    assert read_stamp(luma, 640) == stamp
    with pytest.raises(ValueError, match="wide"):
        SyntheticCamera(width=320, height=240, stamp=True)


def test_audio_level_tells_a_voice_from_silence() -> None:
    import math

    import av

    from drivers.media import VOICE_RMS, ToneMicrophone, audio_rms

    def frame(pcm: bytes, layout: str, samples: int) -> av.AudioFrame:
        f = av.AudioFrame(format="s16", layout=layout, samples=samples)
        f.planes[0].update(pcm)
        return f

    silence = frame(bytes(960 * 2 * 2), "stereo", 960)
    assert audio_rms(silence) == 0.0
    loud = b"".join(
        int(8000 * math.sin(2 * math.pi * 300 * i / 48000)).to_bytes(2, "little", signed=True) * 2
        for i in range(960)
    )
    assert audio_rms(frame(loud, "stereo", 960)) > VOICE_RMS
    # The demo's own tone is a quiet one: it would count as a voice at the other end.
    tone = ToneMicrophone()
    assert audio_rms(frame(tone._pcm, "mono", tone._samples)) > VOICE_RMS
    assert audio_rms(av.AudioFrame(format="fltp", layout="mono", samples=960)) == 0.0


@pytest.mark.asyncio
@pytest.mark.parametrize(("code", "source"), [("ACD346", "booking_code"), ("", "walk_in")])
async def test_session_without_card_tells_the_doctor_no_identity_was_read(
    code: str, source: str
) -> None:
    call, channel = make_call()
    call.link.checkin_key = "ab" * 32
    session = Session(require_cleaning=False)
    binding = SessionBinding(call, session)
    for event in (BookingCodeRequested(), ContinueWithoutCard(code), ConsentGiven()):
        session.send(event)
    await asyncio.sleep(0)  # the check-in task
    assert call.session_id == session.session_id
    identity = call._identity
    assert identity is not None and identity["source"] == source
    assert identity["last_name"] == identity["first_name"] == identity["birth_date"] == ""
    # the portal gets the typed code, never a match key made of empty names
    assert call._match_fields() == ({"booking_code": code} if code else {})
    call._on_channel_open(channel)  # type: ignore[arg-type]
    sent = channel.of_type("identity")[0]
    assert sent["source"] == source and "nir" not in sent
    protocol.decode_data(json.dumps(sent))  # valid on the doctor's side too
    session.send(EndSession())
    session.send(EndSession())
    await asyncio.sleep(0)  # the check-out task
    assert call._identity is None and call._booking_code == "" and call.checked_in is None
    binding.close()


@pytest.mark.asyncio
async def test_back_online_after_the_call_ended_the_patient_stays_out_of_the_room() -> None:
    call, _ = make_call()
    sent: list[tuple[str, dict[str, Any]]] = []

    async def send(msg_type: str, **fields: Any) -> bool:
        sent.append((msg_type, fields))
        return True

    call.link.send = send  # type: ignore[method-assign]
    await call.check_in("s-end")
    assert [t for t, _ in sent] == ["checkin"]
    await call._on_portal()  # a reconnection while waiting: back in the room
    assert [t for t, _ in sent] == ["checkin", "checkin"]
    call._emit_end()  # the doctor ended the call (data channel): printing, goodbye
    await call._on_portal()
    assert [t for t, _ in sent] == ["checkin", "checkin"]
