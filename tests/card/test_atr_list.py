"""Every card of pcsc-tools' community ATR list, classified: Vitale as Vitale, CPS as CPS, and
every other card (bank cards first) as neither, so that the patient hears the right sentence.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from drivers.card import protocol
from drivers.card.protocol import CardKind

#: Debian's pcsc-tools: an ATR line, hex bytes where ``.`` is any nibble and ``[..]`` a choice of
#: nibbles (a regular expression, as pcsc_scan uses it), then description lines each starting
#: with a tab; ``#`` starts a comment. Missing, the tests fail: they never skip.
LIST = Path("/usr/share/pcsc/smartcard_list.txt")

VITALE, CPS, NEITHER = "vitale", "cps", "neither"

#: "SESAM-Vitale" names the whole system, so "Vitale" alone would also catch CPS entries:
#: the CPS test runs first. "Profesionnel" (sic) is how the list spells the CPS entries.
CPS_RE = re.compile(r"\bCPS\b|\bprofess?ionn?el de sant", re.IGNORECASE)
VITALE_RE = re.compile(r"\bvitale\b", re.IGNORECASE)

#: Entries whose description alone would mislead, decided here by hand: (class, why).
DECISIONS: dict[str, tuple[str, str]] = {
    "3B 75 13 00 00 46 09 EA 90 00": (
        VITALE,
        '"Health Care card" names no card, but the bytes are the Vitale 2 ATR of DESIGN §5 '
        "(x = 6), listed among the other Vitale 2 generations",
    ),
    "3B 75 13 00 00 45 09 FA 90 00": (
        NEITHER,
        '"Carte VItate" is likely a misspelt Vitale 2, but 09 FA is not the 09 EA of DESIGN '
        "§5: the classifier leaves it to the probe, which reads it if it holds the VITALE "
        "application",
    ),
    "3B AC 00 40 2A 00 12 25 00 64 80 00 03 10 00 90 00": (
        CPS,
        '"Sesam Vitale card CPS": Vitale here is the SESAM-Vitale system; the card is a CPS',
    ),
    "3B AC 00 40 2A 00 12 25 00 64 80 82 02 12 00 90 00": (
        CPS,
        '"Sesam Vitale card CPS": Vitale here is the SESAM-Vitale system; the card is a CPS',
    ),
    "3B FF 18 00 FF 81 31 FE 55 00 6B 02 09 17 17 01 11 01 43 4E 53 11 31 80 8C": (
        NEITHER,
        "CPS here is Trento's Carta Provinciale dei Servizi, an Italian card, not the French "
        "Carte de Professionnel de Santé",
    ),
    "3B 8F 80 01 00 31 B8 64 04 B0 EC C1 73 94 01 80 FF FF FF E3": (
        NEITHER,
        '"Card used in public French hospital": the chip and OS of the contactless CPS v3 '
        "but not called a CPS; probed, it is told it is not a Carte Vitale all the same",
    ),
}

#: Whatever replaces a ``.`` nibble: 0, F, and a nibble that changes along the ATR.
FILLS = ("0", "F", None)


class Entry(NamedTuple):
    line: int
    pattern: str
    description: str

    @property
    def expected(self) -> str:
        if self.pattern in DECISIONS:
            return DECISIONS[self.pattern][0]
        if CPS_RE.search(self.description):
            return CPS
        if VITALE_RE.search(self.description):
            return VITALE
        return NEITHER


def read_list(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    pattern, start, lines = "", 0, []
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("\t"):
            lines.append(line.strip())
        elif line.strip() and not line.startswith("#"):
            if pattern:
                entries.append(Entry(start, pattern, " | ".join(lines)))
            pattern, start, lines = line.strip(), number, []
    if pattern:
        entries.append(Entry(start, pattern, " | ".join(lines)))
    return entries


def _class_members(spec: str) -> list[str]:
    members: list[str] = []
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            low, high = int(spec[i], 16), int(spec[i + 2], 16)
            members += [f"{n:X}" for n in range(low, high + 1)]
            i += 3
        else:
            members.append(spec[i].upper())  # a "," in "[6,E]" is kept; it fails to parse
            i += 1
    return members


def expand(pattern: str) -> list[bytes]:
    """Concrete ATRs matching ``pattern``: each ``.`` nibble as every one of :data:`FILLS`,
    each ``[..]`` as each of its nibbles, a ``.*`` as no, one or two bytes; only those that
    are hex bytes and match the pattern as a regular expression are kept."""
    parts: list[list[str]] = []  # one list of choices per position
    dots: list[int] = []  # the positions of the "." nibbles
    stars: list[int] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith(".*", i):
            stars.append(len(parts))
            parts.append([""])
            i += 2
        elif char == ".":
            dots.append(len(parts))
            parts.append([""])
            i += 1
        elif char == "[":
            end = pattern.index("]", i)
            parts.append(_class_members(pattern[i + 1 : end]))
            i = end + 1
        else:
            parts.append([char])
            i += 1
    regex = re.compile(pattern, re.IGNORECASE)
    found: dict[bytes, None] = {}
    for fill in FILLS:
        for position in dots:
            parts[position] = [fill if fill else f"{(position * 7 + 3) % 16:X}"]
        for position in stars:
            byte = f"{fill or 'A'}{fill or '5'}"
            parts[position] = ["", byte, f" {byte}", f"{byte} {byte}", f" {byte} {byte}"]
        for choice in itertools.product(*parts):
            text = "".join(choice)
            tokens = text.split()
            if all(re.fullmatch(r"[0-9A-F]{2}", t) for t in tokens) and regex.fullmatch(
                " ".join(tokens)
            ):
                found[bytes.fromhex(text)] = None
    return list(found)


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    if not LIST.is_file():
        pytest.fail(
            f"{LIST} is missing: install Debian's pcsc-tools package "
            "(apt-get install pcsc-tools), which ships the community ATR list"
        )
    return read_list(LIST)


def classified(entries: list[Entry], expected: str) -> Iterator[tuple[Entry, bytes, CardKind]]:
    for entry in entries:
        if entry.expected == expected:
            for atr in expand(entry.pattern):
                yield entry, atr, protocol.classify_atr(atr)


def report(wrong: list[tuple[Entry, bytes, CardKind]]) -> str:
    return "\n".join(
        f"line {e.line}: {atr.hex(' ').upper()} is {kind} ({e.pattern}: {e.description})"
        for e, atr, kind in wrong
    )


def test_the_list_is_read_and_every_entry_expands(entries: list[Entry]) -> None:
    assert len(entries) > 1000, f"{LIST}: only {len(entries)} entries read (format changed?)"
    unmatched = [f"line {e.line}: {e.pattern}" for e in entries if not expand(e.pattern)]
    assert not unmatched, "no concrete ATR found for:\n" + "\n".join(unmatched)
    counts = {c: sum(e.expected == c for e in entries) for c in (VITALE, CPS)}
    assert counts[VITALE] >= 5 and counts[CPS] >= 2, counts


def test_every_vitale_entry_is_a_vitale(entries: list[Entry]) -> None:
    # The inverse convention (3F) is the first generation; the direct one (3B) the second.
    wrong = [
        (e, atr, kind)
        for e, atr, kind in classified(entries, VITALE)
        if kind is not (CardKind.VITALE1 if atr[0] == 0x3F else CardKind.VITALE2)
    ]
    assert not wrong, "Vitale entries not classified as such:\n" + report(wrong)


def test_every_cps_entry_is_a_cps(entries: list[Entry]) -> None:
    wrong = [x for x in classified(entries, CPS) if x[2] is not CardKind.CPS]
    assert not wrong, "CPS entries not classified as such:\n" + report(wrong)


def test_every_other_card_is_neither(entries: list[Entry]) -> None:
    # Neither: probed for the VITALE application, then told "this is not a Carte Vitale".
    wrong = [x for x in classified(entries, NEITHER) if x[2] is not CardKind.UNKNOWN]
    assert not wrong, "cards taken for a Vitale or a CPS:\n" + report(wrong)


def test_the_bank_cards_of_the_list_are_neither(entries: list[Entry]) -> None:
    bank = [e for e in entries if e.pattern == "3F 65 25 .. .. 04 6C 90 .0"]
    assert bank and "Carte Bancaire" in bank[0].description
    atrs = expand(bank[0].pattern)
    assert bytes.fromhex("3F 65 25 00 00 04 6C 90 00") in atrs
    assert bytes.fromhex("3F 65 25 FF FF 04 6C 90 F0") in atrs
    assert {protocol.classify_atr(atr) for atr in atrs} == {CardKind.UNKNOWN}


@pytest.mark.parametrize(
    ("pattern", "atrs"),
    [
        (
            "3F 65 25 00 2[2C] 09 [F6]9 90 00",
            [
                "3F 65 25 00 22 09 F9 90 00",
                "3F 65 25 00 22 09 69 90 00",
                "3F 65 25 00 2C 09 F9 90 00",
                "3F 65 25 00 2C 09 69 90 00",
            ],
        ),
        ("3B 75 94 00 00 62 02 02 0[1-3] 01", ["3B759400006202020" + n + "01" for n in "123"]),
        ("3F 65 35 10 0. 04 [6,E]C 90 00", ["3F65351000046C9000", "3F6535100F04EC9000"]),
        ("3B EF 00 FF 81 31 42 45 .* 38", ["3BEF00FF813142450038", "3BEF00FF81314245000038"]),
        ("3B 02 14 50.*", ["3B021450", "3B02145000", "3B0214500000"]),
    ],
)
def test_expand(pattern: str, atrs: list[str]) -> None:
    got = expand(pattern)
    assert {bytes.fromhex(a) for a in atrs} <= set(got)
    assert all(re.fullmatch(pattern, atr.hex(" ").upper()) for atr in got)
