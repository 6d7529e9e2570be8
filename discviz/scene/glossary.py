"""Labels and short explanations of every structure, from ``glossary.toml`` (the tables of
docs/structures-and-parameters.md show them).

The data file has one table per structure name::

    [annulus]
    patient = { en = "tough outer ring", zh = "..." }
    clinician = { en = "annulus fibrosus", zh = "..." }
    explain = { en = "...", zh = "..." }
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from functools import cache
from importlib.resources import files

from discviz.geometry.structures import STRUCTURES
from discviz.scene.model import AUDIENCES, Text

Glossary = Mapping[str, Mapping[str, Mapping[str, str]]]
FIELDS: tuple[str, ...] = (*AUDIENCES, "explain")
REQUIRED_LANGUAGES: tuple[str, ...] = ("en", "zh")
FALLBACK_LANGUAGE = "en"


@cache
def glossary() -> Glossary:
    """The bundled glossary: structure -> field (patient, clinician, explain) -> language -> text."""
    text = files("discviz.scene").joinpath("glossary.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)  # type: ignore[return-value]


def glossary_problems(data: Glossary | None = None) -> list[str]:
    """Everything wrong with the glossary (empty when every structure has every text)."""
    data = glossary() if data is None else data
    problems = [f"missing structure '{s}'" for s in STRUCTURES if s not in data]
    problems += [f"unknown structure '{s}'" for s in data if s not in STRUCTURES]
    for structure, entry in data.items():
        if not isinstance(entry, Mapping):
            problems.append(f"'{structure}' must be a table")
            continue
        problems += [f"'{structure}': unknown field '{f}'" for f in entry if f not in FIELDS]
        for field in FIELDS:
            texts = entry.get(field)
            if not isinstance(texts, Mapping):
                problems.append(f"'{structure}': missing {field}")
                continue
            for language in REQUIRED_LANGUAGES:
                words = texts.get(language)
                if not isinstance(words, str) or not words.strip():
                    problems.append(f"'{structure}': {field} has no '{language}' text")
    return problems


def languages() -> tuple[str, ...]:
    """Languages every label of the glossary has, English first."""
    common: set[str] | None = None
    for entry in glossary().values():
        for field in AUDIENCES:
            have = set(entry.get(field, {}))
            common = have if common is None else common & have
    found = sorted(common or ())
    return tuple(sorted(found, key=lambda code: code != FALLBACK_LANGUAGE))


def _pick(texts: Mapping[str, str], order: Sequence[str]) -> str | None:
    for language in order:
        if language in texts:
            return texts[language]
    return None


def _entry(structure: str) -> Mapping[str, Mapping[str, str]]:
    if structure not in STRUCTURES:
        raise ValueError(f"unknown structure {structure!r}")
    return glossary().get(structure, {})


def label(structure: str, audience: str, language: str,
          overrides: Mapping[str, Mapping[str, Text]] | None = None,
          fallbacks: Sequence[str] = ()) -> str:
    """The label of ``structure`` for ``audience`` (patient | clinician) in ``language``.

    ``overrides`` are a scene's ``[labels]`` (structure -> audience -> Text). A text in the
    exact language wins (the scene's before the glossary's); then ``fallbacks`` (the scene's
    languages), then English, then any language; the structure's name as a last resort.
    """
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    own = dict(overrides[structure][audience].values) if (
        overrides and structure in overrides and audience in overrides[structure]) else {}
    bundled = _entry(structure).get(audience, {})
    order = (*fallbacks, FALLBACK_LANGUAGE)
    for texts, languages_ in ((own, (language,)), (bundled, (language,)), (own, order), (bundled, order)):
        found = _pick(texts, languages_)
        if found is not None:
            return found
    return next(iter(own.values()), None) or next(iter(bundled.values()), None) or structure


def explanation(structure: str, language: str, fallbacks: Sequence[str] = ()) -> str:
    """A sentence or two on what ``structure`` is, in ``language`` (English as a fallback)."""
    texts = _entry(structure).get("explain", {})
    found = _pick(texts, (language, *fallbacks, FALLBACK_LANGUAGE))
    return found if found is not None else next(iter(texts.values()), "")
