"""Reading virtual cards through pyscard and the real private pcscd with the vpcd reader."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from drivers.card import protocol, sim
from drivers.card.errors import (
    CardFailure,
    CardMuteError,
    CardRemovedError,
    NoCardError,
    NoReaderError,
    NoServiceError,
    NotVitaleError,
    UnreadableCardError,
    Vitale1Error,
)
from drivers.card.pcsc import ReaderOptions, VitaleReader
from drivers.card.pcscd import PrivatePcscd
from drivers.types import Beneficiary

Insert = Callable[..., sim.VirtualCard]


def people(count: int) -> list[Beneficiary]:
    out = []
    for i in range(count):
        number = f"1{80 + i % 20:02d}{1 + i % 12:02d}75{100 + i:03d}{200 + i:03d}"
        out.append(
            Beneficiary(
                last_name=f"LÉVÊQUE-D'ORMESSON {i}",
                first_name=f"Françoise-Zoé {i}",
                birth_date=f"20{i % 20:02d}0{1 + i % 9}00",
                nir=protocol.with_key(number),
                rank=i,
            )
        )
    return out


def test_reads_one_beneficiary(reader: VitaleReader, insert: Insert) -> None:
    card = insert("one")
    assert reader.read() == (
        Beneficiary(
            last_name="MARTIN",
            first_name="Jeanne",
            birth_date="19850612",
            nir="285067505607802",
            rank=0,
        ),
    )
    assert card.apdus == 4  # select MF, identity, select VITALE, NIR


def test_reads_a_family_with_t0_quirks_latin1_corsica_and_lunar_dates(
    reader: VitaleReader, insert: Insert
) -> None:
    insert("family")
    family = reader.read()
    assert [(p.rank, p.first_name) for p in family] == [
        (0, "Jean-Noël"),
        (1, "Éloïse"),
        (2, "Zoé"),
        (3, "Maël"),
    ]
    assert {p.last_name for p in family} == {"D'ALMEIDA-LEFÈVRE"}
    assert family[0].nir == "183022A01234532"
    assert family[1].nir == "270052B03456706"
    assert family[1].birth_date == "19700500"


@pytest.mark.parametrize("quirks", [False, True])
def test_reads_forty_beneficiaries_across_several_reads(
    reader: VitaleReader, insert: Insert, quirks: bool
) -> None:
    forty = people(40)
    card = insert(sim.family(forty).but(t0_quirks=quirks))
    assert reader.read() == tuple(forty)
    assert card.apdus > 8  # files longer than 256 bytes take several READ BINARY


def test_a_card_that_follows_the_documented_encodings_is_read_whatever_its_atr(
    reader: VitaleReader, insert: Insert
) -> None:
    odd = sim.load_profile("one").but(atr=bytes.fromhex("3B6F00008031E06B"), pad_to=300)
    card = insert(odd)
    assert len(reader.read()) == 1
    assert card.apdus == 7  # the probe, then the documented reads (two per padded file)


@pytest.mark.parametrize(
    ("profile", "error", "reason"),
    [
        ("vitale1", Vitale1Error, CardFailure.VITALE1),
        ("cps", NotVitaleError, CardFailure.NOT_VITALE),
        ("bank", NotVitaleError, CardFailure.NOT_VITALE),
        ("mute", CardMuteError, CardFailure.MUTE),
        ("broken_tlv", UnreadableCardError, CardFailure.UNREADABLE),
    ],
)
def test_bad_cards_get_a_typed_error(
    reader: VitaleReader, insert: Insert, profile: str, error: type[Exception], reason: str
) -> None:
    insert(profile)
    with pytest.raises(error) as caught:
        reader.read()
    assert caught.value.reason == reason  # type: ignore[attr-defined]


def test_a_cps_is_named(reader: VitaleReader, insert: Insert) -> None:
    card = insert("cps")
    with pytest.raises(NotVitaleError, match="CPS"):
        reader.read()
    assert card.apdus == 0


@pytest.mark.parametrize("atr", ["3F 65 25 08 43 04 6C 90 00", "3F 65 25 00 2B 04 6C 90 00"])
def test_a_french_bank_card_is_not_a_carte_vitale(
    reader: VitaleReader, insert: Insert, atr: str
) -> None:
    # A Carte Bancaire shares its ATR's start with Vitale 1: it must not be called one.
    card = insert(sim.load_profile("bank").but(atr=bytes.fromhex(atr)))
    with pytest.raises(NotVitaleError, match=r"^this is not a Carte Vitale$") as caught:
        reader.read()
    assert caught.value.reason == CardFailure.NOT_VITALE
    assert card.apdus == 1  # the probe for the VITALE application, nothing read


def test_wrong_nir_key_is_unreadable_never_guessed(reader: VitaleReader, insert: Insert) -> None:
    good = sim.load_profile("one")
    (p,) = good.beneficiaries
    bad = Beneficiary(
        last_name=p.last_name,
        first_name=p.first_name,
        birth_date=p.birth_date,
        nir=p.nir[:13] + "03",
    )
    insert(good.but(beneficiaries=(bad,)))
    with pytest.raises(UnreadableCardError, match="key does not check"):
        reader.read()


def test_truncated_nir_file_is_unreadable(reader: VitaleReader, insert: Insert) -> None:
    good = sim.load_profile("one")
    insert(good.but(nirs=protocol.nir_file(good.beneficiaries)[:-4]))
    with pytest.raises(UnreadableCardError, match="NIR file is malformed"):
        reader.read()


@pytest.mark.parametrize("denied", ["identity", "nir"])
def test_denied_file_is_unreadable(reader: VitaleReader, insert: Insert, denied: str) -> None:
    insert(sim.load_profile("one").but(deny=frozenset({denied})))
    with pytest.raises(UnreadableCardError, match="6982"):
        reader.read()


@pytest.mark.parametrize("after", [1, 3])
def test_card_pulled_mid_read(reader: VitaleReader, insert: Insert, after: int) -> None:
    card = insert(sim.load_profile("family").but(remove_after=after))
    with pytest.raises(CardRemovedError):
        reader.read()
    assert card.apdus == after
    assert not card.inserted


def test_card_pulled_after_the_last_apdu_still_gives_the_identity(
    reader: VitaleReader, insert: Insert
) -> None:
    card = insert(sim.load_profile("one").but(remove_after=4))
    assert len(reader.read()) == 1
    assert card.wait_removed(2.0)


def test_reconnects_on_the_next_insertion(reader: VitaleReader, insert: Insert) -> None:
    first = insert(sim.load_profile("one").but(remove_after=2))
    with pytest.raises(CardRemovedError):
        reader.read()
    first.remove()
    with pytest.raises(NoCardError):
        reader.wait_for_card(1.0)
    insert("family")
    assert len(reader.read()) == 4


def test_no_card(reader: VitaleReader) -> None:
    with pytest.raises(NoCardError, match="no card"):
        reader.read()


def test_reader_name_not_found(options: ReaderOptions) -> None:
    r = VitaleReader(ReaderOptions(socket=options.socket, reader="Gemalto"))
    try:
        with pytest.raises(NoReaderError, match="Gemalto"):
            r.read()
    finally:
        r.close()


def test_reader_name_chosen(reader: VitaleReader, insert: Insert) -> None:
    insert("one")
    assert len(reader.read(reader="Virtual Reader 00 00")) == 1
    with pytest.raises(NoCardError):
        reader.read(reader="Virtual Reader 00 01")


@pytest.mark.slow
def test_pcscd_not_running_then_back(
    daemon: PrivatePcscd, reader: VitaleReader, insert: Insert
) -> None:
    daemon.stop()
    with pytest.raises(NoServiceError, match="pcscd") as caught:
        reader.read()
    assert caught.value.reason == CardFailure.NO_SERVICE
    assert not reader.status().available
    daemon.start()
    insert("one")
    assert len(reader.read()) == 1  # the same reader object found the service again


@pytest.mark.slow
def test_reader_unplugged_and_plugged_back(
    daemon: PrivatePcscd, reader: VitaleReader, insert: Insert
) -> None:
    # Debian's pcscd hot-plugs USB readers only; vpcd is a configured reader, so an unplugged
    # reader is a pcscd that comes back without it, then with it.
    daemon.restart(reader=False)
    with pytest.raises(NoReaderError, match="no card reader"):
        reader.read()
    daemon.restart(reader=True)
    insert("one")
    assert len(reader.read()) == 1


def test_no_name_or_nir_in_any_log_line(
    reader: VitaleReader, insert: Insert, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    card = insert("family")
    family = reader.read()
    card.remove()
    insert(sim.load_profile("family").but(remove_after=3))
    with pytest.raises(CardRemovedError):
        reader.read()
    assert caplog.records, "the reader logs what it does"
    text = caplog.text.casefold()
    for p in family:
        for secret in (p.last_name, p.first_name, p.nir, p.nir[:13], p.birth_date):
            assert secret.casefold() not in text


def test_read_with_the_watchers_reader_and_atr(reader: VitaleReader, insert: Insert) -> None:
    card = insert("one")
    name = next(r.name for r in reader.status().readers if r.present)
    assert len(reader.read(reader=name, atr=card.profile.atr)) == 1
    with pytest.raises(Vitale1Error):
        reader.read(reader=name, atr=sim.load_profile("vitale1").atr)
    with pytest.raises(NoReaderError, match="Gone Reader"):
        reader.read(reader="Gone Reader", atr=card.profile.atr)
