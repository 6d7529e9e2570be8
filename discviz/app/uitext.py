"""The viewer's own words (menus, buttons, dialogs, banners) in the chosen language.

One string table, ``uitext.toml``: the English text is the key, each other language gives
its translation. Every text a person reads in the viewer goes through :func:`tr`, so a new
string is one line in the table; a missing translation falls back to English.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files

_current = "en"


@cache
def _table() -> dict[str, dict[str, str]]:
    text = files("discviz.app").joinpath("uitext.toml").read_text(encoding="utf-8")
    return {key: dict(value) for key, value in tomllib.loads(text).items()}


def set_ui_language(code: str) -> None:
    """Use ``code`` (``en``, ``zh``, ...) for every later :func:`tr`."""
    global _current
    _current = code


def ui_language() -> str:
    """The language the viewer's own words are in now."""
    return _current


def tr(english: str, language: str | None = None) -> str:
    """``english`` in the current (or the given) language; English when no translation exists."""
    code = language or _current
    if code == "en":
        return english
    return _table().get(english, {}).get(code, english)
