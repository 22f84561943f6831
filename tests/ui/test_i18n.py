"""The catalogues: every text of the screens translated in fr, ar and es, compiled .qm current."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ui.i18n import CATALOGUES, I18N_DIR, MissingCatalogueError, Translations, qm_path, ts_path

UI_DIR = Path(__file__).resolve().parents[2] / "ui"
PYLUPDATE = Path(sys.executable).parent / "pylupdate6"
LRELEASE = Path("/usr/lib/qt6/bin/lrelease")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    out = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            out[(name, message.findtext("source"))] = message.find("translation")
    return out


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
    assert len(in_code) > 100
    for language in CATALOGUES:
        catalogue = messages(ts_path(language))
        missing = in_code - set(catalogue)
        assert not missing, f"{language}: not in {ts_path(language).name}: {sorted(missing)[:5]}"
        stale = set(catalogue) - in_code
        assert not stale, f"{language}: no longer in the code: {sorted(stale)[:5]}"
        for (context, source), translation in catalogue.items():
            assert translation is not None and translation.get("type") is None, (
                language,
                context,
                source,
            )
            text = translation.text or ""
            assert text.strip(), (language, source)
            # A placeholder lost in translation would show "{seconds}" to the patient.
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(source)), (
                language,
                source,
            )


@pytest.mark.parametrize("language", CATALOGUES)
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
