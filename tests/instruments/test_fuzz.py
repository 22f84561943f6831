"""Arbitrary bytes never raise anything but the typed error, however they are split."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers import decoding
from drivers.and_scale import protocol as scale
from drivers.contec import protocol as contec
from drivers.instrument import FrameError, InstrumentError
from drivers.masimo import protocol as masimo
from drivers.nonin import protocol as nonin
from drivers.suntech import protocol as suntech
from drivers.types import DeviceInfo, Reading

DECODERS = {
    "suntech-advantage": suntech.SunTechDecoder,
    "and-weight": scale.AndDecoder,
    "nonin-oem3": nonin.NoninDecoder,
    "contec-cms50d": contec.ContecDecoder,
    "masimo-ascii1": masimo.MasimoDecoder,
}
#: Good frames to mix with noise, so the fuzzer also reaches the frame paths.
GOOD = {
    "suntech-advantage": [
        bytes.fromhex("3E 05 02 01 BA"),
        suntech.encode_ack(suntech.AckCode.DONE),
    ],
    "and-weight": [b"ST,+00070.50 kg\r\n", b"US,-00001.25 lb\r\n"],
    "nonin-oem3": [nonin.encode_packet(pulse=70, spo2=98)],
    "contec-cms50d": [contec.encode(spo2=98, pulse=72)],
    "masimo-ascii1": [masimo.encode(spo2=98, pulse=72)],
}
AT = datetime(2026, 1, 1, tzinfo=UTC)


def _check_items(items: list[Any]) -> None:
    for item in items:
        if isinstance(item, FrameError):
            assert item.reason in {"garbage", "bad_checksum", "unusable_frame"}
        elif hasattr(item, "reading"):
            reading = item.reading(device=DeviceInfo(id="x"), received_at=AT)
            assert isinstance(reading, Reading)  # and so its numbers are finite


@pytest.mark.parametrize("profile", sorted(DECODERS))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_decoder_never_raises(profile: str, data: st.DataObject) -> None:
    pieces = data.draw(
        st.lists(st.one_of(st.binary(max_size=40), st.sampled_from(GOOD[profile])), max_size=12)
    )
    decoder = DECODERS[profile]()
    items: list[Any] = []
    for piece in pieces:
        items += decoder.feed(piece)
    _check_items(items)
    # the same bytes in one read give the same frames
    whole = DECODERS[profile]().feed(b"".join(pieces))
    assert [i for i in whole if not isinstance(i, FrameError)] == [
        i for i in items if not isinstance(i, FrameError)
    ]


@pytest.mark.parametrize("profile", sorted(DECODERS))
@settings(max_examples=150, deadline=None)
@given(raw=st.binary(max_size=200))
def test_decode_hex_raises_only_the_typed_error(profile: str, raw: bytes) -> None:
    _, form = decoding.PROFILES[profile]
    text = raw.hex() if form == "hex" else raw.decode("latin-1")
    try:
        reading = decoding.decode(profile, text, received_at=AT)
    except InstrumentError as exc:
        assert isinstance(exc, FrameError)
    else:
        assert isinstance(reading, Reading)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=60))
def test_decode_any_typed_text_raises_only_the_typed_error(text: str) -> None:
    for profile in decoding.PROFILES:
        try:
            reading = decoding.decode(profile, text, received_at=AT)
        except InstrumentError as exc:
            assert isinstance(exc, FrameError)
        else:
            assert isinstance(reading, Reading)
