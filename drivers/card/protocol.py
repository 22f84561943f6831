"""Carte Vitale bytes: ATR classes, the APDUs, T=0 normalisation, BER-TLV and the NIR key.

Pure: bytes in, typed values out. The read sequence takes a ``transmit`` callable, so the
PC/SC transport, the virtual card and the tests all drive the very same logic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import StrEnum
from typing import NamedTuple

from drivers.card.errors import NotVitaleError, UnreadableCardError, Vitale1Error
from drivers.types import Beneficiary

SELECT_MF = bytes.fromhex("00A40000023F00")
AID_VITALE = b"\xd2\x50\x00\x00\x02" + b"VITALE"
SELECT_VITALE = bytes.fromhex("00A404000B") + AID_VITALE
#: READ BINARY of the file of short identifier 2 from offset 0, Le = 256.
READ_SFI2 = bytes.fromhex("00B0820000")
GET_RESPONSE = bytes.fromhex("00C00000")

SW_OK = 0x9000
SW_END_OF_FILE = 0x6282  # fewer bytes than Le: the end of the file was reached
SW_WRONG_OFFSET = 0x6B00
SW_DENIED = 0x6982
SW_NOT_FOUND = 0x6A82

TAG_TEMPLATE = 0x65
TAG_LAST_NAME = 0x80
TAG_FIRST_NAME = 0x81
TAG_BIRTH_DATE = 0x82
TAG_NIR = 0x93

#: Bounds: a card never makes the reader loop or allocate without end.
MAX_CHAIN = 8
MAX_FILE = 0x7FFF
MAX_DEPTH = 8

NIR_RE = re.compile(r"[1-478][0-9]{4}(?:[0-9]{2}|2[AB])[0-9]{8}")
DATE_RE = re.compile(r"[0-9]{8}")
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class CardKind(StrEnum):
    """What the ATR says the card is."""

    VITALE2 = "vitale2"
    VITALE1 = "vitale1"
    CPS = "cps"
    UNKNOWN = "unknown"


#: The historical bytes of the first-generation Cartes Vitale (Bull CP8 masks, inverse
#: convention): mask, ``09``, application, ``90 00``, as pcsc-tools' smartcard_list.txt gives
#: them. The same masks carry bank, telephone and parking cards (``2B 09 69``, ``22 04 68``,
#: Carte Bancaire ``.. 04 6C``...): only the mask and application bytes together name a Vitale.
VITALE1_HISTORICAL = frozenset(
    bytes((mask, 0x09, application, 0x90, 0x00))
    for mask, application in (
        (0x22, 0x69),
        (0x22, 0xF9),
        (0x2C, 0x69),
        (0x2C, 0xF9),
        (0x52, 0x6A),
        (0xA3, 0x6A),
        (0xA4, 0x6A),
    )
)
#: The contactless CPS v3: PC/SC builds its ATR ``3B 8F 80 01 ...`` from these bytes.
CPS_CONTACTLESS_HISTORICAL = bytes.fromhex("0031B86404B0ECC173940180829000")


def historical_bytes(atr: bytes) -> bytes | None:
    """The historical bytes of ``atr`` (ISO 7816-3: T0 and each TDi say which interface
    bytes follow), or None when the ATR ends before they do."""
    if len(atr) < 2:
        return None
    count, present, i = atr[1] & 0x0F, atr[1] >> 4, 2
    while True:
        i += bin(present).count("1")  # TAi, TBi, TCi, TDi
        if not present & 0x8:
            break
        if i > len(atr):
            return None
        present = atr[i - 1] >> 4
    history = atr[i : i + count]
    return history if len(history) == count else None


def classify_atr(atr: bytes) -> CardKind:
    """Vitale 2 is ``3B 75 13 00 00 4x 09 EA 90 00`` (x = 3..9); Vitale 1 uses the inverse
    convention (``3F``) and the historical bytes in :data:`VITALE1_HISTORICAL`; a CPS starts
    ``3B AC 00 40 2A`` (or is the contactless CPS v3). Anything else, bank cards among them,
    is probed for the VITALE application."""
    if (
        len(atr) == 10
        and atr[:5] == b"\x3b\x75\x13\x00\x00"
        and atr[5] >> 4 == 4
        and 3 <= atr[5] & 0x0F <= 9
        and atr[6:] == b"\x09\xea\x90\x00"
    ):
        return CardKind.VITALE2
    history = historical_bytes(atr)
    if atr[:1] == b"\x3f" and history in VITALE1_HISTORICAL:
        return CardKind.VITALE1
    if atr[:5] == b"\x3b\xac\x00\x40\x2a":
        return CardKind.CPS
    if atr[:1] == b"\x3b" and history == CPS_CONTACTLESS_HISTORICAL:
        return CardKind.CPS
    return CardKind.UNKNOWN


class Response(NamedTuple):
    """A response APDU: data and status word (a tuple: cheap, one per exchange)."""

    data: bytes
    sw1: int
    sw2: int

    @property
    def sw(self) -> int:
        return self.sw1 << 8 | self.sw2

    @classmethod
    def from_bytes(cls, raw: bytes) -> Response:
        if len(raw) < 2:
            raise UnreadableCardError("the card answered without a status word")
        return cls(bytes(raw[:-2]), raw[-2], raw[-1])

    def to_bytes(self) -> bytes:
        return self.data + bytes((self.sw1, self.sw2))


Transmit = Callable[[bytes], Response]


def with_le(apdu: bytes, le: int) -> bytes:
    """``apdu`` with its Le byte set to ``le`` (added when the command had none)."""
    if len(apdu) == 4:
        return apdu + bytes((le,))
    if len(apdu) == 5:
        return apdu[:4] + bytes((le,))
    lc = apdu[4]
    if len(apdu) == 5 + lc:
        return apdu + bytes((le,))
    return apdu[: 5 + lc] + bytes((le,))


def exchange(transmit: Transmit, apdu: bytes) -> Response:
    """Send ``apdu`` with T=0 normalised: ``61xx`` fetched by GET RESPONSE (data joined),
    ``6Cxx`` resent with Le = xx. Bounded: a card that keeps chaining is unreadable."""
    response = transmit(apdu)
    if response.sw1 not in (0x61, 0x6C):
        return response  # the common case: answered at once
    data = bytearray()
    command = apdu
    for _ in range(MAX_CHAIN):
        if response.sw1 == 0x61:
            data += response.data
            command = GET_RESPONSE + bytes((response.sw2,))
        else:  # 6Cxx
            command = with_le(command, response.sw2)
        response = transmit(command)
        if response.sw1 not in (0x61, 0x6C):
            return Response(bytes(data + response.data), response.sw1, response.sw2)
    raise UnreadableCardError("the card kept asking for more exchanges")


# --- BER-TLV ------------------------------------------------------------------------------


class TlvError(ValueError):
    """Bytes that are not well-formed BER-TLV (truncated, too deep, bad length)."""


class Tlv(NamedTuple):
    """One BER-TLV object; ``children`` when constructed."""

    tag: int
    value: bytes
    children: tuple[Tlv, ...] = ()
    constructed: bool = False

    def find(self, tag: int) -> Tlv | None:
        """The first direct child with ``tag``."""
        return next((c for c in self.children if c.tag == tag), None)


def parse_tlv(data: bytes, *, depth: int = 0) -> tuple[Tlv, ...]:
    """Parse BER-TLV objects; ``00`` and ``FF`` between objects are padding, unknown tags are
    kept. Raises :class:`TlvError` on anything truncated or malformed, never guesses."""
    if depth > MAX_DEPTH:
        raise TlvError("TLV nested too deep")
    items: list[Tlv] = []
    i, end = 0, len(data)
    while i < end:
        first = data[i]
        i += 1
        if first in (0x00, 0xFF):
            continue
        tag = first
        if first & 0x1F == 0x1F:
            for _ in range(3):
                if i >= end:
                    raise TlvError("truncated TLV tag")
                tag = tag << 8 | data[i]
                i += 1
                if not data[i - 1] & 0x80:
                    break
            else:
                raise TlvError("TLV tag longer than 4 bytes")
        if i >= end:
            raise TlvError("truncated TLV length")
        length = data[i]
        i += 1
        if length & 0x80:
            count = length & 0x7F
            if count == 0 or count > 3:
                raise TlvError("unsupported TLV length form")
            if i + count > end:
                raise TlvError("truncated TLV length")
            length = int.from_bytes(data[i : i + count], "big")
            i += count
        if i + length > end:
            raise TlvError("truncated TLV value")
        value = bytes(data[i : i + length])
        i += length
        constructed = bool(first & 0x20)
        children = parse_tlv(value, depth=depth + 1) if constructed else ()
        items.append(Tlv(tag, value, children, constructed))
    return tuple(items)


def walk(items: Iterable[Tlv]) -> Iterator[Tlv]:
    """Every object, depth first, in document order."""
    for item in items:
        yield item
        yield from walk(item.children)


def encode_tlv(tag: int, value: bytes) -> bytes:
    """One BER-TLV object (tags up to 3 bytes, lengths up to 0xFFFF)."""
    tag_bytes = tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")
    n = len(value)
    if n < 0x80:
        length = bytes((n,))
    elif n <= 0xFF:
        length = bytes((0x81, n))
    elif n <= 0xFFFF:
        length = b"\x82" + n.to_bytes(2, "big")
    else:
        raise ValueError("TLV value too long")
    return tag_bytes + length + value


# --- NIR ----------------------------------------------------------------------------------


def nir_key(number: str) -> int:
    """The key of a 13-character NIR: 97 − (number mod 97); Corsica 2A/2B count as 19/18."""
    if len(number) != 13:
        raise ValueError("a NIR number has 13 characters")
    dept = number[5:7]
    if dept == "2A":
        number = number[:5] + "19" + number[7:]
    elif dept == "2B":
        number = number[:5] + "18" + number[7:]
    if not number.isascii() or not number.isdigit():
        raise ValueError("a NIR number is made of digits (2A/2B for Corsica)")
    return 97 - int(number) % 97


def with_key(number: str) -> str:
    """The 13-character NIR followed by its 2-digit key."""
    return f"{number}{nir_key(number):02d}"


def nir_is_valid(nir: str) -> bool:
    """True when ``nir`` is 13 characters + a 2-digit key that checks."""
    if not NIR_RE.fullmatch(nir):
        return False
    return nir_key(nir[:13]) == int(nir[13:])


# --- the Vitale files ---------------------------------------------------------------------


def _text(item: Tlv | None, what: str) -> str:
    if item is None:
        raise UnreadableCardError(f"a beneficiary has no {what}")
    text = item.value.decode("latin-1").strip("\x00 ")
    if not text or CONTROL_RE.search(text):
        raise UnreadableCardError(f"a beneficiary's {what} is empty or not text")
    return text


def _birth_date(item: Tlv | None) -> str:
    text = _text(item, "birth date")
    # Lunar dates (month or day 00) are kept as the card gives them.
    if not DATE_RE.fullmatch(text) or int(text[4:6]) > 12 or int(text[6:8]) > 31:
        raise UnreadableCardError("a beneficiary's birth date is not AAAAMMJJ")
    return text


def _nir(item: Tlv | None) -> str:
    text = _text(item, "NIR").replace(" ", "")
    if not NIR_RE.fullmatch(text):
        raise UnreadableCardError("a beneficiary's NIR is not 13 characters and a key")
    if nir_key(text[:13]) != int(text[13:]):
        raise UnreadableCardError("a beneficiary's NIR key does not check")
    return text


def _templates(data: bytes, what: str) -> list[Tlv]:
    try:
        items = parse_tlv(data)
    except TlvError as exc:
        raise UnreadableCardError(f"the {what} file is malformed: {exc}") from exc
    return [t for t in walk(items) if t.tag == TAG_TEMPLATE and t.constructed]


def parse_beneficiaries(identity: bytes, nirs: bytes) -> tuple[Beneficiary, ...]:
    """One :class:`Beneficiary` per ``65`` template; the i-th template of the identity file
    matches the i-th of the NIR file. ``rank`` is the position on the card (0 = first)."""
    people = _templates(identity, "identity")
    numbers = _templates(nirs, "NIR")
    if not people:
        raise UnreadableCardError("the card holds no beneficiary")
    if not numbers and len(people) == 1:
        # A card may hold its one NIR without a template; tolerate it (the file parsed above).
        loose = [t for t in walk(parse_tlv(nirs)) if t.tag == TAG_NIR]
        numbers = [Tlv(TAG_TEMPLATE, b"", tuple(loose[:1]), True)]
    if len(numbers) != len(people):
        raise UnreadableCardError("the identity and NIR files do not hold the same people")
    out = []
    for rank, (person, number) in enumerate(zip(people, numbers, strict=True)):
        nir_item = number.find(TAG_NIR) or person.find(TAG_NIR)
        out.append(
            Beneficiary(
                last_name=_text(person.find(TAG_LAST_NAME), "last name"),
                first_name=_text(person.find(TAG_FIRST_NAME), "first name"),
                birth_date=_birth_date(person.find(TAG_BIRTH_DATE)),
                nir=_nir(nir_item),
                rank=rank,
            )
        )
    return tuple(out)


def identity_file(people: Sequence[Beneficiary]) -> bytes:
    """The identity file's bytes for ``people`` (names in Latin-1), as a card holds it."""
    return b"".join(
        encode_tlv(
            TAG_TEMPLATE,
            encode_tlv(TAG_LAST_NAME, p.last_name.encode("latin-1"))
            + encode_tlv(TAG_FIRST_NAME, p.first_name.encode("latin-1"))
            + encode_tlv(TAG_BIRTH_DATE, p.birth_date.encode("ascii")),
        )
        for p in people
    )


