"""The catalogues: every text of the screens translated in fr, ar and es, compiled .qm current."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ui.i18n import (
    ALL_CATALOGUES,
    I18N_DIR,
    SOURCE_LANGUAGE,
    MissingCatalogueError,
    Translations,
    qm_path,
    ts_path,
)

UI_DIR = Path(__file__).resolve().parents[2] / "ui"
PYLUPDATE = Path(sys.executable).parent / "pylupdate6"
LRELEASE = Path("/usr/lib/qt6/bin/lrelease")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
#: How many plural forms Qt's rules give each catalogue's language (Arabic: 0, 1, 2,
#: 3-10, 11-99, 100-102...; French: 0-1, more; English and Spanish: 1, other).
PLURAL_FORMS = {"fr": 2, "ar": 6, "es": 2, "en": 2}


def messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    out = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            out[(name, message.findtext("source"))] = message.find("translation")
    return out


def plural_sources(path: Path) -> set[tuple[str, str]]:
    """The messages counted with a number (``translate(..., n)``): Qt's plural forms."""
    return {
        (context.findtext("name"), message.findtext("source"))
        for context in ET.parse(path).getroot().iter("context")
        for message in context.iter("message")
        if message.get("numerus") == "yes"
    }


def check_plural(language: str, source: str, translation: ET.Element) -> None:
    forms = [form.text or "" for form in translation.findall("numerusform")]
    assert len(forms) == PLURAL_FORMS[language], (language, source, forms)
    for form in forms:
        assert form.strip(), (language, source)
        assert set(PLACEHOLDER.findall(form)) == set(PLACEHOLDER.findall(source)), (
            language,
            source,
            form,
        )
    # The number itself is shown (the forms for one and two may say it in words).
    assert all("%n" in form for form in forms[-2:]), (language, source, forms)


def test_catalogues_hold_every_text_of_the_code(tmp_path):
    if not PYLUPDATE.exists():
        pytest.fail(f"{PYLUPDATE} is missing (PyQt6 provides it): run `make setup`")
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p.relative_to(UI_DIR)) for p in UI_DIR.rglob("*.py"))
    subprocess.run(
        [str(PYLUPDATE), "--no-obsolete", *sources, "-ts", str(fresh)],
        cwd=UI_DIR,
        check=True,
        capture_output=True,
        timeout=60,
    )
    in_code = set(messages(fresh))
    plurals = plural_sources(fresh)
    assert len(in_code) > 100
    assert plurals, "no text counted with Qt's plural forms"
    for language in ALL_CATALOGUES:
        catalogue = messages(ts_path(language))
        # The source language's catalogue holds its plural forms only.
        expected = plurals if language == SOURCE_LANGUAGE else in_code
        missing = expected - set(catalogue)
        assert not missing, f"{language}: not in {ts_path(language).name}: {sorted(missing)[:5]}"
        stale = set(catalogue) - expected
        assert not stale, f"{language}: no longer in the code: {sorted(stale)[:5]}"
        assert plural_sources(ts_path(language)) == plurals, language
        for (context, source), translation in catalogue.items():
            assert translation is not None and translation.get("type") is None, (
                language,
                context,
                source,
            )
            if (context, source) in plurals:
                check_plural(language, source, translation)
                continue
            text = translation.text or ""
            assert text.strip(), (language, source)
            # A placeholder lost in translation would show "{seconds}" to the patient.
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(source)), (
                language,
                source,
            )


@pytest.mark.parametrize("language", ALL_CATALOGUES)
def test_compiled_catalogues_match_their_sources(tmp_path, language):
    if not LRELEASE.exists():
        pytest.fail(f"{LRELEASE} is missing (package qt6-l10n-tools): run `make setup`")
    out = tmp_path / f"{language}.qm"
    subprocess.run(
        [str(LRELEASE), "-silent", str(ts_path(language)), "-qm", str(out)],
        check=True,
        timeout=60,
    )
    assert qm_path(language).read_bytes() == out.read_bytes(), "run `make translations`"


def test_translations_switch_the_application(qapp):
    translations = Translations()
    try:
        translations.install("es")
        from ui.i18n import translate

        assert translate("Screen", "Call staff") == "Llamar al personal"
        assert translations.text("ar", "Screen", "Call staff") == "نداء الموظفين"
        translations.install("en")
        assert translate("Screen", "Call staff") == "Call staff"
    finally:
        translations.uninstall()


def test_a_missing_catalogue_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr("ui.i18n.I18N_DIR", tmp_path)
    with pytest.raises(MissingCatalogueError, match="make translations"):
        Translations().translator("fr")
    assert tmp_path != I18N_DIR


@pytest.mark.parametrize(
    ("language", "counts"),
    [
        ("en", {1: "about 1 minute.", 7: "about 7 minutes."}),
        ("fr", {1: "environ 1 minute.", 7: "environ 7 minutes."}),
        ("es", {1: "aproximadamente 1 minuto.", 7: "aproximadamente 7 minutos."}),
        (
            "ar",
            {
                1: "حوالي دقيقة واحدة.",
                2: "حوالي دقيقتين.",
                7: "حوالي 7 دقائق.",  # not "7 دقيقة"
                11: "حوالي 11 دقيقة.",
            },
        ),
    ],
)
def test_counted_words_take_the_language_s_plural_forms(qapp, language, counts):
    from ui.i18n import translate

    translations = Translations()
    try:
        translations.install(language)
        for n, ending in counts.items():
            text = translate("WaitingRoom", "Expected wait: about %n minutes.", None, n)
            assert text.endswith(ending), (language, n, text)
        seconds = translate("Screen", "This screen will close in %n seconds.", None, 1)
        assert "1 seconds" not in seconds and "1 secondes" not in seconds, seconds
    finally:
        translations.uninstall()
