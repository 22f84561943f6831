"""Pure parsers beyond the vectors: streams split anywhere, resynchronisation, every branch."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from drivers.and_scale import protocol as scale
from drivers.contec import protocol as contec
from drivers.framing import last_reading
from drivers.instrument import FrameError
from drivers.masimo import protocol as masimo
from drivers.nonin import protocol as nonin
from drivers.suntech import protocol as suntech
from drivers.types import DeviceInfo, Reading, ReadingKind, Unit

DEV = DeviceInfo(id="t")
AT = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)

BP_DESIGN = bytes.fromhex("3E 18 73 00 4A 00 1E 01 00 00 00 00 00 00 31 07 55 00 58 00 00 00 00 E9")


def frames(items: list[Any]) -> list[Any]:
    return [i for i in items if not isinstance(i, FrameError)]


def errors(items: list[Any]) -> list[str]:
    return [str(i.reason) for i in items if isinstance(i, FrameError)]


def norm(items: list[Any]) -> list[Any]:
    """Comparable items: errors by reason and bytes (exceptions compare by identity)."""
    return [("error", str(i.reason), i.data) if isinstance(i, FrameError) else i for i in items]


def feed_bytewise(decoder: Any, data: bytes) -> list[Any]:
    out: list[Any] = []
    for i in range(len(data)):
        out += decoder.feed(data[i : i + 1])
    return out


# -- SunTech ---------------------------------------------------------------------------------


def test_suntech_commands_match_the_design_bytes() -> None:
    assert bytes.fromhex("3A 20 A6") == suntech.START_ADULT
    assert bytes.fromhex("3A 79 01 00 4C") == suntech.ABORT
    assert bytes.fromhex("3A 79 05 00 48") == suntech.GET_CUFF_PRESSURE
    assert bytes.fromhex("3A 79 03 00 4A") == suntech.GET_BP_DATA


def test_suntech_stream_split_anywhere() -> None:
    stream = suntech.encode_ack(suntech.AckCode.RECEIVED) + bytes.fromhex("3E 05 02 01 BA")
    stream += suntech.encode_ack(suntech.AckCode.DONE) + BP_DESIGN
    whole = suntech.decode(stream)
    assert norm(whole) == norm(feed_bytewise(suntech.SunTechDecoder(), stream))
    assert whole == [
        suntech.Ack(suntech.AckCode.RECEIVED),
        suntech.CuffPressure(258),
        suntech.Ack(suntech.AckCode.DONE),
        suntech.BPData(systolic=115, diastolic=74, map=88, pulse=85, beats=30, status=1, error=0),
    ]


def test_suntech_encoders_round_trip() -> None:
    assert suntech.decode(suntech.encode_cuff(258)) == [suntech.CuffPressure(258)]
    bp = suntech.encode_bp(systolic=140, diastolic=90, map=107, pulse=300, error=0)
    assert suntech.decode(bp)[0].pulse == 300
    for code in suntech.AckCode:
        assert suntech.decode(suntech.encode_ack(code)) == [suntech.Ack(code)]


def test_suntech_resync_after_bad_checksum_and_long_garbage() -> None:
    bad = bytes.fromhex("3E 05 02 01 BB")
    out = suntech.decode(bad + bytes(70) + bytes.fromhex("3E 05 02 01 BA"))
    assert frames(out) == [suntech.CuffPressure(258)]
    assert errors(out) == ["bad_checksum", "garbage"]  # one run: the bad frame + 70
    assert (
        sum(len(e.data) for e in out if isinstance(e, FrameError) and e.reason == "garbage") == 75
    )


def test_suntech_start_byte_with_impossible_length_is_skipped() -> None:
    out = suntech.decode(bytes.fromhex("3E 07 3E 05 02 01 BA"))
    assert frames(out) == [suntech.CuffPressure(258)]
    assert errors(out) == ["garbage"]


def test_suntech_unknown_ack_is_unusable() -> None:
    packet = bytes([0x3E, 4, ord("Z")])
    packet += bytes([suntech.checksum(packet)])
    out = suntech.decode(packet)
    assert errors(out)[0] == "unusable_frame"


@pytest.mark.parametrize(
    "packet",
    [
        b"\x3e\x04",
        b"\x3a\x04\x4b\x77",
        bytes.fromhex("3E 04 4B 73 00"),
        bytes.fromhex("3E 06 00 00 00 BC"),
    ],
)
def test_suntech_parse_packet_rejects_non_packets(packet: bytes) -> None:
    with pytest.raises(FrameError):
        suntech.parse_packet(packet)


def test_suntech_decoder_reset_forgets_a_partial_frame() -> None:
    decoder = suntech.SunTechDecoder()
    assert decoder.feed(bytes.fromhex("3E 05 02")) == []
    decoder.reset()
    assert decoder.feed(bytes.fromhex("01 BA")) == []


def test_suntech_every_error_code_is_a_reason() -> None:
    for code, reason in suntech.ERROR_CODES.items():
        data = suntech.decode(
            suntech.encode_bp(systolic=0, diastolic=0, map=0, pulse=0, error=code)
        )[0]
        reading = data.reading(device=DEV, received_at=AT)
        assert not reading.valid
        assert set(reading.missing.values()) == {reason.value}
        assert f"device_error:{code}" in reading.flags


# -- A&D -------------------------------------------------------------------------------------


def test_and_stream_split_and_garbage_lines() -> None:
    stream = b"\x00\xffnoise\r\nUS,+00070.30 kg\r\n" + b"x" * 300 + b"\r\nST,+00070.50 kg\r\n\r\n"
    whole = scale.decode(stream)
    assert norm(whole) == norm(feed_bytewise(scale.AndDecoder(), stream))
    assert [getattr(f, "value", None) for f in frames(whole)] == [70.3, 70.5]
    assert errors(whole) == ["garbage", "garbage"]


def test_and_error_line_and_encoders() -> None:
    assert scale.decode(b"EC,E01\r\n") == [scale.ScaleError("E01")]
    assert scale.encode(scale.Header.STABLE, 70.5) == b"ST,+00070.50 kg\r\n"
    assert scale.encode(scale.Header.UNSTABLE, -1.25, Unit.POUND) == b"US,-00001.25 lb\r\n"
    assert scale.encode(scale.Header.OVERLOAD, 0.0, Unit.GRAM) == b"OL,+9999999E+19\r\n"
    assert scale.encode(scale.Header.OVERLOAD, -0.5) == b"OL,-9999999E+19\r\n"
    assert scale.COMMANDS[scale.QUERY.strip()] == "query"


#: Overload as A&D balances print it (manuals and captures): no unit, the number fills the line.
AND_OVERLOADS = [b"OL,+9999999E+19\r\n", b"OL,-9999999E+19\r\n"]


@pytest.mark.parametrize("line", AND_OVERLOADS)
def test_and_real_overload_is_no_valid_measurement(line: bytes) -> None:
    assert scale.decode(line) == [scale.Weight(scale.Header.OVERLOAD, None, None)]
    assert feed_bytewise(scale.AndDecoder(), line) == scale.decode(line)
    assert scale.decode_reading(line, device=DEV, received_at=AT) == Reading(
        kind=ReadingKind.WEIGHT,
        unit=Unit.KG,
        values={},
        missing={"weight": "overload"},
        device=DEV,
        received_at=AT,
        flags=frozenset({"overload"}),
        intermediate=False,
    )


def test_and_overload_with_a_unit_field_still_parses() -> None:
    assert scale.decode(b"OL,+9999.999  g\r\n") == [
        scale.Weight(scale.Header.OVERLOAD, None, Unit.GRAM)
    ]
    reading = scale.decode_reading(b"OL,+9999.999 lb", device=DEV, received_at=AT)
    assert reading.unit is Unit.POUND and not reading.valid
    assert reading.missing == {"weight": "overload"}


@pytest.mark.parametrize(
    "line",
    [
        b"ST,+9999999E+19\r\n",  # the overload digits under another header are no weight
        b"US,-9999999E+19\r\n",
        b"OL,+9999999E+18\r\n",  # not what the manuals print: reported, not guessed
        b"OL,+9999999e+19\r\n",
    ],
)
def test_and_overload_digits_elsewhere_are_unusable(line: bytes) -> None:
    assert errors(scale.decode(line)) == ["unusable_frame"]


def test_and_overload_among_weights_in_one_stream() -> None:
    stream = b"US,+00070.30 kg\r\n" + AND_OVERLOADS[0] + b"ST,+00070.50 kg\r\n"
    assert scale.decode(stream) == [
        scale.Weight(scale.Header.UNSTABLE, 70.3, Unit.KG),
        scale.Weight(scale.Header.OVERLOAD, None, None),
        scale.Weight(scale.Header.STABLE, 70.5, Unit.KG),
    ]


# -- Nonin -----------------------------------------------------------------------------------


def test_nonin_split_and_resync_after_bad_checksum() -> None:
    packet = nonin.encode_packet(pulse=72, spo2=97, status=0x06)
    broken = bytearray(packet)
    broken[14] ^= 0x01  # a checksum in frame 3: this packet is lost, the next one is fine
    stream = bytes(broken) + packet
    out = feed_bytewise(nonin.NoninDecoder(), stream)
    assert norm(out) == norm(nonin.decode(stream))
    assert frames(out) == [nonin.NoninPacket(pulse=72, spo2=97, status=0x06)]
    assert "bad_checksum" in errors(out)


def test_nonin_long_garbage_and_cut_packet() -> None:
    packet = nonin.encode_packet(pulse=80, spo2=99)
    stream = bytes(70) + packet[:50] + packet
    out = nonin.decode(stream)
    assert frames(out) == [nonin.NoninPacket(pulse=80, spo2=99, status=0)]
    assert errors(out) == ["garbage", "garbage", "unusable_frame"]


def test_nonin_frames_before_the_first_sync_are_ignored() -> None:
    packet = nonin.encode_packet(pulse=80, spo2=99)
    out = nonin.decode(packet[5:] + packet)
    assert frames(out) == [nonin.NoninPacket(pulse=80, spo2=99, status=0)]
    assert errors(out) == []


def test_nonin_status_flags_and_reasons() -> None:
    packet = nonin.NoninPacket(pulse=511, spo2=127, status=0x10 | 0x20 | 0x08 | 0x02)
    reading = packet.reading(device=DEV, received_at=AT)
    assert reading.missing == {"spo2": "out_of_track", "pulse": "out_of_track"}
    assert reading.flags == {"out_of_track", "artifact", "sensor_alarm", "perfusion_red"}
    plain = nonin.NoninPacket(pulse=511, spo2=101, status=0x04).reading(device=DEV, received_at=AT)
    assert plain.missing == {"spo2": "out_of_range", "pulse": "no_value"}
    assert plain.flags == {"perfusion_yellow"}


def test_nonin_parse_errors() -> None:
    with pytest.raises(FrameError):
        nonin.parse_frame(b"\x01\x07\x00\x00\x08")  # status bit 7 clear
    with pytest.raises(FrameError):
        nonin.packet_from_frames([nonin.NoninFrame(0x80, 0, 0)] * 25)  # no sync
    decoder = nonin.NoninDecoder()
    decoder.feed(nonin.encode_packet(pulse=1, spo2=2)[:30])
    decoder.reset()
    assert decoder.feed(nonin.encode_packet(pulse=1, spo2=2)[30:]) == []


# -- Contec ----------------------------------------------------------------------------------


def test_contec_split_and_long_garbage() -> None:
    good = contec.encode(spo2=97, pulse=70)
    stream = bytes(range(0, 0x7F)) + good + good[:3] + good
    out = contec.decode(stream)
    assert norm(out) == norm(feed_bytewise(contec.ContecDecoder(), stream))
    assert [f.spo2 for f in frames(out)] == [97, 97]
    assert errors(out) == ["garbage", "garbage", "garbage"]


def test_contec_parse_and_reset() -> None:
    with pytest.raises(FrameError):
        contec.parse_packet(b"\x80\x80\x00\x00\x00")
    decoder = contec.ContecDecoder()
    decoder.feed(b"\x88\x3c")
    decoder.reset()
    assert decoder.feed(b"\x45\x16\x62") == []
    missing_pulse = contec.ContecPacket(
        signal=8, finger_out=False, probe_error=False, searching=False, pleth=0, pulse=255, spo2=97
    ).reading(device=DEV, received_at=AT)
    assert missing_pulse.values == {"spo2": 97.0}
    assert missing_pulse.missing == {"pulse": "no_value"}


# -- Masimo ----------------------------------------------------------------------------------


def test_masimo_encoder_and_split() -> None:
    line = masimo.encode(spo2=97, pulse=64, when=datetime(2026, 11, 23, 14, 5, 9))
    line += masimo.encode(spo2=None, pulse=None, pi=None)
    out = feed_bytewise(masimo.MasimoDecoder(), line)
    assert norm(out) == norm(masimo.decode(line))
    first, second = frames(out)
    assert first.values == {"spo2": 97.0, "pulse": 64.0, "pi": 3.6}
    assert first.device_time == datetime(2026, 11, 23, 14, 5, 9)
    assert second.missing == {"spo2": "no_value", "pulse": "no_value", "pi": "no_value"}


def test_masimo_without_optional_fields() -> None:
    line = masimo.parse_line("SPO2=099% BPM=060")
    assert line.values == {"spo2": 99.0, "pulse": 60.0}
    assert line.flags == frozenset()
    with pytest.raises(FrameError):
        masimo.parse_line("SPO2=099% =5 BPM=060")


# -- shared ----------------------------------------------------------------------------------


def test_last_reading_takes_the_last_frame_and_raises_the_first_error() -> None:
    items = scale.decode(b"US,+00070.30 kg\r\nST,+00070.50 kg\r\n")
    assert last_reading(items, device=DEV, received_at=AT).values == {"weight": 70.5}
    items = scale.decode(b"XX\r\nYY,\r\n")
    with pytest.raises(FrameError, match="not an A&D"):
        last_reading(items, device=DEV, received_at=AT)