def nir_file(people: Sequence[Beneficiary]) -> bytes:
    """The NIR file's bytes for ``people``."""
    return b"".join(
        encode_tlv(TAG_TEMPLATE, encode_tlv(TAG_NIR, p.nir.encode("ascii"))) for p in people
    )


# --- the read sequence --------------------------------------------------------------------


def _select(transmit: Transmit, apdu: bytes, what: str) -> Response:
    response = exchange(transmit, apdu)
    if response.sw != SW_OK:
        raise UnreadableCardError(f"the card refused to select the {what} ({response.sw:04X})")
    return response


def read_file(transmit: Transmit, what: str) -> bytes:
    """Read the file of short identifier 2 of the selected directory, 256 bytes at a time."""
    data = bytearray()
    command = READ_SFI2
    while True:
        response = exchange(transmit, command)
        if response.sw in (SW_OK, SW_END_OF_FILE):
            data += response.data
        elif response.sw == SW_WRONG_OFFSET and data:
            break  # the previous chunk ended exactly at the end of the file
        elif response.sw == SW_DENIED:
            raise UnreadableCardError(f"the card denies access to its {what} file (6982)")
        else:
            sw = response.sw
            raise UnreadableCardError(f"the card could not read its {what} file ({sw:04X})")
        if response.sw == SW_END_OF_FILE or len(response.data) < 256:
            break
        if len(data) >= MAX_FILE:
            raise UnreadableCardError(f"the {what} file is larger than a Carte Vitale's")
        command = bytes((0x00, 0xB0, len(data) >> 8, len(data) & 0xFF, 0x00))
    return bytes(data)


def read_vitale(transmit: Transmit, kind: CardKind) -> tuple[Beneficiary, ...]:
    """The documented read: select MF, identity file, select VITALE, NIR file; then parse.

    A card of unknown ATR is first probed by selecting the VITALE application.
    """
    if kind is CardKind.VITALE1:
        raise Vitale1Error()
    if kind is CardKind.CPS:
        raise NotVitaleError("this is a health professional card (CPS), not a Carte Vitale")
    if kind is CardKind.UNKNOWN and exchange(transmit, SELECT_VITALE).sw != SW_OK:
        raise NotVitaleError()
    _select(transmit, SELECT_MF, "master file")
    identity = read_file(transmit, "identity")
    _select(transmit, SELECT_VITALE, "VITALE application")
    nirs = read_file(transmit, "NIR")
    return parse_beneficiaries(identity, nirs)
