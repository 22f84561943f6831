"""The pure Carte Vitale logic, fed byte vectors (tests/data/card) and scripted card answers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from drivers.card import protocol
from drivers.card.errors import CardFailure, NotVitaleError, UnreadableCardError, Vitale1Error
from drivers.card.protocol import CardKind, Response, Tlv, TlvError, parse_tlv
from drivers.types import Beneficiary

DATA = Path(__file__).resolve().parent.parent / "data" / "card"


def vector(name: str) -> bytes:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return bytes.fromhex(" ".join(ln for ln in lines if not ln.startswith("#")))


class Script:
    """A card that answers from a list, recording every command it received."""

    def __init__(self, answers: Sequence[str]) -> None:
        self.answers = [bytes.fromhex(a) for a in answers]
        self.sent: list[bytes] = []

    def __call__(self, apdu: bytes) -> Response:
        self.sent.append(apdu)
        return Response.from_bytes(self.answers.pop(0))


# --- ATR ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("atr", "kind"),
    [
        ("3B 75 13 00 00 43 09 EA 90 00", CardKind.VITALE2),
        ("3B 75 13 00 00 49 09 EA 90 00", CardKind.VITALE2),
        ("3B 75 13 00 00 42 09 EA 90 00", CardKind.UNKNOWN),  # x below 3
        ("3B 75 13 00 00 4A 09 EA 90 00", CardKind.UNKNOWN),  # x above 9
        ("3B 75 13 00 00 57 09 EA 90 00", CardKind.UNKNOWN),  # high nibble not 4
        ("3B 75 13 00 00 47 09 EA 90 01", CardKind.UNKNOWN),
        ("3B 75 13 00 00 47 09 EA 90", CardKind.UNKNOWN),  # short
        ("3B 75 13 00 01 47 09 EA 90 00", CardKind.UNKNOWN),
        ("3F 65 25 00 2C 09 69 90 00", CardKind.VITALE1),
        ("3F 65 25 00 22 09 F9 90 00", CardKind.VITALE1),
        ("3F 65 25 00 52 09 6A 90 00", CardKind.VITALE1),
        ("3F 65 25 00 A4 09 6A 90 00", CardKind.VITALE1),
        ("3F 65 25 08 2C 09 69 90 00", CardKind.VITALE1),  # the guard time names no card
        ("3B 65 25 00 2C 09 69 90 00", CardKind.UNKNOWN),  # Vitale 1 is inverse convention
        ("3F 65 25 00 2B 09 69 90 00", CardKind.UNKNOWN),  # a parking card, same application
        ("3F 65 25 00 24 09 6E 90 00", CardKind.UNKNOWN),  # a Russian bank card
        ("3F 65 25 08 33 04 20 90 00", CardKind.UNKNOWN),  # D-Trust
        ("3F 65 25 08 22 04 68 90 00", CardKind.UNKNOWN),  # France Telecom
        ("3F 65 25 00 2C 09 69 90", CardKind.UNKNOWN),  # historical bytes cut short
        ("3F", CardKind.UNKNOWN),
        ("3B AC 00 40 2A 00 12 25 00 64 80 00 03 10 00 90 00", CardKind.CPS),
        ("3B 8F 80 01 00 31 B8 64 04 B0 EC C1 73 94 01 80 82 90 00 0E", CardKind.CPS),
        # the same chip and OS as the contactless CPS, "used in public French hospital"
        ("3B 8F 80 01 00 31 B8 64 04 B0 EC C1 73 94 01 80 FF FF FF E3", CardKind.UNKNOWN),
        ("3F 8F 80 01 00 31 B8 64 04 B0 EC C1 73 94 01 80 82 90 00 0E", CardKind.UNKNOWN),
        ("3B 68 00 00 80 66 B0 07 01 01 07 07", CardKind.UNKNOWN),
        ("", CardKind.UNKNOWN),
    ],
)
def test_classify_atr(atr: str, kind: CardKind) -> None:
    assert protocol.classify_atr(bytes.fromhex(atr)) is kind


# The Carte Bancaire family, ``3F 65 25 .. .. 04 6C 90 .0`` in pcsc-tools' list: the same
# CP8 masks as Vitale 1, so its start alone once made every bank card an "old Carte Vitale".
BANK_CARDS = [
    "3F 65 25 00 2B 04 6C 90 00",
    "3F 65 25 08 33 04 6C 90 00",
    "3F 65 25 08 43 04 6C 90 00",
    "3F 65 25 08 63 04 6C 90 00",
    "3F 65 25 08 65 04 6C 90 00",
    "3F 65 25 00 2C 04 6C 90 00",  # a Vitale mask byte, but the bank application
    "3F 65 25 00 52 04 6C 90 40",
]


@pytest.mark.parametrize("atr", BANK_CARDS)
def test_a_bank_card_is_not_a_carte_vitale(atr: str) -> None:
    kind = protocol.classify_atr(bytes.fromhex(atr))
    assert kind is CardKind.UNKNOWN
    card = Script(["6E00"])  # the card refuses the class byte 00
    with pytest.raises(NotVitaleError, match=r"^this is not a Carte Vitale$") as caught:
        protocol.read_vitale(card, kind)
    assert caught.value.reason == CardFailure.NOT_VITALE
    assert card.sent == [protocol.SELECT_VITALE]  # the probe, nothing read


def test_no_instance_of_the_carte_bancaire_pattern_is_a_carte_vitale() -> None:
    # 3F 65 25 .. .. 04 6C 90 .0: every mask byte and last nibble, under four guard times.
    for guard in (0x00, 0x08, 0x25, 0xFF):
        for mask in range(256):
            for status in range(0x00, 0x100, 0x10):
                atr = bytes((0x3F, 0x65, 0x25, guard, mask, 0x04, 0x6C, 0x90, status))
                assert protocol.classify_atr(atr) is CardKind.UNKNOWN, atr.hex(" ")


@pytest.mark.parametrize(
    ("atr", "history"),
    [
        ("3F 65 25 00 2C 09 69 90 00", "2C 09 69 90 00"),
        ("3B 75 13 00 00 47 09 EA 90 00", "47 09 EA 90 00"),
        (  # TD1 80, TD2 01; the last byte is TCK
            "3B 8F 80 01 00 31 B8 64 04 B0 EC C1 73 94 01 80 82 90 00 0E",
            "00 31 B8 64 04 B0 EC C1 73 94 01 80 82 90 00",
        ),
        (  # TB1 00, TD1 40, TC2 2A
            "3B AC 00 40 2A 00 12 25 00 64 80 00 03 10 00 90 00",
            "00 12 25 00 64 80 00 03 10 00 90 00",
        ),
        ("3B 02 14 50", "14 50"),
        ("3B 80 80 01 01", ""),
        ("3B 00", ""),
        ("3B 90 11", None),  # TD1 announced, missing
        ("3B 80 80", None),  # TD2 announced, missing
        ("3B 05 01 02", None),  # five historical bytes announced, two sent
        ("3B", None),
        ("", None),
    ],
)
def test_historical_bytes(atr: str, history: str | None) -> None:
    expected = None if history is None else bytes.fromhex(history)
    assert protocol.historical_bytes(bytes.fromhex(atr)) == expected


# --- APDUs and T=0 ------------------------------------------------------------------------


def test_response_round_trip_and_short_answer() -> None:
    r = Response.from_bytes(bytes.fromhex("0102 9000"))
    assert (r.data, r.sw) == (b"\x01\x02", 0x9000)
    assert r.to_bytes() == bytes.fromhex("01029000")
    with pytest.raises(UnreadableCardError, match="status word"):
        Response.from_bytes(b"\x90")


@pytest.mark.parametrize(
    ("apdu", "le", "expected"),
    [
        ("00C00000", 0x10, "00C0000010"),  # case 1: Le added
        ("00B0820000", 0x2A, "00B082002A"),  # case 2: Le replaced
        ("00A40000023F00", 0x12, "00A40000023F0012"),  # case 3: Le added
        ("00A40000023F0000", 0x12, "00A40000023F0012"),  # case 4: Le replaced
    ],
)
def test_with_le(apdu: str, le: int, expected: str) -> None:
    assert protocol.with_le(bytes.fromhex(apdu), le) == bytes.fromhex(expected)


def test_exchange_fetches_61xx_with_get_response_and_joins_data() -> None:
    card = Script(["AA 61 02", "BB CC 61 01", "DD 90 00"])
    r = protocol.exchange(card, protocol.SELECT_MF)
    assert (r.data, r.sw) == (bytes.fromhex("AABBCCDD"), 0x9000)
    assert card.sent == [
        protocol.SELECT_MF,
        bytes.fromhex("00C0000002"),
        bytes.fromhex("00C0000001"),
    ]


def test_exchange_resends_6cxx_with_the_right_le() -> None:
    card = Script(["6C 05", "0102030405 90 00"])
    r = protocol.exchange(card, protocol.READ_SFI2)
    assert r.data == bytes.fromhex("0102030405")
    assert card.sent[1] == bytes.fromhex("00B0820005")


def test_exchange_is_bounded() -> None:
    card = Script(["61 01"] * (protocol.MAX_CHAIN + 1))
    with pytest.raises(UnreadableCardError, match="kept asking"):
        protocol.exchange(card, protocol.SELECT_MF)


# --- BER-TLV ------------------------------------------------------------------------------


def test_parse_tlv_vector_with_padding_unknown_tags_and_long_length() -> None:
    items = parse_tlv(vector("identity_two.hex"))
    assert [i.tag for i in items] == [0x50, 0x65, 0x65]
    first, second = items[1], items[2]
    assert first.constructed and [c.tag for c in first.children] == [0x80, 0x5F20, 0x81, 0x82]
    assert second.find(0x7F49) == Tlv(0x7F49, b"\x86\x02\x01\x02", (Tlv(0x86, b"\x01\x02"),), True)
    assert second.find(0x99) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("5F", "truncated TLV tag"),
        ("5F 81", "truncated TLV tag"),
        ("5F 81 81 81 01 00", "longer than 4 bytes"),
        ("80", "truncated TLV length"),
        ("80 80", "unsupported TLV length form"),
        ("80 84 00 00 00 01 00", "unsupported TLV length form"),
        ("80 82 01", "truncated TLV length"),
        ("80 05 01 02", "truncated TLV value"),
        ("65 04 80 05 41 42", "truncated TLV value"),
    ],
)
def test_parse_tlv_refuses_malformed(data: str, message: str) -> None:
    with pytest.raises(TlvError, match=message):
        parse_tlv(bytes.fromhex(data))


def test_parse_tlv_multi_byte_tag_and_depth_bound() -> None:
    assert parse_tlv(bytes.fromhex("5F 81 01 01 AA"))[0].tag == 0x5F8101
    nested = b"\x80\x00"
    for _ in range(protocol.MAX_DEPTH + 1):
        nested = protocol.encode_tlv(0x65, nested)
    with pytest.raises(TlvError, match="too deep"):
        parse_tlv(nested)


@pytest.mark.parametrize(("size", "head"), [(5, "8005"), (200, "8081c8"), (300, "8082012c")])
def test_encode_tlv_lengths(size: int, head: str) -> None:
    encoded = protocol.encode_tlv(0x80, b"\x41" * size)
    assert encoded.startswith(bytes.fromhex(head))
    assert parse_tlv(encoded)[0].value == b"\x41" * size


def test_encode_tlv_refuses_huge_values() -> None:
    with pytest.raises(ValueError, match="too long"):
        protocol.encode_tlv(0x80, bytes(0x10000))


# --- NIR ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "key"),
    [
        ("1850578006084", 91),
        ("2110199123456", 27),
        ("183022A012345", 32),  # Corsica 2A counts as 19
        ("270052B034567", 6),  # Corsica 2B counts as 18
    ],
)
def test_nir_key(number: str, key: int) -> None:
    assert protocol.nir_key(number) == key
    assert protocol.nir_is_valid(protocol.with_key(number))


@pytest.mark.parametrize("number", ["185057800608", "18505780060X4", "185052C006084"])
def test_nir_key_refuses_bad_numbers(number: str) -> None:
    with pytest.raises(ValueError, match="NIR number"):
        protocol.nir_key(number)


@pytest.mark.parametrize(
    "nir", ["185057800608490", "18505780060849", "985057800608491", "183022C01234532"]
)
def test_nir_is_valid_refuses(nir: str) -> None:
    assert not protocol.nir_is_valid(nir)


# --- the files ----------------------------------------------------------------------------


def test_parse_beneficiaries_vector() -> None:
    people = protocol.parse_beneficiaries(vector("identity_two.hex"), vector("nir_two.hex"))
    assert people == (
        Beneficiary(
            last_name="QUÉRÉMADEC",
            first_name="Anne-Laure",
            birth_date="19850512",
            nir="185057800608491",
            rank=0,
        ),
        Beneficiary(
            last_name="O'NEILL",
            first_name="Gaëlle",
            birth_date="20110000",  # lunar date, kept as given
            nir="211019912345627",
            rank=1,
        ),
    )


def person(last: str = "MARTIN", first: str = "Jeanne", date: str = "19850612") -> bytes:
    t = protocol.encode_tlv
    return t(
        0x65, t(0x80, last.encode("latin-1")) + t(0x81, first.encode()) + t(0x82, date.encode())
    )


def nir(value: bytes = b"285067505607802") -> bytes:
    return protocol.encode_tlv(0x65, protocol.encode_tlv(0x93, value))


def test_one_nir_without_template_is_tolerated_and_spaces_stripped() -> None:
    loose = protocol.encode_tlv(0x93, b"2 85 06 75 056 078 02") + b"\x00" * 8
    (p,) = protocol.parse_beneficiaries(person(), loose)
    assert p.nir == "285067505607802"


def test_nir_inside_the_identity_template_is_used() -> None:
    t = protocol.encode_tlv
    identity = t(0x65, person()[2:] + t(0x93, b"285067505607802"))
    (p,) = protocol.parse_beneficiaries(identity, nir(b"")[:0] + t(0x65, t(0x84, b"\x01")))
    assert p.nir == "285067505607802"


@pytest.mark.parametrize(
    ("identity", "nirs", "message"),
    [
        (b"\x00" * 16, nir(), "no beneficiary"),
        (person()[:-3], nir(), "identity file is malformed"),
        (person(), nir()[:-1], "NIR file is malformed"),
        (person() + person(), nir(), "not hold the same people"),
        (person(), nir(b"285067505607803"), "key does not check"),
        (person(), nir(b"28506750560780"), "not 13 characters"),
        (person(), protocol.encode_tlv(0x65, protocol.encode_tlv(0x84, b"\x01")), "no NIR"),
        (person(last=""), nir(), "last name is empty"),
        (person(first="Je\x01an"), nir(), "first name is empty or not text"),
        (person(date="1985061"), nir(), "birth date is not"),
        (person(date="19851312"), nir(), "birth date is not"),
        (person(date="19850632"), nir(), "birth date is not"),
        (protocol.encode_tlv(0x65, protocol.encode_tlv(0x80, b"X")), nir(), "no first name"),
    ],
)
def test_parse_beneficiaries_refuses(identity: bytes, nirs: bytes, message: str) -> None:
    with pytest.raises(UnreadableCardError, match=message):
        protocol.parse_beneficiaries(identity, nirs)


def test_files_round_trip() -> None:
    people = protocol.parse_beneficiaries(vector("identity_two.hex"), vector("nir_two.hex"))
    assert (
        protocol.parse_beneficiaries(protocol.identity_file(people), protocol.nir_file(people))
        == people
    )


# --- the read sequence --------------------------------------------------------------------


def test_read_file_in_chunks_until_6b00() -> None:
    card = Script(["AA" * 256 + "9000", "BB" * 256 + "9000", "6B00"])
    assert protocol.read_file(card, "identity") == b"\xaa" * 256 + b"\xbb" * 256
    assert card.sent[1:] == [bytes.fromhex("00B0010000"), bytes.fromhex("00B0020000")]


def test_read_file_stops_on_6282() -> None:
    card = Script(["AA" * 10 + "6282"])
    assert protocol.read_file(card, "identity") == b"\xaa" * 10


@pytest.mark.parametrize(
    ("answer", "message"),
    [("6982", "denies access"), ("6B00", "could not read"), ("6A82", "could not read")],
)
def test_read_file_errors(answer: str, message: str) -> None:
    with pytest.raises(UnreadableCardError, match=message):
        protocol.read_file(Script([answer]), "NIR")


def test_read_file_is_bounded() -> None:
    card = Script(["AA" * 256 + "9000"] * 200)
    with pytest.raises(UnreadableCardError, match="larger than"):
        protocol.read_file(card, "identity")


def test_read_vitale_sequence() -> None:
    card = Script(["9000", person().hex() + "9000", "9000", nir().hex() + "9000"])
    (p,) = protocol.read_vitale(card, CardKind.VITALE2)
    assert p.first_name == "Jeanne"
    assert card.sent == [
        protocol.SELECT_MF,
        protocol.READ_SFI2,
        protocol.SELECT_VITALE,
        protocol.READ_SFI2,
    ]


def test_read_vitale_probes_an_unknown_card() -> None:
    card = Script(["9000", "9000", person().hex() + "9000", "9000", nir().hex() + "9000"])
    assert len(protocol.read_vitale(card, CardKind.UNKNOWN)) == 1
    assert card.sent[0] == protocol.SELECT_VITALE
    with pytest.raises(NotVitaleError, match="not a Carte Vitale"):
        protocol.read_vitale(Script(["6A82"]), CardKind.UNKNOWN)


def test_read_vitale_refuses_vitale1_and_cps_without_exchanging() -> None:
    with pytest.raises(Vitale1Error, match="ask staff"):
        protocol.read_vitale(Script([]), CardKind.VITALE1)
    with pytest.raises(NotVitaleError, match="CPS"):
        protocol.read_vitale(Script([]), CardKind.CPS)


def test_read_vitale_select_refused() -> None:
    with pytest.raises(UnreadableCardError, match="master file"):
        protocol.read_vitale(Script(["6A82"]), CardKind.VITALE2)
