"""The viewer's own words (menus, buttons, dialogs, banners) in the chosen language.

One string table, ``uitext.toml``: the English text is the key, each other language gives
its translation. Every text a person reads in the viewer goes through :func:`tr`, so a new
string is one line in the table; a missing translation falls back to English (a test finds
every literal given to :func:`tr`, :func:`tr_noop` or :func:`phrase` that lacks one).

How a part of the window follows a change of language: it builds its texts in a
``retranslate()`` method (called once when it is built, and again by the window's
``set_language``); texts kept for later (action specs, the "doing" of an error, a banner's
message) are marked with :func:`tr_noop` or held as a :class:`Phrase`, and translated when
shown. Dialogs built on demand call :func:`tr` as they are built. Qt's own words (the
buttons of standard dialogs, key names) come from Qt's translations, installed here too.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

_current = "en"
#: Qt's locale for each language of the table (Qt's own translations are per country)
QT_LOCALES = {"zh": "zh_CN"}
_qt_translators: list[QTranslator] = []


@cache
def _table() -> dict[str, dict[str, str]]:
    text = files("discviz.app").joinpath("uitext.toml").read_text(encoding="utf-8")
    return {key: dict(value) for key, value in tomllib.loads(text).items()}


def table() -> dict[str, dict[str, str]]:
    """The string table: English text -> {language: translation}."""
    return _table()


def ui_languages() -> tuple[str, ...]:
    """The languages the viewer's own words exist in (English first)."""
    codes = {code for translations in _table().values() for code in translations}
    return ("en", *sorted(codes))


def set_ui_language(code: str) -> None:
    """Use ``code`` (``en``, ``zh``, ...) for every later :func:`tr` and for Qt's own words;
    a language the table lacks gives English (not a mix of two languages).
    """
    global _current
    _current = code if code in ui_languages() else "en"
    _install_qt_translations(_current)


def ui_language() -> str:
    """The language the viewer's own words are in now."""
    return _current


def tr(english: str, language: str | None = None) -> str:
    """``english`` in the current (or the given) language; English when no translation exists."""
    code = language or _current
    if code == "en":
        return english
    return _table().get(english, {}).get(code, english)


def tr_noop(english: str) -> str:
    """Mark ``english`` for the string table without translating it now (it is kept and
    given to :func:`tr` when shown, in the language of that moment).
    """
    return english


@dataclass(frozen=True)
class Phrase:
    """A text to show in whatever language is current when it is shown: ``english`` (a key
    of the table, with ``{name}`` fields) and the values of its fields (a value that is a
    Phrase is translated too).
    """

    english: str
    fields: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return tr(self.english).format(**{name: str(value) for name, value in self.fields.items()})


def phrase(english: str, **fields: object) -> Phrase:
    """A :class:`Phrase` (``phrase("Picture saved: {path}", path=path)``)."""
    return Phrase(english, fields)


def _install_qt_translations(code: str) -> None:
    """Qt's own words (OK/Cancel of standard dialogs, file dialogs, key names) in ``code``."""
    app = QCoreApplication.instance()
    if app is None:
        return
    for translator in _qt_translators:
        app.removeTranslator(translator)
        translator.deleteLater()
    _qt_translators.clear()
    locale = QT_LOCALES.get(code)
    if locale is None:
        return
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if translator.load(QLocale(locale), "qtbase", "_", folder):
        app.installTranslator(translator)
        _qt_translators.append(translator)
