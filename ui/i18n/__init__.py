"""The screens' languages with Qt's translation system: English sources in the code,
``cabine_<lang>.ts`` translations here, compiled to ``.qm`` by ``make translations``.

French is the cabin's default; English is the source language: its catalogue holds only
the plural forms ("in 1 second", "in 2 seconds"), which a source text cannot carry.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PyQt6.QtCore import QCoreApplication, QTranslator

log = logging.getLogger(__name__)

I18N_DIR = Path(__file__).resolve().parent
SOURCE_LANGUAGE = "en"
LANGUAGE_NAMES = {"fr": "Français", "en": "English", "ar": "العربية", "es": "Español"}
RIGHT_TO_LEFT = frozenset({"ar"})
#: The translated languages (each has a ``.ts`` source and a compiled ``.qm``).
CATALOGUES = ("fr", "ar", "es")
#: Every compiled catalogue: the translations, and the source language's plural forms.
ALL_CATALOGUES = (*CATALOGUES, SOURCE_LANGUAGE)

translate = QCoreApplication.translate


class MissingCatalogueError(RuntimeError):
    """A language's compiled catalogue is absent: run ``make translations``."""


def ts_path(language: str) -> Path:
    return I18N_DIR / f"cabine_{language}.ts"


def qm_path(language: str) -> Path:
    return I18N_DIR / f"cabine_{language}.qm"


class Translations:
    """One translator per language, loaded once; :meth:`install` switches the application."""

    def __init__(self) -> None:
        self._translators: dict[str, QTranslator] = {}
        self._installed: QTranslator | None = None
        self.language = SOURCE_LANGUAGE

    def translator(self, language: str) -> QTranslator | None:
        """The language's translator (None for a language without a catalogue)."""
        if language not in ALL_CATALOGUES:
            return None
        found = self._translators.get(language)
        if found is None:
            path = qm_path(language)
            found = QTranslator()
            if not found.load(str(path)):
                raise MissingCatalogueError(
                    f"no compiled catalogue {path}: run `make translations`"
                )
            self._translators[language] = found
        return found

    def install(self, language: str) -> None:
        """Make ``language`` the application's; the screens then retranslate themselves."""
        new = self.translator(language)
        if new is self._installed:
            self.language = language
            return
        if self._installed is not None:
            QCoreApplication.removeTranslator(self._installed)
        if new is not None:
            QCoreApplication.installTranslator(new)
        self._installed = new
        self.language = language

    def text(self, language: str, context: str, source: str) -> str:
        """``source`` in ``language`` without switching the application (attract loop)."""
        found = None if language == SOURCE_LANGUAGE else self.translator(language)
        if found is None:
            return source
        return found.translate(context, source) or source

    def uninstall(self) -> None:
        if self._installed is not None:
            QCoreApplication.removeTranslator(self._installed)
        self._installed = None
        self.language = SOURCE_LANGUAGE
